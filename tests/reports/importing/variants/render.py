"""The variant catalogue: a truth dict -> the bytes of one document variant and its name.

Each variant is one way agencies, browsers and office programs write the same report: a
transform of the paper form (transforms.py: labels, values, structure) written by one writer
(text_writers.py: tabs, pipes, one cell per line, Markdown, spaces, pdfminer-like boxes;
office_writers.py: HTML, DOCX, XLSX) and encoded (UTF-8, GB18030, UTF-16). All are pure
functions of the truth; nothing is read from disk.
"""

from __future__ import annotations

import re
from decimal import Decimal

from reports import schema

from .catalogue import (
    Variant,
    build_form,
    s2t_form,
    text_variant,
    tsv,
    variant,
)
from .headers import HEADER_VARIANTS
from .office_writers import (
    docx_document,
    html_document,
    word_html_document,
    xlsx_document,
)
from .text_writers import (
    cell_per_line,
    excel_tabs,
    markdown_document,
    pdfminer_boxes,
    pipe_rows,
    pipes,
    spaced_document,
    tab_cells,
    text_document,
)
from .transforms import (
    FULL_WIDTH_DIGITS,
    HALF_WIDTH,
    HEADER_TYPOS,
    QUALIFIED,
    TYPOS,
    chinese_year,
    compose,
    extra_table,
    heading_in_table,
    heading_variants,
    narrative_numbers,
    notes_after_tables,
    one_row_header,
    relabel,
    revalue,
    separate_headers,
    short_label,
    signed,
    spaced_label,
    split_table3,
    table2_per_caption,
    table4_flat_header,
    thousands,
    vertical_group,
    vertical_headers,
    with_page_break,
    wrapped_label,
)

VARIANTS: tuple[Variant, ...] = (
    # 1-6: delimited text ("td" order is the group-label-first layout of a browser copy)
    text_variant("tsv", "text", tsv),
    text_variant("tsv-grid", "text", lambda fm: tsv(fm, cells="grid")),
    text_variant("tsv-crlf", "text", lambda fm: tsv(fm).replace("\n", "\r\n")),
    text_variant("tsv-gb18030", "text", tsv, encode=lambda s: s.encode("gb18030")),
    text_variant(
        "tsv-excel-quoted",
        "text",
        lambda fm: text_document(fm, excel_tabs, cells="grid"),
        relabel(wrapped_label),
    ),
    text_variant("pipe-rows", "text", pipe_rows),
    text_variant("pipe-bordered", "text", lambda fm: pipe_rows(fm, border=True)),
    text_variant("pipe-unpadded", "text", lambda fm: pipe_rows(fm, pad=False)),
    text_variant("pipe-cells", "text", cell_per_line),
    text_variant("markdown", "text", markdown_document, suffix=".md"),
    text_variant(
        "spaces-aligned", "text", lambda fm: spaced_document(fm, aligned=True)
    ),
    text_variant(
        "spaces-collapsed", "text", lambda fm: spaced_document(fm, aligned=False)
    ),
    text_variant("group-repeat-tsv", "text", lambda fm: tsv(fm, cells="repeat")),
    text_variant(
        "group-repeat-pipe", "text", lambda fm: text_document(fm, pipes, cells="repeat")
    ),
    # 7-9: structured documents
    variant("html-spans", "html", lambda t: html_document(build_form(t)), ".html"),
    variant(
        "html-flat",
        "html",
        lambda t: html_document(build_form(t), spans=False),
        ".html",
    ),
    variant(
        "html-styled",
        "html",
        lambda t: html_document(build_form(t), styled=True),
        ".html",
    ),
    variant(
        "html-gb18030",
        "html",
        lambda t: html_document(build_form(t), charset="gb18030"),
        ".html",
    ),
    variant("docx-merged", "docx", lambda t: docx_document(build_form(t)), ".docx"),
    variant(
        "docx-flat",
        "docx",
        lambda t: docx_document(build_form(t), merged=False),
        ".docx",
    ),
    variant("xlsx-one-sheet", "xlsx", lambda t: xlsx_document(build_form(t)), ".xlsx"),
    variant(
        "xlsx-per-table",
        "xlsx",
        lambda t: xlsx_document(build_form(t), per_table=True),
        ".xlsx",
    ),
    variant(
        "xlsx-text-numbers",
        "xlsx",
        lambda t: xlsx_document(build_form(t), numbers_as_text=True),
        ".xlsx",
    ),
    # 10: traditional characters
    text_variant("traditional-tsv", "traditional", tsv, s2t_form),
    text_variant(
        "traditional-pipe-halfwidth",
        "traditional",
        pipe_rows,
        lambda fm: relabel(lambda s: s.translate(HALF_WIDTH))(s2t_form(fm)),
    ),
    variant(
        "traditional-html",
        "traditional",
        lambda t: html_document(build_form(t, s2t_form)),
        ".html",
    ),
    variant(
        "traditional-docx",
        "traditional",
        lambda t: docx_document(build_form(t, s2t_form)),
        ".docx",
    ),
    # 11: label variants
    text_variant("labels-spaced", "labels", tsv, relabel(spaced_label)),
    text_variant(
        "labels-ideographic-space",
        "labels",
        tsv,
        relabel(lambda s: spaced_label(s, "\u3000")),
    ),
    text_variant(
        "labels-halfwidth", "labels", tsv, relabel(lambda s: s.translate(HALF_WIDTH))
    ),
    text_variant(
        "labels-enum-comma",
        "labels",
        tsv,
        relabel(lambda s: re.sub(r"^(\d)\.", r"\1、", s)),
    ),
    text_variant(
        "labels-qualifier", "labels", tsv, relabel(lambda s: QUALIFIED.get(s, s))
    ),
    text_variant("labels-typo", "labels", tsv, relabel(lambda s: TYPOS.get(s, s))),
    text_variant(
        "labels-typo-headers", "labels", tsv, relabel(lambda s: HEADER_TYPOS.get(s, s))
    ),
    text_variant("labels-short", "labels", tsv, relabel(short_label)),
    text_variant("labels-wrapped-tsv", "labels", tsv, relabel(wrapped_label)),
    text_variant("labels-wrapped-pipe", "labels", pipe_rows, relabel(wrapped_label)),
    text_variant(
        "labels-wrapped-pipe-bordered",
        "labels",
        lambda fm: pipe_rows(fm, border=True),
        relabel(wrapped_label),
    ),
    text_variant(
        "labels-wrapped-cells", "labels", cell_per_line, relabel(wrapped_label)
    ),
    variant(
        "labels-wrapped-html",
        "labels",
        lambda t: html_document(build_form(t, relabel(wrapped_label))),
        ".html",
    ),
    variant(
        "labels-wrapped-docx",
        "labels",
        lambda t: docx_document(build_form(t, relabel(wrapped_label))),
        ".docx",
    ),
    text_variant(
        "labels-no-enum", "labels", tsv, relabel(lambda s: re.sub(r"^\d\.", "", s))
    ),
    variant(
        "labels-nbsp-html",
        "labels",
        lambda t: html_document(
            build_form(t, relabel(lambda s: spaced_label(s, "\xa0")))
        ),
        ".html",
    ),
    text_variant("header-one-row-tsv", "labels", tsv, one_row_header),
    variant(
        "header-one-row-docx",
        "labels",
        lambda t: docx_document(build_form(t, one_row_header)),
        ".docx",
    ),
    # values as printed: full-width digits, thousands separators, unit suffixes
    text_variant(
        "values-fullwidth",
        "values",
        tsv,
        revalue(lambda s: s.translate(FULL_WIDTH_DIGITS)),
    ),
    text_variant("values-thousands", "values", pipe_rows, revalue(thousands)),
    text_variant(
        "values-unit", "values", tsv, revalue(lambda s: s if "." in s else s + "件")
    ),
    text_variant("tsv-double-spaced", "text", lambda fm: tsv(fm).replace("\n", "\n\n")),
    text_variant(
        "spaces-wrapped-labels",
        "text",
        lambda fm: spaced_document(fm, aligned=True, wrap=True),
        relabel(wrapped_label),
    ),
    text_variant(
        "spaces-single", "text", lambda fm: spaced_document(fm, aligned=False, gap=" ")
    ),
    text_variant("title-chinese-year", "labels", tsv, chinese_year),
    text_variant("headings-variants", "labels", tsv, heading_variants),
    variant(
        "html-split-table3",
        "pagebreak",
        lambda t: html_document(build_form(t, split_table3(repeat_header=True))),
        ".html",
    ),
    variant(
        "docx-split-table3",
        "pagebreak",
        lambda t: docx_document(build_form(t, split_table3(repeat_header=False))),
        ".docx",
    ),
    variant(
        "xlsx-offset", "xlsx", lambda t: xlsx_document(build_form(t), offset=1), ".xlsx"
    ),
    text_variant(
        "pagebreak-running-header",
        "pagebreak",
        lambda fm: tsv(fm, furniture=("— 3 —", "", "".join(fm.title))),
        with_page_break,
    ),
    text_variant("values-signed", "values", tsv, revalue(signed, schema.Kind.SIGNED)),
    text_variant(
        "values-money-decimals",
        "values",
        tsv,
        revalue(lambda s: f"{Decimal(s):.2f}", schema.Kind.MONEY),
    ),
    text_variant("tsv-heading-in-table", "text", tsv, heading_in_table),
    variant(
        "html-heading-in-table",
        "html",
        lambda t: html_document(build_form(t, heading_in_table)),
        ".html",
    ),
    text_variant("notes-after-tables", "text", tsv, notes_after_tables),
    text_variant("narrative-numbers", "text", pipe_rows, narrative_numbers),
    text_variant("table4-flat-header", "labels", tsv, table4_flat_header),
    variant(
        "table4-flat-header-xlsx",
        "xlsx",
        lambda t: xlsx_document(build_form(t, table4_flat_header)),
        ".xlsx",
    ),
    variant(
        "html-layout-table",
        "html",
        lambda t: html_document(build_form(t), layout_table=True, styled=True),
        ".html",
    ),
    text_variant("labels-vertical-group", "labels", tsv, vertical_group),
    variant(
        "docx-table2-per-caption",
        "docx",
        lambda t: docx_document(build_form(t, table2_per_caption)),
        ".docx",
    ),
    text_variant("extra-table-tsv", "text", tsv, extra_table),
    variant(
        "extra-table-html",
        "html",
        lambda t: html_document(build_form(t, extra_table)),
        ".html",
    ),
    variant(
        "extra-table-docx",
        "docx",
        lambda t: docx_document(build_form(t, extra_table)),
        ".docx",
    ),
    variant(
        "extra-table-xlsx",
        "xlsx",
        lambda t: xlsx_document(build_form(t, extra_table)),
        ".xlsx",
    ),
    variant(
        "docx-nested-layout",
        "docx",
        lambda t: docx_document(build_form(t), nested=True),
        ".docx",
    ),
    variant(
        "docx-row-controls",
        "docx",
        lambda t: docx_document(build_form(t), row_controls=True),
        ".docx",
    ),
    text_variant("tab-cells", "text", tab_cells),
    text_variant("tab-cells-wrapped", "text", tab_cells, relabel(wrapped_label)),
    text_variant("pdfminer-boxes", "text", pdfminer_boxes),
    text_variant(
        "pdfminer-boxes-wrapped", "text", pdfminer_boxes, relabel(wrapped_label)
    ),
    variant(
        "xlsx-formula-totals",
        "xlsx",
        lambda t: xlsx_document(build_form(t), formulas="cached"),
        ".xlsx",
    ),
    variant(
        "xlsx-formula-uncached",
        "xlsx",
        lambda t: xlsx_document(build_form(t), formulas="uncached"),
        ".xlsx",
    ),
    variant(
        "html-word-export", "html", lambda t: word_html_document(build_form(t)), ".htm"
    ),
    variant(
        "docx-tracked-changes",
        "docx",
        lambda t: docx_document(build_form(t), tracked=True),
        ".docx",
    ),
    text_variant("headers-vertical-tsv", "labels", tsv, vertical_headers),
    variant(
        "headers-vertical-html",
        "labels",
        lambda t: html_document(build_form(t, vertical_headers)),
        ".html",
    ),
    variant(
        "headers-vertical-docx",
        "labels",
        lambda t: docx_document(build_form(t, vertical_headers)),
        ".docx",
    ),
    variant(
        "html-separate-headers",
        "html",
        lambda t: html_document(build_form(t, separate_headers)),
        ".html",
    ),
    variant(
        "docx-separate-headers",
        "docx",
        lambda t: docx_document(build_form(t, separate_headers)),
        ".docx",
    ),
    variant(
        "blanks-space-xlsx",
        "blanks",
        lambda t: xlsx_document(build_form(t, null=" ")),
        ".xlsx",
    ),
    variant(
        "blanks-dash-xlsx",
        "blanks",
        lambda t: xlsx_document(build_form(t, null="—")),
        ".xlsx",
    ),
    variant(
        "blanks-slash-docx",
        "blanks",
        lambda t: docx_document(build_form(t, null="/")),
        ".docx",
    ),
    # combinations
    text_variant(
        "combo-traditional-utf16-cells",
        "combo",
        cell_per_line,
        s2t_form,
        encode=lambda s: b"\xff\xfe" + s.encode("utf-16-le"),
    ),
    text_variant(
        "combo-wrapped-halfwidth-pagebreak-pipe",
        "combo",
        lambda fm: pipe_rows(fm, border=True),
        compose(
            relabel(wrapped_label),
            relabel(lambda s: s.translate(HALF_WIDTH)),
            with_page_break,
        ),
    ),
    variant(
        "combo-traditional-styled-gb18030",
        "combo",
        lambda t: html_document(
            build_form(t, compose(s2t_form, chinese_year)),
            styled=True,
            charset="gb18030",
        ),
        ".html",
    ),
    # 12: UTF-16
    text_variant(
        "utf16-le-bom",
        "utf16",
        tsv,
        encode=lambda s: b"\xff\xfe" + s.encode("utf-16-le"),
    ),
    text_variant(
        "utf16-le-bom-crlf",
        "utf16",
        tsv,
        encode=lambda s: b"\xff\xfe" + s.replace("\n", "\r\n").encode("utf-16-le"),
    ),
    text_variant("utf16-le", "utf16", tsv, encode=lambda s: s.encode("utf-16-le")),
    text_variant(
        "utf16-be-bom",
        "utf16",
        tsv,
        encode=lambda s: b"\xfe\xff" + s.encode("utf-16-be"),
    ),
    # 13: blank markers for null cells
    text_variant("blanks-dash-tsv", "blanks", tsv, null="-"),
    text_variant("blanks-emdash-tsv", "blanks", tsv, null="—"),
    text_variant("blanks-slash-pipe", "blanks", pipe_rows, null="/"),
    variant(
        "blanks-dash-html",
        "blanks",
        lambda t: html_document(build_form(t, null="-")),
        ".html",
    ),
    # 14: page furniture inside table 三
    text_variant("pagebreak-tsv", "pagebreak", tsv, with_page_break),
    text_variant(
        "pagebreak-tsv-header",
        "pagebreak",
        lambda fm: tsv(fm, furniture=("", "— 3 —", ""), repeat_header=True),
        with_page_break,
    ),
    text_variant("pagebreak-pipe", "pagebreak", pipe_rows, with_page_break),
    text_variant("pagebreak-cells", "pagebreak", cell_per_line, with_page_break),
    # header words and label cuts that were once read without a word (headers.py)
    *HEADER_VARIANTS,
)
BY_NAME: dict[str, Variant] = {v.name: v for v in VARIANTS}

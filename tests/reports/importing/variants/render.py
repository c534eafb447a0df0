"""The variant catalogue: a truth dict -> the bytes of one document variant and its name.

Each variant is one way agencies, browsers and office programs write the same report: a
transform of the paper form (transforms.py: labels, values, structure) written by one writer
(text_writers.py: tabs, pipes, one cell per line, Markdown, spaces, pdfminer-like boxes;
office_writers.py: HTML, DOCX, XLSX) and encoded (UTF-8, GB18030, UTF-16). All are pure
functions of the truth; nothing is read from disk.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reports import schema

from . import form as f
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
    tabs,
    text_document,
)
from .transforms import (
    FULL_WIDTH_DIGITS,
    HALF_WIDTH,
    HEADER_TYPOS,
    QUALIFIED,
    TYPOS,
    FormChange,
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
    traditional,
    vertical_group,
    vertical_headers,
    with_page_break,
    wrapped_label,
)

Rendered = tuple[bytes, str]


@dataclass(frozen=True)
class Variant:
    """A named rendering; `family` groups variants for the matrix and the report."""

    name: str
    family: str
    render: Callable[[dict[str, Any]], bytes]
    suffix: str

    def __call__(self, truth: dict[str, Any], stem: str) -> Rendered:
        return self.render(truth), f"{stem}-{self.name}{self.suffix}"


# --- the catalogue -------------------------------------------------------------------------


def _same(form: f.Form) -> f.Form:
    return form


def _form(truth: dict[str, Any], change: FormChange = _same, null: str = "") -> f.Form:
    return change(f.build(truth, null_text=null))


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


def _tsv(form: f.Form, **kw: Any) -> str:
    return text_document(form, tabs, **kw)


def _v(
    name: str,
    family: str,
    render: Callable[[dict[str, Any]], bytes],
    suffix: str = ".txt",
) -> Variant:
    return Variant(name, family, render, suffix)


def _text_variant(
    name: str,
    family: str,
    write: Callable[[f.Form], str],
    change: FormChange = _same,
    null: str = "",
    encode: Callable[[str], bytes] = _utf8,
    suffix: str = ".txt",
) -> Variant:
    return _v(name, family, lambda t: encode(write(_form(t, change, null))), suffix)


def _s2t_form(form: f.Form) -> f.Form:
    return f.map_text(form, traditional)


VARIANTS: tuple[Variant, ...] = (
    # 1-6: delimited text ("td" order is the group-label-first layout of a browser copy)
    _text_variant("tsv", "text", _tsv),
    _text_variant("tsv-grid", "text", lambda fm: _tsv(fm, cells="grid")),
    _text_variant("tsv-crlf", "text", lambda fm: _tsv(fm).replace("\n", "\r\n")),
    _text_variant("tsv-gb18030", "text", _tsv, encode=lambda s: s.encode("gb18030")),
    _text_variant(
        "tsv-excel-quoted",
        "text",
        lambda fm: text_document(fm, excel_tabs, cells="grid"),
        relabel(wrapped_label),
    ),
    _text_variant("pipe-rows", "text", pipe_rows),
    _text_variant("pipe-bordered", "text", lambda fm: pipe_rows(fm, border=True)),
    _text_variant("pipe-unpadded", "text", lambda fm: pipe_rows(fm, pad=False)),
    _text_variant("pipe-cells", "text", cell_per_line),
    _text_variant("markdown", "text", markdown_document, suffix=".md"),
    _text_variant(
        "spaces-aligned", "text", lambda fm: spaced_document(fm, aligned=True)
    ),
    _text_variant(
        "spaces-collapsed", "text", lambda fm: spaced_document(fm, aligned=False)
    ),
    _text_variant("group-repeat-tsv", "text", lambda fm: _tsv(fm, cells="repeat")),
    _text_variant(
        "group-repeat-pipe", "text", lambda fm: text_document(fm, pipes, cells="repeat")
    ),
    # 7-9: structured documents
    _v("html-spans", "html", lambda t: html_document(_form(t)), ".html"),
    _v("html-flat", "html", lambda t: html_document(_form(t), spans=False), ".html"),
    _v("html-styled", "html", lambda t: html_document(_form(t), styled=True), ".html"),
    _v(
        "html-gb18030",
        "html",
        lambda t: html_document(_form(t), charset="gb18030"),
        ".html",
    ),
    _v("docx-merged", "docx", lambda t: docx_document(_form(t)), ".docx"),
    _v("docx-flat", "docx", lambda t: docx_document(_form(t), merged=False), ".docx"),
    _v("xlsx-one-sheet", "xlsx", lambda t: xlsx_document(_form(t)), ".xlsx"),
    _v(
        "xlsx-per-table",
        "xlsx",
        lambda t: xlsx_document(_form(t), per_table=True),
        ".xlsx",
    ),
    _v(
        "xlsx-text-numbers",
        "xlsx",
        lambda t: xlsx_document(_form(t), numbers_as_text=True),
        ".xlsx",
    ),
    # 10: traditional characters
    _text_variant("traditional-tsv", "traditional", _tsv, _s2t_form),
    _text_variant(
        "traditional-pipe-halfwidth",
        "traditional",
        pipe_rows,
        lambda fm: relabel(lambda s: s.translate(HALF_WIDTH))(_s2t_form(fm)),
    ),
    _v(
        "traditional-html",
        "traditional",
        lambda t: html_document(_form(t, _s2t_form)),
        ".html",
    ),
    _v(
        "traditional-docx",
        "traditional",
        lambda t: docx_document(_form(t, _s2t_form)),
        ".docx",
    ),
    # 11: label variants
    _text_variant("labels-spaced", "labels", _tsv, relabel(spaced_label)),
    _text_variant(
        "labels-ideographic-space",
        "labels",
        _tsv,
        relabel(lambda s: spaced_label(s, "\u3000")),
    ),
    _text_variant(
        "labels-halfwidth", "labels", _tsv, relabel(lambda s: s.translate(HALF_WIDTH))
    ),
    _text_variant(
        "labels-enum-comma",
        "labels",
        _tsv,
        relabel(lambda s: re.sub(r"^(\d)\.", r"\1、", s)),
    ),
    _text_variant(
        "labels-qualifier", "labels", _tsv, relabel(lambda s: QUALIFIED.get(s, s))
    ),
    _text_variant("labels-typo", "labels", _tsv, relabel(lambda s: TYPOS.get(s, s))),
    _text_variant(
        "labels-typo-headers", "labels", _tsv, relabel(lambda s: HEADER_TYPOS.get(s, s))
    ),
    _text_variant("labels-short", "labels", _tsv, relabel(short_label)),
    _text_variant("labels-wrapped-tsv", "labels", _tsv, relabel(wrapped_label)),
    _text_variant("labels-wrapped-pipe", "labels", pipe_rows, relabel(wrapped_label)),
    _text_variant(
        "labels-wrapped-pipe-bordered",
        "labels",
        lambda fm: pipe_rows(fm, border=True),
        relabel(wrapped_label),
    ),
    _text_variant(
        "labels-wrapped-cells", "labels", cell_per_line, relabel(wrapped_label)
    ),
    _v(
        "labels-wrapped-html",
        "labels",
        lambda t: html_document(_form(t, relabel(wrapped_label))),
        ".html",
    ),
    _v(
        "labels-wrapped-docx",
        "labels",
        lambda t: docx_document(_form(t, relabel(wrapped_label))),
        ".docx",
    ),
    _text_variant(
        "labels-no-enum", "labels", _tsv, relabel(lambda s: re.sub(r"^\d\.", "", s))
    ),
    _v(
        "labels-nbsp-html",
        "labels",
        lambda t: html_document(_form(t, relabel(lambda s: spaced_label(s, "\xa0")))),
        ".html",
    ),
    _text_variant("header-one-row-tsv", "labels", _tsv, one_row_header),
    _v(
        "header-one-row-docx",
        "labels",
        lambda t: docx_document(_form(t, one_row_header)),
        ".docx",
    ),
    # values as printed: full-width digits, thousands separators, unit suffixes
    _text_variant(
        "values-fullwidth",
        "values",
        _tsv,
        revalue(lambda s: s.translate(FULL_WIDTH_DIGITS)),
    ),
    _text_variant("values-thousands", "values", pipe_rows, revalue(thousands)),
    _text_variant(
        "values-unit", "values", _tsv, revalue(lambda s: s if "." in s else s + "件")
    ),
    _text_variant(
        "tsv-double-spaced", "text", lambda fm: _tsv(fm).replace("\n", "\n\n")
    ),
    _text_variant(
        "spaces-wrapped-labels",
        "text",
        lambda fm: spaced_document(fm, aligned=True, wrap=True),
        relabel(wrapped_label),
    ),
    _text_variant(
        "spaces-single", "text", lambda fm: spaced_document(fm, aligned=False, gap=" ")
    ),
    _text_variant("title-chinese-year", "labels", _tsv, chinese_year),
    _text_variant("headings-variants", "labels", _tsv, heading_variants),
    _v(
        "html-split-table3",
        "pagebreak",
        lambda t: html_document(_form(t, split_table3(repeat_header=True))),
        ".html",
    ),
    _v(
        "docx-split-table3",
        "pagebreak",
        lambda t: docx_document(_form(t, split_table3(repeat_header=False))),
        ".docx",
    ),
    _v("xlsx-offset", "xlsx", lambda t: xlsx_document(_form(t), offset=1), ".xlsx"),
    _text_variant(
        "pagebreak-running-header",
        "pagebreak",
        lambda fm: _tsv(fm, furniture=("— 3 —", "", "".join(fm.title))),
        with_page_break,
    ),
    _text_variant("values-signed", "values", _tsv, revalue(signed, schema.Kind.SIGNED)),
    _text_variant(
        "values-money-decimals",
        "values",
        _tsv,
        revalue(lambda s: f"{Decimal(s):.2f}", schema.Kind.MONEY),
    ),
    _text_variant("tsv-heading-in-table", "text", _tsv, heading_in_table),
    _v(
        "html-heading-in-table",
        "html",
        lambda t: html_document(_form(t, heading_in_table)),
        ".html",
    ),
    _text_variant("notes-after-tables", "text", _tsv, notes_after_tables),
    _text_variant("narrative-numbers", "text", pipe_rows, narrative_numbers),
    _text_variant("table4-flat-header", "labels", _tsv, table4_flat_header),
    _v(
        "table4-flat-header-xlsx",
        "xlsx",
        lambda t: xlsx_document(_form(t, table4_flat_header)),
        ".xlsx",
    ),
    _v(
        "html-layout-table",
        "html",
        lambda t: html_document(_form(t), layout_table=True, styled=True),
        ".html",
    ),
    _text_variant("labels-vertical-group", "labels", _tsv, vertical_group),
    _v(
        "docx-table2-per-caption",
        "docx",
        lambda t: docx_document(_form(t, table2_per_caption)),
        ".docx",
    ),
    _text_variant("extra-table-tsv", "text", _tsv, extra_table),
    _v(
        "extra-table-html",
        "html",
        lambda t: html_document(_form(t, extra_table)),
        ".html",
    ),
    _v(
        "extra-table-docx",
        "docx",
        lambda t: docx_document(_form(t, extra_table)),
        ".docx",
    ),
    _v(
        "extra-table-xlsx",
        "xlsx",
        lambda t: xlsx_document(_form(t, extra_table)),
        ".xlsx",
    ),
    _v(
        "docx-nested-layout",
        "docx",
        lambda t: docx_document(_form(t), nested=True),
        ".docx",
    ),
    _v(
        "docx-row-controls",
        "docx",
        lambda t: docx_document(_form(t), row_controls=True),
        ".docx",
    ),
    _text_variant("tab-cells", "text", tab_cells),
    _text_variant("tab-cells-wrapped", "text", tab_cells, relabel(wrapped_label)),
    _text_variant("pdfminer-boxes", "text", pdfminer_boxes),
    _text_variant(
        "pdfminer-boxes-wrapped", "text", pdfminer_boxes, relabel(wrapped_label)
    ),
    _v(
        "xlsx-formula-totals",
        "xlsx",
        lambda t: xlsx_document(_form(t), formulas="cached"),
        ".xlsx",
    ),
    _v(
        "xlsx-formula-uncached",
        "xlsx",
        lambda t: xlsx_document(_form(t), formulas="uncached"),
        ".xlsx",
    ),
    _v("html-word-export", "html", lambda t: word_html_document(_form(t)), ".htm"),
    _v(
        "docx-tracked-changes",
        "docx",
        lambda t: docx_document(_form(t), tracked=True),
        ".docx",
    ),
    _text_variant("headers-vertical-tsv", "labels", _tsv, vertical_headers),
    _v(
        "headers-vertical-html",
        "labels",
        lambda t: html_document(_form(t, vertical_headers)),
        ".html",
    ),
    _v(
        "headers-vertical-docx",
        "labels",
        lambda t: docx_document(_form(t, vertical_headers)),
        ".docx",
    ),
    _v(
        "html-separate-headers",
        "html",
        lambda t: html_document(_form(t, separate_headers)),
        ".html",
    ),
    _v(
        "docx-separate-headers",
        "docx",
        lambda t: docx_document(_form(t, separate_headers)),
        ".docx",
    ),
    _v(
        "blanks-space-xlsx",
        "blanks",
        lambda t: xlsx_document(_form(t, null=" ")),
        ".xlsx",
    ),
    _v(
        "blanks-dash-xlsx",
        "blanks",
        lambda t: xlsx_document(_form(t, null="—")),
        ".xlsx",
    ),
    _v(
        "blanks-slash-docx",
        "blanks",
        lambda t: docx_document(_form(t, null="/")),
        ".docx",
    ),
    # combinations
    _text_variant(
        "combo-traditional-utf16-cells",
        "combo",
        cell_per_line,
        _s2t_form,
        encode=lambda s: b"\xff\xfe" + s.encode("utf-16-le"),
    ),
    _text_variant(
        "combo-wrapped-halfwidth-pagebreak-pipe",
        "combo",
        lambda fm: pipe_rows(fm, border=True),
        compose(
            relabel(wrapped_label),
            relabel(lambda s: s.translate(HALF_WIDTH)),
            with_page_break,
        ),
    ),
    _v(
        "combo-traditional-styled-gb18030",
        "combo",
        lambda t: html_document(
            _form(t, compose(_s2t_form, chinese_year)), styled=True, charset="gb18030"
        ),
        ".html",
    ),
    # 12: UTF-16
    _text_variant(
        "utf16-le-bom",
        "utf16",
        _tsv,
        encode=lambda s: b"\xff\xfe" + s.encode("utf-16-le"),
    ),
    _text_variant(
        "utf16-le-bom-crlf",
        "utf16",
        _tsv,
        encode=lambda s: b"\xff\xfe" + s.replace("\n", "\r\n").encode("utf-16-le"),
    ),
    _text_variant("utf16-le", "utf16", _tsv, encode=lambda s: s.encode("utf-16-le")),
    _text_variant(
        "utf16-be-bom",
        "utf16",
        _tsv,
        encode=lambda s: b"\xfe\xff" + s.encode("utf-16-be"),
    ),
    # 13: blank markers for null cells
    _text_variant("blanks-dash-tsv", "blanks", _tsv, null="-"),
    _text_variant("blanks-emdash-tsv", "blanks", _tsv, null="—"),
    _text_variant("blanks-slash-pipe", "blanks", pipe_rows, null="/"),
    _v(
        "blanks-dash-html",
        "blanks",
        lambda t: html_document(_form(t, null="-")),
        ".html",
    ),
    # 14: page furniture inside table 三
    _text_variant("pagebreak-tsv", "pagebreak", _tsv, with_page_break),
    _text_variant(
        "pagebreak-tsv-header",
        "pagebreak",
        lambda fm: _tsv(fm, furniture=("", "— 3 —", ""), repeat_header=True),
        with_page_break,
    ),
    _text_variant("pagebreak-pipe", "pagebreak", pipe_rows, with_page_break),
    _text_variant("pagebreak-cells", "pagebreak", cell_per_line, with_page_break),
)
BY_NAME: dict[str, Variant] = {v.name: v for v in VARIANTS}

"""Office and web writers: a form as an HTML page, a DOCX file or an XLSX workbook.

HTML as government sites publish it (rowspan/colspan, or unmerged; editor leftovers such as
&nbsp; and font spans; an old layout table around the article), DOCX with Word's merges
(gridSpan, vMerge) written directly, XLSX with merged cells and numbers as numbers.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from decimal import Decimal, InvalidOperation
from typing import Any

from . import form as f

# --- HTML ----------------------------------------------------------------------------------


def html_document(
    form: f.Form,
    *,
    spans: bool = True,
    charset: str = "utf-8",
    styled: bool = False,
    layout_table: bool = False,
) -> bytes:
    """A government-site page: <p> paragraphs and bordered tables, with or without spans;
    `styled` writes what site editors leave: &nbsp; in and around cells, font <span>s,
    <th>; `layout_table` nests the whole article in an old-style layout table."""
    out = [
        "<!DOCTYPE html>",
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">',
        f"<title>{html.escape(form.title[-1])}</title></head><body>",
        '<div class="TRS_Editor">',
    ]
    if layout_table:
        out.append(
            '<table width="100%"><tr><td class="nav">首页 &gt; 政府信息公开</td></tr>'
        )
        out.append('<tr><td class="content">')
    out += [f'<p style="text-align:center"><b>{_h(t)}</b></p>' for t in form.title]
    for block in form.blocks:
        if not isinstance(block, f.FormTable):
            out.append(f"<p>{_h(block)}</p>")
            continue
        out.append('<table border="1" cellspacing="0" cellpadding="0"><tbody>')
        if spans:
            for i, tr in enumerate(block.trs):
                header = styled and i < block.header_rows
                tds = "".join(_td(s, styled=styled, header=header) for s in tr)
                out.append(f"<tr>{tds}</tr>")
        else:
            for row in f.grid(block, repeat_labels=True):
                out.append("<tr>" + "".join(f"<td>{_h(c)}</td>" for c in row) + "</tr>")
        out.append("</tbody></table>")
    if layout_table:
        out.append("</td></tr></table>")
    out.append("</div></body></html>")
    return "\n".join(out).encode(charset)


def word_html_document(form: f.Form) -> bytes:
    """A page saved from Word ("网页，筛选过"): MsoNormal paragraphs, <o:p> marks, &nbsp; in
    empty cells, unquoted attributes and the zero-height row of column widths Word adds
    under each table for misaligned columns; declared gb2312."""
    out = [
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:w="urn:schemas-microsoft-com:office:word">',
        "<head><meta http-equiv=Content-Type content='text/html; charset=gb2312'>",
        "<meta name=Generator content='Microsoft Word 15'>",
        "<style><!-- p.MsoNormal {margin:0cm;font-size:10.5pt;} --></style></head>",
        "<body lang=ZH-CN><div class=WordSection1>",
    ]
    out += [
        f"<p class=MsoNormal align=center><b><span style='font-size:22.0pt'>{_h(t)}"
        "<span lang=EN-US><o:p></o:p></span></span></b></p>"
        for t in form.title
    ]
    for block in form.blocks:
        if not isinstance(block, f.FormTable):
            out.append(
                f"<p class=MsoNormal style='text-indent:32.0pt'><span>{_h(block)}"
                "<span lang=EN-US><o:p></o:p></span></span></p>"
            )
            continue
        out.append(
            "<table class=MsoNormalTable border=0 cellspacing=0 cellpadding=0 "
            "style='border-collapse:collapse;border:none'>"
        )
        for tr in block.trs:
            out.append(" <tr style='height:20.0pt'>")
            for span in tr:
                width = 58 * span.cols
                text = _h(span.text)
                body = (
                    f"<span lang=EN-US>{text}<o:p></o:p></span>"
                    if text
                    else "<span lang=EN-US><o:p>&nbsp;</o:p></span>"
                )
                out.append(
                    f"  <td width={width}{_spans(span)} valign=top style='border:solid "
                    f"windowtext 1.0pt;padding:0cm 5.4pt'><p class=MsoNormal align=center>"
                    f"{body}</p></td>"
                )
            out.append(" </tr>")
        out.append(" <![if !supportMisalignedColumns]>")
        out.append(
            " <tr height=0>" + "<td width=58 style='border:none'></td>" * block.width
        )
        out.append(" </tr>")
        out.append(" <![endif]>")
        out.append("</table>")
    out.append("</div></body></html>")
    return "\n".join(out).encode("gb18030")


def _h(text: str) -> str:
    return html.escape(text).replace("\n", "<br/>").replace("\xa0", "&nbsp;")


def _td(span: f.Span, *, styled: bool = False, header: bool = False) -> str:
    if styled:
        tag = "th" if header else "td"
        text = _h(span.text) or "&nbsp;"
        if span.kind == f.VALUE:
            text = f"&nbsp;{text}&nbsp;"
        body = f'<span style="font-family:仿宋_GB2312;font-size:14px">{text}</span>'
        return f"<{tag}{_spans(span)}><p>{body}</p></{tag}>"
    text = _h(span.text)
    return f'<td{_spans(span)} valign="center"><p style="text-align:center">{text}</p></td>'


def _spans(span: f.Span) -> str:
    attrs = ""
    if span.rows > 1:
        attrs += f' rowspan="{span.rows}"'
    if span.cols > 1:
        attrs += f' colspan="{span.cols}"'
    return attrs


# --- DOCX ----------------------------------------------------------------------------------


def docx_document(
    form: f.Form,
    *,
    merged: bool = True,
    nested: bool = False,
    row_controls: bool = False,
    tracked: bool = False,
) -> bytes:
    """A Word file: paragraphs, and tables whose spanning cells are merged as Word merges
    them (gridSpan across, vMerge down), or written unmerged with the spanned cells blank.
    `nested` puts the whole report in the one cell of an outer table (a web page pasted
    into Word keeps its layout table); `row_controls` wraps each body row of a table in a
    content control (a repeating section of a Word template); `tracked` leaves every
    value as a tracked change (an old value deleted, the printed one inserted)."""
    import docx

    document = docx.Document()
    container = document
    if nested:
        outer = document.add_table(rows=1, cols=1)
        container = outer.cell(0, 0)
    for text in form.title:
        container.add_paragraph(text)
    for block in form.blocks:
        if isinstance(block, f.FormTable):
            table = _docx_table(container, block, merged)
            if tracked:
                _track_values(table)
            if row_controls:
                _wrap_rows(table, block.header_rows)
        else:
            container.add_paragraph(block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _track_values(table: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for number, run in enumerate(table._tbl.iter(qn("w:r"))):
        text = "".join(t.text or "" for t in run.iter(qn("w:t")))
        if not re.fullmatch(r"-?\d+(\.\d+)?", text):
            continue
        deleted, inserted = OxmlElement("w:del"), OxmlElement("w:ins")
        for mark, key in ((deleted, 2 * number), (inserted, 2 * number + 1)):
            mark.set(qn("w:id"), str(key))
            mark.set(qn("w:author"), "办公室")
            mark.set(qn("w:date"), "2025-01-10T09:00:00Z")
        old_run, old_text = OxmlElement("w:r"), OxmlElement("w:delText")
        old_text.text = "9" + text
        old_run.append(old_text)
        deleted.append(old_run)
        run.addprevious(deleted)
        run.addprevious(inserted)
        inserted.append(run)


def _wrap_rows(table: Any, header_rows: int) -> None:
    from docx.oxml import OxmlElement

    for tr in list(table._tbl.tr_lst)[header_rows:]:
        sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
        sdt.append(OxmlElement("w:sdtPr"))
        sdt.append(content)
        tr.addprevious(sdt)
        content.append(tr)


def _docx_table(document: Any, block: f.FormTable, merged: bool) -> Any:
    # The XML is written directly: python-docx's cell()/merge() re-walk the whole table on
    # every call, which makes a 30 x 10 table take seconds.
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.table import _Cell

    if hasattr(document, "add_section"):
        table = document.add_table(rows=len(block.trs), cols=block.width)
    else:  # a table cell: python-docx gives it no width argument
        table = document.add_table(len(block.trs), block.width)
    table.style = "Table Grid"
    owner: dict[tuple[int, int], tuple[f.Span, int, int]] = {}
    for tr, corners in zip(block.trs, f.positions(block), strict=True):
        for span, (r, c) in zip(tr, corners, strict=True):
            for dr in range(span.rows):
                for dc in range(span.cols):
                    owner[(r + dr, c + dc)] = (span, r, c)
    for r, tr_element in enumerate(table._tbl.tr_lst):
        for tc in list(tr_element.tc_lst):
            tr_element.remove(tc)
        c = 0
        while c < block.width:
            span, r0, c0 = owner.get((r, c), (f.Span(""), r, c))
            tc = OxmlElement("w:tc")
            tc_pr = OxmlElement("w:tcPr")
            tc.append(tc_pr)
            tc.append(OxmlElement("w:p"))
            tr_element.append(tc)
            first = (r, c) == (r0, c0)
            if merged and span.cols > 1:
                grid_span = OxmlElement("w:gridSpan")
                grid_span.set(qn("w:val"), str(span.cols))
                tc_pr.append(grid_span)
            if merged and span.rows > 1:
                v_merge = OxmlElement("w:vMerge")
                if r == r0:
                    v_merge.set(qn("w:val"), "restart")
                tc_pr.append(v_merge)
            if first and span.text:
                _Cell(tc, table).text = span.text
            c += span.cols if merged else 1
    return table


# --- XLSX ----------------------------------------------------------------------------------


def xlsx_document(
    form: f.Form,
    *,
    per_table: bool = False,
    numbers_as_text: bool = False,
    offset: int = 0,
    formulas: str = "",
) -> bytes:
    """A workbook as agencies publish one: narrative in merged rows, then the tables with
    merged headers and numbers as numbers; or one sheet per table. `formulas` writes the
    总计 cells of table 三 as =SUM(...) of their row, "cached" with the printed
    value stored as Excel saves it, "uncached" without (as a script writes it)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    cached: dict[str, str] = {}
    book = Workbook()
    sheet = book.active
    sheet.title = "年度报告"
    width = max((t.width for t in form.tables()), default=4)
    row = 1 + offset
    for text in form.title:
        row = _xlsx_line(sheet, row, text, width)
    pending: list[str] = []
    for block in form.blocks:
        if not isinstance(block, f.FormTable):
            pending.append(block)
            continue
        if per_table:
            sheet = book.create_sheet(_sheet_name(block.key))
            row = 1
        for text in pending:
            row = _xlsx_line(sheet, row, text, block.width if per_table else width)
        pending = []
        for tr, corners in zip(block.trs, f.positions(block), strict=True):
            totals = _total_indexes(block, tr) if formulas else ()
            for i, (span, (r, c)) in enumerate(zip(tr, corners, strict=True)):
                value = _xlsx_value(span, numbers_as_text)
                if i in totals:
                    first = get_column_letter(c + 1 + offset - _PARTS)
                    last = get_column_letter(c + offset)
                    ref = f"{get_column_letter(c + 1 + offset)}{row + r}"
                    cached[ref] = span.text
                    value = f"=SUM({first}{row + r}:{last}{row + r})"
                cell = sheet.cell(row=row + r, column=c + 1 + offset, value=value)
                if span.rows > 1 or span.cols > 1:
                    sheet.merge_cells(
                        start_row=cell.row,
                        start_column=cell.column,
                        end_row=cell.row + span.rows - 1,
                        end_column=cell.column + span.cols - 1,
                    )
        row += len(block.trs) + 1
    for text in pending:
        row = _xlsx_line(sheet, row, text, width)
    buffer = io.BytesIO()
    book.save(buffer)
    if formulas == "cached":
        return _with_cached_values(buffer.getvalue(), cached)
    return buffer.getvalue()


_PARTS = 6  # the applicant columns a table 三 总计 adds up


def _total_indexes(block: f.FormTable, tr: list[f.Span]) -> tuple[int, ...]:
    """Index of the 总计 value cell of a table 三 row (none for other tables)."""
    values = [i for i, s in enumerate(tr) if s.kind == f.VALUE]
    if block.key == "table3" and len(values) == 7:
        return (values[-1],)
    return ()


def _with_cached_values(data: bytes, cached: dict[str, str]) -> bytes:
    """The workbook with each formula's printed result stored, as Excel saves it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = body.decode("utf-8")
                for ref, value in cached.items():
                    text = re.sub(
                        rf'(<c r="{ref}"[^>]*><f>[^<]*</f>)<v\s*/?>(</v>)?',
                        rf"\g<1><v>{value}</v>",
                        text,
                    )
                body = text.encode("utf-8")
            target.writestr(info, body)
    return out.getvalue()


def _sheet_name(table: str) -> str:
    names = {"table2": "主动公开", "table3": "依申请公开", "table4": "复议诉讼"}
    return names.get(table, table)


def _xlsx_line(sheet: Any, row: int, text: str, width: int) -> int:
    sheet.cell(row=row, column=1, value=text)
    if width > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    return row + 1


def _xlsx_value(span: f.Span, numbers_as_text: bool = False) -> Any:
    if span.kind != f.VALUE or not span.text or numbers_as_text:
        return span.text or None
    if re.fullmatch(r"-?\d+", span.text):
        return int(span.text)
    try:
        return float(Decimal(span.text))
    except InvalidOperation:
        return span.text

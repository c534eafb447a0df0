"""HTML (as government sites publish reports) into a Grid.

Tables are expanded with their rowspan/colspan: a spanning cell appears once, in its first
row, with the extent of the columns it covers, so a value can be placed under its header.
Text outside tables becomes lines, broken where a browser breaks them (block elements, <br>)
with source whitespace collapsed. The page is only parsed (lxml), never run: <script>,
<style> and similar elements are removed before anything is read, and so are elements a
browser would not show (display:none, visibility:hidden, the hidden attribute).

Old CMSs lay a whole page out in one outer <table>: a table row whose cells hold tables is
layout, so its cells are read as blocks (text lines, each nested table as a table of its
own), and a table of one cell is a frame read the same way. A <table> left open in a table
(libxml2 nests it where an HTML5 parser would close the first) is read as the next table.

Bytes that were not valid text arrive as U+FFFD (intake/charsets.py). In a cell's text it
marks that row's cells damaged; in markup (a broken `</td>` or `rowspan`) cells may have
merged or shifted, so that row and every later row of its table are marked: mapping takes
none of their numbers silently (mapping/damage.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from reports.importing import errors
from reports.importing.errors import ImportRefused
from reports.importing.extract.rows import DAMAGE, Cell, Grid, Row, mark_damaged
from reports.importing.normalize import clean_cell

_INERT = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "head",
    "select",
)
_BLOCKS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li dd dt pre blockquote section article header footer "
    "caption center td th tr ul ol dl form main nav aside hr address fieldset figure "
    "figcaption table tbody thead tfoot".split()
)
_SECTIONS = ("thead", "tbody", "tfoot")
_HIDDEN_STYLE = re.compile(
    r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important\s*)?(?:;|$)",
    re.IGNORECASE,
)
_SPACE = re.compile(r"[ \t\r\n\f]+")
_MAX_SPAN = 64  # a colspan/rowspan beyond this is an error or an attack, not a layout
_XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]*>")
_LAST_LINE = 65535
_ROW_START = re.compile(
    r"<tr\b", re.IGNORECASE
)  # libxml2 numbers later lines 65535 too

Flow = str | etree._Element  # a text fragment ("\n" at a line break) or a table


def extract(text: str) -> Grid:
    """A Grid of the page's tables (grid rows) and text blocks (lines)."""
    # the text is decoded already: lxml refuses a str that still declares an encoding
    text = _XML_DECLARATION.sub("", text, count=1)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ImportRefused(errors.CORRUPT_FILE, f"无法解析 HTML：{exc}") from exc
    title = root.findtext(".//title") or ""
    for element in [*root.iter(*_INERT), *_hidden(root)]:
        if element.getparent() is not None:
            element.drop_tree()
    reader = _Reader(Grid(kind="html", title=clean_cell(title)), _damaged_lines(text))
    reader.read(_flow(root))
    reader.grid.text = "\n".join(reader.lines)
    mark_damaged(reader.grid.rows)
    _mark_cut(text, reader.grid)
    return reader.grid


def _mark_cut(text: str, grid: Grid) -> None:
    """A page that stops inside a table (an interrupted download or save: no `</html>`,
    the last `<table>` never closed) may have lost the end of its last row: that row's
    cells are damaged, and a note says so."""
    tail = text[-65536:].lower()
    if "</html" in tail or "</body" in tail:
        return
    lower = text.lower()
    if lower.rfind("</table") > lower.rfind("<table"):
        return
    last = next((row for row in reversed(grid.rows) if row.table is not None), None)
    if last is None:
        return
    for cell in last.cells:
        cell.damaged = True
    grid.notes.append(
        "网页在表格中间结束（没有 </html>），文件可能不完整："
        "表格最后一行读到的单元格均标为存疑，请对照原文核对"
    )


def _damaged_lines(text: str) -> dict[int, bool]:
    """The source lines where U+FFFD stands in markup (inside a tag, or where a tag's "<"
    may have been), as libxml2 numbers them (it stops at 65535); True when the damage is
    before the line's first `<tr` (it may belong to the row above).

    U+FFFD in a cell's text damages that cell's row only (`mark_damaged`); in a tag it may
    have merged, split or shifted cells.
    """
    lines: dict[int, bool] = {}
    line, start = 1, 0  # the line number of text[start], a line's first character
    index = text.find(DAMAGE)
    while index != -1:
        breaks = text.count("\n", start, index)
        if breaks:
            line += breaks
            start = text.rfind("\n", 0, index) + 1
        opened = text.rfind("<", 0, index) > text.rfind(">", 0, index)
        closer, opener = text.find(">", index), text.find("<", index)
        if opened or (closer != -1 and (opener == -1 or closer < opener)):
            row = _ROW_START.search(text, start, index)
            number = min(line, _LAST_LINE)
            lines[number] = lines.get(number, False) or row is None
        index = text.find(DAMAGE, index + 1)
    return lines


def _hidden(root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Elements a browser does not show."""
    return [
        element
        for element in root.iter(etree.Element)
        if element.get("hidden") is not None
        or _HIDDEN_STYLE.search(element.get("style") or "")
    ]


@dataclass
class _Reader:
    """Appends a page's flow to a Grid: text as lines, tables as numbered rows."""

    grid: Grid
    damaged: dict[int, bool] = field(default_factory=dict)  # _damaged_lines
    lines: list[str] = field(default_factory=list)
    tables: int = 0

    def read(self, flow: Iterator[Flow]) -> None:
        parts: list[str] = []
        for item in flow:
            if isinstance(item, str):
                parts.append(item)
                continue
            self._text(parts)
            parts = []
            self.table(item)
        self._text(parts)

    def table(self, table: etree._Element) -> None:
        """A table's rows; frames, layout rows and stray tables as the module doc says."""
        if _is_frame(table):
            self.read(_flow(_cells(next(_table_items(table)))[0]))
            return
        segment: list[etree._Element] = []
        for item in _table_items(table):
            if item.tag == "caption":
                self.read(_flow(item))
            elif item.tag == "table":
                self._rows(segment, table)
                segment = []
                self.table(item)
            elif any(_holds_table(cell) for cell in _cells(item)):
                self._rows(segment, table)
                segment = []
                for cell in _cells(item):
                    self.read(_flow(cell))
            else:
                segment.append(item)
        self._rows(segment, table)

    def _rows(self, trs: list[etree._Element], table: etree._Element) -> None:
        if trs:
            rows = _grid_rows(trs, self.tables)
            first = _first_damaged(trs, table, self.damaged)
            for row in rows[first:]:
                for cell in row.cells:
                    cell.damaged = True
            self.grid.rows.extend(rows)
            self.tables += 1

    def _text(self, parts: list[str]) -> None:
        for line in clean_cell(_join(parts)).splitlines():
            self.lines.append(line)
            self.grid.rows.append(Row([Cell(line)], complete=True))


def _flow(element: etree._Element, pre: bool = False) -> Iterator[Flow]:
    """The text fragments and tables inside `element`, in order, with "\n" at each line
    break a browser makes (block edges, <br>); source whitespace collapsed outside <pre>."""
    if element.text:
        yield _spaced(element.text, pre)
    for child in element:
        if isinstance(
            child.tag, str
        ):  # comments and processing instructions: tail only
            if child.tag == "table":
                yield child
            elif child.tag == "br":
                yield "\n"
            elif child.tag in _BLOCKS:
                yield "\n"
                yield from _flow(child, pre or child.tag == "pre")
                yield "\n"
            else:
                yield from _flow(child, pre)
        if child.tail:
            yield _spaced(child.tail, pre)


def _spaced(text: str, pre: bool) -> str:
    text = text.replace("\xa0", " ")
    return text if pre else _SPACE.sub(" ", text)


def _join(parts: list[str]) -> str:
    return re.sub(r" {2,}", " ", "".join(parts))


def _cell_text(cell: etree._Element) -> str:
    """A cell's text; a frame table inside it is read as text too."""
    parts = [p if isinstance(p, str) else f"\n{_cell_text(p)}\n" for p in _flow(cell)]
    return clean_cell(_join(parts))


def _table_items(table: etree._Element) -> Iterator[etree._Element]:
    """The rows, caption and stray tables of a table in display order (tfoot last)."""
    footer: list[etree._Element] = []
    for child in table:
        if not isinstance(child.tag, str):
            continue
        if child.tag in ("tr", "caption", "table"):
            yield child
        elif child.tag == "tfoot":
            footer.extend(_table_items(child))
        elif child.tag not in ("td", "th", "col", "colgroup"):
            yield from _table_items(child)  # thead, tbody, and a stray <form> or <div>
    yield from footer


def _cells(tr: etree._Element) -> list[etree._Element]:
    """The <td>/<th> of a row, also when a stray element wraps them."""
    cells: list[etree._Element] = []
    for child in tr:
        if not isinstance(child.tag, str):
            continue
        if child.tag in ("td", "th"):
            cells.append(child)
        elif child.tag not in ("table", "tr"):
            cells.extend(_cells(child))
    return cells


def _is_frame(table: etree._Element) -> bool:
    """A table of one row of one cell is a frame around its content."""
    items = list(_table_items(table))
    return len(items) == 1 and items[0].tag == "tr" and len(_cells(items[0])) == 1


def _holds_table(element: etree._Element) -> bool:
    """Whether a table of several cells is anywhere inside `element`."""
    return any(
        not _is_frame(table) for table in element.iter("table") if table is not element
    )


def _grid_rows(trs: list[etree._Element], table_no: int) -> list[Row]:
    """Rows with each cell placed on the table's column grid (rowspan/colspan expanded)."""
    taken: dict[int, set[int]] = {}
    rows: list[Row] = []
    for r, tr in enumerate(trs):
        busy = taken.setdefault(r, set())
        column = 0
        cells: list[Cell] = []
        for td in _cells(tr):
            while column in busy:
                column += 1
            colspan = _span(td.get("colspan"))
            rowspan = _span(td.get("rowspan"), zero=len(trs) - r)
            cells.append(Cell(_cell_text(td), x0=column, x1=column + colspan))
            for below in range(r, min(r + rowspan, len(trs))):
                taken.setdefault(below, set()).update(range(column, column + colspan))
            column += colspan
        rows.append(Row(cells, complete=True, table=table_no))
    return rows


def _first_damaged(
    trs: list[etree._Element], table: etree._Element, damaged: dict[int, bool]
) -> int:
    """The first row whose source holds damaged markup (from the table's start, or the
    end of the row before, to the start of the next row); len(trs) when none does.

    A damaged tag (`</td>`, `rowspan`, `<tr>`) changes the cells of its row and of every
    row after it in the table (spans, shifted columns), never of the rows before: those
    rows on are all damaged.
    """
    if not damaged:
        return len(trs)
    low = table.sourceline or 0
    for index, tr in enumerate(trs):
        last = max((e.sourceline or 0) for e in tr.iter())
        following = trs[index + 1].sourceline if index + 1 < len(trs) else None
        high = following or last + 1
        for line, early in damaged.items():
            if line >= low and (
                line < high or line <= last or (line == high and early)
            ):
                return index
        low = high
    return len(trs)


def _span(value: str | None, zero: int = 1) -> int:
    """A colspan/rowspan as a browser reads it: leading digits ("2px" -> 2), 1 when absent
    or invalid, `zero` for 0 (rowspan="0" runs to the end of the table), at most 64."""
    match = re.match(r"\s*\+?(\d+)", value or "")
    if match is None:
        return 1
    number = int(match.group(1))
    return max(1, min(number if number else zero, _MAX_SPAN))

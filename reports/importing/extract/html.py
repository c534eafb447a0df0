"""HTML (as government sites publish reports) into a Grid.

Tables are expanded with their rowspan/colspan: a spanning cell appears once, in its first
row, with the extent of the columns it covers, so a value can be placed under its header.
Text outside tables becomes lines. The page is only parsed (lxml), never run: <script>,
<style> and similar elements are removed before anything is read.
"""

from __future__ import annotations

from collections.abc import Iterator

import lxml.html
from lxml import etree

from reports.importing import errors
from reports.importing.errors import ImportRefused
from reports.importing.extract.rows import Cell, Grid, Row
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
)
_BLOCKS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li dd dt pre blockquote section article header footer "
    "caption center td th tr ul ol dl form main nav aside".split()
)
_MAX_SPAN = 64  # a colspan/rowspan beyond this is an error or an attack, not a layout


def extract(text: str) -> Grid:
    """A Grid of the page's tables (grid rows) and text blocks (lines)."""
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ImportRefused(errors.CORRUPT_FILE, f"无法解析 HTML：{exc}") from exc
    title = root.findtext(".//title") or ""
    for element in list(root.iter(*_INERT)):
        element.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    grid = Grid(kind="html", title=clean_cell(title))
    lines: list[str] = []
    table_no = 0
    for kind, item in _walk(root):
        if kind == "table":
            grid.rows.extend(_table_rows(item, table_no))
            table_no += 1
            continue
        for line in clean_cell(item).splitlines():
            lines.append(line)
            grid.rows.append(Row([Cell(line)], complete=True))
    grid.text = "\n".join(lines)
    return grid


def _walk(element: etree._Element) -> Iterator[tuple[str, object]]:
    """Tables and text blocks in document order."""
    if not isinstance(element.tag, str):
        return
    if element.tag == "table":
        yield "table", element
        return
    if element.tag in _BLOCKS or element.tag in ("body", "html"):
        if not any(_contains_block(child) for child in element):
            text = element.text_content()
            if text.strip():
                yield "text", text
            return
        if element.text and element.text.strip():
            yield "text", element.text
        for child in element:
            yield from _walk(child)
            if child.tail and child.tail.strip():
                yield "text", child.tail
        return
    text = element.text_content()
    if text.strip():
        yield "text", text


def _contains_block(element: etree._Element) -> bool:
    if not isinstance(element.tag, str):
        return False
    if element.tag in _BLOCKS or element.tag == "table":
        return True
    return any(_contains_block(child) for child in element)


def _table_rows(table: etree._Element, table_no: int) -> list[Row]:
    taken: dict[int, set[int]] = {}
    rows: list[Row] = []
    trs = [tr for tr in table.iter("tr") if _owner_table(tr) is table]
    for r, tr in enumerate(trs):
        busy = taken.setdefault(r, set())
        column = 0
        cells: list[Cell] = []
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            while column in busy:
                column += 1
            colspan = _span(td.get("colspan"))
            rowspan = _span(td.get("rowspan"))
            cells.append(
                Cell(clean_cell(td.text_content()), x0=column, x1=column + colspan)
            )
            for below in range(r, min(r + rowspan, len(trs))):
                taken.setdefault(below, set()).update(range(column, column + colspan))
            column += colspan
        rows.append(Row(cells, complete=True, table=table_no))
    return rows


def _owner_table(tr: etree._Element) -> etree._Element | None:
    parent = tr.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), _MAX_SPAN))
    except ValueError:
        return 1

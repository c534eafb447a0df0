"""DOCX into a Grid: body paragraphs and table rows in document order.

The body XML is read as Word and WPS write it, not only as python-docx models it: content
controls, custom XML, smart tags, hyperlinks, simple fields and inserted revisions are
wrappers whose content is read in place; deleted and moved-away revisions, hidden runs and
page-number fields are not printed text and are skipped; text boxes (w:txbxContent, one
branch of mc:AlternateContent) are read after the paragraph that anchors them. Headers and
footers are not body and are never read.

Merged cells are resolved from the XML (gridSpan, vMerge, WPS's hMerge), so a merged cell's
text appears once, in the first row and grid column it covers, with the extent of all the
columns it spans; python-docx's `row.cells` would repeat it in every covered position. A
table row whose cells hold tables is layout (a web page pasted into Word): its cells are read
as blocks, each nested table as a table of its own. The zip is checked (member count,
unpacked size) before anything is parsed.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import docx
from docx.oxml.ns import qn
from lxml import etree

from reports.importing.extract.rows import Cell, Grid, Row
from reports.importing.normalize import clean_cell

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_W_P, _W_TBL, _W_TR, _W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_W_T, _W_TAB, _W_PTAB = qn("w:t"), qn("w:tab"), qn("w:ptab")
_W_BR, _W_CR = qn("w:br"), qn("w:cr")
_W_HYPHEN = qn("w:noBreakHyphen")
_W_RPR, _W_VANISH = qn("w:rPr"), qn("w:vanish")
_W_FLD_CHAR, _W_INSTR, _W_FLD_SIMPLE = (
    qn("w:fldChar"),
    qn("w:instrText"),
    qn("w:fldSimple"),
)
_W_TXBX = qn("w:txbxContent")
_W_VAL = qn("w:val")
_MC_ALTERNATE, _MC_CHOICE, _MC_FALLBACK = (
    _MC + "AlternateContent",
    _MC + "Choice",
    _MC + "Fallback",
)
# Not in the printed text: deleted or moved-away revisions, and ruby (phonetic) annotations.
_DELETED = frozenset(
    qn(tag) for tag in ("w:del", "w:moveFrom", "w:delText", "w:delInstrText", "w:rt")
)
# Fields whose result is a page number: running furniture, not the report's text.
_PAGE_FIELD = re.compile(r"^\s*(PAGE|NUMPAGES|SECTIONPAGES|PAGEREF)\b", re.IGNORECASE)
_MAX_COLUMN = 64


def extract(data: bytes, *, name: str = "", max_unpacked: int = 1 << 26) -> Grid:
    """A Grid of the document's paragraphs (as lines) and table rows (as grid rows).

    intake/detect.py has checked the zip (member count, unpacked size) before this. A
    package python-docx cannot open (a part with a bad checksum, a cut file) is read
    part by part (docx_damaged.py).
    """
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for a broken package
        from reports.importing.extract import docx_damaged

        return docx_damaged.extract(data, name, max_unpacked, exc)
    reader = _Reader(Grid(kind="docx", title=document.core_properties.title or ""))
    reader.read(_blocks(document.element.body))
    reader.grid.text = "\n".join(reader.lines)
    return reader.grid


@dataclass
class _Reader:
    """Appends blocks to a Grid: paragraphs as lines, tables as numbered rows."""

    grid: Grid
    lines: list[str] = field(default_factory=list)
    tables: int = 0
    # Elements a cut file left open (docx_damaged): the first row read from one of them
    # is where the damage begins.
    partial: list[etree._Element] = field(default_factory=list)
    damaged_from: int | None = None

    def read(self, blocks: Iterator[etree._Element]) -> None:
        for element in blocks:
            if element.tag == _W_P:
                self._mark(element)
                for line in clean_cell(_paragraph_text(element)).splitlines():
                    self.lines.append(line)
                    self.grid.rows.append(Row([Cell(line)], complete=True))
            else:
                self.table(element)

    def table(self, table: etree._Element) -> None:
        """A table's rows; a frame's content and a layout row's cells are read as blocks."""
        if _is_frame(table):
            for tc in _cells(next(_rows(table))):
                self.read(_blocks(tc))
            return
        number = self._number()
        for tr in _rows(table):
            self._mark(tr)
            tcs = list(_cells(tr))
            contents = [list(_blocks(tc)) for tc in tcs]
            if any(_is_nested_table(b) for blocks in contents for b in blocks):
                for blocks in contents:
                    self.read(iter(blocks))
                number = self._number()
                continue
            self.grid.rows.append(Row(_row_cells(tr, tcs, contents), table=number))

    def _mark(self, element: etree._Element) -> None:
        if self.damaged_from is None and any(element is e for e in self.partial):
            self.damaged_from = len(self.grid.rows)

    def _number(self) -> int:
        self.tables += 1
        return self.tables - 1


def _row_cells(
    tr: etree._Element,
    tcs: list[etree._Element],
    contents: list[list[etree._Element]],
) -> list[Cell]:
    """A row's cells placed on the table grid; merge continuations widen or vanish."""
    column = _grid_before(tr)
    cells: list[Cell] = []
    previous: Cell | None = None  # the cell a horizontal continuation widens
    for tc, blocks in zip(tcs, contents, strict=True):
        span = _int_prop(tc, "w:gridSpan", 1)
        if _merge(tc, "w:hMerge") == "continue":
            if previous is not None:  # WPS: one w:tc per grid column, merged across
                previous.x1 = column + span
        elif _merge(tc, "w:vMerge") == "continue":
            previous = None  # placed in the row where the vertical merge starts
        else:
            text = "\n".join(_block_text(b) for b in blocks)
            previous = Cell(clean_cell(text), x0=column, x1=column + span)
            cells.append(previous)
        column += span
    return cells


def _is_frame(table: etree._Element) -> bool:
    """A table of one cell is a frame around its content (a box drawn round text)."""
    rows = list(_rows(table))
    return len(rows) == 1 and len(list(_cells(rows[0]))) == 1


def _is_nested_table(block: etree._Element) -> bool:
    """A table of several cells, also inside frames: a cell holding one is layout."""
    if block.tag != _W_TBL:
        return False
    if not _is_frame(block):
        return True
    return any(
        _is_nested_table(b) for tc in _cells(next(_rows(block))) for b in _blocks(tc)
    )


def _block_text(block: etree._Element) -> str:
    """A paragraph's text, or a (frame) table's text paragraph by paragraph."""
    if block.tag == _W_P:
        return _paragraph_text(block)
    return "\n".join(
        _block_text(inner)
        for tr in _rows(block)
        for tc in _cells(tr)
        for inner in _blocks(tc)
    )


def _rows(table: etree._Element) -> Iterator[etree._Element]:
    """The printed rows of a table (a row deleted as a tracked change is not)."""
    for tr in _find(table, _W_TR, (_W_TBL, _W_P)):
        if not _has_revision(tr, "w:trPr", "w:del"):
            yield tr


def _blocks(container: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs and tables inside `container` in order, looking through wrappers.

    Any element that is not a paragraph, a table, a property block or a deleted revision is
    a wrapper (w:sdt/w:sdtContent, w:customXml, w:ins, w:moveTo, ...) whose content is read
    in place. Text boxes anchored in a paragraph follow it.
    """
    for child in _children(container):
        tag = child.tag
        if tag == _W_P:
            yield child
            for box in _text_boxes(child):
                yield from _blocks(box)
        elif tag == _W_TBL:
            yield child
        elif not _is_properties(tag):
            yield from _blocks(child)


def _cells(tr: etree._Element) -> Iterator[etree._Element]:
    yield from _find(tr, _W_TC, (_W_TBL, _W_P, _W_TR))


def _find(
    container: etree._Element, tag: str, stop: tuple[str, ...]
) -> Iterator[etree._Element]:
    """`tag` children of `container`, looking through wrappers (content controls, ...)."""
    for child in _children(container):
        if child.tag == tag:
            yield child
        elif child.tag not in stop and not _is_properties(child.tag):
            yield from _find(child, tag, stop)


def _children(element: etree._Element) -> Iterator[etree._Element]:
    """Child elements that are printed: no deleted revisions, one AlternateContent branch."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _DELETED:
            continue
        if tag == _MC_ALTERNATE:
            branch = _branch(child)
            if branch is not None:
                yield from _children(branch)
            continue
        yield child


def _branch(alternate: etree._Element) -> etree._Element | None:
    """The one branch of mc:AlternateContent to read: the first Choice, else the Fallback."""
    choice = alternate.find(_MC_CHOICE)
    if choice is not None and len(choice):
        return choice
    return alternate.find(_MC_FALLBACK)


def _is_properties(tag: object) -> bool:
    """Property blocks (w:pPr, w:sdtPr, w:tblGrid, ...) hold no printed text."""
    return (
        not isinstance(tag, str)
        or not tag.startswith(_W)
        or tag.endswith(("Pr", "PrEx", "Grid"))
    )


def _text_boxes(paragraph: etree._Element) -> Iterator[etree._Element]:
    """w:txbxContent elements anchored in a paragraph (not inside another text box)."""
    for child in _children(paragraph):
        if child.tag == _W_TXBX:
            yield child
        elif child.tag not in (_W_P, _W_TBL, _W_RPR):
            yield from _text_boxes(child)


def _paragraph_text(paragraph: etree._Element) -> str:
    """The printed text of a paragraph: no text boxes, deleted, hidden or page-number text."""
    parts: list[str] = []
    _collect(paragraph, parts, [])
    return "".join(parts).replace("\xa0", " ")


def _collect(
    node: etree._Element, parts: list[str], fields: list[list[object]]
) -> None:
    """Append the printed text under `node`; `fields` is the open complex-field stack,
    each entry [instruction, hide result]."""
    for child in _children(node):
        tag = child.tag
        if tag == _W_T:
            if not any(hide for _, hide in fields):
                parts.append(child.text or "")
        elif tag in (_W_TAB, _W_PTAB):
            parts.append(" ")
        elif tag in (_W_BR, _W_CR):
            parts.append("\n")
        elif tag == _W_HYPHEN:
            parts.append("-")
        elif tag == _W_FLD_CHAR:
            _field_char(child, fields)
        elif tag == _W_INSTR:
            if fields:
                fields[-1][0] = f"{fields[-1][0]}{child.text or ''}"
        elif tag == _W_FLD_SIMPLE:
            if not _PAGE_FIELD.match(child.get(qn("w:instr")) or ""):
                _collect(child, parts, fields)
        elif tag == qn("w:r") and _hidden(child):
            continue
        elif tag not in (_W_TXBX, _W_P, _W_TBL) and not _is_properties(tag):
            _collect(child, parts, fields)


def _field_char(node: etree._Element, fields: list[list[object]]) -> None:
    kind = node.get(qn("w:fldCharType"))
    if kind == "begin":
        fields.append(["", False])
    elif kind == "separate" and fields:
        fields[-1][1] = bool(_PAGE_FIELD.match(str(fields[-1][0])))
    elif kind == "end" and fields:
        fields.pop()


def _hidden(run: etree._Element) -> bool:
    """A run formatted as hidden text (w:vanish) is not printed."""
    pr = run.find(_W_RPR)
    node = pr.find(_W_VANISH) if pr is not None else None
    return node is not None and node.get(_W_VAL) not in ("0", "false", "off")


def _has_revision(element: etree._Element, pr_tag: str, mark: str) -> bool:
    pr = element.find(qn(pr_tag))
    return pr is not None and pr.find(qn(mark)) is not None


def _tc_pr(tc: etree._Element) -> etree._Element | None:
    return tc.find(qn("w:tcPr"))


def _int_prop(tc: etree._Element, tag: str, default: int) -> int:
    pr = _tc_pr(tc)
    node = pr.find(qn(tag)) if pr is not None else None
    try:
        return (
            max(1, min(int(node.get(_W_VAL) or ""), _MAX_COLUMN))
            if node is not None
            else default
        )
    except (TypeError, ValueError):
        return default


def _merge(tc: etree._Element, tag: str) -> str | None:
    """ "restart" or "continue" for a cell in a vertical (w:vMerge) or horizontal (w:hMerge)
    merge; None when the cell is not merged that way."""
    pr = _tc_pr(tc)
    node = pr.find(qn(tag)) if pr is not None else None
    if node is None:
        return None
    return "restart" if node.get(_W_VAL) == "restart" else "continue"


def _grid_before(tr: etree._Element) -> int:
    pr = tr.find(qn("w:trPr"))
    node = pr.find(qn("w:gridBefore")) if pr is not None else None
    try:
        return (
            max(0, min(int(node.get(_W_VAL) or ""), _MAX_COLUMN))
            if node is not None
            else 0
        )
    except (TypeError, ValueError):
        return 0

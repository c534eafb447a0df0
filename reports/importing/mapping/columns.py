"""Columns from header cells: which header column a positioned value sits under.

A header is read from its cells' horizontal extents, never from absolute positions: cells of
the header rows that overlap one another are stacked into columns ("自然" over "人", "结/果/
维/持" printed one character per line, "商业" on one page and "企业" on the next), a cell
that spans several columns ("法人或其他组织") is a parent, and each stack is named by the
table's column keywords. A value then belongs to the stack it sits under.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reports import schema
from reports.importing import labels
from reports.importing.extract.rows import Cell
from reports.importing.normalize import compact, match_text

_OVERLAP = 0.3  # share of the narrower extent two cells must share to stack


@dataclass(slots=True)
class Stack:
    """Header cells printed above one another: one column of the header."""

    x0: float
    x1: float
    parts: list[tuple[int, str]] = field(default_factory=list)
    key: str | None = None

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def text(self) -> str:
        return "".join(text for _, text in sorted(self.parts))


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    shared = min(a1, b1) - max(a0, b0)
    narrower = max(min(a1 - a0, b1 - b0), 1e-6)
    return shared / narrower


class Header:
    """The header of one table (or one block of table 二), built cell by cell."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.words: list[str] = []  # every header cell's text, positioned or not
        self.damaged = False  # a cell read from damaged text: no column is sure
        self._cells: list[tuple[int, Cell]] = []
        self._stacks: list[Stack] | None = None

    def add(self, cell: Cell) -> None:
        self.damaged = self.damaged or cell.damaged
        if compact(cell.text):
            self.words.append(cell.text)
        if cell.positioned and compact(cell.text):
            self._cells.append((len(self._cells), cell))
            self._stacks = None

    def clear(self) -> None:
        self.damaged = False
        self.words.clear()
        self._cells.clear()
        self._stacks = None

    @property
    def empty(self) -> bool:
        return not self.keyed()

    def stacks(self) -> list[Stack]:
        if self._stacks is None:
            self._stacks = self._build()
        return self._stacks

    def keyed(self) -> list[Stack]:
        return [s for s in self.stacks() if s.key]

    def _build(self) -> list[Stack]:
        stacks: list[Stack] = []
        # every cell placed in a column has x0 and x1 (asserted below); mypy sees Optional
        by_width = sorted(self._cells, key=lambda item: item[1].x1 - item[1].x0)  # type: ignore[operator]
        for seq, cell in by_width:
            assert cell.x0 is not None and cell.x1 is not None
            text = compact(cell.text)
            hits = [
                s for s in stacks if _overlap(cell.x0, cell.x1, s.x0, s.x1) > _OVERLAP
            ]
            if len(hits) > 1 or (
                self.table == "table3" and labels.TABLE3_PARENT.search(text)
            ):
                continue  # spans several columns: a parent such as 法人或其他组织
            if hits:
                hits[0].parts.append((seq, text))
            else:
                stacks.append(Stack(cell.x0, cell.x1, [(seq, text)]))
        stacks.sort(key=lambda s: s.x0)
        for stack in stacks:
            # Only a certain reading names a column: values under a doubtful one are
            # reported by values.py rather than placed.
            match = labels.match_column(self.table, stack.text)
            stack.key = match.key if match.taken else None
        if self.table == "table4":
            _name_table4_blocks(stacks)
        return stacks

    def column_of(self, cell: Cell) -> Stack | None:
        """The keyed stack whose extent holds a positioned value cell's centre, or None.

        A value under an unrecognised header column, or between columns, belongs to no
        known column: it is never lent to the nearest one, which may be a blank column
        whose own cell would then be overwritten.
        """
        if not cell.positioned:
            return None
        center = cell.center
        for stack in self.stacks():
            if stack.x0 <= center <= stack.x1:
                return stack if stack.key else None
        return None


def _name_table4_blocks(stacks: list[Stack]) -> None:
    """Table 四 repeats the same five leaves under three blocks: name each cycle's block.

    Leaves are read left to right; a block ends at its 总计 leaf. The result is
    "review.upheld" etc.; a header that does not give three cycles of leaves is left
    partly unnamed, so its values are reported rather than guessed.
    """
    block = 0
    for stack in stacks:
        if not stack.key:
            continue
        if block >= len(labels.TABLE4_BLOCKS):
            stack.key = None
            continue
        leaf = stack.key
        stack.key = f"{labels.TABLE4_BLOCKS[block]}.{leaf}"
        if leaf == "total":
            block += 1


def fuzzy_columns(
    headers: list[Header], text_lines: list[list[str]]
) -> list[tuple[str, str]]:
    """Header texts read as a column only by closeness ("自燃人" as 自然人), each once:
    `headers` give positioned stacks, `text_lines` the cells of text header lines."""
    texts = [s.text for h in headers for s in h.stacks()]
    texts += [text for line in text_lines for text in line]
    found: dict[str, str] = {}
    table = headers[0].table if headers else "table3"
    for text in texts:
        words = compact(text)
        if not words or words in found:
            continue
        match = labels.match_column(table, text)
        if match.taken and match.how == "fuzzy" and match.key is not None:
            found[words] = match.key
    return list(found.items())


def foreign_columns(header: Header | None, wanted: set[str]) -> list[str]:
    """Header words that name a column of table 二 other than `wanted` (a row's columns).

    A table 二 block headed with the other layout's words ("本年新制作数量" over a 2021
    row of 制发/废止/现行有效) does not say which of the row's columns its values are.
    """
    if header is None or header.table != "table2":
        return []
    found = []
    for text in header.words:
        match = labels.match_column("table2", text)
        if match.taken and match.key is not None and match.key not in wanted:
            found.append(compact(text))
    return found


# --- text without positions ---------------------------------------------------------------
_ORG_LEAVES = frozenset(c.key for c in schema.TABLE3_COLUMNS[1:6])
_PARENT = "法人或其他组织"


def text_order(header_lines: list[list[str]]) -> tuple[str, ...] | None:
    """Table 三's column order as a text header prints it, when it names every column.

    Text has no positions, so values are placed by order; that order is the header's.
    The paper form's two-level header flattens to "自然人 | 法人或其他组织 | 总计" and then
    "商业企业 | … | 其他" (on the next line or the same one): the organisation leaves
    printed after the parent stand where the parent stands. None when the header does not
    name each of the seven columns once and those it names are in the form's order (the
    form's order is then assumed); UNKNOWN_ORDER when they are not.
    """
    seq: list[str] = []
    for line in header_lines:
        for text in line:
            words = match_text(text)
            if not words or words.startswith("申请人"):
                continue
            if _PARENT in words or words.startswith("法人"):
                seq.append(_PARENT)
                continue
            match = labels.match_column("table3", text)
            if match.taken and match.key is not None:
                seq.append(match.key)
    if _PARENT in seq:
        at = seq.index(_PARENT)
        leaves = [k for k in seq[at + 1 :] if k in _ORG_LEAVES]
        top = [k for k in seq if k not in _ORG_LEAVES and k != _PARENT]
        before = [k for k in seq[:at] if k not in _ORG_LEAVES]
        after = [k for k in top if k not in before]
        seq = [*before, *leaves, *after]
    wanted = {c.key for c in schema.TABLE3_COLUMNS}
    if len(seq) == len(wanted) and set(seq) == wanted:
        return tuple(seq)
    canonical = [c.key for c in schema.TABLE3_COLUMNS]
    named = [k for k in dict.fromkeys(seq) if k in wanted]
    if named != [k for k in canonical if k in named]:
        # some columns named out of the form's order, not all of them: no order is known
        return UNKNOWN_ORDER
    return None


# text_order's answer when the header names columns out of the form's order but does not
# name all seven: values read by order would be placed by a guess.
UNKNOWN_ORDER: tuple[str, ...] = ()

"""A ruled table row cut by a page break: the next page's first row may be the rest of it.

Word and LibreOffice let a table row break across pages. The label's first lines (and
often the values) stay on one page, the rest of the label opens the next page as a row of
its own with empty value cells, and neither part alone may name the row ("2.其他法律行" /
"政法规禁止公开"). The rest is recognised by what it lacks: it is on a later page, its
innermost label does not start with an ordinal, and the two parts do not both print
values. Its label fragments are joined to the cut row's lane by lane, so the group
column's text stays with the group column.
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.importing import labels
from reports.importing.extract.rows import Cell, Row
from reports.importing.mapping.columns import Header
from reports.importing.mapping.reads import RowRead
from reports.importing.normalize import compact, read_value

# Repeated header rows come between the two parts; they carry these words.
_HEADER_WORDS = ("勾稽", "申请人情况", "法人或其他组织", "信息内容")
_NAME_LENGTH = 8  # a column name is short; a label that mentions one is not


@dataclass
class Carry:
    """The last ruled row read, as printed, and what it was read as."""

    fragments: list[Cell]
    values: list[Cell]
    page: int | None
    header: Header
    read: RowRead | None = None  # the row it became; None when it named no row
    orphan: Row | None = None  # its values, when they were set aside as orphans

    @property
    def printed(self) -> bool:
        return _printed(self.values)


def is_repeated_header(table: str, fragments: list[Cell]) -> bool:
    """A header row printed again at the top of a page (no values, column names)."""
    texts = [compact(c.text) for c in fragments if compact(c.text)]
    if any(word in text for text in texts for word in _HEADER_WORDS):
        return True
    rules = labels.COLUMN_RULES[table]
    named = [
        t for t in texts if len(t) <= _NAME_LENGTH and labels.first_match(rules, t)
    ]
    return len(texts) >= 2 and len(named) == len(texts)


def rest_of(carry: Carry, row: Row, fragments: list[Cell], values: list[Cell]) -> str:
    """The joined label when `row` is the rest of the cut row, else ""."""
    texts = [compact(c.text) for c in fragments if compact(c.text)]
    if carry.page is None or row.page is None or row.page <= carry.page or not texts:
        return ""
    if labels.ITEM_START.match(texts[-1]):
        return ""  # the innermost label starts a row of its own
    if carry.printed and _printed(values):
        return ""
    return join_lanes(carry.fragments, fragments)


def join_lanes(first: list[Cell], rest: list[Cell]) -> str:
    """Both parts' label text, each fragment of `rest` after the one above it."""
    lanes: list[tuple[Cell, str]] = [(c, compact(c.text)) for c in first]
    for cell in rest:
        text = compact(cell.text)
        if not text:
            continue
        for i, (above, joined) in enumerate(lanes):
            if _overlaps(above, cell):
                lanes[i] = (above, joined + text)
                break
        else:
            lanes.append((cell, text))
    lanes.sort(key=lambda lane: (lane[0].x0 or 0.0) if lane[0].positioned else 0.0)
    return "".join(text for _, text in lanes)


def _overlaps(a: Cell, b: Cell) -> bool:
    if not (a.positioned and b.positioned):
        return False
    assert a.x0 is not None and a.x1 is not None
    assert b.x0 is not None and b.x1 is not None
    return min(a.x1, b.x1) - max(a.x0, b.x0) > 0


def _printed(values: list[Cell]) -> bool:
    return any(read_value(c.text).raw for c in values)

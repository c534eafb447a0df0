"""Read a table's rows out of the row stream: labels, the values after them, the header.

Rows arrive in reading order. A complete row (a table row) is read on its own. Text lines
(a borderless table, plain text) go to `lanes.py`, which joins wrapped label fragments by
column and gives each line's values to the label they belong to. Each row found becomes a
RowRead; turning it into cells is `values.py`'s job.
"""

from __future__ import annotations

from reports import schema
from reports.importing import labels
from reports.importing.extract.rows import Cell, Row, has_numbers, split_row
from reports.importing.mapping import damage, pagecut
from reports.importing.mapping.columns import Header
from reports.importing.mapping.lanes import Lanes
from reports.importing.mapping.reads import RowRead
from reports.importing.normalize import compact, match_text

__all__ = ["RowRead", "TableReader", "has_numbers", "split_row"]


class TableReader:
    """Gathers the rows of one table (二, 三 or 四) from the stream."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.header = Header(table)
        self.headers: list[Header] = [self.header]  # every header, for their warnings
        self.rows: list[RowRead] = []
        self.orphans: list[Row] = []  # value lines that belong to no label
        self.header_text: list[str] = []
        self.text_header: list[list[str]] = []  # header lines of text without positions
        self._lanes = Lanes(table, self._emit, self.orphans.append)
        self._carry: pagecut.Carry | None = None
        self._seen_data = False
        self._data_since_header = False

    # --- feeding ------------------------------------------------------------------------
    def feed(self, row: Row) -> None:
        fragments, values = split_row(row)
        numbers = has_numbers(values)
        label = "".join(compact(c.text) for c in fragments)
        if self.table == "table2" and labels.CAPTION.search(label) and not numbers:
            self._flush()
            self._carry = None
            self._new_header()
            return
        if not numbers and self._is_header(row, label):
            if self.table == "table2" and (
                self._data_since_header or "信息内容" in match_text(label)
            ):
                self._new_header()
            self._data_since_header = False
            self.header_text.append(label)
            if not any(c.positioned for c in fragments):
                self.text_header.append([c.text for c in fragments])
            for cell in fragments:
                self.header.add(cell)
            if row.complete or self.table == "table2":
                # a table 二 header line is no row label: in a lane it would take the
                # values printed under it ("本年制发件数" over a right-aligned "0")
                self._flush()
                return
        self._data_since_header = True
        if self.table == "table4":
            self._feed_table4(row, values, numbers)
            return
        if row.complete:
            self._flush()
            self._feed_complete(row, fragments, values, label)
        else:
            self._lanes.feed(row, fragments, values, self.header)

    def finish(self) -> list[RowRead]:
        self._flush()
        return self.rows

    # --- header -------------------------------------------------------------------------
    def _new_header(self) -> None:
        self.header = Header(self.table)
        self.headers.append(self.header)

    def _is_header(self, row: Row, label: str) -> bool:
        if not label:
            return False
        if self.table != "table4" and labels.first_match(
            labels.ROW_RULES[self.table], label
        ):
            return False  # a row printed without values, not a header
        if self.table == "table2":
            return (
                bool(labels.first_match(labels.TABLE2_COLUMNS, label))
                or "信息内容" in label
            )
        return not self._seen_data

    # --- table 四: one row of values under a two-level header ---------------------------
    def _feed_table4(self, row: Row, values: list[Cell], numbers: bool) -> None:
        if not numbers:
            return
        self._seen_data = True
        if any(r.key == "data" for r in self.rows):
            self.orphans.append(row)
            return
        read = RowRead(
            "table4",
            "data",
            "",
            _placeable(values),
            self.header,
            row.complete,
            row.page,
        )
        read.damaged = any(c.damaged for c in row.cells)
        self.rows.append(read)

    # --- complete rows ------------------------------------------------------------------
    def _feed_complete(
        self, row: Row, fragments: list[Cell], values: list[Cell], label: str
    ) -> None:
        carry = self._carry
        if carry is not None:
            if not has_numbers(values) and pagecut.is_repeated_header(
                self.table, fragments
            ):
                return  # between a cut row and its rest: keep waiting
            joined = pagecut.rest_of(carry, row, fragments, values)
            damaged = any(c.damaged for c in row.cells)
            if joined and self._join_rest(carry, joined, label, values, damaged):
                return
        match = self._in_context(
            _row_match(self.table, label, has_numbers(values)), label, values
        )
        if _inner_names_nothing(self.table, fragments):
            match = labels.NO_MATCH
        self._carry = pagecut.Carry(fragments, values, row.page, self.header)
        if match.key is None:
            if has_numbers(values):
                self.orphans.append(row)
                self._carry.orphan = row
            return
        self._seen_data = True
        read = RowRead(
            self.table, match.key, label, values, self.header, True, row.page
        )
        read.match = match if match.guessed else None
        read.damaged = any(c.damaged for c in row.cells)
        read.garbled = damage.garbled(fragments)
        self.rows.append(read)
        self._carry.read = read

    def _join_rest(
        self,
        carry: pagecut.Carry,
        joined: str,
        label: str,
        values: list[Cell],
        damaged: bool,
    ) -> bool:
        """Read the rest of a row cut by a page break into that row; False if it is not.

        A rest that names a row by itself is a new row, unless the table numbers its rows
        (table 三), where a new row would have started with its ordinal.
        """
        rules = labels.ROW_RULES[self.table]
        own = labels.first_match(rules, label)
        read = carry.read
        if own is not None and read is not None and own != read.key:
            return False  # it names another row
        if own is not None and read is None and self.table != "table3":
            return False
        if read is not None:
            read.damaged = read.damaged or damaged
            read.label = joined  # the key stays: the first part already named the row
            if read.match is not None:  # ... unless it was only a close match
                match = _row_match(self.table, joined, True)
                if match.key is not None:
                    read.key = match.key
                    read.match = match if match.guessed else None
            if not carry.printed and has_numbers(values):
                read.values = values
        else:
            match = _row_match(self.table, joined, has_numbers(values))
            key = match.key
            if key is None:
                return False
            if carry.orphan is not None:
                self.orphans.remove(carry.orphan)
            printed = carry.values if carry.printed else values
            read = RowRead(
                self.table, key, joined, printed, carry.header, True, carry.page
            )
            read.match = match if match.guessed else None
            parts = [*carry.fragments, *carry.values]
            read.damaged = damaged or any(c.damaged for c in parts)
            self._seen_data = True
            self.rows.append(read)
        self._carry = None
        return True

    def _flush(self) -> None:
        self._lanes.close_all()

    def _emit(self, read: RowRead) -> None:
        """A row whose label is complete: kept when named, its values orphaned when not."""
        read.values = _placeable(read.values)
        if read.key is None:
            match = self._in_context(
                _row_match(self.table, read.label, has_numbers(read.values)),
                read.label,
                read.values,
            )
            read.key = match.key
            read.match = match if match.guessed else None
        if read.key is None:
            if has_numbers(read.values):
                self.orphans.append(Row(read.values, complete=False, page=read.page))
            return
        self._seen_data = True
        self.rows.append(read)

    def _in_context(
        self, match: labels.LabelMatch, label: str, values: list[Cell]
    ) -> labels.LabelMatch:
        """A label that names a row only by where it stands: a bare "其他" with cells
        right after table 三's first two （六）其他处理 rows is their "3.其他" (the same
        word alone is also a column header, so no rule can take it everywhere)."""
        if match.key is not None or self.table != "table3" or not values:
            return match
        previous = self.rows[-1].key if self.rows else None
        if previous in _OTHER_BEFORE_REST and match_text(label) == "其他":
            return labels.LabelMatch(_OTHER_REST, "context", 1.0)
        return match


_OTHER_REST = schema.OTHER_2021_ROWS[-1]
_OTHER_BEFORE_REST = frozenset(schema.OTHER_2021_ROWS[:-1])


def _placeable(values: list[Cell]) -> list[Cell]:
    """Values whose position does not tell their column lose it: read by order instead.

    A loose value (aligned text, not under one header column) found its row by position;
    its column is not guessed from it.
    """
    if not any(c.loose for c in values):
        return values
    return [
        Cell(c.text, page=c.page, bbox=c.bbox, ref=c.ref, damaged=c.damaged)
        for c in values
    ]


def _inner_names_nothing(table: str, fragments: list[Cell]) -> bool:
    """A row whose innermost label starts a list item of its own but names no row
    ("（六）其他处理 | 1.申请 | 211 …", the rest of "1.申请" cut away): the values are that
    item's, never the group's before it."""
    if len(fragments) < 2:
        return False
    inner = compact(fragments[-1].text)
    if not inner or not labels.ITEM_START.match(inner):
        return False
    outer = "".join(compact(c.text) for c in fragments[:-1])
    if not outer:
        return False
    return labels.match_row(table, inner).key is None


def _row_match(table: str, label: str, printed: bool) -> labels.LabelMatch:
    """The row a label names; a doubtful close match only for a row that prints values.

    A valueless label that is merely near several rows (a cut fragment, a stray word) is
    not worth a flagged row: nothing of it would be kept. Nor is a valueless table 三 text
    without its list number that no keyword names: the tail of a wrapped label.
    """
    if not label:
        return labels.NO_MATCH
    match = labels.match_row(table, label)
    if printed or match.how == "rule":
        return match
    if match.how == "ambiguous":
        return labels.NO_MATCH
    if table == "table3" and not labels.ITEM_START.match(label):
        return labels.NO_MATCH
    return match

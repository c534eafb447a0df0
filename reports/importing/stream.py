"""Read a table's rows out of the row stream: labels, the values after them, the header.

Rows arrive in reading order. A complete row (a table row) is read on its own. A text line
may be part of a wrapped label, and its values may sit on a line of their own, so lines are
gathered into items: a fragment that starts with an ordinal ("1.", "（三）", "一、") begins a
new item, other fragments continue the current one, and a line of values belongs to the
item being gathered. Each item becomes a RowRead; turning it into cells is `cells.py`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reports.importing import labels
from reports.importing.columns import Header
from reports.importing.grid import Cell, Row
from reports.importing.normalize import compact, read_value
from reports.importing.prose import ProseRow


@dataclass
class RowRead:
    """One table row as found: its key, label, value cells and the header it sat under."""

    table: str
    key: str | None
    label: str
    values: list[Cell] = field(default_factory=list)
    header: Header | None = None
    complete: bool = True
    page: int | None = None
    prose: ProseRow | None = None  # set when the row was written as a sentence


def split_row(row: Row) -> tuple[list[Cell], list[Cell]]:
    """A row's label fragments and value cells (numbers, "/" and empty cells)."""
    fragments: list[Cell] = []
    values: list[Cell] = []
    for cell in row.cells:
        if read_value(cell.text).is_value:
            values.append(cell)
        else:
            fragments.append(cell)
    return fragments, values


def has_numbers(values: list[Cell]) -> bool:
    return any(read_value(c.text).raw for c in values)


class TableReader:
    """Gathers the rows of one table (二, 三 or 四) from the stream."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.header = Header(table)
        self.rows: list[RowRead] = []
        self.orphans: list[Row] = []  # value lines that belong to no label
        self.header_text: list[str] = []
        self._pending: RowRead | None = None
        self._seen_data = False
        self._data_since_header = False

    # --- feeding ------------------------------------------------------------------------
    def feed(self, row: Row) -> None:
        fragments, values = split_row(row)
        numbers = has_numbers(values)
        label = "".join(compact(c.text) for c in fragments)
        if self.table == "table2" and labels.CAPTION.search(label) and not numbers:
            self._flush()
            self._new_header()
            return
        if not numbers and self._is_header(row, label):
            if self.table == "table2" and (
                self._data_since_header or "信息内容" in label
            ):
                self._new_header()
            self._data_since_header = False
            self.header_text.append(label)
            for cell in fragments:
                self.header.add(cell)
            if row.complete:
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
            self._feed_line(row, fragments, values, numbers)

    def finish(self) -> list[RowRead]:
        self._flush()
        return self.rows

    # --- header -------------------------------------------------------------------------
    def _new_header(self) -> None:
        self.header = Header(self.table)

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
        self.rows.append(
            RowRead(
                "table4",
                "data",
                "",
                values,
                self.header,
                row.complete,
                row.page,
            )
        )

    # --- complete rows ------------------------------------------------------------------
    def _feed_complete(
        self, row: Row, fragments: list[Cell], values: list[Cell], label: str
    ) -> None:
        key = labels.first_match(labels.ROW_RULES[self.table], label) if label else None
        if key is None:
            if has_numbers(values):
                self.orphans.append(row)
            return
        self._seen_data = True
        self.rows.append(
            RowRead(self.table, key, label, values, self.header, True, row.page)
        )

    # --- text lines ---------------------------------------------------------------------
    def _feed_line(
        self, row: Row, fragments: list[Cell], values: list[Cell], numbers: bool
    ) -> None:
        for cell in fragments:
            text = compact(cell.text)
            pending = self._pending
            # A label after a row that already has its values starts the next row, unless
            # that row's label has not been recognised yet and this may complete it.
            if (
                pending is None
                or labels.ITEM_START.match(text)
                or (pending.values and pending.key is not None)
            ):
                self._flush()
                self._pending = RowRead(
                    self.table, None, "", [], self.header, False, row.page
                )
            assert self._pending is not None
            self._pending.label += text
        if not numbers:
            return
        pending = self._pending
        if pending is None or pending.values:
            self.orphans.append(row)
            return
        pending.values = [c for c in values if compact(c.text)]
        pending.key = labels.first_match(labels.ROW_RULES[self.table], pending.label)
        pending.page = row.page

    def _flush(self) -> None:
        pending, self._pending = self._pending, None
        if pending is None:
            return
        if pending.key is None:
            pending.key = labels.first_match(
                labels.ROW_RULES[self.table], pending.label
            )
        if pending.key is None:
            if pending.values:
                self.orphans.append(
                    Row(pending.values, complete=False, page=pending.page)
                )
            return
        self._seen_data = True
        self.rows.append(pending)

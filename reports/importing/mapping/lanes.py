"""Labels of a borderless table gathered from text lines, column by column.

Without ruling lines a wrapped label comes out as fragments on successive text lines, and
table 三 prints its label columns side by side: a group label ("三、本年度办理结果",
"（三）不予公开") to the left of the row labels, each wrapping on its own, so one text line
can hold the start of a group label, the end of a row label and the values of a third.
Fragments are therefore joined by lane (horizontal extent): a fragment continues the open
label it lies under, an ordinal ("1.", "（三）", "一、") starts a new label. A line's values
belong to the innermost open label, left of them, that a later outer label has not
superseded. Text without positions has a single lane, which is the plain reading order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reports.importing import labels
from reports.importing.extract.rows import Cell, Row
from reports.importing.mapping.columns import Header
from reports.importing.mapping.reads import RowRead
from reports.importing.normalize import compact

_GAP = (
    2.0  # points: a label ends this little past its first value and is still left of it
)
# Bounds on the work per fragment, whatever the text: a label longer than any label of the
# form (the longest is under 60 characters, with a group label before it) is not grown
# further, and at most this many labels are open at once (the form has 3 label columns).
MAX_LABEL = 160
MAX_OPEN = 16


@dataclass(slots=True)
class _Label:
    """An open label: the row it is gathering, its lane, and when it was opened and touched."""

    read: RowRead
    x0: float | None
    x1: float | None
    opened: int
    touched: int
    after: RowRead | None = None  # the finished row whose lane this label began in

    @property
    def done(self) -> bool:
        """Named and given values: further text in its lane starts the next row."""
        return bool(self.read.values) and self.read.key is not None

    @property
    def waiting(self) -> bool:
        """Half read: named but without values yet, or with values but not yet named."""
        return bool(self.read.values) != (self.read.key is not None)

    def overlap(self, cell: Cell) -> float:
        if self.x0 is None or self.x1 is None or not cell.positioned:
            return float("inf")  # no positions: one lane
        assert cell.x0 is not None and cell.x1 is not None
        return min(self.x1, cell.x1) - max(self.x0, cell.x0)

    def right_of(self, cell: Cell) -> bool:
        return self.x0 is not None and cell.x0 is not None and self.x0 >= cell.x0


class Lanes:
    """The open labels of one table; closed rows go to `emit`, unplaced values to `orphan`."""

    def __init__(
        self,
        table: str,
        emit: Callable[[RowRead], None],
        orphan: Callable[[Row], None],
    ) -> None:
        self.table = table
        self.rules = labels.ROW_RULES[table]
        self._emit = emit
        self._orphan = orphan
        self._open: list[_Label] = []
        self._clock = 0

    def feed(
        self, row: Row, fragments: list[Cell], values: list[Cell], header: Header
    ) -> None:
        """One text line: its label fragments (left to right), then its values."""
        for cell in sorted(
            fragments, key=lambda c: (c.x0 or 0.0) if c.positioned else 0.0
        ):
            text = compact(cell.text)
            if text:
                self._fragment(cell, text, row.page, header)
        printed = [c for c in values if compact(c.text)]
        if printed:
            self._values(row, printed)

    def close_all(self) -> None:
        open_, self._open = self._open, []
        for label in sorted(open_, key=lambda lab: lab.opened):
            self._close(label)

    # --- fragments ------------------------------------------------------------------------
    def _fragment(
        self, cell: Cell, text: str, page: int | None, header: Header
    ) -> None:
        self._clock += 1
        starts = bool(labels.ITEM_START.match(text))
        lane = None if starts else self._lane_of(cell)
        if lane is not None and not lane.done and self._names_own_row(lane, text):
            lane = None  # "行政处罚" (blank) then "行政强制 9": two rows, not one label
        if lane is not None and not lane.done and len(lane.read.label) >= MAX_LABEL:
            lane = None  # no form label is this long: the text starts something new
        if lane is not None and not lane.done:
            lane.read.label += text
            lane.read.key = self._key(lane.read.label)
            lane.touched = self._clock
            if lane.x0 is not None and cell.positioned:
                assert lane.x1 is not None and cell.x0 is not None
                assert cell.x1 is not None
                lane.x0, lane.x1 = min(lane.x0, cell.x0), max(lane.x1, cell.x1)
            return
        self._close_for(cell)
        if len(self._open) >= MAX_OPEN:  # bounded work per line on hostile text
            self._close(self._open.pop(0))
        read = RowRead(self.table, None, text[:MAX_LABEL], [], header, False, page)
        read.key = self._key(text)
        label = _Label(read, cell.x0, cell.x1, self._clock, self._clock)
        if lane is not None and lane.done:
            label.after = lane.read
        self._open.append(label)

    def _key(self, label: str) -> str | None:
        """The row a label names by keyword; a note ("备注：…") names none."""
        if labels.NOTE_START.match(label):
            return None
        return labels.first_match(self.rules, label)

    def _names_own_row(self, lane: _Label, text: str) -> bool:
        """Whether a fragment names a row of its own that differs from the row its lane's
        label already names: it then starts that row, and lends its words to no other."""
        if lane.read.key is None:
            return False
        own = self._key(text)
        return own is not None and own != lane.read.key

    def _lane_of(self, cell: Cell) -> _Label | None:
        """The open label whose lane the fragment lies in (the latest, without positions)."""
        best: _Label | None = None
        for label in self._open:
            share = label.overlap(cell)
            if share > 0 and (best is None or share >= best.overlap(cell)):
                best = label
        return best

    def _close_for(self, cell: Cell) -> None:
        """A new label ends the labels in its lane, and finished ones nested to its right.

        A half-read row to the right stays open: its continuation or its values may still
        be printed beside this new (group) label.
        """
        keep: list[_Label] = []
        for label in sorted(self._open, key=lambda lab: lab.opened):
            if label.overlap(cell) > 0 or (label.right_of(cell) and not label.waiting):
                self._close(label)
            else:
                keep.append(label)
        self._open = keep

    def _close(self, label: _Label) -> None:
        """Emit a label's row; a valueless tail naming the row above joins that row."""
        above = label.after
        if above is not None and not label.read.values:
            key = label.read.key or labels.match_row(self.table, label.read.label).key
            if key == above.key:
                above.label += label.read.label  # "2.没有现成信息需要" … "另行制作"
                return
        self._emit(label.read)

    # --- values ---------------------------------------------------------------------------
    def _values(self, row: Row, values: list[Cell]) -> None:
        target = self._target(values)
        if target is None or target.read.values:
            self._orphan(row)
            return
        target.read.values = values
        # A close match is taken once values arrive, so that the next label in this lane
        # starts a new row ("行政许叮" then "行政处罚"); a doubtful one waits for more text.
        match = labels.match_row(self.table, target.read.label)
        target.read.key = match.key if match.taken else None
        target.read.match = match if match.taken and match.guessed else None
        target.read.page = row.page
        target.touched = self._clock

    def _target(self, values: list[Cell]) -> _Label | None:
        """The innermost open label left of the values and not superseded."""
        starts = [c.x0 for c in values if c.x0 is not None]
        first = min(starts) if starts else None
        pool = [
            lab
            for lab in self._open
            if first is None or lab.x1 is None or lab.x1 <= first + _GAP
        ]
        pool = [lab for lab in pool if not self._superseded(lab)]
        if not pool:
            return None
        return max(pool, key=lambda lab: (lab.x0 or 0.0, lab.touched))

    def _superseded(self, label: _Label) -> bool:
        """An outer label opened after this one was last touched started a new row."""
        if label.x0 is None:
            return False
        return any(
            other.x0 is not None
            and other.x0 < label.x0
            and other.opened > label.touched
            for other in self._open
        )

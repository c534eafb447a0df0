"""Tables flattened to one cell per line between bars: their runs of lines and rows.

A web page's table copied by a flattener comes out as one cell per line, either with a bar
alone on the line between cells (no row ends), or with every cell line ending in " |" and
a line of bars ending each row. A run is found by its bar lines; its cells become rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.importing.extract.rows import Cell, Row
from reports.importing.extract.text_lines import BARS, SPACES, Kind
from reports.importing.normalize import clean_cell, compact, read_value

# A gap of more plain lines than this between two bar lines ends a run of cells.
_MAX_GAP = 4


@dataclass(frozen=True, slots=True)
class Run:
    """Lines [start, end) that hold one cell per line between bars."""

    start: int
    end: int
    terminated: bool  # cells end with " |" and lines of bars end rows


# --- runs of one cell per line --------------------------------------------------------------

_BAR_LINES = (Kind.BARS, Kind.CELL_END, Kind.CELL_START)


def find_runs(kinds: list[Kind]) -> list[Run]:
    """The stretches of lines that hold a table as one cell per line between bars."""
    runs: list[Run] = []
    index, taken = 0, 0
    while index < len(kinds):
        if kinds[index] not in _BAR_LINES:
            index += 1
            continue
        first = last = index
        gap = 0
        probe = index + 1
        while probe < len(kinds):
            kind = kinds[probe]
            if kind in _BAR_LINES:
                last, gap = probe, 0
            elif kind is Kind.PLAIN:
                gap += 1
                if gap > _MAX_GAP:
                    break
            elif kind is not Kind.BLANK:
                break
            probe += 1
        window = kinds[first : last + 1]
        ended = window.count(Kind.CELL_END)
        terminated = ended > 0 and ended >= window.count(Kind.PLAIN)
        start, end = first, last + 1
        if not terminated:
            # a bar between cells: the line before the first bar and after the last are cells
            if start - 1 >= taken and kinds[start - 1] is Kind.PLAIN:
                start -= 1
            if end < len(kinds) and kinds[end] is Kind.PLAIN:
                end += 1
        runs.append(Run(start, end, terminated))
        index = taken = end
    return runs


def run_rows(lines: list[str], kinds: list[Kind], terminated: bool) -> list[Row]:
    rows = (
        _terminated_rows(lines, kinds) if terminated else _separated_rows(lines, kinds)
    )
    result: list[Row] = []
    for cells in rows:
        for part in _split_at_labels(cells, every_label=not terminated):
            if any(compact(c) for c in part):
                result.append(Row([Cell(clean_cell(c)) for c in part], complete=True))
    return result


def _terminated_rows(lines: list[str], kinds: list[Kind]) -> list[list[str]]:
    """Cells end with " |"; a line of bars ends the row (its bars pad dropped cells)."""
    rows: list[list[str]] = []
    cells: list[str] = []
    pending: list[str] = []
    for line, kind in zip(lines, kinds, strict=True):
        text = line.translate(BARS).strip(SPACES)
        if kind is Kind.CELL_END:
            cells.append("\n".join([*pending, text.rstrip("|" + SPACES)]))
            pending = []
        elif kind in (Kind.BARS, Kind.CELL_START):
            if pending:
                cells.append("\n".join(pending))
            rows.append(cells)
            cells = []
            pending = [text.lstrip("|" + SPACES)] if kind is Kind.CELL_START else []
        elif kind is Kind.PLAIN:
            pending.append(text)
    if pending:
        cells.append("\n".join(pending))
    rows.append(cells)
    return rows


def _separated_rows(lines: list[str], kinds: list[Kind]) -> list[list[str]]:
    """A bar alone between cells and no row ends: one list of every cell."""
    cells: list[str] = []
    pending: list[str] = []
    opened = False
    for line, kind in zip(lines, kinds, strict=True):
        text = line.translate(BARS).strip(SPACES)
        if kind in (Kind.BARS, Kind.CELL_START, Kind.CELL_END):
            if kind is Kind.CELL_END:
                pending.append(text.rstrip("|" + SPACES))
            if pending or opened:
                cells.append("\n".join(pending))  # nothing between two bars: blank
            opened = True
            pending = [text.lstrip("|" + SPACES)] if kind is Kind.CELL_START else []
        elif kind is Kind.PLAIN:
            pending.append(text)
    if pending:
        cells.append("\n".join(pending))
    return [cells]


def _split_at_labels(cells: list[str], *, every_label: bool) -> list[list[str]]:
    """Rows out of a run of cells: a label after values starts the next row.

    Without row ends (`every_label`) each label starts a row, so header cells, a group
    label and the row label stand alone and a row's values follow its own label.
    """
    rows: list[list[str]] = []
    current: list[str] = []
    valued = False
    for cell in cells:
        label = not read_value(cell).is_value
        if label and current and (valued or every_label):
            rows.append(current)
            current, valued = [], False
        current.append(cell)
        valued = valued or not label
    if current:
        rows.append(current)
    return rows

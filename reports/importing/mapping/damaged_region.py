"""Cells read from a damaged file's damaged region are uncertain, and the loss is named.

The extractor says from which row on a damaged file cannot be trusted (Grid.damage). The
rows before that point are mapped again on their own: a row of the report whose cells are
the same (value, printed text, page and box) in both readings was read from the intact
part alone, and is kept as read; any other row, or a row only the full reading has, took
something from the damaged region and every one of its cells is uncertain. Rows the
damage removed altogether are missing, and the usual checks name them (checks.warn_absent).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from reports.core.parsed import ParsedCell, ParsedReport, ParseWarning
from reports.importing.errors import ImportRefused
from reports.importing.extract.rows import Grid


def mark(
    report: ParsedReport, grid: Grid, read: Callable[[Grid], ParsedReport]
) -> None:
    """Flag every row that took something from the damaged region; add the warning."""
    damage = grid.damage
    if damage is None:
        return
    intact: ParsedReport | None
    try:
        intact = read(replace(grid, rows=grid.rows[: damage.row], damage=None))
    except ImportRefused:  # the intact part alone is no report: nothing is trusted
        intact = None
    for table, rows in report.tables.items():
        for row_key, cells in rows.items():
            before = intact.tables.get(table, {}).get(row_key) if intact else None
            if before is not None and _same(before, cells):
                continue
            report.flag_row_uncertain(table, row_key)
    report.warnings.append(
        ParseWarning("damaged_file", damage.message, "", damage.page)
    )


def _same(before: dict[str, ParsedCell], after: dict[str, ParsedCell]) -> bool:
    if before.keys() != after.keys():
        return False
    return all(
        (b.value, b.raw, b.page, b.bbox, b.uncertain)
        == (a.value, a.raw, a.page, a.bbox, a.uncertain)
        for b, a in ((before[k], after[k]) for k in before)
    )

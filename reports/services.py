"""Writing reports outside the import path: hand edits of table cells."""

from __future__ import annotations

from django.contrib.auth.models import User

from reports.editing import CellChanges, report_edit
from reports.models import AnnualReport

__all__ = ["CellChanges", "report_cells_update"]


def report_cells_update(
    *, report: AnnualReport, changes: CellChanges, user: User | None = None
) -> int:
    """Apply hand-typed cell values to a report's tables; returns how many cells changed.

    A hand edit without a page (figures import, tests): reports.editing.report_edit locks
    the row, writes the cells that differ, bumps the version once and records the change.
    """
    return len(report_edit(report=report, user=user, cells=changes).cells)

"""Writing reports outside the import path: hand edits of table cells."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from reports.cells import CellValue
from reports.history import change_record
from reports.models import AnnualReport, ChangeRecord
from reports.models.sections import ROW_MODELS
from reports.totals import totals_refresh

# cell path (table.row.column) -> (value, text as typed)
CellChanges = dict[str, tuple[CellValue, str]]


@transaction.atomic
def report_cells_update(
    *, report: AnnualReport, changes: CellChanges, user: AbstractBaseUser | None = None
) -> int:
    """Apply hand-typed cell values to a report's tables; returns how many cells changed.

    The typed text becomes the cell's raw text, so a reviewer's "/" stays "/" and an
    emptied cell stays blank (not 0). Rows are created when a first cell is typed in them.
    """
    by_row: dict[tuple[str, str], dict[str, tuple[CellValue, str]]] = defaultdict(dict)
    history: dict[str, tuple[object, object]] = {}
    for path, change in changes.items():
        table, row_key, column = path.split(".")
        by_row[(table, row_key)][column] = change
    for (table, row_key), cells in by_row.items():
        model = ROW_MODELS[table]
        row, _ = model.objects.select_for_update().get_or_create(
            report=report, row_key=row_key
        )
        for column, (value, text) in cells.items():
            before = row.raw.get(column) if column in row.raw else None
            history[f"{table}.{row_key}.{column}"] = (before, text)
            setattr(row, column, value)
            row.raw[column] = text
            row.provenance.pop(
                column, None
            )  # typed by hand: no longer from the source page
        row.save()
    totals_refresh([report.pk])
    if changes:
        AnnualReport.objects.filter(pk=report.pk).update(
            updated_by=user, updated_at=timezone.now(), version=F("version") + 1
        )
        report.refresh_from_db(fields=["updated_by", "updated_at", "version"])
        change_record(
            report=report, action=ChangeRecord.Action.CELLS, user=user, changes=history
        )
    return len(changes)

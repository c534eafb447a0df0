"""One hand edit of a report, written in one place.

The report page, the pasted figures and the Excel figures import all come through
`report_edit`: it locks the row, checks the version the editor saw, writes only what really
changed (a browser's "\\r\\n" for "\\n" is no change), bumps the version once and records one
history entry. An edit that changes nothing writes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from reports.cell_values import CellValue, display_text
from reports.history import change_record
from reports.models import AnnualReport, ChangeRecord
from reports.models.sections import ROW_MODELS
from reports.totals import totals_refresh

# cell path (table.row.column) -> (value, text as typed)
CellChanges = dict[str, tuple[CellValue, str]]

# The report's own fields a hand edit may change (status moves only through the workflow).
EDITABLE_FIELDS = (
    "agency",
    "report_year",
    "layout",
    "title",
    "publication_date",
    "source_url",
    "overview",
    "problems",
    "other_matters",
    "raw_text",
)


class EditConflict(ValueError):
    """The report changed after the editor opened it; the message says who and when."""


@dataclass(frozen=True)
class EditResult:
    """What an edit changed: report fields (before, after) and cell paths (before, after)."""

    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    cells: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.fields or self.cells)


def report_lock(*, pk: int, expected_version: int | None) -> AnnualReport:
    """Lock the report row for this transaction; refuse an edit based on an older version.

    `expected_version` is the version the editor saw; None means the caller edits without
    a page (figures import) and needs the lock only.
    """
    # The report row alone: PostgreSQL refuses FOR UPDATE across the nullable join to
    # updated_by; the user is read only for the conflict message.
    current = AnnualReport.objects.select_for_update().get(pk=pk)
    if expected_version is not None and expected_version != current.version:
        raise EditConflict(conflict_message(current, expected_version))
    return current


def conflict_message(report: AnnualReport, seen: int) -> str:
    who = report.updated_by or "他人"
    when = timezone.localtime(report.updated_at).strftime("%Y-%m-%d %H:%M:%S")
    return (
        f"保存失败：您打开页面后，这份年报已由 {who} 于 {when} 修改（当前版本 {report.version}，"
        f"您看到的是版本 {seen}）。为免覆盖对方的修改，本次未保存。请刷新页面，在最新内容上重新修改。"
    )


@transaction.atomic
def report_edit(
    *,
    report: AnnualReport,
    user: User | None,
    values: Mapping[str, Any] | None = None,
    cells: CellChanges | None = None,
    expected_version: int | None = None,
) -> EditResult:
    """Write a hand edit of `report`'s fields and cells, or nothing if nothing changed.

    Raises EditConflict when `expected_version` is given and is not the stored one.
    `report` is refreshed with the stored fields, version and editor.
    """
    locked = report_lock(pk=report.pk, expected_version=expected_version)
    fields: dict[str, tuple[Any, Any]] = {}
    for name, value in (values or {}).items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"field {name} is not edited by hand")
        before, after = getattr(locked, name), _normalised(value)
        if _normalised(before) != after:
            fields[name] = (before, after)
            setattr(locked, name, after)
    cell_history = _cells_write(locked, cells or {})
    result = EditResult(fields, cell_history)
    if not result.changed:
        return result
    locked.version += 1
    locked.updated_by = user if user is not None and user.is_authenticated else None
    locked.save(update_fields=[*fields, "version", "updated_by", "updated_at"])
    if cell_history:
        totals_refresh([locked.pk])
    change_record(
        report=locked,
        action=ChangeRecord.Action.EDITED if fields else ChangeRecord.Action.CELLS,
        user=user,
        changes={**fields, **cell_history},
    )
    report.refresh_from_db()
    return result


@transaction.atomic
def report_create(*, report: AnnualReport, user: User) -> AnnualReport:
    """Save a report typed in by hand (the admin's add page) and record its creation."""
    for name in ("overview", "problems", "other_matters", "raw_text"):
        setattr(report, name, _normalised(getattr(report, name)))
    report.created_by = report.updated_by = user
    report.save()
    change_record(report=report, action=ChangeRecord.Action.CREATED, user=user)
    return report


def _normalised(value: Any) -> Any:
    """Text as stored: line ends as "\\n", whichever the browser or file sent."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def _cells_write(
    report: AnnualReport, changes: CellChanges
) -> dict[str, tuple[Any, Any]]:
    """Write typed cells whose value or text differs from the stored one; their history.

    The typed text becomes the cell's raw text, so a reviewer's "/" stays "/" and an
    emptied cell stays blank (not 0). Rows are created when a first cell is typed in them.
    """
    by_row: dict[tuple[str, str], dict[str, tuple[CellValue, str]]] = defaultdict(dict)
    for path, change in changes.items():
        table, row_key, column = path.split(".")
        by_row[(table, row_key)][column] = change
    history: dict[str, tuple[Any, Any]] = {}
    for (table, row_key), typed in by_row.items():
        model = ROW_MODELS[table]
        stored = model.objects.select_for_update().filter(
            report=report, row_key=row_key
        )
        row = stored.first() or model(report=report, row_key=row_key)
        touched = False
        for column, (value, text) in typed.items():
            present = row.pk is not None and row.has_cell(column)
            raw = row.raw.get(column) if present else None
            if (
                present
                and row.value(column) == value
                and display_text(value, raw) == text
            ):
                continue
            history[f"{table}.{row_key}.{column}"] = (raw, text)
            setattr(row, column, value)
            row.raw[column] = text
            # Typed by hand: no longer from the source page.
            row.provenance.pop(column, None)
            touched = True
        if touched:
            row.save()
    return history

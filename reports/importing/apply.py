"""Write a ParsedReport to the database atomically: a new report, or a new revision of one."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max

from agencies.models import Agency
from reports import schema
from reports.history import change_record
from reports.importing.parsed import ParsedCell, ParsedReport
from reports.models import AnnualReport, ChangeRecord, ReportYear, SectionRow
from reports.models.sections import ROW_MODELS
from reports.totals import totals_refresh


@dataclass
class ApplyResult:
    """What applying a report did: created it, added a revision, or skipped a duplicate."""

    report: AnnualReport
    action: Literal["created", "revised", "skipped"]


def report_year_ensure(year: int) -> ReportYear:
    """The ReportYear for `year`, created with the national defaults if it is new."""
    report_year, _ = ReportYear.objects.get_or_create(
        year=year, defaults=ReportYear.defaults_for(year)
    )
    return report_year


@transaction.atomic
def report_apply(
    parsed: ParsedReport,
    *,
    agency: Agency,
    status: str = AnnualReport.Status.SUBMITTED,
    user: AbstractBaseUser | None = None,
    batch: uuid.UUID | None = None,
) -> ApplyResult:
    """Save `parsed` for `agency`. The same source file twice (same sha256) is skipped; a
    different document for an agency and year that has a report becomes a new revision and
    the previous one is kept (no longer current). The import is recorded in the report's
    history; `batch` ties together every report of one import."""
    if parsed.year is None:
        raise ValueError("年报缺少年度")
    report_year = report_year_ensure(parsed.year)
    current = (
        AnnualReport.objects.select_for_update()
        .filter(agency=agency, report_year=report_year, is_current=True)
        .first()
    )
    sha = parsed.source.sha256
    if current is not None and sha and current.source_sha256 == sha:
        return ApplyResult(current, "skipped")
    revision = 1
    if current is not None:
        latest = AnnualReport.objects.filter(
            agency=agency, report_year=report_year
        ).aggregate(n=Max("revision"))["n"]
        revision = (latest or 0) + 1
        current.is_current = False
        current.save(update_fields=["is_current", "updated_at"])

    report = AnnualReport.objects.create(
        agency=agency,
        report_year=report_year,
        layout=parsed.format,
        revision=revision,
        is_current=True,
        title=parsed.title,
        publication_date=(
            dt.date.fromisoformat(parsed.publication_date)
            if parsed.publication_date
            else None
        ),
        source_url=parsed.source_url,
        status=status,
        overview=parsed.sections.get("overview", ""),
        problems=parsed.sections.get("problems", ""),
        other_matters=parsed.sections.get("other_matters", ""),
        raw_text=parsed.raw_text,
        source_name=parsed.source.name,
        source_kind=parsed.source.kind,
        source_sha256=sha,
        uncertain_cells=parsed.uncertain_paths(),
        import_warnings=[w.to_dict() for w in parsed.warnings],
        source_notes=list(parsed.notes),
        created_by=user,
        updated_by=user,
    )
    for table, model in ROW_MODELS.items():
        model.objects.bulk_create(build_rows(model, report, table, parsed))
    totals_refresh([report.pk])
    change_record(
        report=report,
        action=ChangeRecord.Action.IMPORTED,
        user=user,
        changes={"revision": (current.revision if current else None, revision)},
        reason=f"导入 {parsed.source.name or parsed.source.kind}".strip(),
        batch=batch,
    )
    return ApplyResult(report, "revised" if current is not None else "created")


@transaction.atomic
def copy_as_new_revision(
    report: AnnualReport, *, user: AbstractBaseUser | None
) -> AnnualReport:
    """A new current draft revision with the same content; the old one stays as it was."""
    locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
    latest = AnnualReport.objects.filter(
        agency_id=locked.agency_id, report_year_id=locked.report_year_id
    ).aggregate(n=Max("revision"))["n"]
    AnnualReport.objects.filter(pk=locked.pk).update(is_current=False)
    rows = {table: list(getattr(locked, f"{table}_rows").all()) for table in ROW_MODELS}
    locked.pk = None
    locked.id = None
    locked.revision = (latest or 0) + 1
    locked.is_current = True
    locked.status = AnnualReport.Status.DRAFT
    locked.version = 1
    locked.created_by = locked.updated_by = user
    locked.source_sha256 = (
        ""  # re-importing the accepted file must not be "the same file"
    )
    locked.save(force_insert=True)
    for table, model in ROW_MODELS.items():
        for row in rows[table]:
            row.pk = row.id = None
            row.report = locked
        model.objects.bulk_create(rows[table])
    totals_refresh([locked.pk])
    return locked


def build_rows(
    model: type[SectionRow], report: AnnualReport, table: str, parsed: ParsedReport
) -> list[SectionRow]:
    """The unsaved rows of one table of a parsed report, attached to `report`."""
    return [
        _build_row(model, report, table, row_key, cells, parsed.format)
        for row_key, cells in parsed.tables.get(table, {}).items()
    ]


def _build_row(
    model: type[SectionRow],
    report: AnnualReport,
    table: str,
    row_key: str,
    cells: dict[str, ParsedCell],
    layout: str,
) -> SectionRow:
    values: dict[str, Any] = {}
    raw: dict[str, str | None] = {}
    provenance: dict[str, dict[str, Any]] = {}
    for column, cell in cells.items():
        values[column] = cell.value
        raw[column] = cell.raw
        where = _provenance(cell)
        if where:
            provenance[column] = where
    row = model(
        report=report, row_key=row_key, raw=raw, provenance=provenance, **values
    )
    if table == "table2" and "amount" in cells:
        row.amount_unit = money_unit(row_key, layout, cells["amount"].unit)
    return row


def money_unit(row_key: str, layout: str, written: str) -> str:
    """The unit of a money cell: fixed by the 2021 form for fees, else as written."""
    if row_key == "fees" and layout == schema.Layout.Y2021:
        return schema.FEES_UNIT_2021
    return written


def _provenance(cell: ParsedCell) -> dict[str, Any]:
    where: dict[str, Any] = {}
    if cell.page is not None:
        where["page"] = cell.page
    if cell.bbox is not None:
        where["bbox"] = [round(v, 2) for v in cell.bbox]
    if cell.note:
        where["note"] = cell.note
    return where

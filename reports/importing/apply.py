"""Write a ParsedReport to the database atomically: a new report, or a new revision of one."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F, Max

from agencies.models import Agency
from reports import schema
from reports.core.parsed import ParsedCell, ParsedReport
from reports.history import change_record
from reports.importing import errors
from reports.importing.interchange import MAX_YEAR, MIN_YEAR
from reports.importing.plan import ImportPlan, import_plan, next_revision
from reports.models import (
    AnnualReport,
    ChangeRecord,
    ReportYear,
    SectionRow,
    Table2Row,
)
from reports.models.sections import ROW_MODELS
from reports.totals import totals_refresh


@dataclass
class ApplyResult:
    """What applying a report did: created it, added a revision (a draft one over an
    accepted report), or skipped a duplicate."""

    report: AnnualReport
    action: Literal["created", "revised", "drafted", "skipped"]


class ImportBlocked(ValueError):
    """The workflow does not let this import replace the report (or the revisions on
    file clash with it); the message says why and who reviews it, in Chinese. `code`
    is the refusal's reports.importing.errors code."""

    def __init__(self, message: str, *, code: str = errors.UNDER_REVIEW) -> None:
        super().__init__(message)
        self.code = code


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
    user: User | None = None,
    batch: uuid.UUID | None = None,
    replace: bool = False,
) -> ApplyResult:
    """Save `parsed` for `agency`, as reports.importing.plan decides: the same source file
    twice (same sha256) is skipped; a report under review is not replaced behind its
    reviewer (ImportBlocked); over an accepted report a new draft revision starts and the
    accepted one stays in force; otherwise a new revision replaces the current one, which
    is kept. What the file does not say (publication date, source URL) carries over from
    the revision it follows. The import is recorded in the report's history; `batch` ties
    together every report of one import."""
    # The entry points (import page, import_reports) refuse years the system does not
    # know, with the range (reports.importing.years); here only what a year can be.
    if parsed.year is None or not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise ValueError(
            f"年度应为 {MIN_YEAR}–{MAX_YEAR} 之间的整数，而不是 {parsed.year}"
        )
    report_year = report_year_ensure(parsed.year)
    current = (
        AnnualReport.objects.select_for_update()
        .filter(agency=agency, report_year=report_year, is_current=True)
        .first()
    )
    sha = parsed.source.sha256
    plan = import_plan(current=current, sha256=sha, user=user, replace=replace)
    if plan.action == "refused":
        raise ImportBlocked(plan.label)
    if current is not None and plan.action == "skipped":
        return ApplyResult(current, "skipped")
    revision = 1
    if current is not None:
        revision = next_revision(current)
        # Leave the constraints' way: the successor is current (and in force if it
        # takes the place of the revision in force). The version moves too, so a page
        # or a workflow button opened on the old revision is refused as stale.
        AnnualReport.objects.filter(pk=current.pk).update(
            is_current=False,
            in_force=current.in_force and not plan.in_force,
            version=F("version") + 1,
        )
    try:
        # A savepoint, so that a clash (revisions left without a current one) becomes
        # a refusal in words rather than the database's error.
        with transaction.atomic():
            report = AnnualReport.objects.create(
                agency=agency,
                report_year=report_year,
                layout=parsed.format,
                revision=revision,
                is_current=True,
                in_force=plan.in_force,
                title=parsed.title,
                publication_date=_publication_date(parsed, current),
                source_url=parsed.source_url or (current.source_url if current else ""),
                status=plan.status or status,
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
    except IntegrityError as exc:
        raise ImportBlocked(
            _clash_message(agency, report_year), code=errors.REVISION_CLASH
        ) from exc
    if report.status == AnnualReport.Status.ACCEPTED:
        # Saved as accepted (import_reports --status accepted): it counts at once, in
        # place of the accepted revision it follows. No findings to hand over: none
        # can name a report created in this transaction.
        revision_put_in_force(report)
    for table, model in ROW_MODELS.items():
        model.objects.bulk_create(build_rows(model, report, table, parsed))
    totals_refresh([report.pk])
    change_record(
        report=report,
        action=ChangeRecord.Action.IMPORTED,
        user=user,
        changes={"revision": (current.revision if current else None, revision)},
        reason=_import_reason(parsed, current, plan),
        batch=batch,
    )
    return ApplyResult(report, plan.action)


def _clash_message(agency: Agency, report_year: ReportYear) -> str:
    """Why the new revision could not be saved beside the ones on file."""
    numbers = "、".join(
        f"第 {n} 版"
        for n in AnnualReport.objects.filter(agency=agency, report_year=report_year)
        .values_list("revision", flat=True)
        .order_by("revision")
    )
    return (
        f"{agency.name} {report_year.year} 年度已有年报（{numbers or '无'}），"
        "但没有现行版次，或已被他人同时保存，新版次未能保存。"
        "请刷新后重试；仍不成功时请联系省级管理员检查这些版次。"
    )


def _publication_date(
    parsed: ParsedReport, current: AnnualReport | None
) -> dt.date | None:
    if parsed.publication_date:
        return dt.date.fromisoformat(parsed.publication_date)
    return current.publication_date if current else None


def _import_reason(
    parsed: ParsedReport, current: AnnualReport | None, plan: ImportPlan
) -> str:
    """The history's reason: the file, and how the import met the workflow."""
    reason = f"导入 {parsed.source.name or parsed.source.kind}".strip()
    if current is None:
        return reason
    if plan.action == "drafted":
        kept = current.revision
        return (
            f"{reason}：在审核通过的第 {kept} 版之后建立新版次（草稿），"
            f"新版次审核通过前第 {kept} 版继续有效"
        )
    if "--allow-replace" in plan.label:
        return (
            f"{reason}（--allow-replace：不经审核流程替换"
            f"“{current.get_status_display()}”的第 {current.revision} 版）"
        )
    return reason


@transaction.atomic
def copy_as_new_revision(report: AnnualReport, *, user: User | None) -> AnnualReport:
    """A new current draft revision with the same content; the old one stays as it was."""
    locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if not locked.is_current:
        raise ValueError(f"第 {locked.revision} 版已有更新的版次，不能再以它建立新版次")
    latest = AnnualReport.objects.filter(
        agency_id=locked.agency_id, report_year_id=locked.report_year_id
    ).aggregate(n=Max("revision"))["n"]
    # The version moves, so a page or button opened on the old revision is stale.
    AnnualReport.objects.filter(pk=locked.pk).update(
        is_current=False, version=F("version") + 1
    )
    rows = {table: list(getattr(locked, f"{table}_rows").all()) for table in ROW_MODELS}
    locked.pk = None
    locked.id = None
    locked.revision = (latest or 0) + 1
    locked.is_current = True
    # The accepted revision stays in force until this one is accepted in its turn.
    locked.in_force = False
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


def revision_put_in_force(report: AnnualReport) -> list[AnnualReport]:
    """A current revision just accepted takes over from the one in force (the accepted
    revision it follows), for the summary, the overview and the audit. Returns the
    revisions it replaced: the workflow hands their findings over (audit.handover)."""
    if not report.is_current:
        return []
    replaced = AnnualReport.objects.filter(
        agency_id=report.agency_id, report_year_id=report.report_year_id, in_force=True
    ).exclude(pk=report.pk)
    before = list(replaced)
    replaced.update(in_force=False)
    AnnualReport.objects.filter(pk=report.pk).update(in_force=True)
    report.in_force = True
    return before


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
    if isinstance(row, Table2Row) and "amount" in cells:
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

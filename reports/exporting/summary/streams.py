"""The summary's long lists, streamed: one line per report, open findings, submissions.

Each is read in chunks of plain value queries (or walked with server-side cursors), in the
order the sheet lists them, so memory stays flat however many reports the scope holds.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connections
from django.db.models import (
    Case,
    Count,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KT

from agencies.models import Agency
from reports.audit.facts import Deadlines
from reports.exporting.summary.selectors import (
    CHUNK,
    KEY_FIGURES,
    OPEN_FINDING_STATUSES,
    KeyFigure,
    SummaryScope,
)
from reports.models import AnnualReport, Finding, live_report_q
from reports.models.sections import ROW_MODELS

# --- per report -------------------------------------------------------------------------------


@dataclass
class ReportLine:
    """One report as the 汇总 sheet lists it."""

    pk: int
    agency: str
    region_code: str
    region_name: str
    agency_kind: str
    layout: str
    status: str
    publication_date: dt.date | None
    # key figure path -> (value, raw text), for the cells the document had
    cells: dict[str, tuple[int | Decimal | None, str | None]] = field(
        default_factory=dict
    )
    findings: dict[str, int] = field(default_factory=dict)


_LINE_FIELDS = (
    "pk",
    "agency__name",
    "agency__region__code",
    "agency__region__name",
    "agency__kind",
    "layout",
    "status",
    "publication_date",
)


_LINE_ORDER = ("agency__region__code", "agency__name", "pk")


def _pivot_stream(
    table: str, figures: Sequence[KeyFigure], scope: SummaryScope
) -> Iterator[tuple]:
    """One row per report of the scope that has rows in this table, in the 汇总 order: for
    each figure its value, its printed text when there is no value, and whether the
    document had the cell. Plain SQL through a server-side cursor (no per-value converters,
    no list of ids)."""
    model = ROW_MODELS[table]
    annotations = {}
    for i, figure in enumerate(figures):
        here = Q(row_key=figure.row)
        annotations[f"v{i}"] = Max(Case(When(here, then=F(figure.column))))
        annotations[f"t{i}"] = Max(
            Case(
                When(
                    here & Q(**{f"{figure.column}__isnull": True}),
                    then=KT(f"raw__{figure.column}"),
                )
            )
        )
        annotations[f"p{i}"] = Max(
            Case(
                When(here & Q(raw__has_key=figure.column), then=Value(1)),
                default=Value(0),
            )
        )
    order = [f"report__{field}" for field in _LINE_ORDER[:-1]] + ["report_id"]
    query = (
        model.objects.filter(
            scope.report_filter("report__"), row_key__in={f.row for f in figures}
        )
        .values("report_id", *order[:-1])
        .annotate(**annotations)
        .order_by(*order)
    )
    sql, params = query.query.sql_with_params()
    # A named (server-side) cursor on PostgreSQL, held open across transactions when
    # in autocommit; several stay open at once while report_lines walks them in step.
    cursor = connections[query.db].chunked_cursor()
    try:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            for row in rows:
                # report id, the two ordering columns, then the figures' triples
                yield (row[0], *row[3:])
    finally:
        cursor.close()


def report_lines(scope: SummaryScope) -> Iterator[ReportLine]:
    """Every report of the scope in region and name order, with its key figures and its
    unresolved findings by severity.

    Four streams in the same order, walked in step: the reports, and one pivot per table
    (a report without rows in a table is simply absent from that stream). Unresolved
    findings are counted in one grouped query. Memory stays flat but for those counts.
    """
    grouped: dict[str, list[KeyFigure]] = defaultdict(list)
    for figure in KEY_FIGURES:
        grouped[figure.table].append(figure)
    findings: dict[int, dict[str, int]] = defaultdict(dict)
    for report_id, severity, n in (
        Finding.objects.filter(
            report__in=scope.reports(), status__in=OPEN_FINDING_STATUSES
        )
        .values("report_id", "severity")
        .annotate(n=Count("pk"))
        .values_list("report_id", "severity", "n")
        .order_by()
    ):
        findings[report_id][severity] = n
    streams = {
        table: (_pivot_stream(table, figures, scope), figures)
        for table, figures in grouped.items()
    }
    ahead = {table: next(stream, None) for table, (stream, _) in streams.items()}
    heads = (
        scope.reports()
        .order_by(*_LINE_ORDER)
        .values_list(*_LINE_FIELDS)
        .iterator(chunk_size=CHUNK)
    )
    for head in heads:
        line = ReportLine(*head)
        for table, (stream, figures) in streams.items():
            row = ahead[table]
            if row is None or row[0] != line.pk:
                continue  # no rows of this table in the report
            ahead[table] = next(stream, None)
            for i, figure in enumerate(figures):
                value, text, present = row[1 + 3 * i : 4 + 3 * i]
                if not present:
                    continue
                if isinstance(value, float):  # SQLite: money as float
                    value = Decimal(str(value))
                line.cells[figure.path] = (value, text)
        line.findings = findings.get(line.pk, {})
        yield line
    leftover = [table for table, row in ahead.items() if row is not None]
    if leftover:  # the streams fell out of step: never write a half-matched list
        raise RuntimeError(f"汇总表各表数据顺序不一致：{leftover}")


# --- findings ---------------------------------------------------------------------------------


def open_findings(scope: SummaryScope) -> QuerySet[Finding]:
    """Unresolved findings of the scope's reports, and (for a year and region scope) those
    about agencies of the scope that have no report."""
    q = Q(report__in=scope.reports())
    if scope.report_ids is None:
        agency_q = Q(report__isnull=True, year=scope.year)
        if scope.region is not None:
            agency_q &= Q(agency__region__path__startswith=scope.region.path)
        q |= agency_q
    return Finding.objects.filter(q, status__in=OPEN_FINDING_STATUSES).order_by(
        "agency__region__code", "agency__name", "-severity", "rule", "pk"
    )


FINDING_FIELDS = (
    "agency__name",
    "agency__region__code",
    "agency__region__name",
    "year",
    "severity",
    "rule",
    "message",
    "cells",
    "evidence",
    "status",
    "first_seen_at",
)


# --- submissions ------------------------------------------------------------------------------


class Submission:
    ON_TIME = "按时"
    LATE = "逾期"
    MISSING = "未报送"
    UNDATED = "已报送，发布日期不详"
    NO_DEADLINE = "未设截止日"


@dataclass
class SubmissionLine:
    """An agency due to report in the scope's year, and whether and when it did."""

    agency: str
    region_code: str
    region_name: str
    agency_kind: str
    deadline: dt.date | None
    report_status: str | None
    publication_date: dt.date | None
    outcome: str
    days_late: int | None = None


def submissions(scope: SummaryScope) -> Iterator[SubmissionLine]:
    """Every agency active in the scope's year and region, with its report's timeliness.

    Independent of the status filter and of a selection: whether an agency reported is a
    fact of the registry and the database, not of which reports were picked.
    """
    deadlines = Deadlines.load()
    year = scope.year
    agencies = Agency.objects.filter(
        Q(active_from__isnull=True) | Q(active_from__lte=year),
        Q(active_until__isnull=True) | Q(active_until__gte=year),
    )
    if scope.region is not None:
        agencies = agencies.filter(region__path__startswith=scope.region.path)
    current = AnnualReport.objects.filter(
        live_report_q(), agency=OuterRef("pk"), report_year__year=year
    )
    rows = (
        agencies.annotate(
            report_status=Subquery(current.values("status")[:1]),
            report_published=Subquery(current.values("publication_date")[:1]),
            report_pk=Subquery(current.values("pk")[:1]),
        )
        .order_by("region__code", "name")
        .values_list(
            "name",
            "region__code",
            "region__name",
            "kind",
            "region__path",
            "report_pk",
            "report_status",
            "report_published",
        )
    )
    for name, code, region_name, kind, path, pk, status, published in rows.iterator(
        chunk_size=CHUNK
    ):
        deadline = deadlines.for_agency(year, kind, path)
        if isinstance(
            published, str
        ):  # a Subquery of a date comes back as text on SQLite
            published = dt.date.fromisoformat(published)
        days_late = None
        if pk is None:
            outcome = Submission.MISSING
        elif published is None:
            outcome = Submission.UNDATED
        elif deadline is None:
            outcome = Submission.NO_DEADLINE
        elif published <= deadline:
            outcome = Submission.ON_TIME
        else:
            outcome = Submission.LATE
            days_late = (published - deadline).days
        yield SubmissionLine(
            name,
            code,
            region_name,
            kind,
            deadline,
            status,
            published,
            outcome,
            days_late,
        )

"""Reading what the summary workbook shows: sums in SQL, reports and agencies streamed.

Everything here returns plain values (tuples, dicts, dataclasses), never report instances, so
that a province of 100,000 reports is summarised with a bounded number of queries and bounded
memory: table sums are grouped by region in the database and rolled up into region blocks in
Python; per-report rows come in chunks of plain value queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db import connections, router, transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Left

from agencies.models import Agency, Region
from reports import schema
from reports.audit.facts import Deadlines
from reports.exporting.template_xlsx import Prefill
from reports.models import AnnualReport, Finding, live_report_q
from reports.models.sections import ROW_MODELS
from reports.selectors import SECTION_PREFETCH

# Findings a summary counts as unresolved: not yet handled, or confirmed as real problems.
OPEN_FINDING_STATUSES: tuple[str, ...] = (
    Finding.Status.OPEN,
    Finding.Status.CONFIRMED,
)
SEVERITIES: tuple[str, ...] = tuple(Finding.Severity.values)
CHUNK = 2000
WAN = Decimal(10000)


@dataclass(frozen=True)
class KeyFigure:
    """A cell every summary lists per report and compares year on year."""

    table: str
    row: str
    column: str

    @cached_property
    def path(self) -> str:  # asked for every report of a summary: worked out once
        return schema.cell_path(self.table, self.row, self.column)

    @property
    def label(self) -> str:
        return schema.cell_label(self.table, self.row, self.column)

    @property
    def kind(self) -> schema.Kind:
        return self._row(schema.Layout.Y2021).column(self.column).kind

    def in_layout(self, layout: str) -> bool:
        row = schema.allowed_rows(self.table, layout).get(self.row)
        return row is not None and self.column in row.column_keys

    def _row(self, layout: str) -> schema.Row:
        return schema.allowed_rows(self.table, layout)[self.row]


KEY_FIGURES: tuple[KeyFigure, ...] = (
    KeyFigure("table2", "licensing", "decisions"),
    KeyFigure("table2", "penalty", "decisions"),
    KeyFigure("table2", "enforcement", "decisions"),
    KeyFigure("table2", "fees", "amount"),
    KeyFigure("table3", "new_received", "total"),
    KeyFigure("table3", "carried_over", "total"),
    KeyFigure("table3", "granted", "total"),
    KeyFigure("table3", "partially_granted", "total"),
    KeyFigure("table3", "total_processed", "total"),
    KeyFigure("table3", "carried_forward", "total"),
    KeyFigure("table4", "review", "total"),
    KeyFigure("table4", "review", "corrected"),
    KeyFigure("table4", "litigation_direct", "total"),
    KeyFigure("table4", "litigation_after_review", "total"),
)


# --- scope ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryScope:
    """Which reports a summary covers: revisions in force of one year, by region and
    status, or an explicit selection of them (the admin action, through in_force_ids);
    never a withdrawn report."""

    year: int
    region: Region | None = None
    status: str | None = None
    report_ids: tuple[int, ...] | None = None

    def report_filter(self, prefix: str = "") -> Q:
        """The scope as a Q on reports, or on rows related to reports through `prefix`."""
        p = prefix
        q = live_report_q(p) & Q(**{f"{p}report_year__year": self.year})
        if self.region is not None:
            q &= Q(**{f"{p}agency__region__path__startswith": self.region.path})
        if self.status:
            q &= Q(**{f"{p}status": self.status})
        if self.report_ids is not None:
            q &= Q(**{f"{p}pk__in": self.report_ids})
        return q

    def reports(self) -> QuerySet[AnnualReport]:
        return AnnualReport.objects.filter(self.report_filter())

    def previous(self) -> SummaryScope:
        """Last year's scope: same region and status; for a selection, the same agencies."""
        ids = None
        if self.report_ids is not None:
            agencies = AnnualReport.objects.filter(pk__in=self.report_ids).values(
                "agency_id"
            )
            ids = tuple(
                AnnualReport.objects.filter(
                    live_report_q(),
                    report_year__year=self.year - 1,
                    agency_id__in=agencies,
                ).values_list("pk", flat=True)
            )
        return SummaryScope(self.year - 1, self.region, self.status, ids)

    @property
    def layout(self) -> str:
        return schema.layout_for_year(self.year).value


def in_force_ids(selected: QuerySet[AnnualReport], year: int) -> tuple[int, ...]:
    """The revisions in force of the selected reports' agencies for `year`: the list shows
    current revisions, and a draft after an accepted revision is current but not in force,
    so a selection is read as (agency, year) pairs, never as the rows themselves (a
    withdrawn report stays out, as everywhere in the summary)."""
    agencies = selected.order_by().values("agency_id")
    return tuple(
        AnnualReport.objects.filter(
            live_report_q(), report_year__year=year, agency_id__in=agencies
        ).values_list("pk", flat=True)
    )


# --- reading ----------------------------------------------------------------------------------


@contextmanager
def summary_reads() -> Iterator[None]:
    """One read-only transaction for a whole workbook, tuned for its large aggregates.

    On PostgreSQL, when not already inside a transaction, every sheet reads the same
    snapshot (REPEATABLE READ), so the totals of one sheet cannot disagree with another's
    when an import lands mid-export. JIT is off for the transaction: compiling the grouped
    sums took longer than running them (4.2 of 6.4 s at 100,000 reports); work_mem is
    raised so that their sorts and hashes stay in memory.
    """
    alias = router.db_for_read(AnnualReport)
    connection = connections[alias]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=alias):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                if outermost:
                    cursor.execute(
                        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                    )
                cursor.execute("SET LOCAL jit = off")
                cursor.execute(f"SET LOCAL work_mem = '{SUMMARY_WORK_MEM}'")
        yield


SUMMARY_WORK_MEM = "64MB"


# --- region blocks ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A region block of the summary: one child region of the scope (with its subtree)."""

    code: str
    name: str
    path: str


OWN_LEVEL = "本级"


def region_blocks(scope: SummaryScope) -> list[Block]:
    """The children of the scope region, or the cities when there is no scope region;
    a last block (本级及其他) gathers agencies that sit in none of them."""
    if scope.region is not None:
        regions = Region.objects.filter(parent=scope.region)
        own = f"{scope.region.name}{OWN_LEVEL}"
    else:
        regions = Region.objects.filter(level=Region.Level.CITY)
        own = "省级及其他"
    blocks = [Block(c, n, p) for c, n, p in regions.values_list("code", "name", "path")]
    blocks.sort(key=lambda b: b.code)
    blocks.append(Block("", own, ""))
    return blocks


def block_of(path: str, blocks: Sequence[Block]) -> Block:
    """The block a region (by its materialised path) falls in."""
    for block in blocks[:-1]:
        if path.startswith(block.path):
            return block
    return blocks[-1]


class BlockIndex:
    """Groups rows by block in the database and names the block of each group.

    Blocks are siblings, so their materialised paths share one length: grouping by that
    prefix of an agency's region path gives one group per block (plus a group per shorter
    path, which falls in the last block), instead of one per region. Where the lengths
    differ, rows are grouped by the whole path and rolled up here. PostgreSQL keeps
    statistics on these prefixes (agencies migration 0003) so that it hashes the groups.
    """

    def __init__(self, blocks: Sequence[Block]):
        self.blocks = blocks
        lengths = {len(b.path) for b in blocks[:-1]}
        self.prefix = lengths.pop() if len(lengths) == 1 else None
        self._found: dict[str, Block] = {}

    def key(self, path_field: str) -> Left | F:
        """The grouping expression for a region path field."""
        if self.prefix is None:
            return F(path_field)
        return Left(path_field, self.prefix)

    def of(self, key: str) -> Block:
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = block_of(key, self.blocks)
        return found


# --- table sums -------------------------------------------------------------------------------


@dataclass
class CellSum:
    """One cell summed over reports: the sum of the numbers and how the rest were printed."""

    total: int | Decimal = 0
    numbers: int = 0  # reports with a number in this cell
    present: int = 0  # reports whose document had this cell (number, blank or "/")
    blank: int = 0  # reports with the cell printed empty

    @property
    def not_applicable(self) -> int:
        return self.present - self.numbers - self.blank

    def add(self, other: CellSum) -> None:
        self.total += other.total
        self.numbers += other.numbers
        self.present += other.present
        self.blank += other.blank


# (row key, column key) -> CellSum
TableSums = dict[tuple[str, str], CellSum]


@dataclass
class BlockSums:
    """The three tables summed over one block, with the number of reports in it."""

    block: Block
    reports: int = 0
    tables: dict[str, TableSums] = field(
        default_factory=lambda: {t: defaultdict(CellSum) for t in schema.TABLE_KEYS}
    )
    layouts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _money_sum(column: str) -> Sum:
    # Money is summed in 万元: the 2019 procurement amount may have been written in 元.
    return Sum(
        Case(
            When(amount_unit="元", then=F(column) / Value(WAN)),
            default=F(column),
            output_field=DecimalField(max_digits=24, decimal_places=4),
        )
    )


def table_sums(scope: SummaryScope) -> tuple[BlockSums, list[BlockSums]]:
    """Every cell of the three tables summed over the scope: the total and one per block.

    One query per table grouped by block and row key, plus one for report counts.
    """
    blocks = region_blocks(scope)
    index = BlockIndex(blocks)
    total = BlockSums(Block("", "合计", ""))
    by_block = {b.code: BlockSums(b) for b in blocks}
    counts = (
        scope.reports()
        .annotate(block=index.key("agency__region__path"))
        .values("block", "layout")
        .annotate(n=Count("pk"))
        .values_list("block", "layout", "n")
        .order_by()
    )
    for key, layout, n in counts:
        target = by_block[index.of(key).code]
        for sums in (total, target):
            sums.reports += n
            sums.layouts[layout] += n
    for table, model in ROW_MODELS.items():
        aggregates = {}
        for column in model.VALUE_COLUMNS:
            aggregates[f"{column}__sum"] = (
                _money_sum(column) if column == "amount" else Sum(column)
            )
            aggregates[f"{column}__n"] = Count(column)
            # The JSON is looked at only where there is no number (few cells).
            empty = Q(**{f"{column}__isnull": True})
            aggregates[f"{column}__unprinted"] = Count(
                "pk", filter=empty & Q(raw__has_key=column)
            )
            aggregates[f"{column}__blank"] = Count(
                "pk", filter=empty & Q(**{f"raw__{column}": ""})
            )
        rows = (
            model.objects.filter(scope.report_filter("report__"))
            .annotate(block=index.key("report__agency__region__path"))
            .values("block", "row_key")
            .annotate(**aggregates)
            .order_by()
        )
        for row in rows:
            target = by_block[index.of(row["block"]).code]
            for column in model.VALUE_COLUMNS:
                present = row[f"{column}__n"] + row[f"{column}__unprinted"]
                if not present:
                    continue
                cell = CellSum(
                    total=row[f"{column}__sum"] or 0,
                    numbers=row[f"{column}__n"],
                    present=present,
                    blank=row[f"{column}__blank"],
                )
                if isinstance(cell.total, float):  # SQLite returns money as float
                    cell.total = Decimal(str(cell.total))
                key = (row["row_key"], column)
                total.tables[table][key].add(cell)
                target.tables[table][key].add(cell)
    return total, [by_block[b.code] for b in blocks if by_block[b.code].reports]


def key_figures_of(
    total: BlockSums, blocks: Sequence[BlockSums]
) -> dict[str, dict[str, int | Decimal | None]]:
    """The key figures out of table sums already made ("*" is the total), as
    key_figure_sums gives them."""
    out: dict[str, dict[str, int | Decimal | None]] = {}
    for code, sums in (("*", total), *((b.block.code, b) for b in blocks)):
        out[code] = {
            f.path: cell.total
            for f in KEY_FIGURES
            if (cell := sums.tables[f.table].get((f.row, f.column))) and cell.numbers
        }
    return out


def key_figure_sums(scope: SummaryScope) -> dict[str, dict[str, int | Decimal | None]]:
    """Each key figure summed per block code ("" is the 本级 block, "*" the total);
    None where no report printed a number in it."""
    index = BlockIndex(region_blocks(scope))
    out: dict[str, dict[str, int | Decimal | None]] = defaultdict(dict)
    grouped: dict[str, list[KeyFigure]] = defaultdict(list)
    for figure in KEY_FIGURES:
        grouped[figure.table].append(figure)
    for table, figures in grouped.items():
        columns = sorted({f.column for f in figures})
        aggregates = {}
        for column in columns:
            aggregates[f"{column}__sum"] = (
                _money_sum(column) if column == "amount" else Sum(column)
            )
            aggregates[f"{column}__n"] = Count(column)
        rows = (
            ROW_MODELS[table]
            .objects.filter(
                scope.report_filter("report__"),
                row_key__in={f.row for f in figures},
            )
            .annotate(block=index.key("report__agency__region__path"))
            .values("block", "row_key")
            .annotate(**aggregates)
            .order_by()
        )
        for row in rows:
            code = index.of(row["block"]).code
            for figure in figures:
                if figure.row != row["row_key"] or not row[f"{figure.column}__n"]:
                    continue
                value = row[f"{figure.column}__sum"]
                if isinstance(value, float):
                    value = Decimal(str(value))
                for target in (code, "*"):
                    out[target][figure.path] = (
                        out[target].get(figure.path) or 0
                    ) + value
    return out


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


# --- the fill-in template ---------------------------------------------------------------------


def template_prefill(agency: Agency, year: int) -> Prefill:
    """What a template pre-filled for one agency shows: its name and region and, when it
    has a current report for the year, that report's figures, date and text."""
    prefill = Prefill(agency=agency.name, region=agency.region.name)
    report = (
        AnnualReport.objects.filter(
            live_report_q(), agency=agency, report_year__year=year
        )
        .prefetch_related(*SECTION_PREFETCH)
        .first()
    )
    if report is None:
        return prefill
    prefill.publication_date = report.publication_date
    prefill.sections = {k: getattr(report, k) for k in schema.NARRATIVE_SECTIONS}
    cells: dict[str, tuple[int | Decimal | None, str | None]] = {}
    for table in schema.TABLE_KEYS:
        for row in getattr(report, f"{table}_rows").all():
            for column, raw in row.raw.items():
                cells[schema.cell_path(table, row.row_key, column)] = (
                    row.value(column),
                    raw,
                )
            if table == "table2" and row.row_key == "procurement":
                prefill.procurement_unit = row.amount_unit
    prefill.cells = cells
    return prefill

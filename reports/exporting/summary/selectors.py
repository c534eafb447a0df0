"""What the summary covers and its sums: the scope, the region blocks, the table sums.

Everything here returns plain values (tuples, dicts, dataclasses), never report instances, so
that a province of 100,000 reports is summarised with a bounded number of queries and bounded
memory: table sums are grouped by region in the database and rolled up into region blocks in
Python. The long per-report lists are read in streams.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db import connections, router, transaction
from django.db.models import (
    Aggregate,
    Case,
    Count,
    DecimalField,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Left

from agencies.models import Region
from reports import schema
from reports.models import AnnualReport, Finding, live_report_q
from reports.models.sections import ROW_MODELS

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

    def label(self) -> str:
        """The scope as the workbook names it: year, region, status, selection."""
        parts = [f"{self.year}年度"]
        parts.append(
            f"{self.region.name}（{self.region.code}，含下级）"
            if self.region
            else "全部地区"
        )
        if self.status:
            status = dict(AnnualReport.Status.choices).get(self.status, self.status)
            parts.append(f"状态为“{status}”")
        if self.report_ids is not None:
            parts.append(f"后台所选 {len(self.report_ids)} 份年报")
        return "，".join(parts)


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
        aggregates: dict[str, Aggregate] = {}
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
        aggregates: dict[str, Aggregate] = {}
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

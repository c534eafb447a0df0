"""Build the audit's plain ReportFacts from stored reports, in chunks, with few queries."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Iterable, Iterator, Sequence
from decimal import Decimal

from django.db import connection
from django.db.models import QuerySet

from agencies.models import Agency, Region
from reports import schema
from reports.audit.base import AgencyDue, ReportFacts
from reports.core.parsed import CellValue, ParsedCell, ParsedReport, Tables
from reports.exporting.json import report_to_parsed
from reports.models import AnnualReport, DeadlineOverride, ReportYear, live_report_q
from reports.models.sections import ROW_MODELS

# Kinds whose report is due by the government deadline (3月31日); the rest by 1月31日.
GOVERNMENT_KINDS = frozenset({Agency.Kind.GOVERNMENT, Agency.Kind.TOWNSHIP})


class Deadlines:
    """Publication deadlines per year and agency kind, with regional overrides applied."""

    def __init__(
        self, years: Iterable[ReportYear], overrides: Iterable[DeadlineOverride]
    ):
        self.years = {y.year: y for y in years}
        # Longest path first: the most specific region's override wins.
        self.overrides = sorted(
            ((o.region.path, o.report_year.year, o) for o in overrides),
            key=lambda item: -len(item[0]),
        )

    @classmethod
    def load(cls) -> Deadlines:
        return cls(
            ReportYear.objects.all(),
            DeadlineOverride.objects.select_related("region", "report_year"),
        )

    def for_agency(self, year: int, kind: str, region_path: str) -> dt.date | None:
        government = kind in GOVERNMENT_KINDS
        for path, override_year, override in self.overrides:
            if override_year == year and region_path.startswith(path):
                date = (
                    override.government_deadline
                    if government
                    else override.department_deadline
                )
                if date is not None:
                    return date
        report_year = self.years.get(year)
        if report_year is None:
            return None
        return (
            report_year.government_deadline
            if government
            else report_year.department_deadline
        )


def facts_from_parsed(
    parsed: ParsedReport,
    *,
    report_id: int,
    agency: Agency,
    deadlines: Deadlines,
    publication_date: dt.date | None = None,
    previous: ReportFacts | None = None,
) -> ReportFacts:
    """ReportFacts for a report held as a ParsedReport (stored, or an import not yet saved)."""
    year = int(parsed.year or 0)
    region: Region = agency.region
    return ReportFacts(
        report_id=report_id,
        agency_id=agency.pk,
        agency=agency.name,
        agency_kind=agency.kind,
        region_code=region.code,
        region_level=region.level,
        year=year,
        layout=parsed.format,
        year_layout=schema.layout_for_year(year).value,
        tables=parsed.tables,
        sections=dict(parsed.sections),
        raw_text=parsed.raw_text,
        publication_date=publication_date
        or (
            dt.date.fromisoformat(parsed.publication_date)
            if parsed.publication_date
            else None
        ),
        deadline=deadlines.for_agency(year, agency.kind, region.path),
        uncertain=tuple(parsed.uncertain_paths()),
        previous=previous,
    )


def facts_for_report(
    report: AnnualReport, deadlines: Deadlines, previous: AnnualReport | None = None
) -> ReportFacts:
    """ReportFacts of a stored report (tables prefetched) and its previous year's report."""
    before = facts_for_report(previous, deadlines) if previous is not None else None
    return facts_from_parsed(
        report_to_parsed(report),
        report_id=report.pk,
        agency=report.agency,
        deadlines=deadlines,
        publication_date=report.publication_date,
        previous=before,
    )


_HEADER = (
    "pk",
    "agency_id",
    "agency__name",
    "agency__kind",
    "agency__region__code",
    "agency__region__level",
    "agency__region__path",
    "report_year__year",
    "layout",
    "publication_date",
    "overview",
    "problems",
    "other_matters",
    "raw_text",
    "uncertain_cells",
)


def report_ids_in_order(reports: QuerySet[AnnualReport]) -> list[int]:
    """Report ids ordered by agency and year, the order iter_facts_for_ids works best in."""
    return list(
        reports.order_by("agency_id", "report_year__year").values_list("pk", flat=True)
    )


def iter_facts_for_ids(
    ids: Sequence[int],
    deadlines: Deadlines,
    chunk_size: int = 2000,
    pending: Collection[int] = (),
) -> Iterator[ReportFacts]:
    """Facts for these reports (ordered by agency and year), each with last year's report.

    Last year's report is the revision in force: a `pending` one (a revision awaiting
    review after an accepted one) is checked itself but never compared against.

    Read with plain value queries (no model instances), one chunk at a time: per chunk one
    query for the reports and one per table, each report's cells built once. Ordered by
    agency and year, so last year's facts are usually already in hand; the rest come in one
    more round of queries per chunk.
    """
    for start in range(0, len(ids), chunk_size):
        chunk = _load_facts(ids[start : start + chunk_size], deadlines)
        by_year = {
            (f.agency_id, f.year): f for f in chunk if f.report_id not in pending
        }
        wanted = {(f.agency_id, f.year - 1) for f in chunk} - set(by_year)
        earlier = {(f.agency_id, f.year): f for f in _load_previous(wanted, deadlines)}
        for facts in chunk:
            key = (facts.agency_id, facts.year - 1)
            facts.previous = by_year.get(key) or earlier.get(key)
            yield facts
        # Drop the links so that a finished chunk can be freed as a whole.
        for facts in chunk:
            facts.previous = None


def _load_previous(
    wanted: set[tuple[int, int]], deadlines: Deadlines
) -> list[ReportFacts]:
    if not wanted:
        return []
    agencies = {a for a, _ in wanted}
    years = {y for _, y in wanted}
    ids = [
        pk
        for pk, agency, year in AnnualReport.objects.filter(
            live_report_q(),
            agency_id__in=agencies,
            report_year__year__in=years,
        ).values_list("pk", "agency_id", "report_year__year")
        if (agency, year) in wanted
    ]
    return _load_facts(ids, deadlines)


def _load_facts(ids: Sequence[int], deadlines: Deadlines) -> list[ReportFacts]:
    """ReportFacts (without `previous`) for these report ids, in the given order."""
    if not ids:
        return []
    tables = load_tables(ids)
    headers = {
        row[0]: row
        for row in AnnualReport.objects.filter(pk__in=ids).values_list(*_HEADER)
    }
    out = []
    for pk in ids:
        (
            _,
            agency_id,
            name,
            kind,
            code,
            level,
            path,
            year,
            layout,
            published,
            overview,
            problems,
            other,
            raw_text,
            uncertain,
        ) = headers[pk]
        out.append(
            ReportFacts(
                report_id=pk,
                agency_id=agency_id,
                agency=name,
                agency_kind=kind,
                region_code=code,
                region_level=level,
                year=year,
                layout=layout,
                year_layout=schema.layout_for_year(year).value,
                tables=tables[pk],
                sections={
                    k: v
                    for k, v in (
                        ("overview", overview),
                        ("problems", problems),
                        ("other_matters", other),
                    )
                    if v
                },
                raw_text=raw_text,
                publication_date=published,
                deadline=deadlines.for_agency(year, kind, path),
                uncertain=tuple(uncertain or ()),
            )
        )
    return out


def load_tables(ids: Sequence[int]) -> dict[int, Tables]:
    """The three tables of each report as ParsedCells, one query per table.

    A cell is present when its column is in the row's raw texts, as in the database model:
    blank and "/" keep their text, missing cells stay absent. The database folds each
    report's rows into one JSON object ({row key: [raw texts, value, value, ...]}), decoded
    in one call; equal (value, text) pairs share one ParsedCell, which the audit never
    changes. Both halve the cost of reading 100,000 reports (docs/benchmarks.md).
    """
    tables: dict[int, Tables] = {
        pk: {"table2": {}, "table3": {}, "table4": {}} for pk in ids
    }
    shared: dict[tuple[type, CellValue, str], ParsedCell] = {}
    with connection.cursor() as cursor:
        for table, model in ROW_MODELS.items():
            columns = model.VALUE_COLUMNS
            index = {column: i for i, column in enumerate(columns)}
            decimal = index.get("amount")
            sql, params = _tables_query(model._meta.db_table, columns, ids)
            cursor.execute(sql, params)
            for report_id, folded in cursor.fetchall():
                out = tables[report_id][table]
                folded_rows = json.loads(folded, parse_float=Decimal)
                for row_key, (raw, *values) in folded_rows.items():
                    if decimal is not None and values[decimal] is not None:
                        # JSON gives an int for a whole amount; the model gives Decimal.
                        values[decimal] = Decimal(str(values[decimal]))
                    cells = {}
                    for column, text in raw.items():
                        i = index.get(column)
                        if i is None:
                            continue
                        value = values[i]
                        key = (value.__class__, value, text)
                        cell = shared.get(key)
                        if cell is None:
                            cell = shared[key] = ParsedCell(value, text)
                        cells[column] = cell
                    out[row_key] = cells
    return tables


def _tables_query(
    db_table: str, columns: Sequence[str], ids: Sequence[int]
) -> tuple[str, list[int] | list[list[int]]]:
    """SQL folding each report's rows of one table into a JSON object, per database."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    if connection.vendor == "postgresql":
        return (
            f"SELECT report_id, json_object_agg(row_key, json_build_array(raw, {names}))"
            f"::text FROM {quote(db_table)} WHERE report_id = ANY(%s) GROUP BY report_id",
            [list(ids)],
        )
    placeholders = ", ".join(["%s"] * len(ids))
    return (
        f"SELECT report_id, json_group_object(row_key, json_array(json(raw), {names})) "
        f"FROM {quote(db_table)} WHERE report_id IN ({placeholders}) GROUP BY report_id",
        list(ids),
    )


def agencies_due(
    agencies: QuerySet[Agency], years: Iterable[int], deadlines: Deadlines
) -> list[AgencyDue]:
    """Every active agency of the scope for each year, and whether it has a live report
    (a withdrawn one does not count)."""
    years = list(years)
    reported = set(
        AnnualReport.objects.filter(
            live_report_q(),
            agency__in=agencies,
            report_year__year__in=years,
        ).values_list("agency_id", "report_year__year")
    )
    due = []
    for agency in agencies.select_related("region"):
        for year in years:
            deadline = deadlines.for_agency(year, agency.kind, agency.region.path)
            if deadline is None or not agency.is_active_in(year):
                continue
            due.append(
                AgencyDue(
                    agency_id=agency.pk,
                    agency=agency.name,
                    region_code=agency.region.code,
                    year=year,
                    deadline=deadline,
                    has_report=(agency.pk, year) in reported,
                )
            )
    return due

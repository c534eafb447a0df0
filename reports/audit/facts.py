"""Build the audit's plain ReportFacts from stored reports, in chunks, with few queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence

from django.db.models import QuerySet

from agencies.models import Agency, Region
from reports import schema
from reports.audit.base import AgencyDue, ReportFacts
from reports.exporting.json import report_to_parsed
from reports.importing.parsed import ParsedReport
from reports.models import AnnualReport, DeadlineOverride, ReportYear
from reports.selectors import SECTION_PREFETCH

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


def iter_facts(
    reports: QuerySet[AnnualReport], deadlines: Deadlines, chunk_size: int = 500
) -> Iterator[ReportFacts]:
    """Facts for every report of the queryset, each with its previous year's report.

    Reports are read in chunks with their tables prefetched; the previous years' reports of
    a chunk come in one more query (plus their prefetches), so the cost per report is flat.
    """
    base = reports.select_related("agency", "agency__region", "report_year").order_by(
        "pk"
    )
    ids = list(base.values_list("pk", flat=True))
    for start in range(0, len(ids), chunk_size):
        chunk = list(
            base.filter(pk__in=ids[start : start + chunk_size]).prefetch_related(
                *SECTION_PREFETCH
            )
        )
        previous = _previous_reports(chunk)
        for report in chunk:
            yield facts_for_report(
                report,
                deadlines,
                previous.get((report.agency_id, report.report_year.year - 1)),
            )


def _previous_reports(
    chunk: Sequence[AnnualReport],
) -> dict[tuple[int, int], AnnualReport]:
    wanted = {(r.agency_id, r.report_year.year - 1) for r in chunk}
    if not wanted:
        return {}
    agencies = {a for a, _ in wanted}
    years = {y for _, y in wanted}
    found = (
        AnnualReport.objects.filter(
            is_current=True, agency_id__in=agencies, report_year__year__in=years
        )
        .select_related("agency", "agency__region", "report_year")
        .prefetch_related(*SECTION_PREFETCH)
    )
    return {
        (r.agency_id, r.report_year.year): r
        for r in found
        if (r.agency_id, r.report_year.year) in wanted
    }


def agencies_due(
    agencies: QuerySet[Agency], years: Iterable[int], deadlines: Deadlines
) -> list[AgencyDue]:
    """Every active agency of the scope for each year, and whether it has a report."""
    years = list(years)
    reported = set(
        AnnualReport.objects.filter(
            is_current=True, agency__in=agencies, report_year__year__in=years
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

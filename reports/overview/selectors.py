"""The overview's numbers: one function per panel, each a fixed number of SQL aggregates.

Every panel groups in the database (Count/Sum with GROUP BY on the child region's path, cut
from the agency's region path), so the cost does not grow with the number of regions or
reports in Python: no per-region query loops.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    FilteredRelation,
    Q,
    QuerySet,
)

from agencies.models import Agency, Region
from reports.audit.facts import Deadlines
from reports.audit.rules import CATALOGUE
from reports.core.issues import SEVERITY_RANK, Severity
from reports.models import (
    UNRESOLVED_FINDING,
    AnnualReport,
    DeadlineOverride,
    Finding,
    ReportYear,
    live_report_q,
)
from reports.overview import expressions as ex
from reports.totals import OUTCOMES, REVIEW_BLOCKS, TOTAL_FIELDS, totals_sums

FIRST_TREND_YEAR = 2019
SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)


# --- the page's region and year -----------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A row of a by-region table: a child region, or the chosen region's own agencies."""

    path: str
    code: str
    name: str
    own: bool = False  # the chosen region itself (本级), not its subtree


@dataclass(frozen=True)
class RegionView:
    """The region the page shows, what the selector offers, and the rows of its tables."""

    chosen: Region | None
    options: list[Region]
    ancestors: list[Region]
    places: list[Place]

    @property
    def path(self) -> str:
        return self.chosen.path if self.chosen else "/"


def region_view(*, scope: Region | None, chosen: Region | None) -> RegionView:
    """Selector options and table rows in one query.

    Offered: provinces and cities, the counties of the chosen city (or the chosen
    county's siblings), the chosen region's ancestors and children, all inside `scope`.
    """
    wanted = Q(level__in=[Region.Level.PROVINCE, Region.Level.CITY]) | Q(
        parent__isnull=True
    )
    ancestor_codes: list[str] = []
    if chosen is not None:
        ancestor_codes = [c for c in chosen.path.strip("/").split("/") if c]
        wanted |= Q(parent_id=chosen.pk) | Q(code__in=ancestor_codes)
        if chosen.level == Region.Level.COUNTY and chosen.parent_id:
            wanted |= Q(parent_id=chosen.parent_id)
    found = Region.objects.filter(wanted)
    if scope is not None:
        found = found.filter(path__startswith=scope.path)
    regions = list(found.order_by("path"))
    parent_id = chosen.pk if chosen else None
    children = [r for r in regions if r.parent_id == parent_id]
    places = [Place(r.path, r.code, r.name) for r in children]
    if chosen is not None:
        places.insert(
            0, Place(chosen.path, chosen.code, f"{chosen.name}本级", own=True)
        )
    by_code = {r.code: r for r in regions}
    ancestors = [by_code[c] for c in ancestor_codes[:-1] if c in by_code]
    options = [
        r
        for r in regions
        if r.level != Region.Level.TOWNSHIP or (chosen and r.pk == chosen.pk)
    ]
    return RegionView(chosen, options, ancestors, places)


def report_years() -> list[ReportYear]:
    """Every report year, latest first (the year selector; the default is the first)."""
    return list(ReportYear.objects.order_by("-year"))


def deadlines_for(years: Iterable[ReportYear]) -> Deadlines:
    """The audit's Deadlines, reusing the years the page has already read."""
    return Deadlines(
        years, DeadlineOverride.objects.select_related("region", "report_year")
    )


# --- coverage and review progress: one pass over the agencies -----------------------------


def _with_standing(
    agencies: QuerySet[Agency],
    *,
    year: ReportYear,
    deadlines: Deadlines,
    today: dt.date,
) -> QuerySet[Agency]:
    """Agencies annotated with their current report of the year and `coverage`."""
    return agencies.annotate(
        current=FilteredRelation(
            "reports",
            # A withdrawn report is kept but no longer counts as received.
            condition=Q(reports__report_year=year) & live_report_q("reports__"),
        ),
        deadline=ex.deadline_case(
            deadlines, kind="kind", path="region__path", year=year.year
        ),
    ).annotate(
        coverage=ex.coverage_case(
            report_id="current__id",
            published="current__publication_date",
            deadline="deadline",
            today=today,
        )
    )


def agencies_with_coverage(
    agencies: QuerySet[Agency],
    *,
    year: ReportYear,
    deadlines: Deadlines,
    today: dt.date,
) -> QuerySet[Agency]:
    """Agencies due for `year`, annotated `coverage` (a key of COVERAGE_LABELS).

    The changelist filter behind the overview's links uses this too, so the two counts
    cannot drift apart.
    """
    return _with_standing(
        agencies.filter(ex.active_in(year.year)),
        year=year,
        deadlines=deadlines,
        today=today,
    )


@dataclass(frozen=True)
class Standing:
    """How many agencies of a place and kind stand so, and their reports' status."""

    place: str
    kind: str
    due: bool  # active in the year (Agency.is_active_in)
    coverage: str
    status: str | None  # the current report's status; None without a report
    count: int


def standings(
    *, year: ReportYear, regions: RegionView, deadlines: Deadlines, today: dt.date
) -> list[Standing]:
    """Every agency of the region with its year's report, grouped: one query for two panels.

    Coverage reads the due agencies; review progress reads every current report (one per
    agency and year, so grouping agencies loses none).
    """
    agencies = Agency.objects.all()
    if regions.chosen is not None:
        agencies = agencies.filter(region__path__startswith=regions.path)
    rows = (
        _with_standing(agencies, year=year, deadlines=deadlines, today=today)
        .annotate(
            place=ex.child_path("region__path", regions.path),
            due=ExpressionWrapper(ex.active_in(year.year), output_field=BooleanField()),
        )
        .values_list("place", "kind", "due", "coverage", "current__status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [Standing(*row) for row in rows]


@dataclass
class CoverageRow:
    """Agencies due and how they stand: on time, late, undated, missing, not yet due."""

    key: str
    label: str
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, key: str) -> int:
        return self.counts.get(key, 0)

    @property
    def due(self) -> int:
        return sum(self.counts.values())

    @property
    def received(self) -> int:
        return sum(self.count(k) for k in ex.RECEIVED)

    @property
    def rate(self) -> float | None:
        """Share of due agencies that have reported, in percent."""
        return 100 * self.received / self.due if self.due else None


@dataclass(frozen=True)
class Coverage:
    by_place: list[tuple[Place, CoverageRow]]
    by_kind: list[CoverageRow]
    total: CoverageRow


def coverage(*, rows: Sequence[Standing], regions: RegionView) -> Coverage:
    """Due agencies against current reports, by child region and by agency kind."""
    by_place: dict[str, dict[str, int]] = defaultdict(dict)
    by_kind: dict[str, dict[str, int]] = defaultdict(dict)
    total = CoverageRow("", "合计")
    for row in rows:
        if not row.due:
            continue
        for counts in (by_place[row.place], by_kind[row.kind], total.counts):
            counts[row.coverage] = counts.get(row.coverage, 0) + row.count
    return Coverage(
        by_place=[
            (p, CoverageRow(p.path, p.name, by_place[p.path])) for p in regions.places
        ],
        by_kind=[
            CoverageRow(kind, label, by_kind[kind])
            for kind, label in Agency.Kind.choices
            if kind in by_kind
        ],
        total=total,
    )


@dataclass(frozen=True)
class ReviewProgress:
    statuses: list[tuple[str, str]]
    by_place: list[tuple[Place, dict[str, int]]]
    total: dict[str, int]


def review_progress(*, rows: Sequence[Standing], regions: RegionView) -> ReviewProgress:
    """Current reports of the year by review status, by child region."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    total: dict[str, int] = {}
    for row in rows:
        if row.status is None:
            continue
        place = counts[row.place]
        place[row.status] = place.get(row.status, 0) + row.count
        total[row.status] = total.get(row.status, 0) + row.count
    return ReviewProgress(
        statuses=list(AnnualReport.Status.choices),
        by_place=[(p, counts.get(p.path, {})) for p in regions.places],
        total=total,
    )


# --- findings -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleCount:
    rule: str
    title: str
    severity: str
    count: int


@dataclass(frozen=True)
class OpenFindings:
    by_rule: list[RuleCount]
    by_place: list[tuple[Place, dict[str, int]]]
    total: dict[str, int]


def open_findings(*, year: ReportYear, regions: RegionView) -> OpenFindings:
    """Open or confirmed findings of the year by rule and by child region, errors first."""
    # One count per problem: a revision awaiting review has its own copy of its findings,
    # counted once it is in force (findings without a report: a missing report).
    findings = Finding.objects.filter(
        Q(report__isnull=True) | Q(report__in_force=True),
        year=year.year,
        status__in=UNRESOLVED_FINDING,
    )
    if regions.chosen is not None:
        findings = findings.filter(agency__region__path__startswith=regions.path)
    rows = (
        findings.annotate(place=ex.child_path("agency__region__path", regions.path))
        .values_list("place", "rule", "severity")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_rule: dict[tuple[str, str], int] = defaultdict(int)
    by_place: dict[str, dict[str, int]] = defaultdict(dict)
    total: dict[str, int] = {}
    for place, rule, severity, n in rows:
        by_rule[rule, severity] += n
        by_place[place][severity] = by_place[place].get(severity, 0) + n
        total[severity] = total.get(severity, 0) + n
    rules = sorted(
        (
            RuleCount(rule, CATALOGUE[rule].title if rule in CATALOGUE else "", sev, n)
            for (rule, sev), n in by_rule.items()
        ),
        key=lambda r: (-SEVERITY_RANK.get(r.severity, 0), -r.count, r.rule),
    )
    places = sorted(
        ((p, by_place.get(p.path, {})) for p in regions.places),
        key=lambda item: tuple(-item[1].get(s, 0) for s in SEVERITIES),
    )
    return OpenFindings(rules, places, total)


# --- trends -------------------------------------------------------------------------------

# Per-year sums come from the totals stored on each report (reports/totals.py): at 100,000
# reports that is one GROUP BY over the reports instead of ~2.5 million table rows.


@dataclass(frozen=True)
class Trends:
    """Per-year sums since 2019 (None: no report year collected, which is not zero)."""

    years: list[int]
    reports: list[int | None]
    applications: list[int | None]
    outcomes: dict[str, list[int | None]]
    reviews: dict[str, list[int | None]]


def trends(
    *, year: ReportYear, regions: RegionView, collected: Sequence[ReportYear]
) -> Trends:
    """Applications received, their outcomes and table 四 totals, per year up to `year`:
    one query over the reports' stored totals."""
    years = list(range(min(FIRST_TREND_YEAR, year.year), year.year + 1))
    wanted = [y for y in collected if y.year in years]
    by_year = _year_sums(wanted, regions)

    def series(key: str) -> list[int | None]:
        return [by_year[y][key] if y in by_year else None for y in years]

    return Trends(
        years=years,
        reports=series("reports"),
        applications=series("total_applications"),
        outcomes={key: series(f"total_{key}") for key, _ in OUTCOMES},
        reviews={key: series(f"total_{key}") for key, _ in REVIEW_BLOCKS},
    )


def _year_sums(years: Sequence[ReportYear], regions: RegionView) -> dict[int, dict]:
    """Each collected year's live report count and summed totals in the region (0 where
    no report of the year had a number)."""
    reports = AnnualReport.objects.filter(live_report_q(), report_year__in=years)
    if regions.chosen is not None:
        reports = reports.filter(agency__region__path__startswith=regions.path)
    rows = (
        reports.values("report_year__year")
        # Count agencies, not ids: every column read is in reports_report_live_totals,
        # so PostgreSQL answers from the index alone.
        .annotate(reports=Count("agency"), **totals_sums())
        .order_by()
    )
    out = {y.year: {"reports": 0, **dict.fromkeys(TOTAL_FIELDS, 0)} for y in years}
    for row in rows:
        out[row.pop("report_year__year")].update(row)
    return out

"""The overview's aggregates agree with independent ORM counts and the audit's deadlines."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest
from django.db.models import Count, Sum

from agencies.models import Agency, Region
from reports.audit.facts import Deadlines
from reports.audit.runner import AuditScope, audit_run
from reports.fixtures.demo import DEMO_ANOMALIES, MISSING
from reports.models import (
    AnnualReport,
    DeadlineOverride,
    Finding,
    ReportYear,
    Table3Row,
    Table4Row,
)
from reports.overview import expressions as ex
from reports.overview import selectors
from reports.overview.scope import region_resolve
from tests.factories import make_agency, make_region, make_report

pytestmark = pytest.mark.django_db

AFTER_2024_DEADLINES = dt.date(2025, 12, 1)
BETWEEN_2024_DEADLINES = dt.date(2025, 2, 15)  # departments due, governments not yet


def _inputs(year: int = 2024, code: str | None = None, scope: Region | None = None):
    years = selectors.report_years()
    report_year = next(y for y in years if y.year == year)
    chosen = Region.objects.get(code=code) if code else None
    regions = selectors.region_view(scope=scope, chosen=chosen)
    return report_year, regions, selectors.deadlines_for(years), years


def _coverage(report_year, regions, deadlines) -> selectors.Coverage:
    rows = selectors.standings(
        year=report_year,
        regions=regions,
        deadlines=deadlines,
        today=AFTER_2024_DEADLINES,
    )
    return selectors.coverage(rows=rows, regions=regions)


def _standing(year: int, today: dt.date) -> dict[str, str]:
    """Each due agency's standing, decided in Python with the audit's own Deadlines."""
    deadlines = Deadlines.load()
    reports = {
        r.agency_id: r
        for r in AnnualReport.objects.filter(is_current=True, report_year__year=year)
    }
    out = {}
    for agency in Agency.objects.select_related("region"):
        if not agency.is_active_in(year):
            continue
        deadline = deadlines.for_agency(year, agency.kind, agency.region.path)
        report = reports.get(agency.pk)
        if report is None:
            out[agency.name] = ex.MISSING if today > deadline else ex.NOT_DUE
        elif report.publication_date is None:
            out[agency.name] = ex.UNDATED
        elif report.publication_date > deadline:
            out[agency.name] = ex.LATE
        else:
            out[agency.name] = ex.ON_TIME
    return out


def _sql_standing(year: int, today: dt.date) -> dict[str, str]:
    report_year, _, deadlines, _ = _inputs(year)
    return dict(
        selectors.agencies_with_coverage(
            Agency.objects.all(), year=report_year, deadlines=deadlines, today=today
        ).values_list("name", "coverage")
    )


@pytest.mark.parametrize("today", [AFTER_2024_DEADLINES, BETWEEN_2024_DEADLINES])
def test_every_agency_stands_as_the_audit_deadlines_say(demo, today):
    # A regional override, an inactive agency and an undated report, to cover each branch.
    huaian = Region.objects.get(code="320800")
    year = ReportYear.objects.get(year=2024)
    DeadlineOverride.objects.create(
        region=huaian, report_year=year, government_deadline=dt.date(2025, 4, 30)
    )
    Agency.objects.filter(name="宿豫区自然资源局").update(active_until=2023)
    AnnualReport.objects.filter(
        agency__name="淮安市公安局", report_year=year, is_current=True
    ).update(publication_date=None)
    assert _sql_standing(2024, today) == _standing(2024, today)
    assert _sql_standing(2023, today) == _standing(2023, today)


def test_missing_agencies_appear_as_missing(demo):
    for year in (2020, 2023, 2024):
        standing = _sql_standing(year, AFTER_2024_DEADLINES)
        missing = {name for name, s in standing.items() if s == ex.MISSING}
        assert missing == set(MISSING[year])


def test_late_reports_appear_as_late(demo):
    standing = _sql_standing(2024, AFTER_2024_DEADLINES)
    late = {name for name, s in standing.items() if s == ex.LATE}
    assert late == {a.agency for a in DEMO_ANOMALIES if a.rule == "late"}


def test_an_override_moves_a_late_report_on_time(demo):
    year = ReportYear.objects.get(year=2024)
    DeadlineOverride.objects.create(
        region=Region.objects.get(code="320803"),  # 淮安区
        report_year=year,
        government_deadline=dt.date(2025, 4, 30),
    )
    standing = _sql_standing(2024, AFTER_2024_DEADLINES)
    assert standing["淮安区人民政府"] == ex.ON_TIME
    assert standing["宿迁市住房和城乡建设局"] == ex.LATE


def test_before_the_deadline_no_report_is_not_yet_due(demo):
    standing = _sql_standing(2024, BETWEEN_2024_DEADLINES)
    # Townships are due with governments (3月31日); the others with departments (1月31日).
    assert standing["沭城街道办事处"] == ex.NOT_DUE
    assert standing["高良涧街道办事处"] == ex.NOT_DUE
    assert standing["宿豫区自然资源局"] == ex.MISSING
    assert standing["涟水县人民政府办公室"] == ex.MISSING


def test_coverage_by_region_and_kind_equals_orm_counts(demo):
    report_year, regions, deadlines, _ = _inputs(2024)
    cov = _coverage(report_year, regions, deadlines)
    reports = AnnualReport.objects.filter(is_current=True, report_year=report_year)
    assert cov.total.due == Agency.objects.count() == 63
    assert cov.total.received == reports.count()
    assert cov.total.count(ex.MISSING) == len(MISSING[2024])
    assert cov.total.count(ex.LATE) == 2
    # The whole tree: one row per province (the demo has one).
    assert [(p.code, row.due) for p, row in cov.by_place] == [("320000", 63)]
    kinds = Counter(Agency.objects.values_list("kind", flat=True))
    assert {row.key: row.due for row in cov.by_kind} == dict(kinds)
    received_by_kind = Counter(reports.values_list("agency__kind", flat=True))
    assert {row.key: row.received for row in cov.by_kind} == {
        kind: received_by_kind[kind] for kind in kinds
    }

    report_year, regions, deadlines, _ = _inputs(2024, "320000")
    cov = _coverage(report_year, regions, deadlines)
    rows = {p.name: (p, row) for p, row in cov.by_place}
    assert list(rows) == ["江苏省本级", "淮安市", "宿迁市"]
    assert (
        rows["江苏省本级"][1].due
        == Agency.objects.filter(region__code="320000").count()
    )
    for name in ("淮安市", "宿迁市"):
        place, row = rows[name]
        under = Agency.objects.filter(region__path__startswith=place.path)
        assert row.due == under.count()
        assert row.received == reports.filter(agency__in=under).count()


def test_children_with_nine_digit_codes_get_their_own_rows(demo):
    report_year, regions, deadlines, _ = _inputs(2024, "320813")  # 洪泽区
    assert [p.name for p in regions.places] == ["洪泽区本级", "高良涧街道"]
    cov = _coverage(report_year, regions, deadlines)
    rows = {p.name: row for p, row in cov.by_place}
    assert rows["高良涧街道"].due == 1
    assert rows["高良涧街道"].count(ex.MISSING) == 1
    assert (
        rows["洪泽区本级"].due == Agency.objects.filter(region__code="320813").count()
    )


def test_review_progress_counts_each_status(demo):
    report_year, regions, deadlines, _ = _inputs(2024, "320000")
    rows = selectors.standings(
        year=report_year,
        regions=regions,
        deadlines=deadlines,
        today=AFTER_2024_DEADLINES,
    )
    progress = selectors.review_progress(rows=rows, regions=regions)
    expected = dict(
        AnnualReport.objects.filter(is_current=True, report_year=report_year)
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    assert progress.total == expected
    suqian = next(c for p, c in progress.by_place if p.code == "321300")
    assert (
        sum(suqian.values())
        == AnnualReport.objects.filter(
            is_current=True,
            report_year=report_year,
            agency__region__path__contains="/321300/",
        ).count()
    )


def test_open_findings_by_rule_and_region_errors_first(demo):
    audit_run(AuditScope(), trigger="测试")
    one = Finding.objects.filter(year=2024).exclude(rule="missing-report").first()
    one.status = Finding.Status.DISMISSED
    one.reason = "测试排除"
    one.save()
    report_year, regions, _, _ = _inputs(2024, "320000")
    findings = selectors.open_findings(year=report_year, regions=regions)
    active = Finding.objects.filter(
        year=2024, status__in=[Finding.Status.OPEN, Finding.Status.CONFIRMED]
    )
    expected = {
        (rule, severity): n
        for rule, severity, n in active.values_list("rule", "severity").annotate(
            n=Count("pk")
        )
    }
    assert {(r.rule, r.severity): r.count for r in findings.by_rule} == expected
    assert findings.by_rule[0].severity == "error"
    ranks = [
        {"error": 3, "warning": 2, "info": 1}[r.severity] for r in findings.by_rule
    ]
    assert ranks == sorted(ranks, reverse=True)
    assert sum(findings.total.values()) == active.count()
    missing = next(r for r in findings.by_rule if r.rule == "missing-report")
    assert missing.count == len(MISSING[2024])
    errors = [c.get("error", 0) for _, c in findings.by_place]
    assert errors == sorted(errors, reverse=True)


def test_trend_sums_equal_orm_sums_per_year(demo):
    report_year, regions, _, years = _inputs(2024, "320800")
    trends = selectors.trends(year=report_year, regions=regions, collected=years)
    assert trends.years == [2019, 2020, 2021, 2022, 2023, 2024]
    assert trends.applications[0] is None and trends.applications[2] is None
    rows = Table3Row.objects.filter(
        report__is_current=True,
        report__agency__region__path__startswith="/320000/320800/",
    )
    expected: dict[tuple[int, str], int] = defaultdict(int)
    for year, key, total in rows.values_list(
        "report__report_year__year", "row_key", "total"
    ):
        outcome = next(
            (
                name
                for name in ("withheld", "unavailable", "not_processed", "other")
                if key.startswith(name + "_")
            ),
            key,
        )
        expected[year, outcome] += total or 0
    for i, year in enumerate(trends.years):
        if year not in (2020, 2023, 2024):
            continue
        assert trends.applications[i] == expected[year, "new_received"]
        for outcome, _ in selectors.OUTCOMES:
            assert trends.outcomes[outcome][i] == expected[year, outcome], (
                year,
                outcome,
            )
        for block, _ in selectors.REVIEW_BLOCKS:
            assert (
                trends.reviews[block][i]
                == (
                    Table4Row.objects.filter(
                        report__is_current=True,
                        report__report_year__year=year,
                        report__agency__region__path__startswith="/320000/320800/",
                        row_key=block,
                    ).aggregate(s=Sum("total"))["s"]
                )
            )
    # 2019 `other_processing` counts as 其他处理 (the 2020 reports use the 2019 layout).
    assert trends.outcomes["other"][1] == expected[2020, "other"] > 0


def test_region_view_offers_cities_and_the_counties_of_the_chosen_city(demo):
    whole = selectors.region_view(scope=None, chosen=None)
    assert {r.level for r in whole.options} == {"province", "city"}
    city = Region.objects.get(code="320800")
    view = selectors.region_view(scope=None, chosen=city)
    counties = {r.code for r in view.options if r.level == "county"}
    assert counties == set(
        Region.objects.filter(parent=city).values_list("code", flat=True)
    )
    county = Region.objects.get(code="320813")
    view = selectors.region_view(scope=None, chosen=county)
    assert {r.code for r in view.options if r.level == "county"} == counties
    assert [r.code for r in view.ancestors] == ["320000", "320800"]


def test_scope_limits_the_regions_offered_and_chosen(demo):
    city = Region.objects.get(code="321300")  # 宿迁市
    assert region_resolve("320000", city) == city  # above the scope: the scope itself
    assert region_resolve("320800", city) == city  # beside it
    assert region_resolve("321302", city).code == "321302"  # inside it
    assert region_resolve("nonsense", None) is None
    view = selectors.region_view(scope=city, chosen=city)
    assert view.options and all(r.path.startswith(city.path) for r in view.options)


def test_an_inactive_agency_is_not_due_but_its_report_is_reviewed(db):
    region = make_region(name="甲市")
    gone = make_agency("已撤销局", region=region)
    make_report(gone, year=2024)
    gone.active_until = 2023
    gone.save()
    make_report(make_agency("在用局", region=region), year=2024)
    report_year, regions, deadlines, _ = _inputs(2024, region.code)
    rows = selectors.standings(
        year=report_year,
        regions=regions,
        deadlines=deadlines,
        today=AFTER_2024_DEADLINES,
    )
    cov = selectors.coverage(rows=rows, regions=regions)
    assert cov.total.due == 1 and cov.total.received == 1
    progress = selectors.review_progress(rows=rows, regions=regions)
    assert progress.total == {"submitted": 2}

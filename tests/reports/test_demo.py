"""seed_demo builds a deterministic, realistic province with the seeded problems in it."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.http import HttpRequest

from agencies.models import Agency, Region
from reports import schema
from reports.exporting.json import report_to_parsed
from reports.fixtures.demo import DEMO_ANOMALIES, MISSING, demo_reports
from reports.models import AnnualReport
from reports.selectors import reports_in_scope

pytestmark = pytest.mark.django_db


def _fingerprint() -> list[tuple]:
    rows = []
    for report in reports_in_scope():
        parsed = report_to_parsed(report)
        cells = sorted(
            (t, r, c, str(cell.value), cell.raw)
            for t, rows_ in parsed.tables.items()
            for r, cells_ in rows_.items()
            for c, cell in cells_.items()
        )
        rows.append((report.agency.name, report.year, report.status, tuple(cells)))
    return rows


def test_demo_is_deterministic(demo):
    assert [r.tables for _, r, _ in demo_reports()] == [
        r.tables for _, r, _ in demo_reports()
    ]
    first = _fingerprint()  # the `demo` fixture's seed_demo on an empty database
    call_command("seed_demo", "--reset", stdout=io.StringIO())
    assert _fingerprint() == first


def test_demo_has_the_promised_shape(demo):
    assert Region.objects.filter(level=Region.Level.CITY).count() >= 2
    assert Region.objects.filter(level=Region.Level.COUNTY).count() >= 6
    assert 55 <= Agency.objects.count() <= 70
    assert len({a.kind for a in Agency.objects.all()}) >= 4
    years = set(AnnualReport.objects.values_list("report_year__year", flat=True))
    assert years == {2020, 2023, 2024}
    assert set(
        AnnualReport.objects.filter(report_year__year=2020).values_list(
            "layout", flat=True
        )
    ) == {"2019"}
    received = sorted(
        r.table3_rows.get(row_key="new_received").total or 0
        for r in AnnualReport.objects.filter(report_year__year=2024)
    )
    assert received[len(received) // 2] < 60, "most agencies receive few applications"
    assert received[-1] >= 100, "a few receive hundreds"


def test_demo_leaves_some_agencies_without_a_report(demo):
    for year, names in MISSING.items():
        for name in names:
            assert not AnnualReport.objects.filter(
                agency__name=name, report_year__year=year
            ).exists()


def test_rerunning_seed_demo_does_not_duplicate(demo):
    before = AnnualReport.objects.count()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "已存在" in out.getvalue()
    assert AnnualReport.objects.count() == before


def test_seed_demo_login_prints_a_working_password(demo, client):
    out = io.StringIO()
    call_command("seed_demo", "--login", "demo", stdout=out)
    password = out.getvalue().split("密码：")[1].split()[0]
    # Login throttling (django-axes) authenticates against the request it is given.
    assert client.login(request=HttpRequest(), username="demo", password=password)


def _value(table: dict, row: str, column: str) -> int:
    """A cell for arithmetic: blank, "/" and missing count as 0 (spec section 5)."""
    cell = table.get(row, {}).get(column)
    return (cell.value or 0) if cell is not None else 0


_OUTSIDE_RESULTS = (
    "new_received",
    "carried_over",
    "total_processed",
    "carried_forward",
)


def _broken_identities(parsed) -> set[str]:
    """The spec's within-report identities a demo report breaks (a test oracle only)."""
    broken: set[str] = set()
    t3, t4 = parsed.tables["table3"], parsed.tables["table4"]
    for col in [c.key for c in schema.TABLE3_COLUMNS]:
        inflow = _value(t3, "new_received", col) + _value(t3, "carried_over", col)
        outflow = _value(t3, "total_processed", col) + _value(
            t3, "carried_forward", col
        )
        if inflow != outflow:
            broken.add("T3-balance")
        results = sum(_value(t3, r, col) for r in t3 if r not in _OUTSIDE_RESULTS)
        if results != _value(t3, "total_processed", col):
            broken.add("T3-results")
    for key in t3:
        if sum(_value(t3, key, c) for c in schema.TABLE3_PARTS) != _value(
            t3, key, "total"
        ):
            broken.add("T3-row-total")
    for key in t4:
        if sum(_value(t4, key, c) for c in schema.TABLE4_PARTS) != _value(
            t4, key, "total"
        ):
            broken.add("T4-total")
    return broken


def test_demo_reports_break_only_the_seeded_identities(demo):
    seeded = {(a.agency, a.year, a.rule) for a in DEMO_ANOMALIES}
    found = set()
    previous: dict[str, dict] = {}
    for report in reports_in_scope():
        parsed = report_to_parsed(report)
        for rule in _broken_identities(parsed):
            found.add((parsed.agency, parsed.year, rule))
        last = previous.get(parsed.agency)
        if last and last.year == parsed.year - 1:
            for col, cell in parsed.tables["table3"]["carried_over"].items():
                # Arithmetic treats blank as 0 (spec section 5).
                if (cell.value or 0) != (
                    last.tables["table3"]["carried_forward"][col].value or 0
                ):
                    found.add((parsed.agency, parsed.year, "X-carry"))
        previous[parsed.agency] = parsed
    arithmetic = {"T3-balance", "T3-results", "T3-row-total", "T4-total", "X-carry"}
    assert found == {s for s in seeded if s[2] in arithmetic}


def test_demo_blank_and_na_cells_are_not_zero(demo):
    blank = AnnualReport.objects.get(
        agency__name="清江浦区卫生健康局", report_year__year=2023
    )
    row = blank.table3_rows.get(row_key="new_received")
    assert row.commercial is None or row.commercial > 0
    nulls = [r for r in blank.table3_rows.all() if r.research is None]
    assert nulls and all(r.raw["research"] == "" for r in nulls)
    na = AnnualReport.objects.get(
        agency__name="涟水县自然资源局", report_year__year=2024
    )
    assert any(r.raw.get(c) == "/" for r in na.table4_rows.all() for c in r.raw)


def test_demo_report_with_old_table_two_in_2023(demo):
    report = AnnualReport.objects.get(
        agency__name="盱眙县卫生健康局", report_year__year=2023
    )
    assert report.layout == "2019" and report.report_year.layout == "2021"

"""The demo province: the rules find every seeded anomaly and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest

from reports.audit.base import AgencyDue, Severity
from reports.audit.rules import run_report_rules, run_scope_rules
from reports.fixtures.demo import DEMO_ANOMALIES, MISSING, YEARS, demo_agencies
from tests.reports.audit.builders import demo_deadline, demo_facts

SEEDED = {(a.agency, a.year, a.rule) for a in DEMO_ANOMALIES}
# Info rules are compared only where the demo seeds them.
SEEDED_INFO = {"blank-cells", "na-cells", "heading-variant"}


@pytest.fixture(scope="module")
def found() -> set[tuple[str, int, str]]:
    reports = demo_facts()
    out = set()
    for facts in reports:
        for issue in run_report_rules(facts):
            if issue.severity != Severity.INFO or issue.rule in SEEDED_INFO:
                out.add((facts.agency, facts.year, issue.rule))
    by_id = {f.report_id: f for f in reports}
    for report_id, _agency, issue in run_scope_rules(
        reports, [], dt.date(2026, 1, 1), only={"copy-other"}
    ):
        facts = by_id[report_id or 0]
        out.add((facts.agency, facts.year, issue.rule))
    return out


def test_every_seeded_anomaly_is_found(found) -> None:
    assert SEEDED - found == set()


def test_nothing_else_is_found(found) -> None:
    assert found - SEEDED == set()


def test_missing_reports_are_the_demo_missing_list() -> None:
    reported = {(f.agency, f.year) for f in demo_facts()}
    due = [
        AgencyDue(
            i,
            a.name,
            a.region,
            year,
            demo_deadline(a.kind, year),
            (a.name, year) in reported,
        )
        for i, a in enumerate(demo_agencies(), start=1)
        for year in YEARS
    ]
    names = {d.agency_id: d.agency for d in due}
    found = run_scope_rules([], due, dt.date(2026, 1, 1), only={"missing-report"})
    assert {(names[a], i.year) for _, a, i in found} == {
        (name, year) for year, agencies in MISSING.items() for name in agencies
    }

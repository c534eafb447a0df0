"""Publication rules: late reports and agencies that did not report."""

from __future__ import annotations

import datetime as dt

from reports.audit.base import AgencyDue, Severity
from reports.audit.rules import publication, run_scope_rules
from tests.reports.audit.builders import facts, run_rules

DEADLINE = dt.date(2025, 1, 31)


def check(report):
    """The publication rules on one report, as the audit runs them."""
    return run_rules(report, publication)


def test_late_after_the_deadline_only() -> None:
    on_time = facts(publication_date=DEADLINE, deadline=DEADLINE)
    assert check(on_time) == []
    late = facts(publication_date=dt.date(2025, 2, 20), deadline=DEADLINE)
    [issue] = check(late)
    assert issue.rule == "late" and issue.severity == Severity.WARNING
    assert "20 天" in issue.message
    assert check(facts(deadline=DEADLINE)) == []  # date unknown


def test_missing_report_once_the_deadline_has_passed() -> None:
    due = [
        AgencyDue(1, "甲局", "320813", 2024, DEADLINE, has_report=False),
        AgencyDue(2, "乙局", "320813", 2024, DEADLINE, has_report=True),
    ]
    assert run_scope_rules([], due, DEADLINE, only={"missing-report"}) == []
    found = run_scope_rules([], due, dt.date(2025, 2, 1), only={"missing-report"})
    assert [(r, a, i.rule, i.year) for r, a, i in found] == [
        (None, 1, "missing-report", 2024)
    ]
    assert found[0][2].severity == Severity.ERROR

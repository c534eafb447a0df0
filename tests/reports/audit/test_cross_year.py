"""Cross-year rules: carry-over and the stock of normative documents."""

from __future__ import annotations

from reports.audit.base import Severity
from reports.audit.rules import cross_year
from tests.reports.audit.builders import facts, full_tables, put, run_rules


def check(report):
    """The cross_year rules on one report, as the audit runs them."""
    return run_rules(report, cross_year)


def pair(before_tables=None, now_tables=None, *, years=(2023, 2024), layouts=None):
    layouts = layouts or (None, None)
    previous = facts(before_tables, year=years[0], layout=layouts[0])
    return facts(now_tables, year=years[1], layout=layouts[1], previous=previous)


def test_carry_over_matches_last_years_carry_forward() -> None:
    before, now = full_tables(), full_tables()
    put(before, "table3.carried_forward.natural_person", 2)
    put(now, "table3.carried_over.natural_person", 2)
    assert check(pair(before, now)) == []
    put(now, "table3.carried_over.natural_person", 5)
    issues = check(pair(before, now))
    assert [(i.rule, i.severity, i.key) for i in issues] == [
        ("X-carry", Severity.ERROR, "natural_person")
    ]
    assert "2023 年度" in issues[0].message
    assert issues[0].cells[0].path == "table3.carried_over.natural_person"


def test_carry_over_blank_counts_as_zero_and_says_so() -> None:
    before, now = full_tables(), full_tables()
    put(before, "table3.carried_forward.commercial", None)
    put(now, "table3.carried_over.commercial", 1)
    issues = check(pair(before, now))
    assert len(issues) == 1 and "上年报告中" in issues[0].message


def test_no_previous_or_not_the_year_before_or_uncertain_skips() -> None:
    now = full_tables()
    put(now, "table3.carried_over.natural_person", 5)
    assert check(facts(now)) == []
    assert check(pair(None, now, years=(2022, 2024))) == []
    report = pair(None, now)
    report.uncertain = ("table3.carried_over.natural_person",)
    assert check(report) == []


def test_in_force_follows_last_year_plus_issued_minus_repealed() -> None:
    before, now = full_tables(), full_tables()
    put(before, "table2.normative_documents.in_force", 5)
    put(now, "table2.normative_documents.issued", 3)
    put(now, "table2.normative_documents.in_force", 8)
    assert check(pair(before, now)) == []
    put(now, "table2.normative_documents.in_force", 7)
    issues = check(pair(before, now))
    assert [(i.rule, i.severity, i.key) for i in issues] == [
        ("X-in-force", Severity.WARNING, "normative_documents")
    ]


def test_in_force_is_not_compared_across_table_two_layouts() -> None:
    before, now = full_tables("2019"), full_tables()
    put(now, "table2.normative_documents.in_force", 7)
    report = pair(before, now, years=(2020, 2021), layouts=("2019", "2021"))
    assert check(report) == []

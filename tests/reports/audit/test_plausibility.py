"""Plausibility: 规章 from agencies that cannot make them."""

from __future__ import annotations

from reports.audit.rules import plausibility
from tests.reports.audit.builders import facts, full_tables, put


def test_regulations_at_county_level_warn() -> None:
    tables = full_tables()
    put(tables, "table2.regulations.issued", 1)
    put(tables, "table2.regulations.in_force", 1)
    [issue] = plausibility.t2_regulations(facts(tables, region_level="county"))
    assert issue.rule == "T2-regulations" and len(issue.cells) == 2
    assert plausibility.t2_regulations(facts(tables, region_level="township"))


def test_regulations_at_city_level_and_zero_regulations_pass() -> None:
    tables = full_tables()
    put(tables, "table2.regulations.issued", 1)
    assert plausibility.t2_regulations(facts(tables, region_level="city")) == []
    assert plausibility.t2_regulations(facts(region_level="county")) == []


def test_2019_table_two_regulations_count_too() -> None:
    tables = full_tables("2019")
    put(tables, "table2.regulations.total_published", 2)
    report = facts(tables, year=2020, region_level="county")
    assert [i.rule for i in plausibility.t2_regulations(report)] == ["T2-regulations"]

"""The rule registry: every rule registered once, and the runners stamp its severity."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest

from reports.audit import registry
from reports.audit.base import AgencyDue, Issue, ReportFacts, Severity
from reports.audit.registry import RuleError, rule
from reports.audit.rules import (
    CATALOGUE,
    arithmetic,
    run_report_rules,
    run_scope_rules,
    scope_rule_ids,
)
from tests.reports.audit.builders import facts, full_tables, put

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def scratch_registry() -> Iterator[None]:
    """Rules registered in a test are gone after it."""
    catalogue, checks = dict(registry.CATALOGUE), dict(registry._CHECKS)
    try:
        yield
    finally:
        registry.CATALOGUE.clear()
        registry.CATALOGUE.update(catalogue)
        registry._CHECKS.clear()
        registry._CHECKS.update((c, list(ids)) for c, ids in checks.items())


def test_every_rule_has_a_chinese_title_a_severity_and_its_function() -> None:
    assert CATALOGUE
    for rule_id, spec in CATALOGUE.items():
        assert spec.id == rule_id
        assert isinstance(spec.severity, Severity)
        assert CHINESE.search(spec.title), rule_id
        assert callable(spec.check)


def test_rule_titles_are_unique_so_lists_tell_rules_apart() -> None:
    titles = [spec.title for spec in CATALOGUE.values()]
    assert len(set(titles)) == len(titles)


def test_an_id_registered_twice_is_refused(scratch_registry: None) -> None:
    with pytest.raises(RuleError, match="T4-total"):
        rule("T4-total", Severity.ERROR, "重复的规则")(lambda facts: [])
    assert CATALOGUE["T4-total"].check is arithmetic.t4_total


def test_a_rule_needs_a_severity_and_a_title(scratch_registry: None) -> None:
    with pytest.raises(RuleError):
        rule("no-title", Severity.INFO, " ")(lambda facts: [])
    with pytest.raises(RuleError):
        rule("no-severity", "warning", "标题")(lambda facts: [])  # type: ignore[arg-type]
    assert "no-title" not in CATALOGUE and "no-severity" not in CATALOGUE


def test_whole_scope_rules_are_marked_and_run_only_with_the_scope() -> None:
    assert set(scope_rule_ids()) == {"missing-report", "copy-other"}
    report = facts(full_tables())
    assert not {i.rule for i in run_report_rules(report)} & set(scope_rule_ids())


def test_issues_carry_the_severity_of_their_rule() -> None:
    tables = full_tables()
    put(tables, "table4.review.total", 1)
    put(tables, "table3.carried_over.commercial", None)
    issues = run_report_rules(facts(tables))
    assert {i.rule for i in issues} == {"T4-total", "blank-cells"}
    for issue in issues:
        assert issue.severity == CATALOGUE[issue.rule].severity
    # The rule's body does not say: only running it through the registry does.
    assert {i.severity for i in arithmetic.t4_total(facts(tables))} == {None}


def test_scope_issues_carry_the_severity_of_their_rule() -> None:
    due = [AgencyDue(7, "某县某局", "320813", 2024, dt.date(2025, 1, 31), False)]
    [(_, agency, issue)] = run_scope_rules([], due, dt.date(2025, 6, 1))
    assert agency == 7 and issue.severity == Severity.ERROR


def test_a_function_runs_once_for_all_the_rules_it_finds() -> None:
    tables = full_tables()
    put(tables, "table3.carried_over.commercial", None)
    put(tables, "table3.granted.commercial", None, "/")
    found = run_report_rules(facts(tables), only={"blank-cells", "na-cells"})
    assert [(i.rule, i.severity) for i in found] == [
        ("blank-cells", Severity.INFO),
        ("na-cells", Severity.INFO),
    ]
    assert run_report_rules(facts(tables), only={"count-invalid"}) == []


def test_an_issue_of_a_rule_its_function_did_not_declare_is_an_error(
    scratch_registry: None,
) -> None:
    @rule("test-declared", Severity.INFO, "测试规则")
    def sloppy(facts: ReportFacts) -> list[Issue]:
        return [Issue("test-other", "说的是另一条规则")]

    with pytest.raises(RuleError, match="test-other"):
        run_report_rules(facts(), only={"test-declared"})


def test_a_new_rule_is_one_decorated_function(scratch_registry: None) -> None:
    @rule("test-late-and-empty", Severity.WARNING, "测试：无正文")
    def no_prose(facts: ReportFacts) -> list[Issue]:
        return [] if facts.sections else [Issue("test-late-and-empty", "没有正文")]

    [issue] = run_report_rules(facts(), only={"test-late-and-empty"})
    assert issue.severity == Severity.WARNING
    assert CATALOGUE["test-late-and-empty"].title == "测试：无正文"

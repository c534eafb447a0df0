"""The catalogue: every rule id has a spec, and the runners honour `only`."""

from __future__ import annotations

from reports.audit.base import Severity
from reports.audit.rules import CATALOGUE, run_report_rules
from tests.reports.audit.builders import facts, full_tables, put

EXPECTED = {
    "T3-balance": Severity.ERROR,
    "T3-results": Severity.ERROR,
    "T3-row-total": Severity.ERROR,
    "T4-total": Severity.ERROR,
    "T2-in-force": Severity.WARNING,
    "count-invalid": Severity.ERROR,
    "blank-cells": Severity.INFO,
    "na-cells": Severity.INFO,
    "X-carry": Severity.ERROR,
    "X-in-force": Severity.WARNING,
    "layout-year": Severity.ERROR,
    "section-missing": Severity.ERROR,
    "heading-variant": Severity.INFO,
    "text-applications": Severity.WARNING,
    "text-no-applications": Severity.WARNING,
    "text-review-litigation": Severity.WARNING,
    "text-normative": Severity.WARNING,
    "late": Severity.WARNING,
    "missing-report": Severity.ERROR,
    "fee-notice": Severity.WARNING,
    "fee-before-2021": Severity.WARNING,
    "fee-multiple": Severity.WARNING,
    "T2-regulations": Severity.WARNING,
    "copy-previous": Severity.WARNING,
    "copy-other": Severity.WARNING,
}


def test_every_rule_is_in_the_catalogue_with_its_severity_and_a_title() -> None:
    assert {k: v.severity for k, v in CATALOGUE.items()} == EXPECTED
    for rule, spec in CATALOGUE.items():
        assert spec.id == rule and spec.title
        assert (spec.check is None) != (spec.check_scope is None)


def test_a_specs_own_check_runs_its_rule_alone() -> None:
    tables = full_tables()
    put(tables, "table4.review.total", 1)
    put(tables, "table3.new_received.total", 1)
    report = facts(tables)
    check = CATALOGUE["T4-total"].check
    assert check is not None
    assert {i.rule for i in check(report)} == {"T4-total"}


def test_issues_carry_the_severity_of_their_rule() -> None:
    tables = full_tables()
    put(tables, "table4.review.total", 1)
    put(tables, "table3.carried_over.commercial", None)
    for issue in run_report_rules(facts(tables)):
        assert issue.severity == CATALOGUE[issue.rule].severity

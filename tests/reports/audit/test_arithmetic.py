"""Arithmetic rules: the identities of spec section 6 and the cell values."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from reports.audit.base import Severity
from reports.audit.registry import ids_of
from reports.audit.rules import arithmetic, run_report_rules
from reports.core import identities
from tests.reports.audit.builders import (
    add_t3,
    facts,
    full_tables,
    put,
    received,
    run_rules,
)


def check(tables, layout: str = "2021", **kw):
    """The arithmetic rules on these tables, as the audit runs them."""
    return run_rules(facts(tables, layout=layout, **kw), arithmetic)


def rules_of(tables, layout: str = "2021", **kw) -> list[str]:
    return [i.rule for i in check(tables, layout, **kw)]


def test_consistent_reports_of_both_layouts_pass() -> None:
    for layout, one_row in (("2021", False), ("2021", True), ("2019", False)):
        tables = full_tables(layout, one_row_other=one_row)
        received(tables, 7, granted=5)
        assert rules_of(tables, layout) == []


def test_t3_balance_fails_per_column_and_names_the_column() -> None:
    tables = full_tables()
    received(tables, 4)
    add_t3(tables, "carried_forward", "natural_person", 2)
    issues = [i for i in check(tables) if i.rule == "T3-balance"]
    assert [i.key for i in issues] == ["natural_person", "total"]
    assert issues[0].severity == Severity.ERROR
    assert "自然人" in issues[0].message and "4" in issues[0].message
    assert {c.path for c in issues[0].cells} == {
        "table3.new_received.natural_person",
        "table3.carried_over.natural_person",
        "table3.total_processed.natural_person",
        "table3.carried_forward.natural_person",
    }


def test_t3_results_fails_when_a_result_row_is_off() -> None:
    tables = full_tables()
    received(tables, 3)
    add_t3(tables, "granted", "commercial", 1)  # row total kept, balance kept
    issues = check(tables)
    assert {(i.rule, i.key) for i in issues} == {
        ("T3-results", "commercial"),
        ("T3-results", "total"),
    }


def test_t3_results_uses_the_one_row_other_form() -> None:
    tables = full_tables("2021", one_row_other=True)
    received(tables, 2, granted=1)
    assert rules_of(tables) == []
    add_t3(tables, "other_processing", "natural_person", 1)
    assert "T3-results" in rules_of(tables)


def test_t3_row_total_fails_per_row() -> None:
    tables = full_tables()
    put(tables, "table3.new_received.total", 1)
    put(tables, "table3.total_processed.total", 1)
    put(tables, "table3.granted.total", 1)
    issues = [i for i in check(tables) if i.rule == "T3-row-total"]
    assert {i.key for i in issues} == {"new_received", "total_processed", "granted"}
    assert "表三「本年新收」·总计印为 1" in next(
        i.message for i in issues if i.key == "new_received"
    )


def test_t4_total_fails_per_block() -> None:
    tables = full_tables()
    put(tables, "table4.review.upheld", 10)
    put(tables, "table4.review.corrected", 1)
    issues = check(tables)
    assert [(i.rule, i.key) for i in issues] == [("T4-total", "review")]
    assert "行政复议" in issues[0].message and "11" in issues[0].message


def test_t2_in_force_warns_when_below_issued_minus_repealed() -> None:
    tables = full_tables()
    put(tables, "table2.normative_documents.issued", 5)
    put(tables, "table2.normative_documents.repealed", 1)
    put(tables, "table2.normative_documents.in_force", 3)
    issues = check(tables)
    assert [(i.rule, i.severity, i.key) for i in issues] == [
        ("T2-in-force", Severity.WARNING, "normative_documents")
    ]
    put(tables, "table2.normative_documents.in_force", 4)
    assert rules_of(tables) == []


def test_blank_cells_count_as_zero_and_the_message_says_so() -> None:
    tables = full_tables()
    received(tables, 2)
    put(tables, "table3.carried_over.commercial", None)  # blank: 0 for the arithmetic
    put(tables, "table3.new_received.total", 3)
    issues = check(tables)
    row_total = next(i for i in issues if i.rule == "T3-row-total")
    assert "按 0 计算" not in row_total.message  # no blank in that row
    blank = next(i for i in issues if i.rule == "blank-cells")
    assert blank.severity == Severity.INFO and blank.key == "table3"
    assert [c.path for c in blank.cells] == ["table3.carried_over.commercial"]
    assert "按 0 计算" in blank.message
    put(tables, "table3.new_received.total", None)  # 0 + 0 ≠ 2 + 0
    balance = next(
        i for i in check(tables) if (i.rule, i.key) == ("T3-balance", "total")
    )
    assert "空白" in balance.message and "按 0 计算" in balance.message


def test_not_applicable_cells_are_their_own_finding() -> None:
    tables = full_tables()
    for column in ("upheld", "corrected", "other", "pending", "total"):
        put(tables, f"table4.review.{column}", None, "/")
    issues = check(tables)
    assert [(i.rule, i.key, len(i.cells)) for i in issues] == [
        ("na-cells", "table4", 5)
    ]
    assert "不适用" in issues[0].message


def test_uncertain_cells_skip_the_checks_that_need_them() -> None:
    tables = full_tables()
    put(tables, "table3.new_received.total", 9)
    assert "T3-row-total" in rules_of(tables)
    assert rules_of(tables, uncertain=["table3.new_received.total"]) == []
    assert rules_of(tables, uncertain=["table3.new_received.*"]) == []
    tables["table3"]["new_received"]["total"].uncertain = True
    assert rules_of(tables) == []


def test_absent_rows_skip_the_checks_that_need_them() -> None:
    tables = full_tables()
    put(tables, "table3.carried_forward.natural_person", 5)
    put(tables, "table3.carried_forward.total", 5)
    del tables["table3"]["new_received"]
    assert rules_of(tables) == []  # balance needs new_received
    tables = full_tables()
    put(tables, "table3.total_processed.natural_person", 5)
    put(tables, "table3.total_processed.total", 5)
    del tables["table3"]["granted"]
    assert "T3-results" not in rules_of(tables)
    tables["table3"]["granted"] = {}  # present, nothing readable
    assert "T3-results" not in rules_of(tables)


def test_count_invalid_for_negative_and_fractional_counts() -> None:
    tables = full_tables()
    put(tables, "table2.licensing.decisions", -3)
    put(tables, "table4.review.other", Decimal("1.5"))
    put(tables, "table2.fees.amount", Decimal("12.5"))  # money may be fractional
    issues = [i for i in check(tables) if i.rule == "count-invalid"]
    assert {i.key for i in issues} == {
        "table2.licensing.decisions",
        "table4.review.other",
    }
    tables = full_tables("2019")
    put(tables, "table2.licensing.change", -3)  # 本年增/减 is signed
    assert rules_of(tables, "2019") == []


def test_run_report_rules_only_filters_rules() -> None:
    tables = full_tables()
    put(tables, "table4.review.total", 1)
    put(tables, "table3.new_received.total", 1)
    report = facts(tables)
    assert {i.rule for i in run_report_rules(report)} >= {"T4-total", "T3-row-total"}
    assert {i.rule for i in run_report_rules(report, only={"T4-total"})} == {"T4-total"}


def test_check_identities_works_on_a_parsed_report_shape() -> None:
    tables = full_tables()
    put(tables, "table4.review.total", 1)
    put(tables, "table3.carried_over.commercial", None)
    issues = identities.check_identities(tables, "2021", [])
    assert [i.rule for i in issues] == ["T4-total"]  # blanks are not identities


def test_the_audit_runs_the_core_identities_the_importer_checks() -> None:
    """One implementation: the registered identity rules are core's, with the same issues."""
    registered = tuple(r for rule in arithmetic.IDENTITIES for r in ids_of(rule))
    assert registered == identities.IDENTITY_RULES
    tables = full_tables()
    received(tables, 7, granted=5)
    put(tables, "table4.review.total", 1)
    put(tables, "table3.total_processed.total", 9)
    audited = [
        dataclasses.replace(i, severity=None)
        for i in check(tables)
        if i.rule in identities.IDENTITY_RULES
    ]
    assert {i.rule for i in audited} >= {"T4-total", "T3-results"}
    assert audited == identities.check_identities(tables, "2021")

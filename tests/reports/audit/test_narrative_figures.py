"""Text against tables: only clear statements of the agency's own figures are compared."""

from __future__ import annotations

import pytest

from reports.audit.base import Severity
from reports.audit.rules import narrative_figures
from tests.reports.audit.builders import facts, full_tables, put, received, run_rules


def check(report):
    """The text rules on one report, as the audit runs them."""
    return run_rules(report, narrative_figures)


def report_with(overview: str, n: int = 21, **cells: int):
    tables = full_tables()
    received(tables, n)
    for name, value in cells.items():
        path = name.replace("__", ".")
        put(tables, path if path.startswith("table") else f"table4.{path}", value)
    return facts(tables, sections={"overview": overview})


def found(report) -> list[tuple[str, str]]:
    return [(i.rule, i.key) for i in check(report)]


@pytest.mark.parametrize(
    "sentence",
    [
        "2023年，本机关共收到政府信息公开申请21件，均已按时答复。",
        "（二）依申请公开情况。本年度受理政府信息公开申请 21 件。",
        "全年共收到各类依申请公开申请21件。",
    ],
)
def test_matching_application_counts_pass(sentence: str) -> None:
    assert found(report_with(sentence)) == []


def test_a_different_application_count_warns_with_the_sentence() -> None:
    report = report_with("2023年，我局共收到政府信息公开申请25件。")
    [issue] = check(report)
    assert issue.rule == "text-applications" and issue.severity == Severity.WARNING
    assert "25" in issue.message and "21" in issue.message
    assert issue.evidence == "2023年,我局共收到政府信息公开申请25件"
    assert issue.cells[0].path == "table3.new_received.total"


@pytest.mark.parametrize(
    "sentence",
    [
        "2024年，区政府办代表区政府受理政府信息公开申请17件，均已答复。",
        "2023年全区受理政府信息公开申请 95 件。",
        "其中，网上申请10件。共收到政府信息公开申请21件。",
        "上年结转政府信息公开申请3件。",
        "共受理行政许可申请3000件。",
    ],
)
def test_other_scopes_are_not_compared(sentence: str) -> None:
    assert found(report_with(sentence)) == []


def test_no_applications_stated_while_table_has_some() -> None:
    report = report_with("2023年度我局未收到政府信息公开申请。", n=2)
    assert found(report) == [("text-no-applications", "new_received")]
    assert found(report_with("2023年度我局未收到政府信息公开申请。", n=0)) == []
    assert found(report_with("2024年度我局无依申请公开内容。", n=0)) == []


def test_review_and_litigation_counts_against_table_four() -> None:
    overview = "本年度发生政府信息公开行政复议案件2件，行政诉讼1件。"
    ok = report_with(
        overview,
        review__upheld=2,
        review__total=2,
        litigation_direct__upheld=1,
        litigation_direct__total=1,
    )
    assert found(ok) == []
    bad = report_with(overview, review__upheld=3, review__total=3)
    assert set(found(bad)) == {
        ("text-review-litigation", "review"),
        ("text-review-litigation", "litigation"),
    }


def test_no_cases_stated_while_table_four_has_some() -> None:
    overview = "本年度未发生因政府信息公开引起的行政复议、行政诉讼案件。"
    assert found(report_with(overview)) == []
    bad = report_with(overview, review__upheld=1, review__total=1)
    assert found(bad) == [("text-review-litigation", "review")]
    # "no case was corrected" is not "no case".
    fine = report_with(
        "未发生行政复议被纠错的情况。", review__upheld=1, review__total=1
    )
    assert found(fine) == []


def test_all_upheld_while_cases_are_pending_or_corrected() -> None:
    overview = "因政府信息公开被申请行政复议的案件均获维持。"
    assert found(report_with(overview, review__upheld=2, review__total=2)) == []
    bad = report_with(overview, review__upheld=1, review__pending=1, review__total=2)
    assert found(bad) == [("text-review-litigation", "upheld")]
    subset = report_with(
        "已审结的行政复议案件均获维持，另有1件尚未审结。",
        review__upheld=1,
        review__pending=1,
        review__total=2,
    )
    assert found(subset) == []


def test_normative_documents_counts_against_table_two() -> None:
    overview = "全年制发行政规范性文件3件，废止规范性文件1件，现行有效规范性文件12件。"
    good = report_with(
        overview,
        table2__normative_documents__issued=3,
        table2__normative_documents__repealed=1,
        table2__normative_documents__in_force=12,
    )
    assert found(good) == []
    bad = report_with(
        overview,
        table2__normative_documents__issued=2,
        table2__normative_documents__repealed=1,
        table2__normative_documents__in_force=12,
    )
    assert found(bad) == [("text-normative", "issued")]


def test_no_overview_no_finding() -> None:
    assert check(facts()) == []

"""信息处理费 rules."""

from __future__ import annotations

import pytest

from reports.audit.rules import fees
from tests.reports.audit.builders import facts, full_tables, put, run_rules


def check(report):
    """The fees rules on one report, as the audit runs them."""
    return run_rules(report, fees)


def with_text(other: str, *, year: int = 2023, unpaid: int = 0):
    tables = full_tables("2021" if year >= 2021 else "2019")
    if unpaid:
        for path in ("other_fee_unpaid.natural_person", "other_fee_unpaid.total"):
            put(tables, f"table3.{path}", unpaid)
    return facts(
        tables, year=year, sections={"overview": "总体情况。", "other_matters": other}
    )


def found(report) -> list[str]:
    return [i.rule for i in check(report)]


def test_unpaid_fee_notice_needs_a_word_in_section_six() -> None:
    assert found(with_text("无。", unpaid=1)) == ["fee-notice"]
    assert found(with_text("本年度发出收费通知1件，申请人逾期未缴纳。", unpaid=1)) == []
    assert found(with_text("无。", unpaid=0)) == []
    # Nothing known about section 六: no finding.
    tables = full_tables()
    put(tables, "table3.other_fee_unpaid.total", 1)
    assert check(facts(tables)) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "本年度未收取信息处理费。",
        "全年收取政府信息公开信息处理费 0 元。",
        "没有收取信息处理费。",
    ],
)
def test_no_fee_before_2021_is_fine(sentence: str) -> None:
    assert found(with_text(sentence, year=2020)) == []


@pytest.mark.parametrize(
    "sentence", ["本年度收取信息处理费200元。", "共收取信息处理费。"]
)
def test_fee_collected_before_2021_warns(sentence: str) -> None:
    assert found(with_text(sentence, year=2020)) == ["fee-before-2021"]
    assert found(with_text(sentence, year=2021)) == []


def test_fee_amount_must_be_a_multiple_of_ten() -> None:
    assert found(with_text("本年度收取信息处理费 350 元。")) == []
    [issue] = check(with_text("本年度收取信息处理费共计 355 元。"))
    assert issue.rule == "fee-multiple" and "355" in issue.message
    assert found(with_text("收取信息处理费0.0125万元。")) == ["fee-multiple"]

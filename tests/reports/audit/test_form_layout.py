"""Layout rules: the template of the year, sections present and in order, headings."""

from __future__ import annotations

from reports import schema
from reports.audit.rules import form_layout
from tests.reports.audit.builders import facts, full_tables, run_rules

HEADINGS = [text for _, text in schema.SECTIONS]


def check(report):
    """The layout rules on one report, as the audit runs them."""
    return run_rules(report, form_layout)


def raw(headings: list[str]) -> str:
    """A document's text: each heading followed by a line of body (and table 三's labels)."""
    lines = []
    for heading in headings:
        lines += [heading, "正文。"]
        if heading.startswith("三、"):
            lines += [
                "一、本年新收政府信息公开申请数量",
                "三、本年度办理结果",
                "四、结转下年度继续办理",
            ]
    return "\n".join(lines)


def rules(report) -> list[tuple[str, str]]:
    return [(i.rule, i.key) for i in check(report)]


def test_the_year_layout_passes() -> None:
    assert rules(facts(year=2024)) == []
    assert rules(facts(year=2020)) == []


def test_a_2019_table_two_in_a_2021_year_report() -> None:
    tables = full_tables("2021")
    tables["table2"] = full_tables("2019")["table2"]
    assert ("layout-year", "table2") in rules(facts(tables, year=2023))


def test_a_2021_table_three_in_a_2019_year_report() -> None:
    tables = full_tables("2019")
    tables["table3"] = full_tables("2021")["table3"]
    assert rules(facts(tables, year=2020, layout="2019")) == [("layout-year", "table3")]


def test_declared_layout_alone_when_tables_say_nothing() -> None:
    report = facts({"table2": {}, "table3": {}, "table4": {}}, year=2024, layout="2019")
    assert ("layout-year", "layout") in rules(report)


def test_one_row_other_processing_in_2021_is_a_variant_not_an_error() -> None:
    report = facts(full_tables("2021", one_row_other=True), year=2023)
    assert rules(report) == [("heading-variant", "table3.other_processing")]


def test_all_sections_in_order_pass() -> None:
    assert rules(facts(raw_text=raw(HEADINGS))) == []


def test_table_three_row_labels_are_not_headings() -> None:
    # Without the real 一、 and 四、 headings, table 三's labels must not stand in for them.
    text = raw([h for h in HEADINGS if not h.startswith(("一、", "四、"))])
    assert set(rules(facts(raw_text=text))) == {
        ("section-missing", "overview"),
        ("section-missing", "table4"),
    }


def test_sections_out_of_order() -> None:
    order = [
        HEADINGS[0],
        HEADINGS[1],
        HEADINGS[2],
        HEADINGS[4],
        HEADINGS[3],
        HEADINGS[5],
    ]
    assert ("section-missing", "order") in rules(facts(raw_text=raw(order)))


def test_heading_variants_are_info() -> None:
    text = raw(
        [
            *HEADINGS[:3],
            "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
            "五、存在的主要问题和改进情况",
            HEADINGS[5],
        ]
    )
    issues = check(facts(raw_text=text))
    assert {(i.rule, i.key, i.severity) for i in issues} == {
        ("heading-variant", "table4", "info"),
        ("heading-variant", "problems", "info"),
    }
    assert all("常见变体" in i.message for i in issues)


def test_without_raw_text_only_an_empty_table_is_missing() -> None:
    tables = full_tables()
    tables["table4"] = {}
    assert rules(facts(tables)) == [("section-missing", "table4")]

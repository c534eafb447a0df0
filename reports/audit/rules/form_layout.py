"""Form layout: the template a report follows, and its six sections in order.

The layout of each table is judged by its keys (a 2019 table 二 has 本年新制作数量…), not only
by the report's declared layout. Sections are judged from the raw text's headings; a report
entered by hand has no raw text, and then only a table with no rows at all is missing.
"""

from __future__ import annotations

from reports import schema
from reports.audit.base import Issue, ReportFacts, Severity
from reports.audit.registry import rule
from reports.audit.rules.narrative import headings
from reports.core.cell_reading import table2_layout
from reports.importing.normalize import compact

_ORDER = {key: i for i, (key, _) in enumerate(schema.SECTIONS)}
_OFFICIAL = {key: compact(text) for key, text in schema.SECTIONS}
_VARIANTS = {
    key: tuple(compact(v) for v in variants)
    for key, variants in schema.SECTION_HEADING_VARIANTS.items()
}
_TRAILING = "。:：,，;；"


def _layout_name(layout: str) -> str:
    return schema.LAYOUT_LABELS.get(layout, layout)


@rule("layout-year", Severity.ERROR, "表格版式与报告年度不符")
def layout_year(facts: ReportFacts) -> list[Issue]:
    """layout-year: a table on the template of another year."""
    expected = facts.year_layout
    out: list[Issue] = []
    found: dict[str, str] = {}
    t2 = table2_layout(facts.tables.get("table2") or {})
    if t2 is not None:
        found["table2"] = t2
    t3_rows = facts.tables.get("table3") or {}
    if any(r in t3_rows for r in schema.OTHER_2021_ROWS):
        found["table3"] = schema.Layout.Y2021
    elif schema.OTHER_ONE_ROW in t3_rows and expected == schema.Layout.Y2019:
        found["table3"] = schema.Layout.Y2019
    if not found and facts.layout != expected:
        found["layout"] = facts.layout
    for table, layout in found.items():
        if layout == expected:
            continue
        where = schema.TABLE_LABELS.get(table, "表格")
        out.append(
            Issue(
                "layout-year",
                f"{facts.year} 年度报告应使用{_layout_name(expected)}表格，"
                f"而{where}使用的是{_layout_name(layout)}",
                key=table,
            )
        )
    return out


@rule("section-missing", Severity.ERROR, "缺少章节或章节顺序错误")
@rule("heading-variant", Severity.INFO, "标题或栏目为非标准写法")
def sections(facts: ReportFacts) -> list[Issue]:
    """section-missing and heading-variant, from the raw text (or the tables without it);
    heading-variant also for a 2021 table 三 that prints （六） as one row, the 2019 way."""
    out: list[Issue] = []
    t3_rows = facts.tables.get("table3") or {}
    if (
        facts.year_layout == schema.Layout.Y2021
        and schema.OTHER_ONE_ROW in t3_rows
        and not any(r in t3_rows for r in schema.OTHER_2021_ROWS)
    ):
        out.append(
            Issue(
                "heading-variant",
                "表三将“（六）其他处理”印为一行（2019版写法），2021版应分为逾期不补正、"
                "逾期未缴费、其他三行",
                key="table3.other_processing",
            )
        )
    if not facts.raw_text.strip():
        missing = [key for key in schema.TABLE_KEYS if not facts.tables.get(key)]
        return out + [_missing(key) for key in missing]
    found = headings(facts.raw_text)
    seen = {key for key, _ in found}
    for key, _ in schema.SECTIONS:
        if key not in seen:
            out.append(_missing(key))
    order = [_ORDER[key] for key, _ in found]
    if order != sorted(order):
        printed = " → ".join(line for _, line in found)
        out.append(
            Issue(
                "section-missing",
                f"章节顺序与标准格式不符：{printed}",
                key="order",
            )
        )
    for key, line in found:
        variant = _variant(key, line)
        if variant:
            out.append(variant)
    return out


def _missing(key: str) -> Issue:
    return Issue(
        "section-missing",
        f"缺少“{schema.SECTION_HEADINGS[key]}”部分",
        key=key,
    )


def _variant(key: str, line: str) -> Issue | None:
    """heading-variant when a heading is not the official wording."""
    text = line.rstrip(_TRAILING)
    official = _OFFICIAL[key]
    if text == official or (text.startswith(official) and len(text) > len(official)):
        return None
    if text in _VARIANTS.get(key, ()):
        what = "常见变体"
    else:
        what = "非标准写法"
    return Issue(
        "heading-variant",
        f"标题“{line}”为{what}，标准标题为“{schema.SECTION_HEADINGS[key]}”",
        key=key,
        evidence=line,
    )

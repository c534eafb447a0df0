"""Form layout: the template a report follows, and its six sections in order.

The layout of each table is judged by its keys (a 2019 table 二 has 本年新制作数量…), not only
by the report's declared layout. Sections are judged from the raw text's headings; a report
entered by hand has no raw text, and then only a table with no rows at all is missing.
"""

from __future__ import annotations

from reports import schema
from reports.audit.base import Issue, ReportFacts, Severity
from reports.audit.rules.narrative import headings
from reports.core.cell_reading import table2_layout
from reports.importing.normalize import compact

RULES = ("layout-year", "section-missing", "heading-variant")

_ORDER = {key: i for i, (key, _) in enumerate(schema.SECTIONS)}
_OFFICIAL = {key: compact(text) for key, text in schema.SECTIONS}
_VARIANTS = {
    key: tuple(compact(v) for v in variants)
    for key, variants in schema.SECTION_HEADING_VARIANTS.items()
}
_TRAILING = "。:：,，;；"


def check(facts: ReportFacts) -> list[Issue]:
    """Every layout rule."""
    return layout_year(facts) + sections(facts)


def _layout_name(layout: str) -> str:
    return schema.LAYOUT_LABELS.get(layout, layout)


def layout_year(facts: ReportFacts) -> list[Issue]:
    """layout-year: a table on the template of another year; the one-row （六） as a variant."""
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
                Severity.ERROR,
                f"{facts.year} 年度报告应使用{_layout_name(expected)}表格，"
                f"而{where}使用的是{_layout_name(layout)}",
                key=table,
            )
        )
    if (
        expected == schema.Layout.Y2021
        and schema.OTHER_ONE_ROW in t3_rows
        and "table3" not in found
    ):
        out.append(
            Issue(
                "heading-variant",
                Severity.INFO,
                "表三将“（六）其他处理”印为一行（2019版写法），2021版应分为逾期不补正、"
                "逾期未缴费、其他三行",
                key="table3.other_processing",
            )
        )
    return out


def sections(facts: ReportFacts) -> list[Issue]:
    """section-missing and heading-variant, from the raw text (or the tables without it)."""
    if not facts.raw_text.strip():
        return [_missing(key) for key in schema.TABLE_KEYS if not facts.tables.get(key)]
    found = headings(facts.raw_text)
    out: list[Issue] = []
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
                Severity.ERROR,
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
        Severity.ERROR,
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
        Severity.INFO,
        f"标题“{line}”为{what}，标准标题为“{schema.SECTION_HEADINGS[key]}”",
        key=key,
        evidence=line,
    )

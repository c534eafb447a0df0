"""The audit rule catalogue: every rule id with its severity, Chinese title and check.

Several rules share one pass over the report (the arithmetic rules read table 三 once), so the
runner calls each shared check once and keeps the issues of the rules asked for; a RuleSpec's
own `check` still runs its rule alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from reports.audit.base import (
    AgencyDue,
    Issue,
    ReportFacts,
    ReportRule,
    RuleSpec,
    ScopeRule,
    Severity,
)
from reports.audit.rules import (
    arithmetic,
    copying,
    cross_year,
    fees,
    form_layout,
    narrative_figures,
    plausibility,
    publication,
)

E, W, I_ = Severity.ERROR, Severity.WARNING, Severity.INFO

# (check, {rule id: (severity, title)}) for the per-report checks, in display order.
_REPORT_CHECKS: tuple[
    tuple[Callable[[ReportFacts], list[Issue]], dict[str, tuple[Severity, str]]], ...
] = (
    (
        arithmetic.check,
        {
            "T3-balance": (
                E,
                "表三勾稽关系：本年新收＋上年结转＝办理结果总计＋结转下年度",
            ),
            "T3-results": (E, "表三（七）总计等于各项办理结果之和"),
            "T3-row-total": (E, "表三总计列等于自然人与法人或其他组织各列之和"),
            "T4-total": (E, "表四总计等于结果维持、结果纠正、其他结果、尚未审结之和"),
            "T2-in-force": (W, "表二现行有效件数不少于本年制发减本年废止"),
            "count-invalid": (E, "件数应为非负整数"),
            "blank-cells": (I_, "应填数字的单元格为空白（按 0 核对）"),
            "na-cells": (I_, "应填数字的单元格填为“/”（不适用，按 0 核对）"),
        },
    ),
    (
        cross_year.check,
        {
            "X-carry": (E, "上年结转等于上年度报告的结转下年度"),
            "X-in-force": (W, "现行有效件数与上年度衔接（上年现行有效＋制发－废止）"),
        },
    ),
    (
        form_layout.check,
        {
            "layout-year": (E, "表格版式与报告年度不符"),
            "section-missing": (E, "缺少章节或章节顺序错误"),
            "heading-variant": (I_, "标题或栏目为非标准写法"),
        },
    ),
    (
        narrative_figures.check,
        {
            "text-applications": (W, "正文所述申请数量与表三本年新收总计不符"),
            "text-no-applications": (W, "正文称未收到申请而表三本年新收大于 0"),
            "text-review-litigation": (W, "正文所述行政复议、行政诉讼情况与表四不符"),
            "text-normative": (W, "正文所述规范性文件件数与表二不符"),
        },
    ),
    (publication.late, {"late": (W, "逾期发布年度报告")}),
    (
        fees.check,
        {
            "fee-notice": (W, "有逾期未缴费不再处理的申请，但未说明收费情况"),
            "fee-before-2021": (W, "2021 年以前的报告称收取信息处理费"),
            "fee-multiple": (W, "信息处理费金额不是 10 元的整数倍"),
        },
    ),
    (
        plausibility.t2_regulations,
        {"T2-regulations": (W, "县级及以下机关填报了规章")},
    ),
    (
        copying.copy_previous,
        {"copy-previous": (W, "叙述部分与本机关上年度报告高度雷同")},
    ),
)

_SCOPE_CHECKS: tuple[tuple[ScopeRule, str, Severity, str], ...] = (
    (
        publication.missing_report,
        "missing-report",
        E,
        "应报送机关逾期未报送年度报告",
    ),
    (copying.copy_other, "copy-other", W, "叙述部分与同年度其他机关报告高度雷同"),
)


def _only(check: Callable[[ReportFacts], list[Issue]], rule: str) -> ReportRule:
    def run(facts: ReportFacts) -> list[Issue]:
        return [issue for issue in check(facts) if issue.rule == rule]

    run.__name__ = f"check_{rule.replace('-', '_')}"
    run.__doc__ = f"Rule {rule} alone."
    return run


def _catalogue() -> dict[str, RuleSpec]:
    specs: dict[str, RuleSpec] = {}
    for check, rules in _REPORT_CHECKS:
        for rule, (severity, title) in rules.items():
            one = check if len(rules) == 1 else _only(check, rule)
            specs[rule] = RuleSpec(rule, severity, title, check=one)
    for scope_check, rule, severity, title in _SCOPE_CHECKS:
        specs[rule] = RuleSpec(rule, severity, title, check_scope=scope_check)
    return specs


CATALOGUE: dict[str, RuleSpec] = _catalogue()


def run_report_rules(facts: ReportFacts, only: set[str] | None = None) -> list[Issue]:
    """Every per-report rule (or those in `only`) on one report."""
    issues: list[Issue] = []
    for check, rules in _REPORT_CHECKS:
        if only is not None and only.isdisjoint(rules):
            continue
        found = check(facts)
        if only is not None:
            found = [issue for issue in found if issue.rule in only]
        issues.extend(found)
    return issues


def run_scope_rules(
    reports: Sequence[ReportFacts],
    due: Sequence[AgencyDue],
    today: dt.date,
    only: set[str] | None = None,
) -> list[tuple[int | None, int, Issue]]:
    """Every cross-report rule (or those in `only`): (report id or None, agency id, issue)."""
    out: list[tuple[int | None, int, Issue]] = []
    for scope_check, rule, _, _ in _SCOPE_CHECKS:
        if only is not None and rule not in only:
            continue
        out.extend(scope_check(reports, due, today))
    return out


def rule_ids(severities: Iterable[Severity] | None = None) -> list[str]:
    """Catalogue ids, optionally only those of some severities."""
    wanted = set(severities) if severities is not None else None
    return [
        rule
        for rule, spec in CATALOGUE.items()
        if wanted is None or spec.severity in wanted
    ]


def rule_title(rule_id: str) -> str:
    """The Chinese title of a rule id ("" for an id the catalogue no longer has)."""
    spec = CATALOGUE.get(rule_id)
    return spec.title if spec is not None else ""


def rule_label(rule_id: str) -> str:
    """A rule id with its title, as lists and exports show it: "late 逾期发布年度报告"."""
    title = rule_title(rule_id)
    return f"{rule_id} {title}" if title else rule_id

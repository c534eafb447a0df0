"""Copying: near-identical narratives, last year's or another agency's."""

from __future__ import annotations

import datetime as dt
import random

from reports.audit.rules import copying, run_scope_rules
from tests.reports.audit.builders import facts

WORDS = (
    "加强组织领导",
    "完善工作机制",
    "规范公开流程",
    "强化保密审查",
    "优化网站栏目",
    "回应社会关切",
    "做好政策解读",
    "推进标准化建设",
    "提升答复质量",
    "开展业务培训",
    "落实考核评议",
    "拓展公开渠道",
    "健全审核制度",
    "加大公开力度",
    "深化重点领域公开",
)


def prose(seed: int, clauses: int = 40) -> str:
    rng = random.Random(seed)
    return (
        "，".join(
            f"{rng.choice(WORDS)}{rng.choice('一二三四五六七八九')}项{rng.choice(WORDS)}"
            for _ in range(clauses)
        )
        + "。"
    )


def report(
    text: str,
    *,
    agency: str = "甲县卫生健康局",
    agency_id: int = 1,
    year: int = 2024,
    report_id: int = 1,
    previous=None,
):
    return facts(
        sections={"overview": text, "problems": "", "other_matters": "无。"},
        agency=agency,
        agency_id=agency_id,
        year=year,
        report_id=report_id,
        previous=previous,
    )


def test_a_copy_of_last_year_warns() -> None:
    before = report(prose(1), year=2023)
    now = report(prose(1).replace("2023", "2024"), previous=before)
    [issue] = copying.copy_previous(now)
    assert issue.rule == "copy-previous" and "2023" in issue.message


def test_a_rewritten_report_passes() -> None:
    before = report(prose(1), year=2023)
    assert copying.copy_previous(report(prose(2), previous=before)) == []


def test_short_narratives_are_ignored() -> None:
    before = report("本年度工作稳步推进。", year=2023)
    assert copying.copy_previous(report("本年度工作稳步推进。", previous=before)) == []


def test_copy_between_agencies_of_a_year_is_found_and_named() -> None:
    reports = [
        report(prose(i), agency=f"机关{i}", agency_id=i, report_id=i)
        for i in range(1, 30)
    ]
    reports.append(report(prose(7), agency="抄袭局", agency_id=99, report_id=99))
    found = run_scope_rules(reports, [], dt.date(2025, 6, 1), only={"copy-other"})
    assert {(r, a, i.key) for r, a, i in found} == {(99, 99, "7"), (7, 7, "99")}
    assert all("相似度" in i.message for _, _, i in found)


def test_the_agency_name_does_not_make_texts_differ() -> None:
    a = report(
        "甲县卫生健康局" + prose(3), agency="甲县卫生健康局", agency_id=1, report_id=1
    )
    b = report(
        "乙县卫生健康局" + prose(3), agency="乙县卫生健康局", agency_id=2, report_id=2
    )
    found = run_scope_rules([a, b], [], dt.date(2025, 6, 1), only={"copy-other"})
    assert len(found) == 2


def test_boilerplate_shared_by_many_reports_is_not_copying() -> None:
    # Every report prints the same template; each adds little of its own.
    template = prose(5)
    reports = [
        report(
            template + f"本机关特色工作{i}", agency=f"机关{i}", agency_id=i, report_id=i
        )
        for i in range(1, 40)
    ]
    assert run_scope_rules(reports, [], dt.date(2025, 6, 1), only={"copy-other"}) == []

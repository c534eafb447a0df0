"""信息处理费: the fee regime of 国办函〔2020〕109号, in force for report years 2021 on.

Fees are charged per item or per page at 10-yuan multiples, reported in section 六 in 元. A
2021-layout table 三 counts applications dropped because a fee notice went unpaid; such a
report should say something about the fee in section 六.
"""

from __future__ import annotations

import re
from decimal import Decimal

from reports.audit.base import Issue, ReportFacts, Severity
from reports.audit.registry import rule
from reports.audit.rules.narrative import narrative, section, sentences
from reports.audit.tables import table_reader
from reports.core.cell_reading import fmt

FEE_REGIME_YEAR = 2021
_AMOUNT = re.compile(
    r"信息处理费(?:[^。;,\d]{0,10}?)(?P<n>\d+(?:\.\d+)?)(?P<unit>万元|元)"
)
_COLLECTED = re.compile(
    r"(?:已|共|累计|合计|实际|共计)?收取(?:了)?(?:政府信息公开)?信息处理费"
)
_NEGATED = re.compile(r"未|没有|不|无|免|暂停|尚未")
_HYPOTHETICAL = re.compile(r"将|拟|规定|办法|标准|按照|依照|依据|如|若|需|应")
_NOTICE_WORDS = ("收费通知", "信息处理费", "缴费通知", "缴纳费用")


@rule("fee-notice", Severity.WARNING, "有逾期未缴费不再处理的申请，但未说明收费情况")
def fee_notice(facts: ReportFacts) -> list[Issue]:
    """fee-notice: applications dropped for an unpaid fee, and section 六 says nothing of it."""
    reader = table_reader(facts)
    item = reader.known("table3", "other_fee_unpaid", "total")
    if item is None or item.value <= 0:
        return []
    other = section(facts, "other_matters")
    if not other and not facts.raw_text:
        return []  # nothing known about section 六 (a hand-entered report without prose)
    if any(word in other for word in _NOTICE_WORDS):
        return []
    return [
        Issue(
            "fee-notice",
            f"{reader.label('table3', 'other_fee_unpaid', 'total')}为 "
            f"{fmt(item.value)}，但“六、其他需要报告的事项”未说明收费通知或信息处理费情况",
            key="other_fee_unpaid",
            cells=(item.ref(),),
        )
    ]


def _yuan(number: str, unit: str) -> Decimal:
    value = Decimal(number)
    return value * 10000 if unit == "万元" else value


@rule("fee-before-2021", Severity.WARNING, "2021 年以前的报告称收取信息处理费")
@rule("fee-multiple", Severity.WARNING, "信息处理费金额不是 10 元的整数倍")
def fee_statements(facts: ReportFacts) -> list[Issue]:
    """fee-before-2021 and fee-multiple, from the sentences that name 信息处理费."""
    text = narrative(facts)
    if "信息处理费" not in text:
        return []
    out: list[Issue] = []
    before_regime = facts.year < FEE_REGIME_YEAR
    for sentence in sentences(text, "信息处理费"):
        amounts = [_yuan(m["n"], m["unit"]) for m in _AMOUNT.finditer(sentence)]
        # A stated amount decides ("收取信息处理费 0 元" collected nothing).
        collected = (
            not amounts
            and _COLLECTED.search(sentence) is not None
            and not _NEGATED.search(sentence)
            and not _HYPOTHETICAL.search(sentence)
        )
        if before_regime and (collected or any(a > 0 for a in amounts)):
            out.append(
                Issue(
                    "fee-before-2021",
                    f"{facts.year} 年度报告称收取了信息处理费，而信息处理费自 2021 年起"
                    "才按《政府信息公开信息处理费管理办法》收取",
                    key="fee-before-2021",
                    evidence=sentence,
                )
            )
            before_regime = False  # once per report
        for amount in amounts:
            if amount % 10 != 0:
                out.append(
                    Issue(
                        "fee-multiple",
                        f"信息处理费 {fmt(amount)} 元不是 10 元的整数倍（按件、按量计收的"
                        "标准均为 10 元的整数倍）",
                        key=fmt(amount),
                        evidence=sentence,
                    )
                )
    return out

"""Publication: reports published after the deadline, and agencies that have not reported."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from reports.audit.base import AgencyDue, Issue, ReportFacts, Severity
from reports.audit.registry import rule


@rule("late", Severity.WARNING, "逾期发布年度报告")
def late(facts: ReportFacts) -> list[Issue]:
    """late: published after the deadline for this agency's kind."""
    published, deadline = facts.publication_date, facts.deadline
    if published is None or deadline is None or published <= deadline:
        return []
    days = (published - deadline).days
    return [
        Issue(
            "late",
            f"发布日期 {published.isoformat()} 晚于截止日 {deadline.isoformat()}"
            f"（晚 {days} 天）",
        )
    ]


@rule("missing-report", Severity.ERROR, "应报送机关逾期未报送年度报告", scope=True)
def missing_report(
    reports: Sequence[ReportFacts], due: Sequence[AgencyDue], today: dt.date
) -> Iterator[tuple[int | None, int, Issue]]:
    """missing-report: an active agency with no report once its deadline has passed."""
    for item in due:
        if item.has_report or today <= item.deadline:
            continue
        yield (
            None,
            item.agency_id,
            Issue(
                "missing-report",
                f"{item.agency}未提交 {item.year} 年度报告，截止日 "
                f"{item.deadline.isoformat()} 已过",
                year=item.year,
            ),
        )

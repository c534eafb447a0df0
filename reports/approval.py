"""What stands between a report and 审核通过: its open 错误 findings, and the province's rule.

`REPORTS_APPROVE_WITH_ERRORS` (settings) is "confirm" — the reviewer sees the errors and
approves with a reason, kept in the history — or "refuse": the errors must be handled first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User

from reports.audit.runner import AuditAlreadyRunning, AuditScope, audit_run
from reports.models import UNRESOLVED_FINDING, Finding

CONFIRM = "confirm"
REFUSE = "refuse"


def approval_policy() -> str:
    """The province's rule for approving with open errors: CONFIRM or REFUSE."""
    return getattr(settings, "REPORTS_APPROVE_WITH_ERRORS", CONFIRM)


def open_errors(report_ids: Iterable[int]) -> dict[int, list[Finding]]:
    """Report id -> its open error-severity findings, by rule (reports without: absent)."""
    found: dict[int, list[Finding]] = defaultdict(list)
    for finding in Finding.objects.filter(
        report_id__in=list(report_ids),
        severity=Finding.Severity.ERROR,
        status__in=UNRESOLVED_FINDING,
    ).order_by("rule", "pk"):
        assert finding.report_id is not None  # the query took only these reports'
        found[finding.report_id].append(finding)
    return dict(found)


class AuditBeforeApprovalBusy(RuntimeError):
    """The reports could not be audited before approval: another audit run is going."""


def findings_refresh(report_ids: Iterable[int], *, user: User) -> None:
    """Audit these reports now (the per-report rules), so that the gate judges what they
    say today: a revision just imported or made by 建立新版次 has no findings until an
    audit runs. Raises AuditBeforeApprovalBusy (a Chinese message) while another run holds
    the audit lock."""
    try:
        audit_run(
            AuditScope(report_ids=tuple(report_ids)),
            trigger="审核通过前复核",
            user=user,
        )
    except AuditAlreadyRunning as exc:
        raise AuditBeforeApprovalBusy(
            f"审核通过前须按年报的最新内容重新审核，但{exc}"
        ) from None


def errors_summary(findings: list[Finding]) -> str:
    """The errors in one line for messages and the history: 2 条错误（T3-01、T4-02）."""
    rules = "、".join(dict.fromkeys(f.rule for f in findings))
    return f"{len(findings)} 条未处理的错误（{rules}）"

"""A reviewer's decision on findings: confirm, dismiss or mark fixed (with a reason)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from reports.models import ChangeRecord, Finding

Status = Finding.Status
DECISIONS = (Status.CONFIRMED, Status.DISMISSED, Status.FIXED, Status.OPEN)
# A dismissal says why the finding is not a problem; a hand-made 已消除 says how it was put
# right (the audit itself closes findings whose cause is gone, and reopens them if it is
# back). Both are refused without a reason.
REASON_REQUIRED: dict[str, str] = {
    Status.DISMISSED: "排除发现必须填写理由（为什么这不是问题）。",
    Status.FIXED: "手动标记为已消除必须填写理由（如何更正的，例如“单位已重新报送”）。",
}
# Findings a run keeps track of (a dismissed one stays, so that it is not raised again).
ACTIVE = (Status.OPEN, Status.CONFIRMED, Status.DISMISSED)
WITHDRAWN_REASON = "年报已撤回"


class ReviewError(ValueError):
    """A decision that cannot be recorded (e.g. a dismissal without a reason)."""


def review_problem(status: str, reason: str) -> str | None:
    """Why a decision cannot be recorded, in Chinese, or None when it can."""
    if status not in DECISIONS:
        return f"不能把发现设为“{status}”。"
    if not reason.strip():
        return REASON_REQUIRED.get(status)
    return None


@transaction.atomic
def findings_review(
    *, findings: QuerySet[Finding], status: str, reason: str, user: User
) -> int:
    """Record a decision on findings; fixed ones are left alone (the next audit run
    reopens a fixed finding whose cause is back). Returns how many changed."""
    reason = reason.strip()
    problem = review_problem(status, reason)
    if problem is not None:
        raise ReviewError(problem)
    targets = list(
        findings.exclude(status=Status.FIXED)
        .select_for_update()
        .values_list("pk", "status", "report_id", "rule")
    )
    now = timezone.now()
    changed = Finding.objects.filter(pk__in=[t[0] for t in targets]).update(
        status=status,
        reason=reason,
        reviewed_by=user,
        reviewed_at=now,
        fixed_at=now if status == Status.FIXED else None,
    )
    findings_history(targets, status, user=user, reason=reason)
    return changed


def findings_close_for_withdrawn(report_id: int, *, user: User | None) -> int:
    """Close the findings of a report just withdrawn: it is no longer on file, so they are
    no longer problems to handle (the next audit would close them too). Returns how many."""
    targets = list(
        Finding.objects.filter(report_id=report_id, status__in=ACTIVE)
        .select_for_update()
        .values_list("pk", "status", "report_id", "rule")
    )
    closed = Finding.objects.filter(pk__in=[t[0] for t in targets]).update(
        status=Finding.Status.FIXED, fixed_at=timezone.now()
    )
    findings_history(targets, Finding.Status.FIXED, user=user, reason=WITHDRAWN_REASON)
    return closed


def findings_history(
    targets: Sequence[tuple[int, str, int | None, str]],
    status: str,
    *,
    user: User | None,
    reason: str,
) -> None:
    """One history record per report: which of its findings moved from what to what."""
    by_report: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for pk, before, report_id, rule in targets:
        if report_id is not None and before != status:
            by_report[report_id][f"审核发现 #{pk}（{rule}）"] = [before, status]
    ChangeRecord.objects.bulk_create(
        ChangeRecord(
            report_id=report_id,
            action=ChangeRecord.Action.FINDING,
            user=user if user is not None and user.is_authenticated else None,
            changes=changes,
            reason=reason,
        )
        for report_id, changes in by_report.items()
    )

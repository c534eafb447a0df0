"""A reviewer's decision on findings: confirm, or dismiss with a reason."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from reports.models import ChangeRecord, Finding

DECISIONS = (Finding.Status.CONFIRMED, Finding.Status.DISMISSED, Finding.Status.OPEN)
# Findings a run keeps track of (a dismissed one stays, so that it is not raised again).
ACTIVE = (Finding.Status.OPEN, Finding.Status.CONFIRMED, Finding.Status.DISMISSED)
WITHDRAWN_REASON = "年报已撤回"


class ReviewError(ValueError):
    """A decision that cannot be recorded (e.g. a dismissal without a reason)."""


@transaction.atomic
def findings_review(
    *, findings: QuerySet[Finding], status: str, reason: str, user: AbstractBaseUser
) -> int:
    """Record a decision on findings; fixed ones are left alone. Returns how many changed."""
    reason = reason.strip()
    if status not in DECISIONS:
        raise ReviewError(f"不能把发现设为“{status}”")
    if status == Finding.Status.DISMISSED and not reason:
        raise ReviewError("排除发现必须填写理由")
    targets = list(
        findings.exclude(status=Finding.Status.FIXED)
        .select_for_update()
        .values_list("pk", "status", "report_id", "rule")
    )
    changed = Finding.objects.filter(pk__in=[t[0] for t in targets]).update(
        status=status, reason=reason, reviewed_by=user, reviewed_at=timezone.now()
    )
    findings_history(targets, status, user=user, reason=reason)
    return changed


def findings_close_for_withdrawn(
    report_id: int, *, user: AbstractBaseUser | None
) -> int:
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
    targets: list[tuple[int, str, int | None, str]],
    status: str,
    *,
    user: AbstractBaseUser | None,
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

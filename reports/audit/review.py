"""A reviewer's decision on findings: confirm, or dismiss with a reason."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from reports.models import Finding

DECISIONS = (Finding.Status.CONFIRMED, Finding.Status.DISMISSED, Finding.Status.OPEN)


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
    return (
        findings.exclude(status=Finding.Status.FIXED)
        .select_for_update()
        .update(
            status=status, reason=reason, reviewed_by=user, reviewed_at=timezone.now()
        )
    )

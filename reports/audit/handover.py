"""When a revision awaiting review is accepted, its findings become the agency's year's.

While pending, its findings carry fingerprints naming the revision ("|第N版"), beside the
findings of the revision in force. On acceptance they take the plain fingerprint, with the
reviewer's decisions on them; the replaced revision's finding of the same problem keeps its
own decisions under its revision's name and closes as superseded. Without this the next
audit would move the old revision's findings (and decisions) onto the new one and close
the new one's as fixed.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from reports.audit.review import ACTIVE, findings_history
from reports.models import (
    AnnualReport,
    Finding,
    base_fingerprint,
    revision_fingerprint,
)


@transaction.atomic
def findings_hand_over(report: AnnualReport, replaced: list[AnnualReport]) -> int:
    """Re-key the findings of `report` (just put in force) to the plain fingerprint,
    closing the `replaced` revisions' findings they take over. Returns how many closed."""
    suffix = revision_fingerprint("", report.revision)
    pending = {
        base_fingerprint(f.fingerprint): f
        for f in Finding.objects.filter(
            report=report, fingerprint__endswith=suffix
        ).select_for_update()
    }
    if not pending:
        return 0
    revisions = {r.pk: r.revision for r in replaced}
    old = list(
        Finding.objects.filter(
            fingerprint__in=list(pending), report_id__in=list(revisions)
        ).select_for_update()
    )
    now = timezone.now()
    closing = [(f.pk, f.status, f.report_id, f.rule) for f in old if f.status in ACTIVE]
    for finding in old:
        assert finding.report_id is not None  # the query took only these reports'
        finding.fingerprint = revision_fingerprint(
            finding.fingerprint, revisions[finding.report_id]
        )
        if finding.status in ACTIVE:
            finding.status, finding.fixed_at = Finding.Status.FIXED, now
    Finding.objects.bulk_update(old, ["fingerprint", "status", "fixed_at"])
    for base, finding in pending.items():
        finding.fingerprint = base
    Finding.objects.bulk_update(list(pending.values()), ["fingerprint"])
    findings_history(
        closing,
        Finding.Status.FIXED,
        user=None,
        reason=f"第 {report.revision} 版审核通过，由其审核发现取代",
    )
    return len(closing)

"""The review workflow: 草稿 → 已提交 → 审核中 → 退回修改 / 审核通过, and what follows.

Every move is checked here (allowed transition, the user's permission and region scope, a
reason where one is required), recorded as a ReportTransition and in the change history,
and bumps the report's version so that a form opened before it cannot overwrite it.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import F

from agencies.scope import scope_for
from reports.approval import (
    REFUSE,
    AuditBeforeApprovalBusy,
    approval_policy,
    errors_summary,
    findings_refresh,
    open_errors,
)
from reports.audit.handover import findings_hand_over
from reports.audit.review import findings_close_for_withdrawn
from reports.history import change_record
from reports.importing.apply import copy_as_new_revision, revision_put_in_force
from reports.models import AnnualReport, ChangeRecord, ReportTransition

Status = AnnualReport.Status

# (from, to) -> what the user must be allowed: "submit" (the filer's side) or "review".
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, Status.SUBMITTED): "submit",
    (Status.RETURNED, Status.SUBMITTED): "submit",
    (Status.SUBMITTED, Status.IN_REVIEW): "review",
    (Status.SUBMITTED, Status.RETURNED): "review",
    (Status.IN_REVIEW, Status.RETURNED): "review",
    (Status.IN_REVIEW, Status.ACCEPTED): "review",
}
REASON_REQUIRED = frozenset({Status.RETURNED})
EDITABLE = frozenset(
    {Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.RETURNED}
)
FILER_EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})


class WorkflowError(ValueError):
    """A move the workflow does not allow; the message says why, in Chinese."""


def can_act(user: User, report: AnnualReport, side: str) -> bool:
    """Whether `user` may take a step of this side on this report (permission and scope)."""
    if not scope_for(user).filter(AnnualReport.objects.filter(pk=report.pk)).exists():
        return False
    if side == "review":
        return user.has_perm("reports.review_annualreport")
    return user.has_perm("reports.change_annualreport")


def can_edit(user: User | AnonymousUser, report: AnnualReport) -> bool:
    """Accepted and withdrawn reports are read-only; a filer edits only drafts and returns."""
    if report.withdrawn or report.status not in EDITABLE or not report.is_current:
        return False
    if not user.has_perm("reports.review_annualreport"):
        return report.status in FILER_EDITABLE
    return True


@transaction.atomic
def report_transition(
    *,
    report: AnnualReport,
    to_status: str,
    user: User,
    reason: str = "",
    audited: bool = False,
) -> ReportTransition:
    """Move a report to `to_status`, or raise WorkflowError saying why not. `audited`:
    the caller audited the report in this request already (the admin does, to show the
    errors to confirm), so approving does not audit it a second time."""
    locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
    side = TRANSITIONS.get((locked.status, to_status))
    if side is None:
        raise WorkflowError(
            f"“{locked.get_status_display()}”的年报不能改为“{Status(to_status).label}”"
        )
    if locked.withdrawn:
        raise WorkflowError("年报已撤回，不能再流转")
    if not locked.is_current:
        raise WorkflowError(superseded_message(locked))
    if not can_act(user, locked, side):
        raise WorkflowError("您没有权限对这份年报执行此操作")
    reason = reason.strip()
    if to_status in REASON_REQUIRED and not reason:
        raise WorkflowError("退回修改必须填写理由，以便填报单位修改")
    if to_status == Status.ACCEPTED:
        reason = _approval_reason(locked, reason, user, audited)
    before = locked.status
    AnnualReport.objects.filter(pk=locked.pk).update(
        status=to_status, version=F("version") + 1, updated_by=user
    )
    report.refresh_from_db()
    if to_status == Status.ACCEPTED:
        replaced = revision_put_in_force(report)
        # Its findings (and the reviewer's decisions on them) become the agency's year's.
        findings_hand_over(report, replaced)
    transition = ReportTransition.objects.create(
        report=report, from_status=before, to_status=to_status, user=user, reason=reason
    )
    change_record(
        report=report,
        action=ChangeRecord.Action.STATUS,
        user=user,
        changes={"status": (before, to_status)},
        reason=reason,
    )
    return transition


def superseded_message(report: AnnualReport) -> str:
    """Why an older revision takes no workflow step: a newer one has replaced it."""
    return f"第 {report.revision} 版已有更新的版次，旧版次不能再流转；请打开现行版次后再操作"


def _approval_reason(
    report: AnnualReport, reason: str, user: User, audited: bool
) -> str:
    """The reason to record for approving `report`, or WorkflowError: it is audited first
    (its findings may predate an import); with open errors the province's rule either
    refuses or asks for a reason (kept with the error list)."""
    if not audited:
        try:
            findings_refresh([report.pk], user=user)
        except AuditBeforeApprovalBusy as exc:
            raise WorkflowError(str(exc)) from None
    errors = open_errors([report.pk]).get(report.pk)
    if not errors:
        return reason
    summary = errors_summary(errors)
    if approval_policy() == REFUSE:
        raise WorkflowError(
            f"尚有 {summary}，按本省规定不能审核通过：请先退回修改，或在审核发现中处理这些错误"
        )
    if not reason:
        raise WorkflowError(f"尚有 {summary}，审核通过须确认并填写理由")
    return f"确认带 {summary}审核通过：{reason}"


@transaction.atomic
def report_withdraw(*, report: AnnualReport, user: User, reason: str) -> None:
    """Mark a report withdrawn (never deleted): it leaves the lists and the audit, its
    findings close, its history stays."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError("撤回年报必须填写原因")
    locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if locked.withdrawn:
        raise WorkflowError("年报已撤回")
    if not locked.is_current:
        raise WorkflowError(superseded_message(locked))
    if not can_act(user, locked, "review"):
        raise WorkflowError("您没有权限撤回这份年报")
    AnnualReport.objects.filter(pk=report.pk).update(
        withdrawn=True,
        withdrawn_reason=reason,
        version=F("version") + 1,
        updated_by=user,
    )
    report.refresh_from_db()
    change_record(
        report=report,
        action=ChangeRecord.Action.WITHDRAWN,
        user=user,
        changes={"withdrawn": (False, True)},
        reason=reason,
    )
    findings_close_for_withdrawn(report.pk, user=user)


@transaction.atomic
def report_supersede(
    *, report: AnnualReport, user: User, reason: str = ""
) -> AnnualReport:
    """An accepted report is never edited: start a new draft revision copied from it.

    Checked on the locked row, so a second click (or a colleague's) made while the first
    was saving is refused instead of making a second current revision."""
    locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if locked.withdrawn:
        raise WorkflowError("年报已撤回，不能再建立新版次")
    if not locked.is_current:
        raise WorkflowError(
            f"第 {locked.revision} 版已有更新的版次，不能再以它建立新版次；"
            "请打开现行版次"
        )
    if locked.status != Status.ACCEPTED:
        raise WorkflowError(
            "只有现行的“审核通过”年报需要以新版次修改；其他状态可直接修改"
        )
    if not can_act(user, locked, "submit"):
        raise WorkflowError("您没有权限为这份年报建立新版次")
    revision = copy_as_new_revision(locked, user=user)
    report.refresh_from_db()
    change_record(
        report=revision,
        action=ChangeRecord.Action.REVISED,
        user=user,
        changes={"revision": (report.revision, revision.revision)},
        reason=reason or f"在第 {report.revision} 版（已审核通过）基础上修改",
    )
    return revision

"""The report page's own tools: the workflow buttons and the print view.

A mixin for AnnualReportAdmin. Each button posts to `<id>/move/<step>/` with the version the
page showed; a step that needs a reason (or a confirmation, when approving with open errors)
asks for it on a page of its own first. The rules stay in reports.workflow: this module only
offers the steps the user may take and reports the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from agencies.admin.mixin_base import AdminMixinBase
from reports import schema
from reports.admin.reason_page import (
    ApproveForm,
    ReasonForm,
    reason_page,
    report_label,
    report_name,
)
from reports.approval import (
    REFUSE,
    AuditBeforeApprovalBusy,
    approval_policy,
    errors_summary,
    findings_refresh,
    open_errors,
)
from reports.forms import ReportForm
from reports.models import AnnualReport
from reports.revision_state import revision_note
from reports.workflow import (
    TRANSITIONS,
    WorkflowError,
    report_supersede,
    report_transition,
    report_withdraw,
)

Status = AnnualReport.Status


@dataclass(frozen=True)
class Step:
    """A workflow button: where it leads, which side may press it, whether it asks why."""

    key: str
    label: str
    side: str  # "submit" (the filer's side) or "review"
    to_status: str = ""  # empty for 建立新版次 and 撤回
    reason: bool = False


STEPS: dict[str, Step] = {
    step.key: step
    for step in (
        Step("submit", "提交", "submit", Status.SUBMITTED),
        Step("review", "受理", "review", Status.IN_REVIEW),
        Step("return", "退回修改", "review", Status.RETURNED, reason=True),
        Step("accept", "审核通过", "review", Status.ACCEPTED),
        Step("revise", "建立新版次", "submit"),
        Step("withdraw", "撤回", "review", reason=True),
    )
}


@dataclass(frozen=True)
class StepButton:
    """A step as the page offers it: `blocked` says why it cannot be pressed, if so."""

    step: Step
    blocked: str = ""
    note: str = ""


def steps_for(user, report: AnnualReport) -> list[StepButton]:
    """The steps `user` may take on `report` now, in the order of the workflow.

    `report` is the page's, read through the admin's queryset, which is already limited to
    the user's region scope: only the permissions are left to check here (the workflow
    service checks both again when a step is taken).
    """
    if report.withdrawn or not report.is_current:
        return []
    sides = {
        "submit": user.has_perm("reports.change_annualreport"),
        "review": user.has_perm("reports.review_annualreport"),
    }
    buttons = []
    for step in STEPS.values():
        if not sides[step.side]:
            continue
        if step.to_status:
            if TRANSITIONS.get((report.status, step.to_status)) != step.side:
                continue
        elif step.key == "revise" and report.status != Status.ACCEPTED:
            continue
        buttons.append(_button(step, report))
    return buttons


def _button(step: Step, report: AnnualReport) -> StepButton:
    if step.key != "accept":
        return StepButton(step)
    errors = open_errors([report.pk]).get(report.pk)
    if not errors:
        return StepButton(step)
    summary = errors_summary(errors)
    if approval_policy() == REFUSE:
        return StepButton(step, blocked=f"尚有 {summary}，按本省规定须先处理")
    return StepButton(step, note=f"尚有 {summary}，须确认并填写理由")


class ReportPageAdminMixin(AdminMixinBase):
    """The views of `<id>/move/<step>/` (the workflow buttons) and `<id>/print/` (the print
    view); AnnualReportAdmin.get_urls routes them."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self.get_object(request, unquote(object_id))
        extra = dict(extra_context or {})
        if report is not None:
            extra["steps"] = steps_for(request.user, report)
            extra["revision_note"] = revision_note(report)
        return super().change_view(request, object_id, form_url, extra)

    def move_view(
        self, request: HttpRequest, object_id: str, step: str
    ) -> HttpResponse:
        """Take one workflow step on one report, asking for a reason where one is due."""
        report = self.get_object(request, unquote(object_id))
        if report is None:
            return self._get_obj_does_not_exist_redirect(
                request,
                self.opts,
                object_id,
            )
        chosen = STEPS.get(step)
        if chosen is None:
            raise Http404("没有这个审核操作")
        page = reverse("admin:reports_annualreport_change", args=[report.pk])
        if request.method != "POST":
            return HttpResponseRedirect(page)
        seen = request.POST.get("version", "")
        if seen != str(report.version):
            self.message_user(
                request,
                f"未执行“{chosen.label}”：您打开页面后，这份年报已被修改或流转"
                f"（当前状态：{report.get_status_display()}，版本 {report.version}）。"
                "请查看最新内容后再操作。",
                messages.ERROR,
            )
            return HttpResponseRedirect(page)
        if chosen.key == "accept":
            # The errors to confirm are those of what the report says now.
            try:
                findings_refresh([report.pk], user=request.user)
            except AuditBeforeApprovalBusy as exc:
                self.message_user(
                    request, f"{chosen.label}未执行：{exc}", messages.ERROR
                )
                return HttpResponseRedirect(page)
        form = self._step_form(request, chosen, report)
        if form is not None and not (form.is_bound and form.is_valid()):
            return self._step_page(request, chosen, report, form, page)
        reason = form.cleaned_data["reason"].strip() if form is not None else ""
        try:
            target = _perform(chosen, report, request.user, reason)
        except WorkflowError as exc:
            self.message_user(request, f"{chosen.label}未执行：{exc}", messages.ERROR)
            return HttpResponseRedirect(page)
        done = (
            f"已建立第 {target.revision} 版（草稿），现在打开的是新版次。"
            if chosen.key == "revise"
            else f"已{chosen.label}。"
        )
        self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(
            reverse("admin:reports_annualreport_change", args=[target.pk])
        )

    def _step_form(self, request: HttpRequest, step: Step, report: AnnualReport):
        """The reason (or approval) form a step needs, bound once it is posted back."""
        data = request.POST if "apply" in request.POST else None
        if step.key == "accept":
            errors = open_errors([report.pk]).get(report.pk)
            if errors and approval_policy() != REFUSE:
                return ApproveForm(data)
            return None
        if not step.reason:
            return None
        form = ReasonForm(data)
        form.fields["reason"].required = True
        form.fields["reason"].error_messages["required"] = (
            f"{step.label}必须填写{'原因' if step.key == 'withdraw' else '理由'}"
        )
        return form

    def _step_page(
        self, request: HttpRequest, step: Step, report: AnnualReport, form, page: str
    ) -> TemplateResponse:
        errors = (
            open_errors([report.pk]).get(report.pk) if step.key == "accept" else None
        )
        label = report_name(report)
        return reason_page(
            request,
            self,
            title=f"{step.label}：{label}",
            verb=step.label,
            items=[report_label(report)],
            form=form,
            flagged=[(label, errors)] if errors else [],
            form_action=request.path,
            hidden=[("version", report.version)],
            cancel_url=page,
            reason_label="原因"
            if step.key == "withdraw"
            else "理由（填报单位将看到这段意见）"
            if step.key == "return"
            else "理由",
        )

    def print_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The report as the paper form prints it: A4, no admin around it."""
        report = self.get_object(request, unquote(object_id))
        if report is None or not self.has_view_permission(request, report):
            return self._get_obj_does_not_exist_redirect(
                request,
                self.opts,
                object_id,
            )
        tables = ReportForm(instance=report).grid_tables
        context = {
            "report": report,
            "revision_note": revision_note(report),
            "title": report.title
            or f"{report.agency.name}{report.report_year.year}年政府信息公开工作年度报告",
            "overview": _section(report, "overview"),
            "closing": [
                _section(report, "problems"),
                _section(report, "other_matters"),
            ],
            "tables": tables,
            "printed_at": timezone.localtime(),
            "printed_by": request.user,
            "back_url": reverse("admin:reports_annualreport_change", args=[report.pk]),
        }
        return TemplateResponse(request, "reports/print.html", context)


def _section(report: AnnualReport, name: str) -> tuple[str, list[str]]:
    """A narrative section's heading and its paragraphs (one per line, as the form prints)."""
    text = getattr(report, name)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return schema.SECTION_HEADINGS[name], lines


def _perform(step: Step, report: AnnualReport, user, reason: str) -> AnnualReport:
    """Carry out a step through the workflow service; the report to show next."""
    if step.key == "revise":
        return report_supersede(report=report, user=user)
    if step.key == "withdraw":
        report_withdraw(report=report, user=user, reason=reason)
    else:
        # An approval was audited by move_view in this request already.
        report_transition(
            report=report,
            to_status=step.to_status,
            user=user,
            reason=reason,
            audited=step.key == "accept",
        )
    return report

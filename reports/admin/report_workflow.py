"""The workflow side of the report admin: scope, who may edit, transitions, bulk actions.

A mixin for AnnualReportAdmin, so that the report admin keeps its list and grid while this
module owns the rules of who may do what to which report.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from agencies.admin.scoped import ScopedAdminMixin
from reports.admin.reason_page import (
    ApproveForm,
    ReasonForm,
    reason_page,
    report_label,
)
from reports.admin.report_history import change_label, history_entries
from reports.approval import (
    REFUSE,
    AuditBeforeApprovalBusy,
    approval_policy,
    findings_refresh,
    open_errors,
)
from reports.editing import EDITABLE_FIELDS, EditResult, report_create, report_edit
from reports.models import AnnualReport
from reports.workflow import (
    WorkflowError,
    can_edit,
    report_supersede,
    report_transition,
    report_withdraw,
)

Status = AnnualReport.Status


class ReportWorkflowAdminMixin(ScopedAdminMixin):
    """Region scope, edit rights by status and role, workflow actions and the history."""

    scope_agency = "agency"
    workflow_actions = [
        "submit_reports",
        "start_review",
        "return_reports",
        "accept_reports",
        "withdraw_reports",
        "new_revision",
    ]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # withdrawn, never deleted: the history must stay

    def has_review_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("reports.review_annualreport")

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        # Status moves only through the workflow actions, which record who and why.
        return [*fields, "status", "version", "withdrawn", "withdrawn_reason"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if report is not None:
            extra["transitions"] = list(report.transitions.select_related("user"))
            extra["history"] = history_entries(
                list(report.changes.select_related("user")[:100]), report.layout
            )
        return super().change_view(request, object_id, form_url, extra)

    def save_model(self, request, obj: AnnualReport, form, change) -> None:
        """Every hand edit through the one editing service: lock, version, one record."""
        if not change:
            report_create(report=obj, user=request.user)
            return
        # form.clean has locked the row and checked the version in this transaction.
        form.edit_result = report_edit(
            report=obj,
            user=request.user,
            values={
                name: form.cleaned_data[name]
                for name in EDITABLE_FIELDS
                if name in form.cleaned_data
            },
            cells=getattr(form, "cell_changes", {}),
            expected_version=form.cleaned_data.get("expected_version") or 0,
        )

    def construct_change_message(self, request, form, formsets, add=False) -> list:
        """The admin log names what the service changed, not what the browser resent."""
        result: EditResult | None = getattr(form, "edit_result", None)
        if add or result is None:
            return super().construct_change_message(request, form, formsets, add)
        names = [change_label(key, form.instance.layout) for key in result.fields]
        names += [change_label(key, form.instance.layout) for key in result.cells]
        return [{"changed": {"fields": names}}] if names else []

    def log_change(self, request, obj, message):
        if message == []:
            return None  # nothing changed: nothing to log
        return super().log_change(request, obj, message)

    # --- workflow actions ------------------------------------------------------------------

    @admin.action(description="提交所选年报", permissions=["change"])
    def submit_reports(self, request, queryset) -> HttpResponse | None:
        self._move(request, queryset, Status.SUBMITTED, "提交")
        return None

    @admin.action(description="受理（开始审核）", permissions=["review"])
    def start_review(self, request, queryset) -> HttpResponse | None:
        self._move(request, queryset, Status.IN_REVIEW, "受理")
        return None

    @admin.action(description="退回修改（须填写理由）", permissions=["review"])
    def return_reports(self, request, queryset) -> HttpResponse | None:
        return self._with_reason(request, queryset, Status.RETURNED, "退回修改")

    @admin.action(description="审核通过", permissions=["review"])
    def accept_reports(self, request, queryset) -> HttpResponse | None:
        """Reports with open errors: refused, or approved after a confirmation page."""
        reports = list(queryset.select_related("agency", "report_year"))
        # The errors to confirm are those of what the reports say now.
        try:
            findings_refresh([r.pk for r in reports], user=request.user)
        except AuditBeforeApprovalBusy as exc:
            self.message_user(request, f"审核通过未执行：{exc}", messages.ERROR)
            return None
        errors = open_errors([r.pk for r in reports])
        if not errors or approval_policy() == REFUSE:
            # Under "refuse" the workflow names each report's errors and refuses it.
            self._move(request, queryset, Status.ACCEPTED, "审核通过", audited=True)
            return None
        form = ApproveForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            self._move(
                request, queryset, Status.ACCEPTED, "审核通过", reason, audited=True
            )
            return None
        flagged = [(report_label(r), errors[r.pk]) for r in reports if r.pk in errors]
        return self._reason_page(
            request, reports, "审核通过", form, flagged=flagged, reason_label="理由"
        )

    @admin.action(description="撤回所选年报（须填写原因）", permissions=["review"])
    def withdraw_reports(self, request, queryset) -> HttpResponse | None:
        return self._with_reason(request, queryset, None, "撤回")

    @admin.action(
        description="建立新版次（修改已审核通过的年报）", permissions=["view"]
    )
    def new_revision(self, request, queryset) -> None:
        made = []
        for report in queryset.select_related("agency", "report_year"):
            try:
                made.append(report_supersede(report=report, user=request.user))
            except WorkflowError as exc:
                self.message_user(request, f"{report}：{exc}", messages.ERROR)
        if made:
            self.message_user(
                request, f"已建立 {len(made)} 个新版次（草稿）。", messages.SUCCESS
            )

    def _move(
        self,
        request,
        queryset,
        to_status: str | None,
        verb: str,
        reason: str = "",
        audited: bool = False,
    ) -> None:
        done = 0
        for report in queryset.select_related("agency", "report_year"):
            try:
                if to_status is None:
                    report_withdraw(report=report, user=request.user, reason=reason)
                else:
                    report_transition(
                        report=report,
                        to_status=to_status,
                        user=request.user,
                        reason=reason,
                        audited=audited,
                    )
                done += 1
            except WorkflowError as exc:
                self.message_user(request, f"{report}：{exc}", messages.ERROR)
        if done:
            self.message_user(request, f"已{verb} {done} 份年报。", messages.SUCCESS)

    def _with_reason(
        self, request, queryset, to_status, verb: str
    ) -> HttpResponse | None:
        """Ask for the reason first; the second post carries it and performs the move."""
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"].strip()
            if reason:
                self._move(request, queryset, to_status, verb, reason)
                return None
            form.add_error("reason", f"{verb}必须填写理由")
        reports = list(queryset.select_related("agency", "report_year"))
        label = "原因" if verb == "撤回" else "理由（填报单位将看到这段意见）"
        return self._reason_page(request, reports, verb, form, reason_label=label)

    def _reason_page(
        self, request, reports: list[AnnualReport], verb: str, form, **extra
    ) -> TemplateResponse:
        """The page between choosing an action and doing it: the rows, the reason."""
        return reason_page(
            request,
            self,
            title=f"{verb}年报",
            verb=verb,
            items=[report_label(r) for r in reports],
            form=form,
            selected=[r.pk for r in reports],
            action=request.POST.get("action"),
            **extra,
        )

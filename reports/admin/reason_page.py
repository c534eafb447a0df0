"""The page between choosing an action and doing it: what it touches, and why.

Returning, withdrawing or approving reports (from the list or the report page) and
reviewing findings all ask here first (templates/admin/reports/reason_form.html); the
form posts back with apply=1 and the action is then carried out.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse

from reports.models import AnnualReport


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="意见或理由",
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        required=False,
    )


class ApproveForm(forms.Form):
    """Approving despite open errors: an explicit confirmation and the reason for it."""

    confirm = forms.BooleanField(
        label="我已逐条查看上述错误，确认仍审核通过",
        error_messages={"required": "请勾选确认：这份年报尚有未处理的错误"},
    )
    reason = forms.CharField(
        label="理由（记入变更记录）",
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        error_messages={"required": "带错误审核通过必须填写理由"},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("带错误审核通过必须填写理由")
        return reason


def report_name(report: AnnualReport) -> str:
    """Agency and year, and the revision when it is not the first."""
    revision = f" 第 {report.revision} 版" if report.revision > 1 else ""
    return f"{report.agency.name} {report.report_year.year}年度{revision}"


def report_label(report: AnnualReport) -> str:
    """How the page lists a report: its name and status (a list may hold two revisions
    of one year)."""
    return f"{report_name(report)}（{report.get_status_display()}）"


def reason_page(
    request: HttpRequest,
    model_admin: admin.ModelAdmin,
    *,
    title: str,
    verb: str,
    items: list[str],
    form: forms.Form,
    **extra: Any,
) -> TemplateResponse:
    """The page for `model_admin`'s rows `items` (as text); `extra` fills the template's
    optional parts (selected, action, reason_label, note, flagged, ...)."""
    opts = model_admin.opts
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "verb": verb,
        "items": items,
        "form": form,
        "opts": opts,
        "changelist_url": reverse(
            f"admin:{opts.app_label}_{opts.model_name}_changelist"
        ),
        "reason_required": True,
        **extra,
    }
    return TemplateResponse(request, "admin/reports/reason_form.html", context)

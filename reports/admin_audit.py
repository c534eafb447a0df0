"""Admin for audit findings (triage, bulk confirm/dismiss), audit runs and deadlines."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from agencies.admin_filters import AgencyRegionFilter
from agencies.admin_scope import ScopedAdminMixin
from agencies.scope import scope_for
from reports.audit.review import ReviewError, findings_review
from reports.audit.rules import CATALOGUE
from reports.models import AuditRun, ChangeRecord, DeadlineOverride, Finding
from reports.overview.filters import FINDING_FILTERS

SEVERITY_COLOURS = {"error": "#ba2121", "warning": "#b36b00", "info": "#417690"}


class RuleFilter(admin.SimpleListFilter):
    title = "规则"
    parameter_name = "rule"

    def lookups(self, request, model_admin) -> list[tuple[str, str]]:
        return [
            (rule_id, f"{rule_id} {spec.title}")
            for rule_id, spec in sorted(CATALOGUE.items())
        ]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        return queryset.filter(rule=self.value()) if self.value() else queryset


class YearFilter(admin.SimpleListFilter):
    title = "年度"
    parameter_name = "year"

    def lookups(self, request, model_admin) -> list[tuple[int, str]]:
        years = (
            Finding.objects.values_list("year", flat=True).distinct().order_by("-year")
        )
        return [(year, f"{year}年度") for year in years]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        return queryset.filter(year=self.value()) if self.value() else queryset


class ReviewForm(forms.Form):
    reason = forms.CharField(
        label="理由",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        required=False,
    )


@admin.register(Finding)
class FindingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "severity_badge",
        "rule",
        "agency",
        "region_name",
        "year",
        "short_message",
        "status",
        "reviewed_by",
        "report_link",
    ]
    list_filter = [
        "severity",
        "status",
        RuleFilter,
        AgencyRegionFilter,
        YearFilter,
        *FINDING_FILTERS,  # the overview's (总览) links: 未了结, 本级
    ]
    list_select_related = ["agency", "agency__region", "reviewed_by", "report"]
    search_fields = ["agency__name", "agency__aliases__name", "message"]
    actions = ["confirm_findings", "dismiss_findings", "reopen_findings"]
    fields = [
        "rule",
        "severity",
        "message",
        "evidence",
        "cells",
        "agency",
        "year",
        "report",
        "status",
        "reason",
        "reviewed_by",
        "reviewed_at",
        "first_seen_at",
        "last_seen_at",
        "fixed_at",
    ]
    readonly_fields = [f for f in fields if f not in ("status", "reason")]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # findings come from audits, not from hand entry

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # a finding is closed (fixed, dismissed), never deleted

    @admin.display(description="严重程度", ordering="severity")
    def severity_badge(self, obj: Finding) -> str:
        colour = SEVERITY_COLOURS.get(obj.severity, "#333")
        return format_html(
            '<strong style="color:{}">{}</strong>', colour, obj.get_severity_display()
        )

    @admin.display(description="区划", ordering="agency__region__code")
    def region_name(self, obj: Finding) -> str:
        return obj.agency.region.name

    @admin.display(description="说明")
    def short_message(self, obj: Finding) -> str:
        return obj.message if len(obj.message) <= 80 else obj.message[:80] + "…"

    @admin.display(description="年报")
    def report_link(self, obj: Finding) -> str:
        if obj.report_id is None:
            return "—"
        url = reverse("admin:reports_annualreport_change", args=[obj.report_id])
        return format_html('<a href="{}#findings">查看</a>', url)

    def save_model(self, request, obj: Finding, form, change) -> None:
        try:
            findings_review(
                findings=Finding.objects.filter(pk=obj.pk),
                status=obj.status,
                reason=obj.reason,
                user=request.user,
            )
        except ReviewError as exc:
            messages.error(request, str(exc))

    @admin.action(description="确认所选发现", permissions=["change"])
    def confirm_findings(self, request, queryset) -> HttpResponse | None:
        return self._review(request, queryset, Finding.Status.CONFIRMED, "确认")

    @admin.action(description="排除所选发现（须填写理由）", permissions=["change"])
    def dismiss_findings(self, request, queryset) -> HttpResponse | None:
        return self._review(request, queryset, Finding.Status.DISMISSED, "排除")

    @admin.action(description="重新打开所选发现", permissions=["change"])
    def reopen_findings(self, request, queryset) -> HttpResponse | None:
        return self._review(request, queryset, Finding.Status.OPEN, "重新打开")

    def _review(self, request, queryset, status: str, verb: str) -> HttpResponse | None:
        """First show the selection with a reason box; on the second post, record it."""
        form = ReviewForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            try:
                changed = findings_review(
                    findings=queryset,
                    status=status,
                    reason=form.cleaned_data["reason"],
                    user=request.user,
                )
            except ReviewError as exc:
                form.add_error("reason", str(exc))
            else:
                self.message_user(
                    request, f"已{verb} {changed} 条发现。", messages.SUCCESS
                )
                return None
        findings = list(queryset.select_related("agency"))
        context = {
            **self.admin_site.each_context(request),
            "title": f"{verb}审核发现",
            "verb": verb,
            "items": [
                f"[{f.rule}] {f.agency.name} {f.year}年度：{f.message}"
                for f in findings
            ],
            "selected": [f.pk for f in findings],
            "form": form,
            "action": request.POST.get("action"),
            "opts": self.model._meta,
            "changelist_url": reverse("admin:reports_finding_changelist"),
            "reason_required": status == Finding.Status.DISMISSED,
            "reason_label": "理由",
        }
        return TemplateResponse(request, "admin/reports/reason_form.html", context)


class ProvinceWideMixin:
    """Records that are not tied to one region: only users who see everything see them."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return scope_for(request.user).everything and super().has_module_permission(
            request
        )

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return scope_for(request.user).everything and super().has_view_permission(
            request, obj
        )


@admin.register(AuditRun)
class AuditRunAdmin(ProvinceWideMixin, admin.ModelAdmin):
    list_display = [
        "pk",
        "started_at",
        "status",
        "trigger",
        "started_by",
        "reports_checked",
        "opened",
        "fixed",
        "duration_seconds",
    ]
    list_filter = ["status", "trigger"]
    list_select_related = ["started_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(DeadlineOverride)
class DeadlineOverrideAdmin(ProvinceWideMixin, admin.ModelAdmin):
    list_display = [
        "region",
        "report_year",
        "department_deadline",
        "government_deadline",
    ]
    list_select_related = ["region", "report_year"]
    autocomplete_fields = ["region"]


@admin.register(ChangeRecord)
class ChangeRecordAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Every recorded change, searchable; read-only (history is not edited)."""

    scope_agency = "report__agency"
    list_display = ["at", "action", "report", "user", "reason", "batch"]
    list_filter = ["action"]
    list_select_related = ["report", "report__agency", "report__report_year", "user"]
    search_fields = ["report__agency__name", "reason", "=batch"]
    readonly_fields = ["report", "action", "user", "at", "changes", "reason", "batch"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

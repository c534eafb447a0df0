"""Admin for audit findings (triage, bulk confirm/dismiss/fix) and audit runs."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from agencies.admin.filters import AgencyRegionFilter
from agencies.admin.scoped import ProvinceWideMixin, ScopedAdminMixin
from reports import schema
from reports.admin.reason_page import ReasonForm, reason_page
from reports.audit.review import (
    REASON_REQUIRED,
    ReviewError,
    findings_review,
    review_problem,
)
from reports.audit.rules import CATALOGUE, rule_label, rule_title
from reports.models import Finding
from reports.overview.filters import FINDING_FILTERS

SEVERITY_COLOURS = {"error": "#ba2121", "warning": "#b36b00", "info": "#417690"}
Status = Finding.Status


class RuleFilter(admin.SimpleListFilter):
    title = "规则"
    parameter_name = "rule"

    def lookups(self, request, model_admin) -> list[tuple[str, str]]:
        return [(rule_id, rule_label(rule_id)) for rule_id in sorted(CATALOGUE)]

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
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            # A hand-typed or stale link (?year=abc): say so and show every year.
            messages.warning(request, f"年度“{value}”不是四位数字，已忽略此筛选条件。")
            return queryset
        return queryset.filter(year=int(value))


def finding_layout(finding: Finding) -> str:
    """The layout whose labels name the finding's cells (its report's, else its year's)."""
    if finding.report_id is not None:
        return finding.report.layout
    return schema.layout_for_year(finding.year)


def cell_texts(finding: Finding) -> list[tuple[str, str]]:
    """(name, what the report shows) of each cell a finding names, e.g.
    ("表三「本年新收」·总计", "21")."""
    layout = finding_layout(finding)
    out = []
    for item in finding.cells or []:
        path = item.get("path", "") if isinstance(item, dict) else str(item)
        raw = item.get("raw") if isinstance(item, dict) else None
        value = item.get("value") if isinstance(item, dict) else None
        shown = raw if raw not in (None, "") else value
        out.append(
            (schema.path_label(path, layout), "空白" if shown in (None, "") else shown)
        )
    return out


class FindingForm(forms.ModelForm):
    """A finding's status and reason, checked as the bulk actions check them."""

    class Meta:
        model = Finding
        fields = ["status", "reason"]

    def clean(self) -> dict:
        data = super().clean()
        if {"status", "reason"} & set(self.changed_data) and "status" in data:
            problem = review_problem(data["status"], data.get("reason", ""))
            if problem is not None:
                self.add_error("reason", problem)
        return data


# action name -> (status, verb)
REVIEW_ACTIONS: dict[str, tuple[str, str]] = {
    "confirm_findings": (Status.CONFIRMED, "确认"),
    "dismiss_findings": (Status.DISMISSED, "排除"),
    "fix_findings": (Status.FIXED, "标记为已消除"),
    "reopen_findings": (Status.OPEN, "重新打开"),
}


class FindingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = FindingForm
    list_display = [
        "severity_badge",
        "rule_name",
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
    actions = list(REVIEW_ACTIONS)
    fields = [
        "rule_name",
        "severity",
        "message",
        "evidence",
        "cells_named",
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

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            # The form writes the posted status onto obj; the page follows the stored one.
            obj.stored_status = obj.status
        return obj

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        if (
            obj is not None
            and getattr(obj, "stored_status", obj.status) == Status.FIXED
        ):
            # The audit decides whether a fixed finding comes back.
            return list(self.fields)
        return [f for f in self.fields if f not in ("status", "reason")]

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

    @admin.display(description="规则", ordering="rule")
    def rule_name(self, obj: Finding) -> str:
        return format_html(
            '<code>{}</code><br><span class="rule-title">{}</span>',
            obj.rule,
            rule_title(obj.rule),
        )

    @admin.display(description="涉及单元格")
    def cells_named(self, obj: Finding) -> str:
        cells = cell_texts(obj)
        if not cells:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}：{}</li>", cells),
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
        if not {"status", "reason"} & set(form.changed_data):
            return
        # FindingForm.clean has checked what the service checks; one writer of decisions.
        findings_review(
            findings=Finding.objects.filter(pk=obj.pk),
            status=obj.status,
            reason=obj.reason,
            user=request.user,
        )

    @admin.action(description="确认所选发现", permissions=["change"])
    def confirm_findings(self, request, queryset) -> HttpResponse | None:
        return self._review(request, queryset, "confirm_findings")

    @admin.action(description="排除所选发现（须填写理由）", permissions=["change"])
    def dismiss_findings(self, request, queryset) -> HttpResponse | None:
        return self._review(request, queryset, "dismiss_findings")

    @admin.action(
        description="将所选发现标记为已消除（须填写理由）", permissions=["change"]
    )
    def fix_findings(self, request, queryset) -> HttpResponse | None:
        return self._review(request, queryset, "fix_findings")

    @admin.action(description="重新打开所选发现", permissions=["change"])
    def reopen_findings(self, request, queryset) -> HttpResponse | None:
        return self._review(request, queryset, "reopen_findings")

    def _review(self, request, queryset, action: str) -> HttpResponse | None:
        """First show the selection with a reason box; on the second post, record it."""
        status, verb = REVIEW_ACTIONS[action]
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        findings = list(queryset.select_related("agency", "report"))
        fixed = sum(1 for f in findings if f.status == Status.FIXED)
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
                if fixed:
                    self.message_user(
                        request,
                        f"另有 {fixed} 条已消除的发现未改动：是否重新出现由下次审核判断。",
                        messages.WARNING,
                    )
                return None
        return reason_page(
            request,
            self,
            title=f"{verb}审核发现",
            verb=verb,
            items=[_item_text(f) for f in findings],
            form=form,
            selected=[f.pk for f in findings],
            action=action,
            reason_required=status in REASON_REQUIRED,
            reason_label="理由",
            note=REASON_REQUIRED.get(status, ""),
            skipped=fixed,
        )


def _item_text(finding: Finding) -> str:
    """One line of the confirmation page: rule, agency, year, message, cells, status."""
    cells = "、".join(name for name, _ in cell_texts(finding))
    where = f"（涉及 {cells}）" if cells else ""
    return (
        f"[{rule_label(finding.rule)}] {finding.agency.name} {finding.year}年度："
        f"{finding.message}{where}（当前：{finding.get_status_display()}）"
    )


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

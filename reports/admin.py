"""Admin for report years and reports; the report page shows the tables as the paper form."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver

from agencies.admin_filters import AgencyRegionFilter
from reports import (
    admin_audit,  # noqa: F401  (registers the findings admin)
    selectors,
)
from reports.admin_import import ReportImportViews
from reports.audit.base import SEVERITY_LABELS
from reports.audit.runner import AuditAlreadyRunning, AuditScope, audit_run
from reports.forms import ReportForm
from reports.models import AnnualReport, Finding, ReportYear
from reports.services import report_cells_update


@admin.register(ReportYear)
class ReportYearAdmin(admin.ModelAdmin):
    list_display = ["year", "layout", "department_deadline", "government_deadline"]
    ordering = ["-year"]


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    form = ReportForm
    change_form_template = "admin/reports/annualreport/change_form.html"
    list_display = [
        "agency",
        "region_name",
        "year_label",
        "status",
        "layout",
        "new_received_total_display",
        "total_processed_total_display",
        "publication_date",
        "revision",
    ]
    list_display_links = ["agency"]
    list_filter = [
        ("report_year", admin.RelatedOnlyFieldListFilter),
        AgencyRegionFilter,
        "status",
        "layout",
        "is_current",
    ]
    list_select_related = ["agency", "agency__region", "report_year"]
    search_fields = ["agency__name", "agency__aliases__name", "title"]
    autocomplete_fields = ["agency"]
    readonly_fields = [
        "revision",
        "is_current",
        "source_name",
        "source_kind",
        "source_sha256",
        "created_at",
        "updated_at",
        "created_by",
        "updated_by",
    ]
    fieldsets = [
        (
            "基本信息",
            {
                "fields": [
                    ("agency", "report_year"),
                    ("layout", "status"),
                    "title",
                    ("publication_date", "source_url"),
                ]
            },
        ),
        ("一、总体情况", {"fields": ["overview"]}),
        ("五、存在的主要问题及改进情况", {"fields": ["problems"]}),
        ("六、其他需要报告的事项", {"fields": ["other_matters"]}),
        (
            "来源与版次",
            {
                "classes": ["collapse"],
                "fields": [
                    ("revision", "is_current"),
                    ("source_name", "source_kind"),
                    "source_sha256",
                    "raw_text",
                    ("created_at", "created_by"),
                    ("updated_at", "updated_by"),
                ],
            },
        ),
    ]
    list_per_page = 50
    actions = ["run_audit"]

    @admin.action(description="对所选年报运行审核", permissions=["change"])
    def run_audit(self, request: HttpRequest, queryset: QuerySet[AnnualReport]) -> None:
        scope = AuditScope(report_ids=tuple(queryset.values_list("pk", flat=True)))
        try:
            run = audit_run(scope, trigger="后台", user=request.user)
        except AuditAlreadyRunning as exc:
            self.message_user(request, str(exc), messages.WARNING)
            return
        counts = (
            "，".join(
                f"{SEVERITY_LABELS[k]} {v}" for k, v in sorted(run.counts.items())
            )
            or "无"
        )
        self.message_user(
            request,
            f"已审核 {run.reports_checked} 份年报：新发现 {run.opened} 条，已消除 {run.fixed} 条"
            f"（本次所见：{counts}）。",
            messages.SUCCESS,
        )

    def get_urls(self) -> list[URLPattern | URLResolver]:
        # The import pages (导入年报) come first: "import/" must not be read as an object id.
        return ReportImportViews(self).get_urls() + super().get_urls()

    def get_queryset(self, request: HttpRequest) -> QuerySet[AnnualReport]:
        qs = (
            super()
            .get_queryset(request)
            .select_related(
                "agency", "agency__region", "report_year", "created_by", "updated_by"
            )
        )
        return selectors.with_application_totals(qs)

    def get_object(self, request, object_id, from_field=None):
        # The grid reads all three tables: prefetch them once (constant queries per page).
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            prefetch_related_objects(
                [obj],
                *selectors.SECTION_PREFETCH,
                Prefetch("findings", queryset=Finding.objects.exclude(status="fixed")),
            )
        return obj

    @admin.display(description="区划", ordering="agency__region__code")
    def region_name(self, obj: AnnualReport) -> str:
        return obj.agency.region.name

    @admin.display(description="年度", ordering="report_year__year")
    def year_label(self, obj: AnnualReport) -> int:
        return obj.report_year.year

    @admin.display(description="本年新收申请", ordering="new_received_total")
    def new_received_total_display(self, obj: AnnualReport) -> int | None:
        return obj.new_received_total

    @admin.display(description="办理总计", ordering="total_processed_total")
    def total_processed_total_display(self, obj: AnnualReport) -> int | None:
        return obj.total_processed_total

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        changes = getattr(form, "cell_changes", {})
        if changes:
            report_cells_update(report=obj, changes=changes, user=request.user)

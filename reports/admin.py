"""Admin for report years and reports; the report page shows the tables as the paper form."""

from __future__ import annotations

import io

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import FileResponse, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.text import smart_split, unescape_string_literal
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX

from agencies.admin_export import ChineseExportMixin
from agencies.admin_filters import AgencyRegionFilter
from agencies.admin_scope import ProvinceImportMixin
from agencies.models import Agency, Region
from agencies.scope import scope_for
from config.routers import replica_reads
from reports import (
    admin_audit,  # noqa: F401  (registers the findings admin)
    selectors,
)
from reports.admin_changelist import (
    OpenFindingsFilter,
    ReportListColumnsMixin,
    RevisionFilter,
    with_open_findings,
)
from reports.admin_history import ReportHistoryMixin
from reports.admin_import import ReportImportViews
from reports.admin_report_page import ReportPageAdminMixin
from reports.admin_stale import StalePostMixin
from reports.admin_widgets import TolerantAutocompleteSelect
from reports.admin_workflow import ReportWorkflowAdminMixin, WithdrawnFilter
from reports.audit.base import SEVERITY_LABELS
from reports.audit.runner import AuditAlreadyRunning, AuditScope, audit_run
from reports.forms import ReportForm
from reports.models import AnnualReport, Finding, ReportYear
from reports.paging import IdsFirstPaginator
from reports.resources import ReportFiguresResource


@admin.register(ReportYear)
class ReportYearAdmin(admin.ModelAdmin):
    list_display = ["year", "layout", "department_deadline", "government_deadline"]
    ordering = ["-year"]


# --- Excel (issue 5): the fill-in template, flat figures, the summary workbook ----------------


class ReportExcelAdminMixin(ProvinceImportMixin, ChineseExportMixin, ImportExportMixin):
    """下载填报模板 (a page, then the .xlsx), the key figures through django-import-export
    (its import lives at figures/import/, since import/ is 导入年报) and the summary
    workbook of the selected reports as an action."""

    resource_classes = [ReportFiguresResource]
    export_name = "年报主要数字"  # 年报主要数字-2024.xlsx
    export_year_lookup = "report_year__year"
    formats = [CSV, XLSX]
    # The report list's own template stays the base the import/export buttons extend.
    change_list_template = "admin/reports/annualreport/change_list.html"
    import_export_change_list_template = (
        "admin/reports/annualreport/change_list_excel.html"
    )

    def get_urls(self) -> list[URLPattern | URLResolver]:
        wrap = self.admin_site.admin_view
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("template/", wrap(self.template_view), name=f"{prefix}_template"),
            path(
                "figures/import/",
                wrap(self.import_action),
                name=f"{prefix}_import_figures",
            ),
            *super().get_urls(),
        ]

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        if self.has_view_permission(request):
            action = self.get_action("export_summary_xlsx")
            actions[action[1]] = action
        return actions

    @admin.action(description="生成所选年报的汇总表（Excel）")
    def export_summary_xlsx(
        self, request: HttpRequest, queryset: QuerySet[AnnualReport]
    ) -> HttpResponse | None:
        from reports.exporting.summary.selectors import SummaryScope, in_force_ids
        from reports.exporting.summary.workbook import build_summary

        years = sorted(set(queryset.values_list("report_year__year", flat=True)))
        if len(years) != 1:
            self.message_user(
                request, "请只选择同一年度的年报生成汇总表。", messages.WARNING
            )
            return None
        # The changelist's region filter, when set, is the scope of 报送情况 and 同比;
        # it never reaches past the user's own region.
        reach = scope_for(request.user)
        if not reach.everything and reach.region_path is None:
            self.message_user(
                request, "汇总表按地区汇总，填报单位不能生成。", messages.WARNING
            )
            return None
        code = request.GET.get("region")
        region = Region.objects.filter(code=code).first() if code else None
        if reach.region_path is not None and (
            region is None or not region.path.startswith(reach.region_path)
        ):
            region = Region.objects.get(path=reach.region_path)
        scope = SummaryScope(
            year=years[0],
            region=region,
            # The selected rows' agencies, each with its revision in force (a selected
            # draft after an accepted revision must not drop the agency from the totals).
            report_ids=in_force_ids(queryset, years[0]),
        )
        buffer = io.BytesIO()
        # Read-only and heavy: from the streaming replica when there is one.
        with replica_reads():
            build_summary(scope, buffer, generated_by=request.user.get_username())
        buffer.seek(0)
        return FileResponse(
            buffer, as_attachment=True, filename=f"年报汇总表_{years[0]}年度.xlsx"
        )

    def template_view(self, request: HttpRequest) -> HttpResponse:
        """The template download page; with a year chosen, the workbook itself."""
        from reports.exporting.template_xlsx import Prefill, build_template
        from reports.selectors import template_prefill

        if not self.has_view_permission(request):
            raise PermissionDenied
        # Every year of the two national layouts, and any year already collected.
        years = set(ReportYear.objects.values_list("year", flat=True))
        years.update(range(2019, timezone.localdate().year + 1))
        form = TemplateDownloadForm(
            request.GET or None,
            years=sorted(years, reverse=True),
            admin_site=self.admin_site,
        )
        # Pre-filling copies a report's figures: only agencies within the user's reach.
        form.fields["agency"].queryset = scope_for(request.user).filter(
            form.fields["agency"].queryset, ""
        )
        if form.is_valid():
            year, agency = form.cleaned_data["year"], form.cleaned_data["agency"]
            prefill = template_prefill(agency, year) if agency else Prefill()
            data = build_template(
                year, prefill=prefill, generated_by=request.user.get_username()
            )
            name = f"{agency.name}_" if agency else ""
            return FileResponse(
                io.BytesIO(data),
                as_attachment=True,
                filename=f"年报填报模板_{name}{year}年度.xlsx",
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "下载填报模板",
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(
            request, "admin/reports/annualreport/template_form.html", context
        )


class TemplateDownloadForm(forms.Form):
    """Which year's template, and optionally for which agency (pre-filled)."""

    year = forms.TypedChoiceField(label="报告年度", coerce=int)
    agency = forms.ModelChoiceField(
        label="预填机关",
        queryset=Agency.objects.select_related("region"),
        required=False,
        error_messages={
            "invalid_choice": "所选机关不存在或不在您可查看的范围内，请从列表中选择。"
        },
        help_text="可不选；选了则填入机关名称，该机关已有本年度年报时一并填入其数字和正文。",
    )

    def __init__(self, *args, years: list[int], admin_site: admin.AdminSite, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, f"{y}年度") for y in years]
        self.fields["year"].initial = (
            timezone.localdate().year - 1
        )  # being reported now
        field = self.fields["agency"]
        field.widget = TolerantAutocompleteSelect(
            AnnualReport._meta.get_field("agency"), admin_site
        )
        field.widget.choices = field.choices


@admin.register(AnnualReport)
class AnnualReportAdmin(
    StalePostMixin,
    ReportListColumnsMixin,
    ReportHistoryMixin,
    ReportExcelAdminMixin,
    ReportPageAdminMixin,
    ReportWorkflowAdminMixin,
    admin.ModelAdmin,
):
    form = ReportForm
    change_form_template = "admin/reports/annualreport/change_form.html"
    list_display = [
        "agency",
        "region_name",
        "year_label",
        # Next to the year: two rows of one agency and year differ only in 版次.
        "revision",
        # 生效版次: which revision the summary, the overview and the audit use.
        "in_force",
        "status",
        # Beside the status, where a reviewer looks first (the list is wider than a screen).
        "open_findings_display",
        "layout",
        "new_received_total_display",
        "total_processed_total_display",
        "publication_date",
    ]
    list_display_links = ["agency"]
    list_filter = [
        # Every year of the (tiny) year table; "related only" would scan all reports.
        ("report_year", admin.RelatedFieldListFilter),
        AgencyRegionFilter,
        "status",
        OpenFindingsFilter,
        "layout",
        # Current revisions unless asked: an old one beside its successor is no second report.
        RevisionFilter,
        WithdrawnFilter,
    ]
    list_select_related = ["agency", "agency__region", "report_year"]
    # Agency name or alias: a LIKE over titles would scan every report.
    search_fields = ["agency__name", "agency__aliases__name"]
    # The unfiltered total is a second count of the whole table on every page view.
    show_full_result_count = False
    # A page's ids first, from the narrow index, then its 50 rows (reports/paging.py).
    paginator = IdsFirstPaginator
    autocomplete_fields = ["agency"]
    readonly_fields = [
        "revision",
        "is_current",
        "in_force",
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
                    # Which revision counts, beside the status (the banner says it in words).
                    ("revision", "in_force", "is_current"),
                    "title",
                    ("publication_date", "source_url"),
                ]
            },
        ),
        ("一、总体情况", {"fields": ["overview"]}),
        ("五、存在的主要问题及改进情况", {"fields": ["problems"]}),
        ("六、其他需要报告的事项", {"fields": ["other_matters"]}),
        (
            "来源",
            {
                "classes": ["collapse"],
                "fields": [
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
    actions = ["run_audit", *ReportWorkflowAdminMixin.workflow_actions]

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
        # The import pages (导入年报) and the overview (总览) come first: "import/" and
        # "overview/" must not be read as object ids.
        from reports.overview.views import overview_urls

        return (
            overview_urls(self)
            + ReportImportViews(self).get_urls()
            + self.report_page_urls()
            + super().get_urls()
        )

    def get_list_filter(self, request: HttpRequest) -> list:
        # The filters the overview's numbers link to (机关类别, 报送及时性, 本级).
        from reports.overview.filters import REPORT_FILTERS

        return [*super().get_list_filter(request), *REPORT_FILTERS]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[AnnualReport], search_term: str
    ) -> tuple[QuerySet[AnnualReport], bool]:
        """Reports of the agencies whose name or an alias holds every word of the search.

        Through a subquery of agency ids, never a join to the aliases: the join makes the
        admin add DISTINCT, which at 100,000 reports de-duplicates every wide row matched
        (1.1 s for a common word such as 人民政府).
        """
        words = [w for w in smart_split(search_term) if w.strip("\"'")]
        for word in words:
            word = unescape_string_literal(word) if word[0] in "\"'" else word
            agencies = Agency.objects.filter(
                Q(name__icontains=word) | Q(aliases__name__icontains=word)
            ).values("pk")
            queryset = queryset.filter(agency__in=agencies)
        return queryset, False

    def get_queryset(self, request: HttpRequest) -> QuerySet[AnnualReport]:
        qs = (
            super()
            .get_queryset(request)
            .select_related("agency", "agency__region", "report_year")
        )
        match = request.resolver_match
        if match is not None and match.url_name == "reports_annualreport_changelist":
            # The list shows none of the narrative: leave the wide text columns behind.
            qs = selectors.with_application_totals(qs.defer(*selectors.LIST_DEFERRED))
            return with_open_findings(qs)
        return selectors.with_application_totals(
            qs.select_related("created_by", "updated_by")
        )

    def get_object(self, request, object_id, from_field=None):
        # The grid reads all three tables: prefetch them once (constant queries per page).
        # The page asks for the object twice (workflow context, then the form): fetch once.
        cached = getattr(request, "_report_object", None)
        if cached is not None and str(cached.pk) == str(object_id):
            return cached
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            prefetch_related_objects(
                [obj],
                *selectors.SECTION_PREFETCH,
                Prefetch("findings", queryset=Finding.objects.exclude(status="fixed")),
            )
            request._report_object = obj
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

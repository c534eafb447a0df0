"""Admin for annual reports: the list, the report page (the tables as the paper form), and
the pages and actions each mixin brings (import, workflow, history, Excel)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, path
from django.utils.text import smart_split, unescape_string_literal

from agencies.admin.filters import AgencyRegionFilter
from agencies.models import Agency
from reports import selectors
from reports.admin.import_page import ReportImportViews
from reports.admin.report_excel import ReportExcelAdminMixin
from reports.admin.report_history import ReportHistoryMixin
from reports.admin.report_list import (
    OpenFindingsFilter,
    ReportListColumnsMixin,
    RevisionFilter,
    WithdrawnFilter,
    with_open_findings,
)
from reports.admin.report_page import ReportPageAdminMixin
from reports.admin.report_workflow import ReportWorkflowAdminMixin
from reports.admin.stale_posts import StalePostMixin
from reports.audit.runner import AuditAlreadyRunning, AuditScope, audit_run
from reports.core.issues import SEVERITY_LABELS
from reports.core.parsed import kind_label
from reports.forms import ReportForm
from reports.models import AnnualReport, Finding
from reports.paging import IdsFirstPaginator


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
        "source_kind_label",
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
                    ("source_name", "source_kind_label"),
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
        """The report admin's own pages, before Django's: "import/", "template/" and
        the rest must not be read as object ids."""
        wrap = self.admin_site.admin_view
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        imports = ReportImportViews(self)
        return [
            # 导入年报: upload, preview (and confirm), discard.
            path("import/", wrap(imports.upload_view), name=f"{name}_import"),
            path(
                "import/<str:token>/",
                wrap(imports.preview_view),
                name=f"{name}_import_preview",
            ),
            path(
                "import/<str:token>/discard/",
                wrap(imports.discard_view),
                name=f"{name}_import_discard",
            ),
            # The report page's workflow buttons and its print view.
            path(
                "<path:object_id>/move/<str:step>/",
                wrap(self.move_view),
                name=f"{name}_move",
            ),
            path(
                "<path:object_id>/print/",
                wrap(self.print_view),
                name=f"{name}_print",
            ),
            # 下载填报模板, and the key figures' import (import/ is 导入年报).
            path("template/", wrap(self.template_view), name=f"{name}_template"),
            path(
                "figures/import/",
                wrap(self.import_action),
                name=f"{name}_import_figures",
            ),
            *super().get_urls(),
        ]

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

    @admin.display(description="文件类型")
    def source_kind_label(self, obj: AnnualReport) -> str:
        # "doc" as "Word 97-2003 文档（.doc）": what the file was, also when converted.
        return kind_label(obj.source_kind) if obj.source_kind else ""

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

"""The report list's Excel tools: the fill-in template (下载填报模板, a page, then the .xlsx),
the key figures through django-import-export, and the summary workbook as an action."""

from __future__ import annotations

import io

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX

from agencies.admin.export import ChineseExportMixin
from agencies.admin.scoped import ProvinceImportMixin
from agencies.models import Agency, Region
from agencies.scope import scope_for
from config.routers import replica_reads
from reports.admin.widgets import TolerantAutocompleteSelect
from reports.models import AnnualReport, ReportYear
from reports.resources import ReportFiguresResource


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
        from reports.exporting.template_prefill import template_prefill
        from reports.exporting.template_xlsx import Prefill, build_template

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

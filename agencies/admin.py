"""Admin for the region tree and the agency registry."""

from __future__ import annotations

from django.contrib import admin
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX

from agencies import admin_axes  # noqa: F401  (registers the login-throttling records)
from agencies.admin_export import ChineseExportMixin
from agencies.admin_filters import RegionSubtreeFilter
from agencies.admin_overview_filters import (
    CoverageFilter,
    CoverageYearFilter,
    OwnRegionFilter,
)
from agencies.admin_scope import ProvinceImportMixin, ScopedAdminMixin
from agencies.models import Agency, AgencyAlias, Membership, Region
from agencies.resources import AgencyResource, RegionResource
from agencies.roles import membership_assign


class ParentRegionFilter(RegionSubtreeFilter):
    path_field = "path"


@admin.register(Region)
class RegionAdmin(
    ProvinceImportMixin,
    ChineseExportMixin,
    ImportExportMixin,
    ScopedAdminMixin,
    admin.ModelAdmin,
):
    export_name = "行政区划"
    scope_agency = None  # regions are scoped by their own path
    resource_classes = [RegionResource]  # 导入/导出 by division code, with a dry run
    formats = [CSV, XLSX]
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level", ParentRegionFilter]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    ordering = ["path"]


class AgencyAliasInline(admin.TabularInline):
    model = AgencyAlias
    extra = 1
    verbose_name = "别名"
    verbose_name_plural = "别名（报告标题中出现过的其他名称）"


@admin.register(Agency)
class AgencyAdmin(
    ProvinceImportMixin,
    ChineseExportMixin,
    ImportExportMixin,
    ScopedAdminMixin,
    admin.ModelAdmin,
):
    export_name = "机关名录"
    scope_agency = ""  # agencies are scoped by themselves
    resource_classes = [AgencyResource]  # by (区划代码, 机关名称), aliases in one cell
    formats = [CSV, XLSX]
    list_display = [
        "name",
        "region",
        "kind",
        "sector",
        "credit_code",
        "active_from",
        "active_until",
    ]
    list_filter = [
        "kind",
        RegionSubtreeFilter,
        "sector",
        # The overview's (总览) links: 应报年度, 报送情况, 本级.
        CoverageYearFilter,
        CoverageFilter,
        OwnRegionFilter,
    ]
    list_select_related = ["region"]
    search_fields = ["name", "aliases__name", "credit_code"]
    autocomplete_fields = ["region"]
    inlines = [AgencyAliasInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Who may do what, and where; managed by superusers (省级管理员 may look)."""

    list_display = ["user", "role", "region", "agency"]
    list_filter = ["role"]
    list_select_related = ["user", "region", "agency"]
    search_fields = ["user__username", "agency__name", "region__name"]
    autocomplete_fields = ["region", "agency"]

    def save_model(self, request, obj: Membership, form, change) -> None:
        # Through the service, so that the permission group and staff flag follow the role.
        membership_assign(
            user=obj.user, role=obj.role, region=obj.region, agency=obj.agency
        )

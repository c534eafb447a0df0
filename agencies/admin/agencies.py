"""Admin for the agency registry (机关名录), with aliases (reports/admin/agencies.py adds the
overview's coverage filters)."""

from __future__ import annotations

from django.contrib import admin
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX

from agencies.admin.export import ChineseExportMixin
from agencies.admin.filters import OwnRegionFilter, RegionSubtreeFilter
from agencies.admin.scoped import ProvinceImportMixin, ScopedAdminMixin
from agencies.models import AgencyAlias
from agencies.resources import AgencyResource


class AgencyAliasInline(admin.TabularInline):
    model = AgencyAlias
    extra = 1
    verbose_name = "别名"
    verbose_name_plural = "别名（报告标题中出现过的其他名称）"


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
        OwnRegionFilter,  # 本级, for the overview's (总览) links
    ]
    list_select_related = ["region"]
    search_fields = ["name", "aliases__name", "credit_code"]
    autocomplete_fields = ["region"]
    inlines = [AgencyAliasInline]

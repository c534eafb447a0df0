"""Admin for the region tree (行政区划): scoped by path, imported and exported by code."""

from __future__ import annotations

from django.contrib import admin
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX

from agencies.admin.export import ChineseExportMixin
from agencies.admin.filters import RegionSubtreeFilter
from agencies.admin.scoped import ProvinceImportMixin, ScopedAdminMixin
from agencies.resources import RegionResource


class ParentRegionFilter(RegionSubtreeFilter):
    path_field = "path"


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

"""Admin for the region tree and the agency registry."""

from __future__ import annotations

from django.contrib import admin

from agencies.admin_filters import RegionSubtreeFilter
from agencies.models import Agency, AgencyAlias, Region


class ParentRegionFilter(RegionSubtreeFilter):
    path_field = "path"


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
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
class AgencyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "region",
        "kind",
        "sector",
        "credit_code",
        "active_from",
        "active_until",
    ]
    list_filter = ["kind", RegionSubtreeFilter, "sector"]
    list_select_related = ["region"]
    search_fields = ["name", "aliases__name", "credit_code"]
    autocomplete_fields = ["region"]
    inlines = [AgencyAliasInline]

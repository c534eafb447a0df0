"""Admin for report years and their regional deadline overrides."""

from __future__ import annotations

from django.contrib import admin

from agencies.admin.scoped import ProvinceWideMixin


class ReportYearAdmin(admin.ModelAdmin):
    list_display = ["year", "layout", "department_deadline", "government_deadline"]
    ordering = ["-year"]


class DeadlineOverrideAdmin(ProvinceWideMixin, admin.ModelAdmin):
    list_display = [
        "region",
        "report_year",
        "department_deadline",
        "government_deadline",
    ]
    list_select_related = ["region", "report_year"]
    autocomplete_fields = ["region"]

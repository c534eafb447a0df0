"""Admin for the change records (变更记录): every recorded change, read-only."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from agencies.admin.scoped import ScopedAdminMixin


class ChangeRecordAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Every recorded change, searchable; read-only (history is not edited)."""

    scope_agency = "report__agency"
    list_display = ["at", "action", "report", "user", "reason", "batch"]
    list_filter = ["action"]
    list_select_related = ["report", "report__agency", "report__report_year", "user"]
    search_fields = ["report__agency__name", "reason", "=batch"]
    readonly_fields = ["report", "action", "user", "at", "changes", "reason", "batch"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

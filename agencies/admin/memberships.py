"""Admin for memberships: who may do what, and where."""

from __future__ import annotations

from django.contrib import admin

from agencies.models import Membership
from agencies.roles import membership_assign


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

"""The login-throttling records of django-axes: superusers only, labelled in Chinese.

django-axes' own admin is switched off (AXES_ENABLE_ADMIN = False); these replace it. The
field labels come from locale/zh_Hans (axes' strings translated). Nobody but a superuser
sees who failed to log in from where, whatever permissions their group holds.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

# What every axes record holds about the request that tried to log in.
REQUEST_FIELDS = [
    "username",
    "ip_address",
    "user_agent",
    "http_accept",
    "path_info",
    "attempt_time",
]


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """Read-only records only superusers see; nothing is added or edited by hand."""

    date_hierarchy = "attempt_time"
    search_fields = ["username", "ip_address", "path_info"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Deleting a lockout record is how a superuser unlocks an account.
        return request.user.is_active and request.user.is_superuser


class AccessAttemptAdmin(SuperuserOnlyAdmin):
    list_display = [
        "attempt_time",
        "username",
        "ip_address",
        "failures_since_start",
        "lock_status",
        "path_info",
    ]
    list_filter = ["attempt_time"]
    readonly_fields = [*REQUEST_FIELDS, "get_data", "post_data", "failures_since_start"]
    actions = ["clean_up_expired"]

    @admin.display(description="状态")
    def lock_status(self, obj: AccessAttempt) -> str:
        left = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        return f"还可尝试 {left} 次" if left > 0 else "已锁定"

    @admin.action(description="清理已失效的计数")
    def clean_up_expired(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = AxesDatabaseHandler().clean_expired_user_attempts(request=request)
        self.message_user(request, f"已清理 {count} 条失效的计数。", messages.SUCCESS)


class AccessLogAdmin(SuperuserOnlyAdmin):
    list_display = ["attempt_time", "logout_time", "username", "ip_address"]
    list_filter = ["attempt_time", "logout_time"]
    readonly_fields = [*REQUEST_FIELDS, "logout_time"]


class AccessFailureLogAdmin(SuperuserOnlyAdmin):
    list_display = ["attempt_time", "username", "ip_address", "locked_out"]
    list_filter = ["attempt_time", "locked_out"]
    readonly_fields = [*REQUEST_FIELDS, "locked_out"]

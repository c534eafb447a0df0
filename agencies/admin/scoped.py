"""The admin side of region scope: every scoped ModelAdmin narrows its rows and choices."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest

from agencies.admin.mixin_base import AdminMixinBase
from agencies.models import Agency, Region
from agencies.scope import scope_for


class ScopedAdminMixin(AdminMixinBase):
    """Narrow the changelist, change pages, actions and autocompletes to the user's scope.

    `scope_agency` is the lookup path from the model to its Agency ("" for Agency itself,
    None for regions). Objects outside the scope are simply not found (404 on guessed ids).
    """

    scope_agency: str | None = "agency"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        scope = scope_for(request.user)
        if self.scope_agency is None:
            return scope.filter_regions(qs)
        return scope.filter(qs, self.scope_agency)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        scope = scope_for(request.user)
        if db_field.related_model is Agency:
            kwargs["queryset"] = scope.filter(Agency.objects.all(), "")
        elif db_field.related_model is Region:
            kwargs["queryset"] = scope.filter_regions(Region.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ProvinceImportMixin(AdminMixinBase):
    """Bulk imports (django-import-export) match rows by natural keys across the whole
    registry, beyond any region: only users who see everything may run them. Exports stay
    open and go through the scoped changelist queryset."""

    def has_import_permission(self, request: HttpRequest) -> bool:
        return scope_for(request.user).everything and super().has_import_permission(
            request
        )


class ProvinceWideMixin(AdminMixinBase):
    """Records that are not tied to one region: only users who see everything see them."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return scope_for(request.user).everything and super().has_module_permission(
            request
        )

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return scope_for(request.user).everything and super().has_view_permission(
            request, obj
        )

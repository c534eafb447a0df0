"""A changelist filter by region that takes the whole subtree of the chosen region."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from agencies.models import Region


class RegionSubtreeFilter(admin.SimpleListFilter):
    """Filter by region, including every region below it; set `path_field` in subclasses."""

    title = "行政区划（含下级）"
    parameter_name = "region"
    path_field = "region__path"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple]:
        # Provinces and cities always; the counties of the chosen city once one is chosen,
        # so that the sidebar stays short for a whole country.
        levels = [Region.Level.PROVINCE, Region.Level.CITY]
        regions = Region.objects.filter(level__in=levels)
        chosen = (
            Region.objects.filter(code=self.value()).first() if self.value() else None
        )
        if chosen is not None:
            regions = regions | Region.objects.filter(parent=chosen)
        indent = {
            Region.Level.PROVINCE: "",
            Region.Level.CITY: "　",
            Region.Level.COUNTY: "　　",
        }
        return [
            (code, f"{indent.get(level, '　　　')}{name}")
            for code, name, level in regions.order_by("path").values_list(
                "code", "name", "level"
            )
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if not self.value():
            return queryset
        region = Region.objects.filter(code=self.value()).only("path").first()
        if region is None:
            return queryset.none()
        return queryset.filter(**{f"{self.path_field}__startswith": region.path})


class AgencyRegionFilter(RegionSubtreeFilter):
    path_field = "agency__region__path"

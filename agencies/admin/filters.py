"""Changelist filters by region: the whole subtree of the chosen region, or the region alone."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from agencies.models import Region
from agencies.scope import Scope, scope_for


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
        # Only the regions within the user's reach: a city's reviewer never sees the names
        # of other cities; the top of the reach is always offered.
        scope = scope_for(request.user)
        reach = scope.filter_regions(Region.objects.all())
        levels = [Region.Level.PROVINCE, Region.Level.CITY]
        regions = reach.filter(level__in=levels)
        if not scope.everything:
            regions = regions | reach.filter(pk__in=_reach_tops(scope))
        chosen = reach.filter(code=self.value()).first() if self.value() else None
        if chosen is not None:
            regions = regions | reach.filter(parent=chosen)
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


def _reach_tops(scope: Scope) -> QuerySet:
    """The regions at the top of a limited reach: the subtree's root or the agency's."""
    if scope.region_path is not None:
        return Region.objects.filter(path=scope.region_path).values("pk")
    return Region.objects.filter(agencies__pk=scope.agency_id).values("pk")


class AgencyRegionFilter(RegionSubtreeFilter):
    path_field = "agency__region__path"


class OwnRegionFilter(admin.SimpleListFilter):
    """Only the chosen region itself, without the regions below it (本级)."""

    title = "行政区划（仅本级）"
    parameter_name = "region_own"
    path_field = "region__path"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[str, str]]:
        # Shown only while in use (links from the overview): the subtree filter is the one
        # people pick by hand, and a second full region list would only confuse.
        region = self._region()
        return [(region.code, f"{region.name}本级")] if region else []

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if not self.value():
            return queryset
        region = self._region()
        if region is None:
            return queryset.none()
        return queryset.filter(**{self.path_field: region.path})

    def _region(self) -> Region | None:
        if not self.value():
            return None
        if not hasattr(self, "_cached_region"):
            self._cached_region = (
                Region.objects.filter(code=self.value())
                .only("code", "name", "path")
                .first()
            )
        return self._cached_region

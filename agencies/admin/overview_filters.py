"""Changelist filters the 总览 (overview) page links to: own region, reporting standing.

"本级" numbers on the overview count the agencies of a region itself, not of its subtree,
so their links need an exact-region filter; the coverage numbers (未报送, 未到截止日, ...)
need the agency changelist to classify agencies exactly as the overview does.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from agencies.models import Region
from reports.models import ReportYear
from reports.overview import expressions as ex
from reports.overview.selectors import agencies_with_coverage, deadlines_for


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


class AgencyOwnRegionFilter(OwnRegionFilter):
    path_field = "agency__region__path"


class CoverageYearFilter(admin.SimpleListFilter):
    """Agencies due to report for a year (active_from/active_until)."""

    title = "应报年度"
    parameter_name = "coverage_year"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[str, str]]:
        years = ReportYear.objects.order_by("-year").values_list("year", flat=True)
        return [(str(y), f"{y}年度") for y in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        year = _int(self.value())
        return queryset if year is None else queryset.filter(ex.active_in(year))


class CoverageFilter(admin.SimpleListFilter):
    """How an agency stands for the 应报年度 (the latest year when none is chosen)."""

    title = "报送情况"
    parameter_name = "coverage"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[str, str]]:
        return [("received", "已报送"), *ex.COVERAGE_LABELS.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if not self.value():
            return queryset
        years = list(ReportYear.objects.all())
        chosen = _int(request.GET.get(CoverageYearFilter.parameter_name))
        year = next(
            (y for y in years if y.year == chosen),
            max(years, key=lambda y: y.year, default=None),
        )
        if year is None:
            return queryset.none()
        wanted = ex.RECEIVED if self.value() == "received" else (self.value(),)
        return agencies_with_coverage(
            queryset,
            year=year,
            deadlines=deadlines_for(years),
            today=timezone.localdate(),
        ).filter(coverage__in=wanted)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None

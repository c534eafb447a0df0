"""Changelist filters the overview's (总览) numbers link to: reports, findings, agencies.

"本级" numbers count the agencies of a region itself, not of its subtree, so their links
need an exact-region filter; the coverage numbers (未报送, 未到截止日, ...) need the agency
changelist to classify agencies exactly as the overview does (reports/admin/agencies.py
adds those to the agency admin).
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from agencies.admin.filters import OwnRegionFilter
from agencies.models import Agency
from reports.models import UNRESOLVED_FINDING, ReportYear
from reports.overview import expressions as ex
from reports.overview.selectors import agencies_with_coverage, deadlines_for


class AgencyKindFilter(admin.SimpleListFilter):
    """Reports by the kind of their agency (人民政府, 政府工作部门, ...)."""

    title = "机关类别"
    parameter_name = "kind"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[str, str]]:
        return list(Agency.Kind.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(agency__kind=self.value()) if self.value() else queryset


class TimelinessFilter(admin.SimpleListFilter):
    """Reports of agencies due that year, by publication date against their deadline.

    The deadline is the one the audit uses (kind of agency, regional overrides); the
    overview's coverage numbers count exactly these reports.
    """

    title = "报送及时性"
    parameter_name = "timeliness"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[str, str]]:
        return [
            ("received", "应报机关已报送"),
            *((k, ex.COVERAGE_LABELS[k]) for k in ex.RECEIVED),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if not self.value():
            return queryset
        queryset = queryset.filter(ex.active_in(F("report_year__year"), "agency__"))
        if self.value() == "received":
            return queryset
        deadlines = deadlines_for(ReportYear.objects.all())
        return (
            queryset.annotate(
                overview_deadline=ex.deadline_case(
                    deadlines,
                    kind="agency__kind",
                    path="agency__region__path",
                    year_field="report_year__year",
                )
            )
            .annotate(
                timeliness=ex.timeliness_case(
                    published="publication_date", deadline="overview_deadline"
                )
            )
            .filter(timeliness=self.value())
        )


class OpenFindingFilter(admin.SimpleListFilter):
    """Findings still to deal with: 待处理 or 已确认 (the overview counts these)."""

    title = "是否未了结"
    parameter_name = "unresolved"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[str, str]]:
        return [("1", "未了结（待处理或已确认）"), ("0", "已了结（已排除或已消除）")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "1":
            return queryset.filter(status__in=UNRESOLVED_FINDING)
        if self.value() == "0":
            return queryset.exclude(status__in=UNRESOLVED_FINDING)
        return queryset


class AgencyOwnRegionFilter(OwnRegionFilter):
    path_field = "agency__region__path"


REPORT_FILTERS = [AgencyKindFilter, TimelinessFilter, AgencyOwnRegionFilter]
FINDING_FILTERS = [OpenFindingFilter, AgencyOwnRegionFilter]


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

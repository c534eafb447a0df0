"""Changelist filters for reports and findings that the overview's numbers link to."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import F, QuerySet
from django.http import HttpRequest

from agencies.admin.overview_filters import AgencyOwnRegionFilter
from agencies.models import Agency
from reports.models import UNRESOLVED_FINDING, ReportYear
from reports.overview import expressions as ex
from reports.overview.selectors import deadlines_for

__all__ = [
    "AgencyKindFilter",
    "AgencyOwnRegionFilter",
    "OpenFindingFilter",
    "TimelinessFilter",
]


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


REPORT_FILTERS = [AgencyKindFilter, TimelinessFilter, AgencyOwnRegionFilter]
FINDING_FILTERS = [OpenFindingFilter, AgencyOwnRegionFilter]

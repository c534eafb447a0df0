"""Where each overview number leads: the changelist, filtered to exactly what was counted."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from agencies.models import Region
from reports.models import ReportYear
from reports.overview.selectors import Place


@dataclass(frozen=True)
class Links:
    """URL builders for one year and region; `place` narrows to one row of a table."""

    year: ReportYear
    region: Region | None

    def reports(self, place: Place | None = None, **params: object) -> str:
        """The year's reports in force (生效版次), as the overview counts them: the
        changelist's default, current revisions, would show a pending draft instead of the
        accepted revision it has not yet replaced."""
        return _url(
            "admin:reports_annualreport_changelist",
            report_year__id__exact=self.year.pk,
            revisions="in_force",
            **self._where(place),
            **params,
        )

    def agencies(self, place: Place | None = None, **params: object) -> str:
        """Agencies due for the year (the agency changelist's 应报年度 filter)."""
        return _url(
            "admin:agencies_agency_changelist",
            coverage_year=self.year.year,
            **self._where(place),
            **params,
        )

    def findings(self, place: Place | None = None, **params: object) -> str:
        """Open or confirmed findings of the year (the findings changelist)."""
        return _url(
            "admin:reports_finding_changelist",
            year=self.year.year,
            unresolved=1,
            **self._where(place),
            **params,
        )

    def overview(self, *, region: str | None = None, year: int | None = None) -> str:
        """The overview itself for another region or year (drill-down, breadcrumbs)."""
        params: dict[str, object] = {"year": year or self.year.year}
        if region:
            params["region"] = region
        return _url("admin:overview", **params)

    def _where(self, place: Place | None) -> dict[str, str]:
        if place is not None:
            return {"region_own": place.code} if place.own else {"region": place.code}
        return {"region": self.region.code} if self.region is not None else {}


def _url(name: str, **params: object) -> str:
    query = {k: v for k, v in params.items() if v is not None}
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)

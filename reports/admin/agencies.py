"""The agency registry's admin with the overview's coverage filters (应报年度, 报送情况).

The agencies app sits below reports and cannot know a report year; the reports app
extends its admin here, as a project extends django.contrib.auth's UserAdmin.
"""

from __future__ import annotations

from agencies.admin.agencies import AgencyAdmin as RegistryAgencyAdmin
from agencies.admin.filters import OwnRegionFilter, RegionSubtreeFilter
from reports.overview.filters import CoverageFilter, CoverageYearFilter


class AgencyAdmin(RegistryAgencyAdmin):
    list_filter = [
        "kind",
        RegionSubtreeFilter,
        "sector",
        # The overview's (总览) links: 应报年度, 报送情况, 本级.
        CoverageYearFilter,
        CoverageFilter,
        OwnRegionFilter,
    ]

"""Reading reports: the querysets that own their joins and prefetches."""

from __future__ import annotations

from django.db.models import F, OuterRef, QuerySet, Subquery

from agencies.models import Region
from reports.models import AnnualReport, Table3Row, live_report_q

SECTION_PREFETCH = ("table2_rows", "table3_rows", "table4_rows")
# Long text a report list never shows.
LIST_DEFERRED = (
    "overview",
    "problems",
    "other_matters",
    "raw_text",
    "uncertain_cells",
    "import_warnings",
    "source_notes",
    "withdrawn_reason",
)


def reports_with_tables() -> QuerySet[AnnualReport]:
    """Reports with agency, region and year joined and the three tables prefetched."""
    return AnnualReport.objects.select_related(
        "agency", "agency__region", "report_year"
    ).prefetch_related(*SECTION_PREFETCH)


def reports_in_scope(
    *, year: int | None = None, region: Region | None = None, current_only: bool = True
) -> QuerySet[AnnualReport]:
    """Reports of a year and a region's whole subtree (by default the live ones: current
    revisions, not withdrawn)."""
    qs = reports_with_tables()
    if current_only:
        qs = qs.filter(live_report_q())
    if year is not None:
        qs = qs.filter(report_year__year=year)
    if region is not None:
        qs = qs.filter(agency__region__path__startswith=region.path)
    return qs.order_by(
        "report_year__year", "agency__region__code", "agency__name", "revision"
    )


def with_application_totals(qs: QuerySet[AnnualReport]) -> QuerySet[AnnualReport]:
    """Annotate 本年新收 and （七）总计 totals of table 三 (one query, no N+1).

    本年新收 is stored on the report (reports/totals.py); （七）总计 is read from its row.
    """
    return qs.annotate(
        new_received_total=F("total_applications"),
        total_processed_total=Subquery(
            Table3Row.objects.filter(
                report=OuterRef("pk"), row_key="total_processed"
            ).values("total")[:1]
        ),
    )

"""What a fill-in template pre-filled for one agency shows, read from its live report.

It reads the models and writes the template's Prefill, so it sits with the template in the
export layer (the selectors below it must not import an exporter).
"""

from __future__ import annotations

from decimal import Decimal

from agencies.models import Agency
from reports import schema
from reports.exporting.template_xlsx import Prefill
from reports.models import AnnualReport, live_report_q
from reports.selectors import SECTION_PREFETCH


def template_prefill(agency: Agency, year: int) -> Prefill:
    """What a template pre-filled for one agency shows: its name and region and, when it
    has a current report for the year, that report's figures, date and text."""
    prefill = Prefill(agency=agency.name, region=agency.region.name)
    report = (
        AnnualReport.objects.filter(
            live_report_q(), agency=agency, report_year__year=year
        )
        .prefetch_related(*SECTION_PREFETCH)
        .first()
    )
    if report is None:
        return prefill
    prefill.publication_date = report.publication_date
    prefill.sections = {k: getattr(report, k) for k in schema.NARRATIVE_SECTIONS}
    cells: dict[str, tuple[int | Decimal | None, str | None]] = {}
    for table in schema.TABLE_KEYS:
        for row in getattr(report, f"{table}_rows").all():
            for column, raw in row.raw.items():
                cells[schema.cell_path(table, row.row_key, column)] = (
                    row.value(column),
                    raw,
                )
            if table == "table2" and row.row_key == "procurement":
                prefill.procurement_unit = row.amount_unit
    prefill.cells = cells
    return prefill

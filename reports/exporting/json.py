"""Reports from the database as interchange JSON (the inverse of importing/apply.py)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from reports import schema
from reports.core.parsed import ParsedCell, ParsedReport, SourceInfo
from reports.importing.interchange import to_interchange
from reports.models import AnnualReport, SectionRow


def report_to_parsed(report: AnnualReport) -> ParsedReport:
    """A stored report as a ParsedReport; uses the prefetched table rows."""
    parsed = ParsedReport(
        agency=report.agency.name,
        year=report.report_year.year,
        format=report.layout,
        sections={
            key: getattr(report, key)
            for key in schema.NARRATIVE_SECTIONS
            if getattr(report, key)
        },
        title=report.title,
        publication_date=report.publication_date.isoformat()
        if report.publication_date
        else "",
        source_url=report.source_url,
        raw_text=report.raw_text,
        uncertain=list(report.uncertain_cells),
        notes=list(report.source_notes),
        source=SourceInfo(
            name=report.source_name,
            kind=report.source_kind,
            sha256=report.source_sha256,
        ),
    )
    for table, rows in (
        ("table2", report.table2_rows.all()),
        ("table3", report.table3_rows.all()),
        ("table4", report.table4_rows.all()),
    ):
        parsed.tables[table] = _table_cells(table, rows, report.layout)
    return parsed


def _table_cells(
    table: str, rows: Iterable[SectionRow], layout: str
) -> dict[str, dict[str, ParsedCell]]:
    order = list(schema.allowed_rows(table, layout))
    out: dict[str, dict[str, ParsedCell]] = {}
    for row in sorted(
        rows, key=lambda r: order.index(r.row_key) if r.row_key in order else 99
    ):
        row_def = schema.allowed_rows(table, layout).get(row.row_key)
        columns = row_def.column_keys if row_def else tuple(row.raw)
        cells: dict[str, ParsedCell] = {}
        for column in columns:
            if not row.has_cell(column):
                continue
            where = row.provenance.get(column, {})
            bbox = where.get("bbox")
            cells[column] = ParsedCell(
                value=row.value(column),
                raw=row.raw.get(column),
                page=where.get("page"),
                bbox=tuple(bbox) if bbox else None,
                note=where.get("note", ""),
                unit=_exported_unit(row, table, column, layout),
            )
        out[row.row_key] = cells
    return out


def _exported_unit(row: SectionRow, table: str, column: str, layout: str) -> str:
    # The 2021 form fixes fees in 万元, so the unit is written only where it was a fact of
    # the document (2019 procurement).
    if table == "table2" and column == "amount" and row.row_key == "procurement":
        return getattr(row, "amount_unit", "")
    return ""


def reports_to_json(reports: Iterable[AnnualReport]) -> Iterator[dict[str, Any]]:
    """Interchange JSON objects, one per report, in the order given."""
    for report in reports:
        yield to_interchange(report_to_parsed(report), with_warnings=False)

"""Builders for regions, agencies and reports used across the tests."""

from __future__ import annotations

import itertools
from decimal import Decimal

from agencies.models import Agency, Region
from reports import schema
from reports.core.parsed import ParsedCell, ParsedReport
from reports.importing.apply import report_apply
from reports.models import AnnualReport

_codes = itertools.count(100)


def make_region(
    *,
    name: str = "示例市",
    level: str = Region.Level.CITY,
    parent: Region | None = None,
    code: str | None = None,
) -> Region:
    if code is None:
        n = next(_codes)
        code = f"{(parent.code[:2] if parent else '44')}{n:04d}"
    return Region.objects.create(code=code, name=name, level=level, parent=parent)


def make_agency(
    name: str = "示例县卫生健康局",
    *,
    region: Region | None = None,
    kind: str = Agency.Kind.DEPARTMENT,
    aliases: tuple[str, ...] = (),
) -> Agency:
    agency = Agency.objects.create(name=name, region=region or make_region(), kind=kind)
    for alias in aliases:
        agency.aliases.create(name=alias)
    return agency


def cell(value: int | Decimal | None, raw: str | None = None) -> ParsedCell:
    return ParsedCell(
        value=value, raw=("" if value is None else str(value)) if raw is None else raw
    )


def full_tables(
    layout: str = "2021", fill: int = 0
) -> dict[str, dict[str, dict[str, ParsedCell]]]:
    """Every cell of a layout's three tables, each holding `fill` (money as Decimal)."""
    tables: dict[str, dict[str, dict[str, ParsedCell]]] = {}
    for key, table in schema.tables_for(layout).items():
        tables[key] = {
            row.key: {
                col.key: cell(Decimal(fill) if col.kind is schema.Kind.MONEY else fill)
                for col in row.columns
            }
            for row in table.rows
        }
    return tables


def make_report(
    agency: Agency | None = None,
    *,
    year: int = 2024,
    layout: str | None = None,
    tables: dict | None = None,
    status: str = AnnualReport.Status.SUBMITTED,
) -> AnnualReport:
    """A saved report through the real apply service (all cells 0 unless `tables` given)."""
    layout = layout or schema.layout_for_year(year).value
    parsed = ParsedReport(
        agency=(agency.name if agency else "示例县卫生健康局"),
        year=year,
        format=layout,
        tables=tables if tables is not None else full_tables(layout),
    )
    return report_apply(parsed, agency=agency or make_agency(), status=status).report

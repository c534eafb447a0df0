"""ReportFacts for the rule tests: consistent built reports, the demo province, the corpus."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

from reports import schema
from reports.audit.base import Issue, ReportFacts
from reports.audit.rules import CATALOGUE, run_report_rules
from reports.core.parsed import ParsedCell, ParsedReport, Tables
from reports.fixtures.demo import REGIONS, demo_agencies, demo_reports
from reports.importing.interchange import from_interchange

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"


def cell(value: int | Decimal | None, raw: str | None = None) -> ParsedCell:
    """A cell as an importer reads it: raw is the printed text ("" for blank)."""
    if raw is None:
        raw = "" if value is None else str(value)
    return ParsedCell(value=value, raw=raw)


def full_tables(layout: str = "2021", *, one_row_other: bool = False) -> Tables:
    """Every row and cell of a layout's three tables, all 0 (a consistent report)."""
    tables: Tables = {}
    for key, table in schema.tables_for(layout, one_row_other=one_row_other).items():
        tables[key] = {
            row.key: {
                col.key: cell(Decimal(0) if col.kind == schema.Kind.MONEY else 0)
                for col in row.columns
            }
            for row in table.rows
        }
    return tables


def put(
    tables: Tables, path: str, value: int | Decimal | None, raw: str | None = None
) -> None:
    """Set one cell (table.row.column), creating the row if needed."""
    table, row, column = path.split(".")
    tables.setdefault(table, {}).setdefault(row, {})[column] = cell(value, raw)


def add_t3(tables: Tables, row: str, column: str, n: int) -> None:
    """Add n to a table 三 cell and its row total (keeps T3-row-total true)."""
    for col in (column, "total"):
        current = tables["table3"][row][col].value or 0
        tables["table3"][row][col] = cell(current + n)


def received(tables: Tables, n: int, *, granted: int | None = None) -> None:
    """n new natural-person applications, all granted: every identity still holds."""
    add_t3(tables, "new_received", "natural_person", n)
    add_t3(tables, "granted", "natural_person", n if granted is None else granted)
    add_t3(tables, "total_processed", "natural_person", n)
    if granted is not None and granted < n:
        add_t3(tables, "unavailable_not_held", "natural_person", n - granted)


def run_rules(report: ReportFacts, *modules: ModuleType) -> list[Issue]:
    """The per-report rules of these rule modules on one report, as the audit runs them
    (each issue stamped with its rule's severity)."""
    names = {m.__name__ for m in modules}
    only = {r.id for r in CATALOGUE.values() if r.check.__module__ in names}
    return run_report_rules(report, only=only)


def facts(
    tables: Tables | None = None,
    *,
    year: int = 2024,
    layout: str | None = None,
    sections: dict[str, str] | None = None,
    raw_text: str = "",
    uncertain: Iterable[str] = (),
    previous: ReportFacts | None = None,
    region_level: str = "county",
    kind: str = "department",
    agency: str = "测试县卫生健康局",
    agency_id: int = 1,
    report_id: int = 1,
    publication_date: dt.date | None = None,
    deadline: dt.date | None = None,
) -> ReportFacts:
    """A report's facts; by default a consistent, all-zero report of the year's layout."""
    year_layout = schema.layout_for_year(year).value
    layout = layout or year_layout
    return ReportFacts(
        report_id=report_id,
        agency_id=agency_id,
        agency=agency,
        agency_kind=kind,
        region_code="320813",
        region_level=region_level,
        year=year,
        layout=layout,
        year_layout=year_layout,
        tables=tables if tables is not None else full_tables(layout),
        sections=dict(sections or {}),
        raw_text=raw_text,
        publication_date=publication_date,
        deadline=deadline,
        uncertain=tuple(uncertain),
        previous=previous,
    )


def from_parsed(
    report: ParsedReport,
    *,
    report_id: int = 1,
    agency_id: int = 1,
    region_level: str = "county",
    kind: str = "department",
    deadline: dt.date | None = None,
    previous: ReportFacts | None = None,
) -> ReportFacts:
    """ReportFacts from a ParsedReport (what the runner builds from the database)."""
    assert report.year is not None
    published = (
        dt.date.fromisoformat(report.publication_date)
        if report.publication_date
        else None
    )
    return ReportFacts(
        report_id=report_id,
        agency_id=agency_id,
        agency=report.agency,
        agency_kind=kind,
        region_code="",
        region_level=region_level,
        year=report.year,
        layout=report.format,
        year_layout=schema.layout_for_year(report.year).value,
        tables=report.tables,
        sections=dict(report.sections),
        raw_text=report.raw_text,
        publication_date=published,
        deadline=deadline,
        uncertain=tuple(report.uncertain_paths()),
        previous=previous,
    )


# --- The demo province ------------------------------------------------------------------------


def demo_deadline(kind: str, year: int) -> dt.date:
    """ReportYear defaults: governments and townships by 3月31日, others by 1月31日."""
    if kind in ("government", "township"):
        return dt.date(year + 1, 3, 31)
    return dt.date(year + 1, 1, 31)


def demo_facts() -> list[ReportFacts]:
    """Every demo report as ReportFacts, previous = the same agency's report of year − 1."""
    levels = {r.code: r.level for r in REGIONS}
    ids = {a.name: i for i, a in enumerate(demo_agencies(), start=1)}
    by_key: dict[tuple[str, int], ReportFacts] = {}
    out = []
    for report_id, (agency, report, _status) in enumerate(demo_reports(), start=1):
        assert report.year is not None
        item = from_parsed(
            report,
            report_id=report_id,
            agency_id=ids[agency.name],
            region_level=levels[agency.region],
            kind=agency.kind,
            deadline=demo_deadline(agency.kind, report.year),
            previous=by_key.get((agency.name, report.year - 1)),
        )
        by_key[(agency.name, report.year)] = item
        out.append(item)
    return out


# --- The corpus -------------------------------------------------------------------------------


def corpus_truths() -> list[Path]:
    """The consistent truth documents: seeds and real (generated ones break identities)."""
    return sorted(CORPUS.glob("seeds/*.truth.json")) + sorted(
        CORPUS.glob("real/*.truth.json")
    )


def corpus_facts(truth: Path, *, with_text: bool = True) -> ReportFacts:
    """A truth document's tables, with the document's prose read by the importer."""
    data: dict[str, Any] = json.loads(truth.read_text(encoding="utf-8"))
    report = from_interchange(data)
    if with_text:
        from reports.importing.pipeline import parse_file

        document = truth.with_name(truth.name.removesuffix(".truth.json"))
        parsed = parse_file(document)
        report.raw_text = parsed.raw_text
        report.sections = parsed.sections
    level = "county"
    return from_parsed(report, region_level=level)

"""The audit contract: what a rule sees (ReportFacts) and what it says (Issue).

Rules are pure functions over plain data, with no ORM, so each is tested on small built
reports. A per-report rule takes one ReportFacts; a cross-report rule (copying between
agencies, agencies that did not report) takes the whole scope. Each is registered with its
id, severity and title (reports/audit/registry.py); the runner (reports/audit/runner.py)
builds the facts from the database and persists Issues as Findings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from reports.importing.parsed import Tables


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_LABELS: dict[str, str] = {
    Severity.ERROR: "错误",
    Severity.WARNING: "警告",
    Severity.INFO: "提示",
}
SEVERITY_RANK: dict[str, int] = {
    Severity.ERROR: 3,
    Severity.WARNING: 2,
    Severity.INFO: 1,
}


@dataclass(frozen=True)
class CellRef:
    """A cell an issue concerns, with the value and text it had when the rule ran."""

    path: str  # table.row.column
    value: int | Decimal | None
    raw: str | None = None


@dataclass(frozen=True)
class Issue:
    """One thing wrong with a report (or with an agency's missing report).

    `key` tells apart several issues of one rule in one report (e.g. the column of a
    T3-balance failure); with rule, report (or agency and year) it forms the fingerprint
    that lets a re-run update a finding instead of duplicating it.
    """

    rule: str
    message: str
    key: str = ""
    cells: tuple[CellRef, ...] = ()
    evidence: str = ""  # e.g. the quoted sentence of the narrative
    year: int | None = (
        None  # required when there is no report (a missing report's year)
    )
    # The rule's registered severity, stamped when the rules run (registry.py): a rule body
    # never writes it, so it is None on an issue of a rule function called on its own.
    severity: Severity | None = None


@dataclass
class ReportFacts:
    """Everything a rule may look at for one report, as plain data."""

    report_id: int
    agency_id: int
    agency: str
    agency_kind: str  # agencies.Agency.Kind value
    region_code: str
    region_level: str  # agencies.Region.Level value
    year: int
    layout: str  # the layout the document used ("2019" / "2021")
    year_layout: str  # the layout that applies to the year
    tables: Tables
    sections: dict[str, str] = field(
        default_factory=dict
    )  # overview, problems, other_matters
    raw_text: str = ""
    publication_date: dt.date | None = None
    deadline: dt.date | None = None  # for this agency's kind, region overrides applied
    uncertain: tuple[str, ...] = ()
    previous: ReportFacts | None = None  # the same agency's report of year - 1
    # The narrative's normalised clauses, worked out once (rules.copying.clauses) and kept:
    # both copying rules need them, and the whole-scope one runs without the sections.
    clauses: list[str] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class AgencyDue:
    """An active agency that was due to report for a year (for the missing-report rule)."""

    agency_id: int
    agency: str
    region_code: str
    year: int
    deadline: dt.date
    has_report: bool

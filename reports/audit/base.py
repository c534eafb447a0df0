"""The audit contract: what a rule sees (ReportFacts) and what it says (Issue).

Rules are pure functions over plain data, with no ORM, so each is tested on small built
reports. A per-report rule takes one ReportFacts; a cross-report rule (copying between
agencies, agencies that did not report) takes the whole scope. Each is registered with its
id, severity and title (reports/audit/registry.py); the runner (reports/audit/runner.py)
builds the facts from the database and persists Issues as Findings. Issue, Severity and
CellRef live in reports.core.issues (the Finding model stores them too) and are part of
this contract.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Re-exported (`X as X`): the rules import the audit's whole contract from here.
from reports.core.issues import SEVERITY_LABELS as SEVERITY_LABELS
from reports.core.issues import SEVERITY_RANK as SEVERITY_RANK
from reports.core.issues import CellRef as CellRef
from reports.core.issues import Issue as Issue
from reports.core.issues import Severity as Severity
from reports.core.parsed import Tables


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

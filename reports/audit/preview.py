"""The findings a report would get, computed before it is saved (the import preview)."""

from __future__ import annotations

from agencies.models import Agency
from reports.audit.base import Issue
from reports.audit.facts import Deadlines, facts_for_report, facts_from_parsed
from reports.audit.rules import run_report_rules
from reports.core.parsed import ParsedReport
from reports.models import live_report_q
from reports.selectors import reports_with_tables


def issues_before_saving(parsed: ParsedReport, agency: Agency) -> list[Issue]:
    """Run the per-report rules on an unsaved report, with last year's stored report."""
    if not parsed.year:
        return []
    deadlines = Deadlines.load()
    previous = (
        reports_with_tables()
        .filter(live_report_q(), agency=agency, report_year__year=parsed.year - 1)
        .first()
    )
    facts = facts_from_parsed(
        parsed,
        report_id=0,
        agency=agency,
        deadlines=deadlines,
        previous=facts_for_report(previous, deadlines) if previous else None,
    )
    return run_report_rules(facts)

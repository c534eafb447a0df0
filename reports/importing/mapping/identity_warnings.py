"""The identities of spec section 6 checked on a parsed report, as reviewer warnings.

One implementation serves both the importer and the audit (reports/core/identities.py):
this module only turns its Issues into ParseWarnings that name the cell and its page. Values stay as printed; blank and "/" count as 0 and the message
says so; uncertain or missing cells skip the check, because nothing is known about them.
"""

from __future__ import annotations

from reports.core.identities import check_identities
from reports.core.issues import Issue
from reports.core.parsed import ParsedReport, ParseWarning


def check(report: ParsedReport) -> list[ParseWarning]:
    """Every failing identity of spec section 6 (within one report) as a warning."""
    warnings = []
    for issue in check_identities(
        report.tables, report.format, report.uncertain_paths()
    ):
        where = _checked_cell(issue)
        cell = report.cell(*where.split(".")) if where else None
        warnings.append(
            ParseWarning(
                code=issue.rule,
                message=issue.message,
                where=where,
                page=cell.page if cell is not None else None,
            )
        )
    return warnings


def _checked_cell(issue: Issue) -> str:
    """The cell an identity checks: the 现行有效 count for T2-in-force, else the total the
    audit lists first."""
    if not issue.cells:
        return ""
    if issue.rule == "T2-in-force":
        return next((c.path for c in issue.cells if c.path.endswith(".in_force")), "")
    return issue.cells[0].path

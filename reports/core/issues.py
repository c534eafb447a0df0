"""What an audit rule says about a report: an Issue, its Severity and the cells it names.

Plain data at the bottom layer: the rules produce Issues, the importer turns the identity
ones into warnings, and the Finding model stores their severity, so none of them may
depend on the audit package.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


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
    # The rule's registered severity, stamped when the rules run (reports/audit/registry.py):
    # a rule body never writes it, so it is None on an issue of a rule function called on
    # its own.
    severity: Severity | None = None

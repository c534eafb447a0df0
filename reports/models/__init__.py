"""Report models, re-exported so that `from reports.models import AnnualReport` works."""

from reports.models.findings import (
    UNRESOLVED_FINDING,
    AuditRun,
    DeadlineOverride,
    Finding,
    base_fingerprint,
    revision_fingerprint,
)
from reports.models.reports import AnnualReport, audited_report_q, live_report_q
from reports.models.sections import SectionRow, Table2Row, Table3Row, Table4Row
from reports.models.workflow import ChangeRecord, ReportTransition
from reports.models.years import ReportYear

__all__ = [
    "UNRESOLVED_FINDING",
    "AnnualReport",
    "AuditRun",
    "ChangeRecord",
    "DeadlineOverride",
    "Finding",
    "ReportTransition",
    "ReportYear",
    "SectionRow",
    "Table2Row",
    "Table3Row",
    "Table4Row",
    "audited_report_q",
    "base_fingerprint",
    "live_report_q",
    "revision_fingerprint",
]

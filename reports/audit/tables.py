"""The one Reader of a report's tables that all the audit rules of the report share.

The Reader itself is plain cell reading (reports/core/cell_reading.py), which the importer
uses too; sharing it between rules is the audit's business (registry.shared), so it lives
here, above the core.
"""

from __future__ import annotations

from typing import Protocol

from reports.audit.registry import shared
from reports.core.cell_reading import Reader
from reports.core.parsed import Tables


class HasTables(Protocol):
    """What the table rules read: a report's tables, its layout and its uncertain cells."""

    @property
    def tables(self) -> Tables: ...
    @property
    def layout(self) -> str: ...
    @property
    def uncertain(self) -> tuple[str, ...]: ...


def table_reader(facts: HasTables) -> Reader:
    """The Reader of a report's tables, one for all the rules of the report."""
    return shared(
        facts, "reader", lambda: Reader(facts.tables, facts.layout, facts.uncertain)
    )

"""Figures that cannot be right for the agency that printed them."""

from __future__ import annotations

from reports.audit.base import Issue, ReportFacts, Severity
from reports.audit.registry import rule
from reports.audit.tables import table_reader
from reports.core.cell_reading import fmt

# 地方政府规章 are made by provincial and 设区的市 governments only (立法法 第九十三条).
NO_REGULATIONS_LEVELS = frozenset({"county", "township"})
_COLUMNS = (
    "issued",
    "repealed",
    "in_force",
    "new_made",
    "new_published",
    "total_published",
)


@rule("T2-regulations", Severity.WARNING, "县级及以下机关填报了规章")
def t2_regulations(facts: ReportFacts) -> list[Issue]:
    """T2-regulations: 规章 figures from an agency at county level or below."""
    if facts.region_level not in NO_REGULATIONS_LEVELS:
        return []
    reader = table_reader(facts)
    found = []
    for column in _COLUMNS:
        item = reader.known("table2", "regulations", column)
        if item is not None and item.value != 0:
            found.append(item)
    if not found:
        return []
    named = "、".join(
        f"{reader.label('table2', 'regulations', i.path.rsplit('.', 1)[1])} {fmt(i.value)}"
        for i in found
    )
    return [
        Issue(
            "T2-regulations",
            f"{named}：县级及以下机关无权制定规章，请核实是否误填（例如应填在行政规范性文件一行）",
            key="regulations",
            cells=tuple(i.ref() for i in found),
        )
    ]

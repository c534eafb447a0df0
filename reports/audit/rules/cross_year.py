"""Across years, same agency: what one report carries forward, the next must carry over.

`ReportFacts.previous` is the agency's report of year − 1 (None when there is none); both
reports' blanks count as 0 and their uncertain or missing cells skip the check.
"""

from __future__ import annotations

from reports import schema
from reports.audit.base import Issue, ReportFacts, Severity
from reports.audit.registry import rule
from reports.audit.tables import table_reader
from reports.core.cell_reading import Known, Reader, fmt, zero_note

_SERIES = ("regulations", "normative_documents")


def _readers(facts: ReportFacts) -> tuple[Reader, Reader] | None:
    """This year's and last year's tables, or None without last year's report."""
    previous = facts.previous
    if previous is None or previous.year != facts.year - 1:
        return None
    return table_reader(facts), table_reader(previous)


@rule("X-carry", Severity.ERROR, "上年结转等于上年度报告的结转下年度")
def x_carry(facts: ReportFacts) -> list[Issue]:
    """X-carry: 上年结转 of year Y = 结转下年度 of year Y − 1, per column."""
    readers = _readers(facts)
    if readers is None:
        return []
    current, before = readers
    year = facts.year
    if "carried_over" not in current.rows("table3"):
        return []
    if "carried_forward" not in before.rows("table3"):
        return []
    out = []
    for column in (c.key for c in schema.TABLE3_COLUMNS):
        now = current.known("table3", "carried_over", column)
        then = before.known("table3", "carried_forward", column)
        if now is None or then is None or now.value == then.value:
            continue
        notes = zero_note(current, [now]) + _previous_note(before, then)
        out.append(
            Issue(
                "X-carry",
                f"{current.label('table3', 'carried_over', column)}为 "
                f"{fmt(now.value)}，而 {year - 1} 年度报告"
                f"{before.label('table3', 'carried_forward', column)}为 "
                f"{fmt(then.value)}，两者应相等{notes}",
                key=column,
                cells=(now.ref(),),
            )
        )
    return out


def _previous_note(before: Reader, item: Known) -> str:
    note = zero_note(before, [item])
    return note.replace("（其中", "（上年报告中", 1) if note else ""


@rule(
    "X-in-force",
    Severity.WARNING,
    "现行有效件数与上年度衔接（上年现行有效＋制发－废止）",
)
def x_in_force(facts: ReportFacts) -> list[Issue]:
    """X-in-force (2021 table 二 both years): 现行有效(Y) = 现行有效(Y−1) + 制发 − 废止."""
    readers = _readers(facts)
    if readers is None:
        return []
    current, before = readers
    year = facts.year
    layout = schema.Layout.Y2021
    if (
        current.table_layout("table2") != layout
        or before.table_layout("table2") != layout
    ):
        return []
    out = []
    for row in _SERIES:
        items = current.known_all(
            "table2", [(row, c) for c in ("issued", "repealed", "in_force")]
        )
        then = before.known("table2", row, "in_force")
        if items is None or then is None:
            continue
        issued, repealed, in_force = items
        expected = then.value + issued.value - repealed.value
        if in_force.value == expected:
            continue
        notes = zero_note(current, items) + _previous_note(before, then)
        out.append(
            Issue(
                "X-in-force",
                f"{current.label('table2', row, 'in_force')}为 {fmt(in_force.value)}，"
                f"而 {year - 1} 年度现行有效 {fmt(then.value)} + 本年制发 "
                f"{fmt(issued.value)} − 本年废止 {fmt(repealed.value)} = "
                f"{fmt(expected)}{notes}",
                key=row,
                cells=tuple(i.ref() for i in items),
            )
        )
    return out

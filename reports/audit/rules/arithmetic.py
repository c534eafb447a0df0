"""Within-report arithmetic: the identities of spec section 6 and the cell values themselves.

The identities are worked out in reports/core/identities.py, the one implementation the
importer's preview uses too; here the audit runs them, and the cell-value rules, on a
report's facts. Blank and "/" cells count as 0 and the message says so; missing or
uncertain cells skip the check.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from reports import schema
from reports.audit.base import CellRef, Issue, ReportFacts, Severity
from reports.core.cell_reading import Reader, Uncertain, fmt
from reports.core.identities import IDENTITY_RULES, identities_of
from reports.core.parsed import ParsedCell, Tables

CELL_RULES = ("count-invalid", "blank-cells", "na-cells")
RULES = IDENTITY_RULES + CELL_RULES

_LISTED = 8  # cells named in a blank/"/" message; all of them are in `cells`


def check(facts: ReportFacts) -> list[Issue]:
    """Every arithmetic and cell-value issue of one report."""
    return check_tables(facts.tables, facts.layout, facts.uncertain)


def check_tables(
    tables: Tables, layout: str, uncertain: Iterable[str] = ()
) -> list[Issue]:
    """Identities plus cell values, for a report's tables (ParsedReport or facts)."""
    reader = Reader(tables, layout, Uncertain(uncertain))
    return identities_of(reader) + _cell_values(reader)


# --- Cell values ----------------------------------------------------------------------------


def _kind(table: str, column: str) -> schema.Kind:
    if table == "table2":
        if column == "change":
            return schema.Kind.SIGNED
        if column == "amount":
            return schema.Kind.MONEY
    return schema.Kind.COUNT


def _cell_values(reader: Reader) -> list[Issue]:
    """count-invalid per cell; blank-cells and na-cells once per table."""
    out: list[Issue] = []
    for table in schema.TABLE_KEYS:
        values = reader.values(table)
        for row, column, cell in values.suspect:
            kind = _kind(table, column)
            value = cell.value
            assert value is not None
            fractional = (
                isinstance(value, Decimal) and value != value.to_integral_value()
            )
            if kind == schema.Kind.SIGNED or not (
                value < 0 or (kind == schema.Kind.COUNT and fractional)
            ):
                continue
            out.append(_invalid(reader, table, row, column, cell, kind))
        blanks = [
            CellRef(f"{table}.{r}.{c}", None, cell.raw) for r, c, cell in values.blank
        ]
        not_applicable = [
            CellRef(f"{table}.{r}.{c}", None, cell.raw)
            for r, c, cell in values.not_applicable
        ]
        if blanks:
            out.append(_blank_issue(reader, table, blanks, not_applicable=False))
        if not_applicable:
            out.append(_blank_issue(reader, table, not_applicable, not_applicable=True))
    return out


def _invalid(
    reader: Reader,
    table: str,
    row: str,
    column: str,
    cell: ParsedCell,
    kind: schema.Kind,
) -> Issue:
    what = "金额不能为负数" if kind == schema.Kind.MONEY else "件数应为非负整数"
    return Issue(
        "count-invalid",
        Severity.ERROR,
        f"{reader.label(table, row, column)}为 {fmt(cell.value)}，{what}",
        key=f"{table}.{row}.{column}",
        cells=(CellRef(f"{table}.{row}.{column}", cell.value, cell.raw),),
    )


def _blank_issue(
    reader: Reader, table: str, cells: list[CellRef], *, not_applicable: bool
) -> Issue:
    names = [reader.label(*c.path.split(".")) for c in cells[:_LISTED]]
    shown = "、".join(names) + (f"等 {len(cells)} 格" if len(cells) > _LISTED else "")
    label = schema.TABLE_LABELS[table]
    if not_applicable:
        return Issue(
            "na-cells",
            Severity.INFO,
            f"{label}有 {len(cells)} 个应填数字的单元格填为“/”等不适用符号：{shown}；"
            "不适用不等于 0，算术核对时按 0 计算",
            key=table,
            cells=tuple(cells),
        )
    return Issue(
        "blank-cells",
        Severity.INFO,
        f"{label}有 {len(cells)} 个应填数字的单元格为空白：{shown}；"
        "空白不等于 0，算术核对时按 0 计算",
        key=table,
        cells=tuple(cells),
    )

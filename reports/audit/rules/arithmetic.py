"""Within-report arithmetic: the identities of spec section 6 and the cell values themselves.

The identities are worked out in reports/core/identities.py, the one implementation the
importer's preview uses too (on a parsed report's tables, through a Reader); here each is a
registered rule the audit runs on a report's facts, with the cell-value rules. Blank and "/"
cells count as 0 and the message says so; missing or uncertain cells skip the check. All
rules of a report read its tables through one Reader (audit.tables.table_reader).
"""

from __future__ import annotations

from decimal import Decimal

from reports import schema
from reports.audit.base import CellRef, Issue, Severity
from reports.audit.registry import rule
from reports.audit.tables import HasTables, table_reader
from reports.core import identities
from reports.core.cell_reading import Number, Reader, fmt
from reports.core.parsed import ParsedCell

_LISTED = 8  # cells named in a blank/"/" message; all of them are in `cells`


# --- The identities of spec section 6 (reports/core/identities.py) ------------------------


@rule(
    "T3-balance",
    Severity.ERROR,
    "表三勾稽关系：本年新收＋上年结转＝办理结果总计＋结转下年度",
)
def t3_balance(facts: HasTables) -> list[Issue]:
    """T3-balance: new_received + carried_over = total_processed + carried_forward, per column."""
    return identities.t3_balance(table_reader(facts))


@rule("T3-results", Severity.ERROR, "表三（七）总计等于各项办理结果之和")
def t3_results(facts: HasTables) -> list[Issue]:
    """T3-results: （七）总计 = the sum of every result row, per column."""
    return identities.t3_results(table_reader(facts))


@rule("T3-row-total", Severity.ERROR, "表三总计列等于自然人与法人或其他组织各列之和")
def t3_row_total(facts: HasTables) -> list[Issue]:
    """T3-row-total: 总计 = 自然人 + the five 法人或其他组织 columns, per row."""
    return identities.t3_row_total(table_reader(facts))


@rule(
    "T4-total",
    Severity.ERROR,
    "表四总计等于结果维持、结果纠正、其他结果、尚未审结之和",
)
def t4_total(facts: HasTables) -> list[Issue]:
    """T4-total: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结, per block."""
    return identities.t4_total(table_reader(facts))


@rule("T2-in-force", Severity.WARNING, "表二现行有效件数不少于本年制发减本年废止")
def t2_in_force(facts: HasTables) -> list[Issue]:
    """T2-in-force (2021 table 二): 现行有效 ≥ 本年制发 − 本年废止."""
    return identities.t2_in_force(table_reader(facts))


IDENTITIES = (t3_balance, t3_results, t3_row_total, t4_total, t2_in_force)


# --- Cell values ----------------------------------------------------------------------------


def _kind(table: str, column: str) -> schema.Kind:
    if table == "table2":
        if column == "change":
            return schema.Kind.SIGNED
        if column == "amount":
            return schema.Kind.MONEY
    return schema.Kind.COUNT


@rule("count-invalid", Severity.ERROR, "件数应为非负整数")
@rule("blank-cells", Severity.INFO, "应填数字的单元格为空白（按 0 核对）")
@rule("na-cells", Severity.INFO, "应填数字的单元格填为“/”（不适用，按 0 核对）")
def cell_values(facts: HasTables) -> list[Issue]:
    """count-invalid per cell; blank-cells and na-cells once per table (one pass)."""
    reader = table_reader(facts)
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
            out.append(_invalid(reader, table, row, column, cell, value, kind))
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
    value: Number,
    kind: schema.Kind,
) -> Issue:
    what = "金额不能为负数" if kind == schema.Kind.MONEY else "件数应为非负整数"
    return Issue(
        "count-invalid",
        f"{reader.label(table, row, column)}为 {fmt(value)}，{what}",
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
            f"{label}有 {len(cells)} 个应填数字的单元格填为“/”等不适用符号：{shown}；"
            "不适用不等于 0，算术核对时按 0 计算",
            key=table,
            cells=tuple(cells),
        )
    return Issue(
        "blank-cells",
        f"{label}有 {len(cells)} 个应填数字的单元格为空白：{shown}；"
        "空白不等于 0，算术核对时按 0 计算",
        key=table,
        cells=tuple(cells),
    )

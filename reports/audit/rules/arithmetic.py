"""Within-report arithmetic: the identities of spec section 6 and the cell values themselves.

This is the single implementation of those identities: the importer's preview calls
`check_identities` on a ParsedReport's tables, the audit runs each rule on ReportFacts. Blank
and "/" cells count as 0 and the message says so; missing or uncertain cells skip the check.
All rules of a report read its tables through one Reader (cells.table_reader).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from operator import itemgetter

from reports import schema
from reports.audit.base import CellRef, Issue, Severity
from reports.audit.registry import ids_of, rule, sharing
from reports.audit.rules.cells import (
    HasTables,
    Known,
    Number,
    Reader,
    TableFacts,
    fmt,
    refs,
    table_reader,
    zero_note,
)
from reports.importing.parsed import ParsedCell, Tables

_BALANCE_ROWS = ("new_received", "carried_over", "total_processed", "carried_forward")
_RESULT_HEAD = tuple(r for r in schema.TABLE3_RESULT_ROWS if not r.startswith("other_"))
_T2_SERIES = ("regulations", "normative_documents")
_LISTED = 8  # cells named in a blank/"/" message; all of them are in `cells`


# --- Table 三 -----------------------------------------------------------------------------
# Each check runs on the one-pass values; Known cells are read again only to word a failure.

_T3_COLUMNS = tuple(c.key for c in schema.TABLE3_COLUMNS)


def _column_name(column: str) -> str:
    col = next(c for c in schema.TABLE3_COLUMNS if c.key == column)
    return f"{col.group}·{col.label}" if col.group else col.label


def _sum(values: list[Number | None]) -> Number | None:
    """The sum, or None when any value is unknown."""
    known = [v for v in values if v is not None]
    return sum(known) if len(known) == len(values) else None


@rule(
    "T3-balance",
    Severity.ERROR,
    "表三勾稽关系：本年新收＋上年结转＝办理结果总计＋结转下年度",
)
def t3_balance(facts: HasTables) -> list[Issue]:
    """T3-balance: new_received + carried_over = total_processed + carried_forward, per column."""
    reader = table_reader(facts)
    rows = reader.values("table3").rows
    if not all(r in rows for r in _BALANCE_ROWS):
        return []
    new, carried, processed, forward = (rows[r] for r in _BALANCE_ROWS)
    out = []
    for column in _T3_COLUMNS:
        left = _sum([new.get(column), carried.get(column)])
        right = _sum([processed.get(column), forward.get(column)])
        if left is None or right is None or left == right:
            continue
        items = reader.known_all("table3", [(r, column) for r in _BALANCE_ROWS])
        assert items is not None
        out.append(
            Issue(
                "T3-balance",
                f"表三「{_column_name(column)}」列：本年新收 {fmt(items[0].value)} + "
                f"上年结转 {fmt(items[1].value)} = {fmt(left)}，而（七）总计 "
                f"{fmt(items[2].value)} + 结转下年度 {fmt(items[3].value)} = "
                f"{fmt(right)}，两者应相等{zero_note(reader, items)}",
                key=column,
                cells=refs(items),
            )
        )
    return out


def _result_rows(rows: dict[str, dict[str, Number | None]]) -> list[str] | None:
    """The rows that add up to （七）总计 in this table, or None when one is absent."""
    if not all(r in rows for r in _RESULT_HEAD):
        return None
    if schema.OTHER_ONE_ROW in rows:
        return [*_RESULT_HEAD, schema.OTHER_ONE_ROW]
    if all(r in rows for r in schema.OTHER_2021_ROWS):
        return [*_RESULT_HEAD, *schema.OTHER_2021_ROWS]
    return None


@rule("T3-results", Severity.ERROR, "表三（七）总计等于各项办理结果之和")
def t3_results(facts: HasTables) -> list[Issue]:
    """T3-results: （七）总计 = the sum of every result row, per column."""
    reader = table_reader(facts)
    rows = reader.values("table3").rows
    results = _result_rows(rows)
    if results is None or "total_processed" not in rows:
        return []
    result_values = [rows[r] for r in results]
    out = []
    for column in _T3_COLUMNS:
        printed = rows["total_processed"].get(column)
        total = _sum([r.get(column) for r in result_values])
        if printed is None or total is None or printed == total:
            continue
        cell = reader.known("table3", "total_processed", column)
        parts = reader.known_all("table3", [(r, column) for r in results])
        assert cell is not None and parts is not None
        out.append(
            Issue(
                "T3-results",
                f"{reader.label('table3', 'total_processed', column)}印为 "
                f"{fmt(printed)}，而各项办理结果（予以公开至其他处理）之和为 "
                f"{fmt(total)}{zero_note(reader, [cell, *parts])}",
                key=column,
                cells=refs([cell, *parts]),
            )
        )
    return out


def _row_totals(
    reader: Reader, table: str, parts_keys: tuple[str, ...]
) -> list[tuple[str, Known, list[Known], Number]]:
    """Rows whose printed 总计 differs from the sum of their parts."""
    out = []
    parts_of = itemgetter(*parts_keys)  # C-speed lookups: this runs on every row
    for row, values in reader.values(table).rows.items():
        printed = values.get("total")
        if printed is None:
            continue
        try:
            found = parts_of(values)
        except KeyError:
            continue  # a missing column: unknown
        if None in found:
            continue
        total = sum(found)
        if printed == total:
            continue
        cell = reader.known(table, row, "total")
        parts = reader.known_all(table, [(row, c) for c in parts_keys])
        assert cell is not None and parts is not None
        out.append((row, cell, parts, total))
    return out


@rule("T3-row-total", Severity.ERROR, "表三总计列等于自然人与法人或其他组织各列之和")
def t3_row_total(facts: HasTables) -> list[Issue]:
    """T3-row-total: 总计 = 自然人 + the five 法人或其他组织 columns, per row."""
    reader = table_reader(facts)
    return [
        Issue(
            "T3-row-total",
            f"{reader.label('table3', row, 'total')}印为 {fmt(printed.value)}，"
            f"而自然人与法人或其他组织各列之和为 {fmt(total)}"
            f"{zero_note(reader, [printed, *parts])}",
            key=row,
            cells=refs([printed, *parts]),
        )
        for row, printed, parts, total in _row_totals(
            reader, "table3", schema.TABLE3_PARTS
        )
    ]


# --- Table 四 and 二 ------------------------------------------------------------------------


@rule(
    "T4-total",
    Severity.ERROR,
    "表四总计等于结果维持、结果纠正、其他结果、尚未审结之和",
)
def t4_total(facts: HasTables) -> list[Issue]:
    """T4-total: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结, per block."""
    reader = table_reader(facts)
    return [
        Issue(
            "T4-total",
            f"{reader.label('table4', block, 'total')}印为 {fmt(printed.value)}，"
            f"而结果维持、结果纠正、其他结果、尚未审结之和为 {fmt(total)}"
            f"{zero_note(reader, [printed, *parts])}",
            key=block,
            cells=refs([printed, *parts]),
        )
        for block, printed, parts, total in _row_totals(
            reader, "table4", schema.TABLE4_PARTS
        )
    ]


@rule("T2-in-force", Severity.WARNING, "表二现行有效件数不少于本年制发减本年废止")
def t2_in_force(facts: HasTables) -> list[Issue]:
    """T2-in-force (2021 table 二): 现行有效 ≥ 本年制发 − 本年废止."""
    reader = table_reader(facts)
    if reader.table_layout("table2") != schema.Layout.Y2021:
        return []
    out = []
    for row in _T2_SERIES:
        items = reader.known_all(
            "table2", [(row, c) for c in ("issued", "repealed", "in_force")]
        )
        if items is None:
            continue
        issued, repealed, in_force = items
        if in_force.value >= issued.value - repealed.value:
            continue
        out.append(
            Issue(
                "T2-in-force",
                f"{reader.label('table2', row, 'in_force')}为 {fmt(in_force.value)}，"
                f"小于本年制发 {fmt(issued.value)} 减本年废止 {fmt(repealed.value)}"
                f"{zero_note(reader, items)}",
                key=row,
                cells=refs(items),
            )
        )
    return out


IDENTITIES = (t3_balance, t3_results, t3_row_total, t4_total, t2_in_force)
IDENTITY_RULES = tuple(r for check in IDENTITIES for r in ids_of(check))


def check_identities(
    tables: Tables, layout: str, uncertain: Iterable[str] = ()
) -> list[Issue]:
    """The identities of spec section 6 within one report (what the importer warns about)."""
    facts = TableFacts(tables, layout, tuple(uncertain))
    with sharing():
        return [issue for check in IDENTITIES for issue in check(facts)]


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

"""The identities of spec section 6 within one report, worded for a reviewer.

One implementation for the importer (reports/importing/mapping/identity_warnings.py turns
the Issues into warnings on a parsed report) and the audit (reports/audit/rules/arithmetic.py
runs them as rules on a stored report). Blank and "/" cells count as 0 and the message says
so; missing or uncertain cells skip the check, because nothing is known about them. The
Issues carry no severity: the audit's registry stamps the one each rule is registered with.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import itemgetter

from reports import schema
from reports.core.cell_reading import (
    Known,
    Number,
    Reader,
    Uncertain,
    fmt,
    refs,
    zero_note,
)
from reports.core.issues import Issue
from reports.core.parsed import Tables

IDENTITY_RULES = ("T3-balance", "T3-results", "T3-row-total", "T4-total", "T2-in-force")

_BALANCE_ROWS = ("new_received", "carried_over", "total_processed", "carried_forward")
_RESULT_HEAD = tuple(r for r in schema.TABLE3_RESULT_ROWS if not r.startswith("other_"))
_T2_SERIES = ("regulations", "normative_documents")


def check_identities(
    tables: Tables, layout: str, uncertain: Iterable[str] = ()
) -> list[Issue]:
    """The identities of spec section 6 within one report (what the importer warns about)."""
    return identities_of(Reader(tables, layout, Uncertain(uncertain)))


def identities_of(reader: Reader) -> list[Issue]:
    """Every failing identity, read through a Reader the caller may share with its other
    checks of the report."""
    return (
        t3_balance(reader)
        + t3_results(reader)
        + t3_row_total(reader)
        + t4_total(reader)
        + t2_in_force(reader)
    )


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


def t3_balance(reader: Reader) -> list[Issue]:
    """T3-balance: new_received + carried_over = total_processed + carried_forward, per column."""
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


def t3_results(reader: Reader) -> list[Issue]:
    """T3-results: （七）总计 = the sum of every result row, per column."""
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


def t3_row_total(reader: Reader) -> list[Issue]:
    """T3-row-total: 总计 = 自然人 + the five 法人或其他组织 columns, per row."""
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


def t4_total(reader: Reader) -> list[Issue]:
    """T4-total: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结, per block."""
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


def t2_in_force(reader: Reader) -> list[Issue]:
    """T2-in-force (2021 table 二): 现行有效 ≥ 本年制发 − 本年废止."""
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

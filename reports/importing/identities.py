"""The identities of spec section 6 checked on a parsed report, as reviewer warnings.

Values stay as printed; a failing identity only produces a warning naming table, row and
column. Blank and not-applicable cells count as 0 (and the message says so); uncertain or
missing cells skip the check, because nothing is known about them.
"""

from __future__ import annotations

from collections.abc import Iterable

from reports import schema
from reports.importing.parsed import ParsedCell, ParsedReport, ParseWarning

_MISSING = object()


def _amount(report: ParsedReport, table: str, row: str, column: str) -> object:
    """A cell's value with blank as 0, or _MISSING when it is absent or uncertain."""
    cell: ParsedCell | None = report.cell(table, row, column)
    if cell is None or cell.uncertain:
        return _MISSING
    path = schema.cell_path(table, row, column)
    if path in report.uncertain:
        return _MISSING
    return cell.value if cell.value is not None else 0


def _sum(report: ParsedReport, table: str, rows: Iterable[str], column: str) -> object:
    total = 0
    for row in rows:
        value = _amount(report, table, row, column)
        if value is _MISSING:
            return _MISSING
        total += value  # type: ignore[operator]
    return total


def _blank_note(
    report: ParsedReport, table: str, rows: Iterable[str], columns: Iterable[str]
) -> str:
    for row in rows:
        for column in columns:
            cell = report.cell(table, row, column)
            if cell is not None and cell.value is None:
                return "（空白或“/”按 0 计）"
    return ""


def check(report: ParsedReport) -> list[ParseWarning]:
    """Every failing identity of spec section 6 (within one report) as a warning."""
    warnings: list[ParseWarning] = []
    warnings += _t3_balance(report)
    warnings += _t3_results(report)
    warnings += _t3_row_total(report)
    warnings += _t4_total(report)
    warnings += _t2_in_force(report)
    return warnings


def _label(table: str, row: str, column: str, layout: str) -> str:
    return schema.cell_label(table, row, column, layout)


def _t3_balance(report: ParsedReport) -> list[ParseWarning]:
    rows = report.tables.get("table3", {})
    needed = ("new_received", "carried_over", "total_processed", "carried_forward")
    if not all(r in rows for r in needed):
        return []
    out = []
    for column in schema.TABLE3_COLUMNS:
        left = _sum(report, "table3", needed[:2], column.key)
        right = _sum(report, "table3", needed[2:], column.key)
        if left is _MISSING or right is _MISSING or left == right:
            continue
        note = _blank_note(report, "table3", needed, [column.key])
        out.append(
            ParseWarning(
                "T3-balance",
                f"表三「{column.label}」列：本年新收 + 上年结转 = {left}，"
                f"而（七）总计 + 结转下年度 = {right}，两者不等{note}",
                schema.cell_path("table3", "total_processed", column.key),
            )
        )
    return out


def _t3_results(report: ParsedReport) -> list[ParseWarning]:
    rows = report.tables.get("table3", {})
    if "total_processed" not in rows:
        return []
    results = [r for r in schema.TABLE3_RESULT_ROWS if r in rows]
    if schema.OTHER_ONE_ROW in rows:
        results = [r for r in results if r not in schema.OTHER_2021_ROWS]
    results += [r for r in schema.OTHER_2021_ROWS if r in rows and r not in results]
    if len(results) < 2:
        return []
    out = []
    for column in schema.TABLE3_COLUMNS:
        printed = _amount(report, "table3", "total_processed", column.key)
        parts = _sum(report, "table3", results, column.key)
        if printed is _MISSING or parts is _MISSING or printed == parts:
            continue
        note = _blank_note(
            report, "table3", [*results, "total_processed"], [column.key]
        )
        out.append(
            ParseWarning(
                "T3-results",
                f"{_label('table3', 'total_processed', column.key, report.format)}"
                f"印为 {printed}，各办理结果之和为 {parts}{note}",
                schema.cell_path("table3", "total_processed", column.key),
            )
        )
    return out


def _t3_row_total(report: ParsedReport) -> list[ParseWarning]:
    out = []
    for row in report.tables.get("table3", {}):
        printed = _amount(report, "table3", row, "total")
        parts: object = 0
        for column in schema.TABLE3_PARTS:
            value = _amount(report, "table3", row, column)
            if value is _MISSING:
                parts = _MISSING
                break
            parts += value  # type: ignore[operator]
        if printed is _MISSING or parts is _MISSING or printed == parts:
            continue
        note = _blank_note(report, "table3", [row], [*schema.TABLE3_PARTS, "total"])
        out.append(
            ParseWarning(
                "T3-row-total",
                f"{_label('table3', row, 'total', report.format)}印为 {printed}，"
                f"自然人与法人或其他组织各列之和为 {parts}{note}",
                schema.cell_path("table3", row, "total"),
            )
        )
    return out


def _t4_total(report: ParsedReport) -> list[ParseWarning]:
    out = []
    for row in report.tables.get("table4", {}):
        printed = _amount(report, "table4", row, "total")
        parts: object = 0
        for column in schema.TABLE4_PARTS:
            value = _amount(report, "table4", row, column)
            if value is _MISSING:
                parts = _MISSING
                break
            parts += value  # type: ignore[operator]
        if printed is _MISSING or parts is _MISSING or printed == parts:
            continue
        note = _blank_note(report, "table4", [row], [*schema.TABLE4_PARTS, "total"])
        out.append(
            ParseWarning(
                "T4-total",
                f"{_label('table4', row, 'total', report.format)}印为 {printed}，"
                f"结果维持、结果纠正、其他结果、尚未审结之和为 {parts}{note}",
                schema.cell_path("table4", row, "total"),
            )
        )
    return out


def _t2_in_force(report: ParsedReport) -> list[ParseWarning]:
    if report.format != schema.Layout.Y2021:
        return []
    out = []
    for row in ("regulations", "normative_documents"):
        values = [
            _amount(report, "table2", row, c)
            for c in ("issued", "repealed", "in_force")
        ]
        if any(v is _MISSING for v in values):
            continue
        issued, repealed, in_force = values
        if in_force >= issued - repealed:  # type: ignore[operator]
            continue
        out.append(
            ParseWarning(
                "T2-in-force",
                f"{_label('table2', row, 'in_force', report.format)}为 {in_force}，"
                f"小于本年制发 {issued} 减本年废止 {repealed}",
                schema.cell_path("table2", row, "in_force"),
            )
        )
    return out

"""Excel workbooks as agencies publish them into a Grid (the fill-in template is
mapping/template.py's).

Every visible sheet becomes Grid rows with the text each cell displays, merged cells
spanning their grid columns, and mapping/workbook.py maps them like every other source.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from reports import schema
from reports.importing import errors, labels
from reports.importing.errors import ImportRefused
from reports.importing.extract.rows import Cell, Grid, Row, has_numbers, split_row
from reports.importing.normalize import clean_cell, compact, read_value

# --- published workbooks ------------------------------------------------------------------
#
# A workbook as agencies publish it: one sheet holding title, narrative and the three tables,
# or one sheet per table plus a narrative sheet, in any order. Each cell gives the text it
# displays (its number format applied to its value), so "1,046", 12.5 shown as "12.50" and
# "21件" are read like the same text in any other document. Formulas are never evaluated:
# a formula's value is the one Excel saved with the file; a formula saved without a value,
# an error value or a number whose display hides digits is a fault, and the cell it lands in
# is marked uncertain with a warning naming sheet and cell.

MAX_SHEET_ROWS = 2000  # a report fills a few hundred rows; beyond this is not a report
MAX_SHEET_COLUMNS = 64
MAX_FAULTS_SHOWN = 10
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
# Sheet names that say which table a sheet holds, when its content does not.
_NAME_HINTS = (
    ("table4", re.compile(r"表四|复议|诉讼")),
    ("table3", re.compile(r"表三|依申请|申请情况|收到和处理")),
    ("table2", re.compile(r"表二|主动公开")),
)
# The summary workbook this system exports (reports/exporting/summary/workbook.py) holds
# sums over many reports in the tables' layout: it must not come back as one report.
_SUMMARY_SHEETS = frozenset({"汇总", "表三汇总"})
_T3_HEADER = re.compile(r"自然人|申请人情况|法人或其他组织")
_T2_HEADER = re.compile(r"信息内容|第二十条")
_T4_HEADER = re.compile(r"复议后起诉|未经复议|结果维持")


@dataclass
class Published:
    """A published workbook as a Grid, and the cells whose value is not known as printed.

    `faults` maps a cell reference ("表三!D12") to why (Chinese); the reference is the
    `ref` of the Grid cell, and so the `note` of the ParsedCell it becomes.
    """

    grid: Grid
    faults: dict[str, str] = field(default_factory=dict)


@dataclass
class _Sheet:
    """One visible sheet's rows, and what it starts with (a heading or a table)."""

    title: str
    rows: list[Row]
    starts: str | None = None  # section key of its first heading or table
    starts_with_table: bool = False
    tables: set[str] = field(default_factory=set)  # tables its rows show


def extract(data: bytes, *, name: str, formulas: bool) -> Published:
    """Every visible sheet of a workbook as Grid rows, sheets in reading order.

    intake/detect.py has checked the zip's limits; `formulas` (whether any sheet holds
    one) decides the second load that finds formulas saved without a value.
    """
    values = _open(data, name, data_only=True)
    formulas_book = _open(data, name, data_only=False) if formulas else None
    book = Published(Grid(kind="xlsx", title=values.properties.title or ""))
    try:
        if _SUMMARY_SHEETS <= set(values.sheetnames):
            raise ImportRefused(
                errors.NOT_ANNUAL_REPORT,
                f"“{name}”是本系统导出的年报汇总表（多个机关的合计），不是一个机关的年报",
            )
        sheets = []
        for ws in values.worksheets:
            if ws.sheet_state != "visible":
                book.grid.notes.append(f"已忽略隐藏的工作表“{ws.title}”")
                continue
            cached = formulas_book[ws.title] if formulas_book is not None else None
            sheets.append(_Sheet(ws.title, _sheet_rows(ws, cached, book)))
    finally:
        values.close()
        if formulas_book is not None:
            formulas_book.close()
    _arrange(sheets, book.grid)
    return book


def _open(data: bytes, name: str, *, data_only: bool) -> Any:
    try:
        # Not read-only: merged ranges are only known to a fully loaded sheet. The zip was
        # checked (members, unpacked size) before this, and macros are dropped, never run.
        return load_workbook(
            io.BytesIO(data), data_only=data_only, keep_vba=False, keep_links=False
        )
    except Exception as exc:  # openpyxl raises many types for a broken package
        raise ImportRefused(
            errors.CORRUPT_FILE, f"“{name}”无法作为 Excel 文件打开：{exc}"
        ) from exc


# --- sheets in reading order -------------------------------------------------------------


def _arrange(sheets: list[_Sheet], grid: Grid) -> None:
    """Feed the sheets in the order of the report's sections, a table sheet under its
    section heading (its name stands in when the sheet prints none)."""
    for sheet in sheets:
        _classify(sheet)
    order = labels.SECTION_ORDER
    ranked = sorted(
        enumerate(sheets),
        key=lambda item: -1 if item[1].starts is None else order.index(item[1].starts),
    )
    # Tables printed on a sheet of their own; a narrative sheet's words under the same
    # heading ("详见附表") are text, not rows of that table.
    covered = {t for sheet in sheets for t in sheet.tables}
    lines: list[str] = []
    for number, sheet in ranked:
        rows = sheet.rows
        if sheet.starts_with_table and sheet.starts is not None:
            heading = (
                f"{schema.SECTION_HEADINGS[sheet.starts]}（工作表“{sheet.title}”）"
            )
            rows = [Row([Cell(heading)], complete=True), *rows]
        section: str | None = None
        for row in rows:
            lines.append(row.text)
            key = _heading(row)
            if key is not None:
                section = key
            elif not sheet.tables and section in covered:
                continue
            row.table = number
            grid.rows.append(row)
    grid.text = "\n".join(lines)


def _classify(sheet: _Sheet) -> None:
    """What the sheet starts with (a heading or a table's rows) and which tables it shows."""
    for row in sheet.rows:
        key = _heading(row)
        table = _signal(row)
        if sheet.starts is None and (key or table):
            sheet.starts = key or table
            sheet.starts_with_table = key is None
        if table is not None:
            sheet.tables.add(table)
    if sheet.starts is None and any(has_numbers(split_row(r)[1]) for r in sheet.rows):
        hinted = next((t for t, rule in _NAME_HINTS if rule.search(sheet.title)), None)
        if hinted is not None:
            sheet.starts, sheet.starts_with_table = hinted, True
            sheet.tables.add(hinted)


def _heading(row: Row) -> str | None:
    if has_numbers(split_row(row)[1]):
        return None
    return labels.section_of(compact(row.text))


def _signal(row: Row) -> str | None:
    """The table a row belongs to when it is a header or labelled data row of one."""
    texts = [compact(c.text) for c in row.cells if compact(c.text)]
    joined = "".join(texts)
    fragments, values = split_row(row)
    numbers = has_numbers(values)
    label = "".join(compact(c.text) for c in fragments)
    if len(texts) < 2 and not numbers:  # a lone line: a caption at most, not prose
        return "table2" if labels.CAPTION.search(joined) and len(joined) < 30 else None
    if labels.TABLE4_HEADER.search(joined) or _T4_HEADER.search(joined):
        return "table4"
    if _T3_HEADER.search(joined):
        return "table3"
    if labels.CAPTION.search(label) or _T2_HEADER.search(label):
        return "table2"
    if not numbers:
        return "table2" if labels.first_match(labels.TABLE2_COLUMNS, label) else None
    for table in ("table3", "table2", "table4"):
        if label and labels.first_match(labels.ROW_RULES[table], label):
            return table
    return None


# --- one sheet into rows ------------------------------------------------------------------


def _sheet_rows(ws: Any, formulas: Any, book: Published) -> list[Row]:
    """The sheet's non-empty rows; a merged cell once, at its first row, over its columns."""
    last_row = min(ws.max_row, MAX_SHEET_ROWS)
    last_col = min(ws.max_column, MAX_SHEET_COLUMNS)
    if ws.max_row > MAX_SHEET_ROWS or ws.max_column > MAX_SHEET_COLUMNS:
        book.grid.notes.append(
            f"工作表“{ws.title}”超过 {MAX_SHEET_ROWS} 行或 {MAX_SHEET_COLUMNS} 列，"
            "超出部分未读取"
        )
    spans: dict[tuple[int, int], int] = {}
    covered: set[tuple[int, int]] = set()
    for merged in ws.merged_cells.ranges:
        top, left = merged.min_row, merged.min_col
        spans[(top, left)] = merged.max_col - left + 1
        for r in range(top, min(merged.max_row, last_row) + 1):
            for c in range(left, min(merged.max_col, last_col) + 1):
                if (r, c) != (top, left):
                    covered.add((r, c))
    formula_at = _formula_cells(formulas, last_row, last_col)
    rows: list[Row] = []
    for line in ws.iter_rows(min_row=1, max_row=last_row, max_col=last_col):
        cells: list[Cell] = []
        for cell in line:
            at = (cell.row, cell.column)
            if at in covered:
                continue
            ref = f"{ws.title}!{get_column_letter(cell.column)}{cell.row}"
            text, fault = _display(cell, at in formula_at)
            if fault:
                book.faults[ref] = fault
            x0 = cell.column - 1
            cells.append(Cell(text, x0=x0, x1=x0 + spans.get(at, 1), ref=ref))
        row = _row(cells, book.faults)
        if row is not None:
            rows.append(row)
    return rows


def _formula_cells(ws: Any, last_row: int, last_col: int) -> set[tuple[int, int]]:
    if ws is None:
        return set()
    return {
        (cell.row, cell.column)
        for line in ws.iter_rows(min_row=1, max_row=last_row, max_col=last_col)
        for cell in line
        if cell.data_type == "f"
    }


def _row(cells: list[Cell], faults: dict[str, str]) -> Row | None:
    """A row of the sheet; a lone label or paragraph keeps only its own cell."""
    printed = [c for c in cells if c.text or c.ref in faults]
    if not printed:
        return None
    if len(printed) == 1 and not read_value(printed[0].text).is_value:
        cells = printed  # its empty neighbours are layout, not blank values
    return Row(cells, complete=True)


def _display(cell: Any, is_formula: bool) -> tuple[str, str]:
    """The text a cell displays, and a fault ("" when none) when that is not its value."""
    value = cell.value
    if value is None:
        if is_formula:
            return "", "是公式，文件中没有保存计算结果（系统不计算公式）"
        return "", ""
    if cell.data_type == "e":
        return "", f"是错误值“{value}”"
    if isinstance(value, str):
        return clean_cell(value), ""
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), ""
    if isinstance(value, dt.datetime):
        return (value.date() if value.time() == dt.time() else value).isoformat(), ""
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return str(value), ""
    if isinstance(value, int | float):
        return number_text(value, cell.number_format or "General")
    return clean_cell(str(value)), ""


# --- numbers as displayed -----------------------------------------------------------------

# Units a number format may print after the digits that values are read with ("21件").
# Other decorations (currency signs, brackets, spaces) are layout and are left out.
_UNITS = frozenset({"万元", "元", "件", "条", "个", "项", "次", "人"})


@dataclass(frozen=True, slots=True)
class _Pattern:
    """The first section of a number format, as far as it changes the digits shown."""

    places: int  # decimal places shown
    optional: int  # of which trailing "#": dropped when zero
    grouped: bool  # thousands separator
    percent: bool
    unit: str


def number_text(value: int | float, number_format: str) -> tuple[str, str]:
    """A number as Excel displays it under `number_format`, and a fault ("" when none)
    when the display hides digits of the value (a count 2.4 shown "2"). Float noise is no
    digit: 12.499999999999998 is 12.5 (Excel keeps 15 significant digits), "12.50" in 0.00.
    """
    exact = _significant(value)
    pattern = _pattern(number_format)
    if pattern is None:
        return _plain(exact), ""
    shown = abs(exact) * 100 if pattern.percent else abs(exact)
    rounded = shown.quantize(Decimal(1).scaleb(-pattern.places), rounding=ROUND_HALF_UP)
    text = format(rounded, f"{',' if pattern.grouped else ''}.{pattern.places}f")
    optional = pattern.optional
    while optional and text.endswith("0"):
        text, optional = text[:-1], optional - 1
    text = text.rstrip(".")
    sign = "-" if exact < 0 and rounded != 0 else ""
    shown_text = f"{sign}{text}{'%' if pattern.percent else pattern.unit}"
    if pattern.percent:
        return shown_text, f"显示为百分数“{shown_text}”"
    if rounded != shown:
        return shown_text, f"显示为“{shown_text}”，而单元格的值为 {_plain(exact)}"
    return shown_text, ""


def _significant(value: int | float) -> Decimal:
    """The value to Excel's 15 significant digits, without float noise."""
    if isinstance(value, int):
        return Decimal(value)
    number = Decimal(repr(value))
    if not number.is_finite() or number.is_zero():
        return Decimal(0) if number.is_zero() else number
    return number.quantize(Decimal(1).scaleb(number.adjusted() - 14)).normalize()


def _plain(number: Decimal) -> str:
    if number.is_zero():
        return "0"
    return format(number.normalize(), "f")


def _pattern(number_format: str) -> _Pattern | None:
    """What a format does to the digits; None where it shows them as General does
    (General, text "@", scientific, fractions, dates, no digit placeholder)."""
    section = _first_section(number_format)
    if section.strip().lower() in ("general", "@", ""):
        return None
    tokens = _tokens(section)
    code = "".join(text for is_code, text in tokens if is_code)
    places_at = [i for i, (is_code, t) in enumerate(tokens) if is_code and t in "0#?"]
    if not places_at or "E" in code.upper() or "/" in code:
        return None
    first, last = places_at[0], places_at[-1]
    digits = "".join(t for is_code, t in tokens[first : last + 1] if is_code)
    head, _, tail = digits.partition(".")
    places = sum(1 for t in tail if t in "0#?")
    after = "".join(t for _, t in tokens[last + 1 :])
    unit = compact(after).strip(",%")
    return _Pattern(
        places=places,
        optional=places - len(tail.rstrip("#?").replace(",", "")),
        grouped="," in head,
        percent="%" in code,
        unit=unit if unit in _UNITS else "",
    )


def _first_section(number_format: str) -> str:
    quoted = False
    for i, char in enumerate(number_format):
        if char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            return number_format[:i]
    return number_format


def _tokens(section: str) -> list[tuple[bool, str]]:
    """(is_code, text) pieces of a format section: format codes apart from literal text.
    Colours and conditions ([Red]), padding (_x) and fill (*x) print nothing."""
    out: list[tuple[bool, str]] = []
    i = 0
    while i < len(section):
        char = section[i]
        if char == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            out.append((False, section[i + 1 : end]))
            i = end + 1
        elif char == "\\" and i + 1 < len(section):
            out.append((False, section[i + 1]))
            i += 2
        elif char == "[":
            end = section.find("]", i)
            i = len(section) if end < 0 else end + 1
        elif char in "_*":
            i += 2
        else:
            out.append((True, char))
            i += 1
    return out

"""The system's own fill-in template (reports/template_layout.py) into a report.

A filled template goes straight to the canonical report: each input cell is read at the
position the template's layout gives, after checking that every label is still where the
template put it. The cell conventions are the mapping's (blank stays blank with raw "",
"/" is not applicable, never 0), and the same identity warnings follow. What cannot be taken
as printed is refused, naming sheet and cell ("表三!D12"): a formula (never evaluated: the
workbook is read with data_only=False), text in a number cell, a missing sheet or a moved
label. Macros are never run or kept. Any other workbook is extract/xlsx.py's.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import load_workbook

from reports import schema
from reports import template_layout as tpl
from reports.core.parsed import ParsedCell, ParsedReport, ParseWarning
from reports.importing import errors
from reports.importing.errors import ImportRefused
from reports.importing.mapping import identity_warnings
from reports.importing.normalize import compact, nfkc

MAX_PROBLEMS_SHOWN = 30
_NA = frozenset(nfkc(t) for t in schema.NOT_APPLICABLE_TEXTS)


def parse(data: bytes, *, name: str, macros: bool) -> ParsedReport:
    """The report of a filled template, or ImportRefused listing every cell at fault.

    intake/detect.py has checked the zip's limits and found the template's marker sheet;
    `macros` says whether it carries a VBA project (dropped, never run).
    """
    try:
        # data_only=False: a formula is read as its text and refused, never evaluated;
        # keep_vba=False: macros are dropped, never run.
        workbook = load_workbook(
            io.BytesIO(data),
            read_only=True,
            data_only=False,
            keep_vba=False,
            keep_links=False,
        )
    except Exception as exc:  # openpyxl raises many types for a broken package
        raise ImportRefused(
            errors.CORRUPT_FILE, f"“{name}”无法作为 Excel 文件打开：{exc}"
        ) from exc
    try:
        return _Reader(workbook, name, macros).read()
    finally:
        workbook.close()


class _Reader:
    """Reads one workbook, collecting every problem before refusing."""

    def __init__(self, workbook: Any, name: str, macros: bool) -> None:
        self.workbook = workbook
        self.name = name
        self.macros = macros
        self.problems: list[str] = []

    def read(self) -> ParsedReport:
        meta = self._meta()
        year, layout = meta
        spec = tpl.template_layout(layout)
        info = self._info(spec)
        report = ParsedReport(
            agency=str(info.get("agency") or "").strip(), year=year, format=layout
        )
        for sheet in spec.sheets:
            report.tables[sheet.table] = self._table(sheet, layout, info)
        if self.problems:
            shown = "；".join(self.problems[:MAX_PROBLEMS_SHOWN])
            more = (
                f"；另有 {len(self.problems) - MAX_PROBLEMS_SHOWN} 处"
                if len(self.problems) > MAX_PROBLEMS_SHOWN
                else ""
            )
            raise ImportRefused(
                errors.INVALID_INTERCHANGE,
                f"“{self.name}”中有 {len(self.problems)} 处不能按原样读取，未导入任何内容：{shown}{more}",
            )
        report.sections = {
            key: info[key] for key in schema.NARRATIVE_SECTIONS if info.get(key)
        }
        report.raw_text = "\n".join(
            f"{schema.SECTION_HEADINGS[k]}\n{v}" for k, v in report.sections.items()
        )
        published = info.get("publication_date")
        report.publication_date = published.isoformat() if published else ""
        report.title = (
            f"{report.agency}{year}年政府信息公开工作年度报告" if report.agency else ""
        )
        report.notes.append(f"由 Excel 填报模板导入（{tpl.TEMPLATE_MARK}）")
        self._warn(report)
        return report

    # --- meta and info ----------------------------------------------------------------

    def _meta(self) -> tuple[int, str]:
        if tpl.META_SHEET not in self.workbook.sheetnames:
            raise ImportRefused(
                errors.UNSUPPORTED_FORMAT, f"“{self.name}”不是本系统的年报填报模板"
            )
        values = {}
        for row in self.workbook[tpl.META_SHEET].iter_rows(
            max_row=10, max_col=2, values_only=True
        ):
            if row and row[0]:
                values[str(row[0])] = row[1]
        try:
            year = int(values["year"])
            layout = str(values["layout"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ImportRefused(
                errors.INVALID_INTERCHANGE,
                f"“{self.name}”的模板信息不完整（年度或版式），请重新下载模板",
            ) from exc
        if values.get("template") != tpl.TEMPLATE_MARK or layout not in (
            schema.Layout.Y2019,
            schema.Layout.Y2021,
        ):
            raise ImportRefused(
                errors.INVALID_INTERCHANGE,
                f"“{self.name}”的模板信息无法识别，请重新下载模板",
            )
        return year, layout

    def _info(self, spec: tpl.TemplateLayout) -> dict[str, Any]:
        sheet_name = tpl.INFO_SHEET
        if sheet_name not in self.workbook.sheetnames:
            self.problems.append(f"缺少工作表“{sheet_name}”")
            return {}
        last = max(spec.info_row(i.key) for i in spec.info)
        cells = _cells(self.workbook[sheet_name], last, 2)
        info: dict[str, Any] = {}
        for item in spec.info:
            row = spec.info_row(item.key)
            where = f"{sheet_name}!B{row}"
            label = cells.get(f"A{row}")
            if _text(label) != item.label:
                self.problems.append(
                    f"{sheet_name}!A{row} 应为“{item.label}”，现为“{_text(label)}”"
                    "（模板结构已改动，请重新下载模板）"
                )
                continue
            cell = cells.get(f"B{row}")
            if cell is None or cell.value is None:
                continue
            if cell.data_type == "f":
                self.problems.append(f"{where}（{item.label}）是公式，请直接填写内容")
                continue
            if item.key == "publication_date":
                info[item.key] = self._date(cell.value, where)
            elif item.key == "year":
                continue  # the hidden sheet is authoritative; this line only informs
            else:
                info[item.key] = str(cell.value).strip()
        unit = info.get("procurement_unit")
        if unit and unit not in schema.MONEY_UNITS:
            self.problems.append(
                f"{sheet_name}!B{spec.info_row('procurement_unit')} 的单位“{unit}”应为 元 或 万元"
            )
        return info

    def _date(self, value: Any, where: str) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(nfkc(str(value)).strip().replace("/", "-"))
        except ValueError:
            self.problems.append(
                f"{where} 的发布日期“{value}”无法识别，应如 2025-01-20"
            )
            return None

    # --- tables -----------------------------------------------------------------------

    def _table(
        self, sheet: tpl.SheetLayout, layout: str, info: dict[str, Any]
    ) -> dict[str, dict[str, ParsedCell]]:
        if sheet.name not in self.workbook.sheetnames:
            self.problems.append(f"缺少工作表“{sheet.name}”")
            return {}
        cells = _cells(self.workbook[sheet.name], sheet.bottom, sheet.width)
        for coordinate, expected in sheet.labels.items():
            found = _text(cells.get(coordinate))
            if compact(found) != compact(expected):
                self.problems.append(
                    f"{sheet.name}!{coordinate} 应为“{expected[:20]}”，现为“{found[:20]}”"
                    "（模板结构已改动，请重新下载模板）"
                )
        rows: dict[str, dict[str, ParsedCell]] = {}
        for path, coordinate in sheet.inputs.items():
            _, row_key, column = path.split(".")
            kind = tpl.column_kind(layout, path)
            parsed = self._value(
                cells.get(coordinate), kind, f"{sheet.name}!{coordinate}"
            )
            if parsed is None:
                continue
            if path == "table2.procurement.amount":
                parsed.unit = info.get("procurement_unit", "")
            rows.setdefault(row_key, {})[column] = parsed
        return rows

    def _value(self, cell: Any, kind: schema.Kind, where: str) -> ParsedCell | None:
        """A template cell as a ParsedCell; None (and a problem) when it is not a value."""
        value = cell.value if cell is not None else None
        data_type = cell.data_type if cell is not None else "n"
        if value is None:
            return ParsedCell(value=None, raw="", note=where)
        if data_type == "f":
            self.problems.append(
                f"{where} 是公式“{str(value)[:40]}”，请填写数值（系统不计算公式）"
            )
            return None
        if data_type == "e":
            self.problems.append(f"{where} 是错误值“{value}”")
            return None
        if isinstance(value, bool) or isinstance(value, dt.date | dt.time):
            self.problems.append(f"{where} 应为数字，现为“{value}”")
            return None
        if isinstance(value, str):
            text = nfkc(value).strip()
            if text == "":
                return ParsedCell(value=None, raw="", note=where)
            if text in _NA:
                return ParsedCell(value=None, raw=value.strip(), note=where)
            self.problems.append(
                f"{where} 填的是文字“{value.strip()[:20]}”，应为数字（不适用填“/”）"
            )
            return None
        return self._number(value, kind, where)

    def _number(self, value: Any, kind: schema.Kind, where: str) -> ParsedCell | None:
        try:
            # repr of a float is its shortest exact decimal: 7730.28 stays 7730.28.
            number = (
                Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
            )
        except (InvalidOperation, ValueError):
            self.problems.append(f"{where} 的数值“{value}”无法识别")
            return None
        if kind is schema.Kind.MONEY:
            if number < 0:
                self.problems.append(f"{where} 的金额为负数“{value}”")
                return None
            text = format(number.normalize(), "f")
            return ParsedCell(value=Decimal(text), raw=text, note=where)
        if number != number.to_integral_value():
            self.problems.append(f"{where} 的件数“{value}”不是整数")
            return None
        integer = int(number)
        if integer < 0 and kind is schema.Kind.COUNT:
            self.problems.append(f"{where} 的件数为负数“{value}”")
            return None
        return ParsedCell(value=integer, raw=str(integer), note=where)

    # --- warnings ---------------------------------------------------------------------

    def _warn(self, report: ParsedReport) -> None:
        if not report.agency:
            report.warnings.append(
                ParseWarning(
                    "agency_unknown", f"“{tpl.INFO_SHEET}”表中没有填写机关名称"
                )
            )
        for table, rows in report.tables.items():
            blank = sum(
                1 for cells in rows.values() for c in cells.values() if c.is_blank
            )
            if blank:
                report.warnings.append(
                    ParseWarning(
                        "blank_cells",
                        f"{schema.TABLE_LABELS[table]}有 {blank} 个单元格未填写，按空白（非 0）记录",
                        table,
                    )
                )
        report.warnings.extend(identity_warnings.check(report))
        if self.macros:
            report.warnings.append(
                ParseWarning("extract_note", "文件中含有宏（VBA），已忽略，未运行")
            )


def _cells(ws: Any, max_row: int, max_col: int) -> dict[str, Any]:
    """The cells of the sheet's used corner, by coordinate (one pass in read-only mode)."""
    out = {}
    for row in ws.iter_rows(min_row=1, max_row=max_row, max_col=max_col):
        for cell in row:
            coordinate = getattr(cell, "coordinate", None)
            if coordinate is not None:
                out[coordinate] = cell
    return out


def _text(cell: Any) -> str:
    if cell is None or cell.value is None:
        return ""
    return str(cell.value).strip()

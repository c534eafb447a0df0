"""The Excel fill-in template of one report year: the three tables laid out like the form.

The layout (which sheet, which cell holds which table cell, which label sits where) is
defined once in reports/template_layout.py; the importer (reports/importing/mapping/
template.py) reads a filled template back through the same definition. No ORM: the caller
passes what a pre-filled template should show.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from reports import schema
from reports.exporting import xlsx_style as xs
from reports.template_layout import (
    GRID_TOP,
    INFO_SHEET,
    META_SHEET,
    README_SHEET,
    TEMPLATE_MARK,
    TEMPLATE_VERSION,
    SheetLayout,
    TemplateLayout,
    column_kind,
    template_layout,
)

MAX_TEXT = 32767  # Excel's limit for one cell
PrefillCell = tuple[int | Decimal | None, str | None]  # value, text as printed


# --- writing ----------------------------------------------------------------------------------


@dataclass
class Prefill:
    """What a pre-filled template shows: one agency and, if it reported, its figures."""

    agency: str = ""
    region: str = ""
    publication_date: dt.date | None = None
    sections: Mapping[str, str] = field(default_factory=dict)
    cells: Mapping[str, PrefillCell] = field(default_factory=dict)
    procurement_unit: str = ""


def build_template(
    year: int,
    *,
    prefill: Prefill | None = None,
    generated_by: str = "",
    now: dt.datetime | None = None,
) -> bytes:
    """The template workbook for a report year as .xlsx bytes."""
    prefill = prefill or Prefill()
    layout = schema.layout_for_year(year).value
    spec = template_layout(layout)
    workbook = xs.new_workbook()
    _readme(workbook, year, layout, prefill, generated_by, now or dt.datetime.now())
    _info(workbook, spec, year, prefill)
    for sheet in spec.sheets:
        _table_sheet(workbook, spec, sheet, year, prefill)
    meta = workbook.create_sheet(META_SHEET)
    for key, value in (
        ("template", TEMPLATE_MARK),
        ("version", TEMPLATE_VERSION),
        ("year", year),
        ("layout", layout),
    ):
        meta.append([key, value])
    meta.sheet_state = "veryHidden"
    # Sheets cannot be renamed, moved, deleted or unhidden: the importer reads by name.
    workbook.security = WorkbookProtection(lockStructure=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _readme(workbook, year, layout, prefill, generated_by, now) -> None:
    ws = workbook.create_sheet(README_SHEET)
    xs.set_widths(ws, (4, 110))
    xs.print_setup(ws, landscape=False)
    canvas = xs.Canvas(ws)
    canvas.span(
        1, 1, 1, 2, f"{year}年度政府信息公开工作年度报告 Excel 填报模板", xs.TITLE
    )
    canvas.height(1, 30)
    layout_label = schema.LAYOUT_LABELS[layout]
    lines = [
        f"本模板适用于 {year} 年度，表格为{layout_label}（"
        + (
            "国办公开办函〔2019〕60号"
            if layout == schema.Layout.Y2019
            else "国办公开办函〔2021〕30号"
        )
        + "）。",
        f"请先在“{INFO_SHEET}”表填写机关名称、发布日期和正文，再在“表二”“表三”“表四”的白色单元格中填写数字。"
        "灰色单元格是表头和栏目名称，已锁定，不能修改。",
        "件数填非负整数；表二的收费、采购金额可填小数"
        + ("（单位：万元）" if layout == schema.Layout.Y2021 else "")
        + "。"
        + ("2019 版表二“本年增/减”可填负数。" if layout == schema.Layout.Y2019 else ""),
        "没有发生的事项填 0；不适用的栏目填“/”；空着不填表示“未填报”，系统按空白（不是 0）记录，审核时会提示。",
        "请直接填写数字，不要填写公式，也不要写“12件”这类文字；导入时含公式或文字的单元格会被拒绝，"
        "并指出所在工作表和单元格（如“表三!D12”），不会保存任何内容。",
        "不要增删行列，不要改动工作表和栏目名称：导入时按位置读取。工作表已保护（无密码），仅为防止误改。",
        "表三应满足：每一列“一、本年新收”加“二、上年结转”之和，等于“（七）总计”加“四、结转下年度继续办理”之和；"
        "每一行“总计”等于各类申请人之和。表四各栏“总计”等于前四栏之和。",
        "填好后在系统“年度报告 → 导入年报”中上传本文件（可同时上传多个文件或 ZIP 压缩包），核对预览无误后确认导入。",
    ]
    row = 3
    for number, line in enumerate(lines, start=1):
        canvas.put(row, 1, f"{number}.", xs.Style(xs.TEXT_FONT, xs.TOP_LEFT, False))
        canvas.put(row, 2, line, xs.Style(xs.TEXT_FONT, xs.TOP_LEFT, False))
        canvas.height(row, 36 if len(line) > 60 else 20)
        row += 1
    row += 1
    made = f"生成时间：{now:%Y-%m-%d %H:%M}"
    if generated_by:
        made += f"　生成人：{generated_by}"
    if prefill.agency:
        made += f"　预填机关：{prefill.agency}"
    canvas.put(row, 2, made, xs.NOTE)
    canvas.flush()


def _info(workbook, spec: TemplateLayout, year: int, prefill: Prefill) -> None:
    ws = workbook.create_sheet(INFO_SHEET)
    xs.set_widths(ws, (26, 90, 30))
    xs.print_setup(ws, landscape=False)
    ws.protection.sheet = True
    ws.protection.formatRows = False  # people enlarge rows to read long text
    ws.protection.formatColumns = False
    canvas = xs.Canvas(ws)
    canvas.span(1, 1, 1, 3, f"{year}年度政府信息公开工作年度报告　基本信息", xs.TITLE)
    canvas.height(1, 30)
    values = {
        "agency": prefill.agency or None,
        "region": prefill.region or None,
        "year": year,
        "layout": schema.LAYOUT_LABELS[spec.layout],
        "publication_date": prefill.publication_date,
        "procurement_unit": prefill.procurement_unit or None,
    }
    label = xs.Style(xs.HEAD_FONT, xs.LEFT, fill=xs.LOCKED_FILL)
    hint = xs.Style(xs.NOTE_FONT, xs.LEFT)
    for item in spec.info:
        row = spec.info_row(item.key)
        canvas.put(row, 1, item.label, label)
        value = values.get(item.key)
        if item.key in schema.NARRATIVE_SECTIONS:
            value = (prefill.sections.get(item.key) or "")[:MAX_TEXT] or None
            canvas.height(row, 160)
            style = xs.Style(
                xs.TEXT_FONT, xs.TOP_LEFT, fill=xs.INPUT_FILL, locked=False
            )
        elif item.editable:
            style = xs.Style(
                xs.BODY_FONT,
                xs.LEFT,
                fill=xs.INPUT_FILL,
                locked=False,
                number_format=xs.DATE_FORMAT
                if item.key == "publication_date"
                else None,
            )
            canvas.height(row, 22)
        else:
            style = xs.Style(xs.BODY_FONT, xs.LEFT, fill=xs.LOCKED_FILL)
            canvas.height(row, 22)
        canvas.put(row, 2, value, style)
        canvas.put(row, 3, item.hint or None, hint)
    date_row = spec.info_row("publication_date")
    dates = DataValidation(
        type="date",
        operator="between",
        formula1="DATE(2000,1,1)",
        formula2="DATE(2100,12,31)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="发布日期",
        error="请填写日期，如 2025-01-20",
    )
    dates.add(f"B{date_row}")
    ws.data_validations.append(dates)
    if any(i.key == "procurement_unit" for i in spec.info):
        units = DataValidation(
            type="list",
            formula1='"' + ",".join(schema.MONEY_UNITS) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="金额单位",
            error="请选择 元 或 万元",
        )
        units.add(f"B{spec.info_row('procurement_unit')}")
        ws.data_validations.append(units)
    canvas.flush()


_VALIDATION_FORMULAS: dict[schema.Kind, tuple[str, str]] = {
    schema.Kind.COUNT: (
        'OR({c}="/",AND(ISNUMBER({c}),{c}>=0,INT({c})={c}))',
        "请填写非负整数；不适用填“/”",
    ),
    schema.Kind.SIGNED: (
        'OR({c}="/",AND(ISNUMBER({c}),INT({c})={c}))',
        "请填写整数（可为负数）；不适用填“/”",
    ),
    schema.Kind.MONEY: (
        'OR({c}="/",AND(ISNUMBER({c}),{c}>=0))',
        "请填写非负数（可有小数）；不适用填“/”",
    ),
}
_NUMBER_FORMATS: dict[schema.Kind, str] = {
    schema.Kind.COUNT: "0",
    schema.Kind.SIGNED: "0",
    schema.Kind.MONEY: "0.00##",
}


def _table_sheet(
    workbook, spec: TemplateLayout, sheet: SheetLayout, year: int, prefill: Prefill
) -> None:
    ws = workbook.create_sheet(sheet.name)
    width = sheet.width
    xs.set_widths(ws, xs.TABLE_WIDTHS[sheet.table][:width])
    xs.print_setup(ws, fit_height=1)
    ws.protection.sheet = True
    ws.protection.formatRows = False
    ws.protection.formatColumns = False
    canvas = xs.Canvas(ws)
    canvas.span(1, 1, 1, width, sheet.grid.heading, xs.TITLE)
    canvas.height(1, 32)
    who = prefill.agency or f"（见“{INFO_SHEET}”表）"
    canvas.span(
        2,
        1,
        2,
        width,
        f"填报机关：{who}　　报告年度：{year}年度　　表格：{schema.LAYOUT_LABELS[spec.layout]}",
        xs.SUBTITLE,
    )
    canvas.height(2, 22)

    def value_for(p: xs.Placed) -> tuple[object, xs.Style]:
        kind = column_kind(spec.layout, p.cell.path)
        value, raw = prefill.cells.get(p.cell.path, (None, None))
        shown: object = value
        if value is None and raw and raw.strip():
            shown = raw.strip()  # "/" and the like, as printed
        return shown, xs.Style(
            xs.BODY_FONT,
            xs.CENTER if shown == "/" else xs.RIGHT,
            fill=xs.INPUT_FILL,
            number_format=_NUMBER_FORMATS[kind],
            locked=False,
        )

    canvas.draw_grid(sheet.placed, value_for)
    for r in range(GRID_TOP, sheet.bottom + 1):
        canvas.height(r, 30 if sheet.table != "table3" else 24)
    if sheet.table == "table3":
        canvas.height(GRID_TOP, 24)
    note_row = sheet.bottom + 2
    canvas.span(
        note_row,
        1,
        note_row,
        width,
        "填写说明：件数填非负整数；没有发生的填 0；不适用填“/”；空着表示未填报（不按 0 计）。不要填写公式或文字。",
        xs.NOTE,
    )
    _validations(ws, spec.layout, sheet)
    ws.freeze_panes = f"A{GRID_TOP + len(sheet.grid.header)}"
    ws.print_area = f"A1:{get_column_letter(width)}{note_row}"
    canvas.flush()


def _validations(ws, layout: str, sheet: SheetLayout) -> None:
    """One rule per run of same-kind cells in a row (the formula is relative to the run's
    first cell, so every cell of the run checks itself)."""
    for kind, cells in _runs(layout, sheet):
        formula, message = _VALIDATION_FORMULAS[kind]
        first = cells[0]
        rule = DataValidation(
            type="custom",
            formula1=formula.format(c=first),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="数值不符合要求",
            error=message,
            showInputMessage=False,
        )
        rule.add(f"{first}:{cells[-1]}" if len(cells) > 1 else first)
        ws.data_validations.append(rule)


def _runs(layout: str, sheet: SheetLayout) -> Iterator[tuple[schema.Kind, list[str]]]:
    by_row: dict[int, list[tuple[int, str, schema.Kind]]] = {}
    for p in sheet.placed:
        if p.cell.is_input:
            by_row.setdefault(p.row, []).append(
                (p.col, p.coordinate, column_kind(layout, p.cell.path))
            )
    for cells in by_row.values():
        cells.sort()
        run: list[str] = []
        run_kind: schema.Kind | None = None
        last_col = -1
        for col, coordinate, kind in cells:
            if (
                run
                and run_kind is not None
                and (kind != run_kind or col != last_col + 1)
            ):
                yield run_kind, run
                run = []
            run.append(coordinate)
            run_kind = kind
            last_col = col
        if run and run_kind is not None:  # run_kind is set with the run's first cell
            yield run_kind, run

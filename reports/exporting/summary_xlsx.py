"""The summary workbook of a year's reports (汇总表), streamed for any number of reports.

Sheets: 说明 (scope, when, by whom, counts), 汇总 (one row per report), 表二汇总/表三汇总/
表四汇总 (the form's tables, each cell the sum over the selection: the total, then one block
per region), 审核问题 (unresolved findings), 报送情况 (every agency due, on time, late or
missing) and 同比 (this year against last, per region). Sums come from SQL
(reports/summary_selectors.py); per-report rows are read in chunks and appended to openpyxl
write-only sheets, so memory stays flat however large the selection.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils import timezone
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from agencies.models import Agency
from reports import schema
from reports import summary_selectors as sel
from reports.audit.base import SEVERITY_LABELS
from reports.audit.rules import rule_title
from reports.exporting import xlsx_style as xs
from reports.models import AnnualReport, Finding
from reports.paper_form import GridTable, grids_for

SUMMARY_SHEETS = (
    "说明",
    "汇总",
    "表二汇总",
    "表三汇总",
    "表四汇总",
    "审核问题",
    "报送情况",
    "同比",
)
MISSING_MARK = "缺"
STATUS_LABELS = dict(AnnualReport.Status.choices)
KIND_LABELS = dict(Agency.Kind.choices)
FINDING_STATUS_LABELS = dict(Finding.Status.choices)
EMPTY_CELL = xs.Style(xs.BODY_FONT, xs.CENTER, fill=xs.EMPTY_FILL)
BLOCK_TITLE = xs.Style(Font(name=xs.SONG, size=12, bold=True), xs.LEFT, border=False)
LIST_HEAD = xs.Style(xs.HEAD_FONT, xs.CENTER, fill=xs.HEAD_FILL)
_FLAGGED = frozenset({sel.Submission.MISSING, sel.Submission.LATE})


@dataclass
class SummaryStats:
    """What the workbook holds, for the 说明 sheet and for the caller's message."""

    reports: int = 0
    layouts: Counter = field(default_factory=Counter)
    findings: Counter = field(default_factory=Counter)
    submissions: Counter = field(default_factory=Counter)
    agencies_due: int = 0
    blocks: int = 0


def build_summary(
    scope: sel.SummaryScope,
    output: str | Path | IO[bytes],
    *,
    generated_by: str = "",
    now: dt.datetime | None = None,
) -> SummaryStats:
    """Write the summary workbook of `scope` to `output` (a path or a binary file)."""
    now = now or dt.datetime.now()
    stats = SummaryStats()
    workbook = xs.new_workbook()
    readme = workbook.create_sheet("说明")  # first sheet, written last (counts)
    with sel.summary_reads():
        lists = [_report_list(workbook.create_sheet("汇总"), scope, stats)]
        total, blocks = sel.table_sums(scope)
        stats.blocks = len(blocks)
        stats.layouts.update(total.layouts)
        for grid in grids_for(scope.layout):
            sheet = workbook.create_sheet(f"{schema.TABLE_LABELS[grid.key]}汇总")
            lists.append(_table_sheet(sheet, grid, scope, total, blocks))
        lists.append(_findings(workbook.create_sheet("审核问题"), scope, stats))
        lists.append(_submissions(workbook.create_sheet("报送情况"), scope, stats))
        _year_on_year(
            workbook.create_sheet("同比"), scope, sel.key_figures_of(total, blocks)
        )
    _readme(readme, scope, stats, generated_by, now)
    xs.save_with_rows(workbook, output, lists)
    return stats


def scope_label(scope: sel.SummaryScope) -> str:
    parts = [f"{scope.year}年度"]
    parts.append(
        f"{scope.region.name}（{scope.region.code}，含下级）"
        if scope.region
        else "全部地区"
    )
    if scope.status:
        parts.append(f"状态为“{STATUS_LABELS.get(scope.status, scope.status)}”")
    if scope.report_ids is not None:
        parts.append(f"后台所选 {len(scope.report_ids)} 份年报")
    return "，".join(parts)


# --- 说明 ------------------------------------------------------------------------------------


def _readme(
    ws, scope, stats: SummaryStats, generated_by: str, now: dt.datetime
) -> None:
    xs.set_widths(ws, (22, 100))
    xs.print_setup(ws, landscape=False)
    canvas = xs.Canvas(ws)
    canvas.span(1, 1, 1, 2, f"{scope.year}年度政府信息公开工作年度报告汇总表", xs.TITLE)
    canvas.height(1, 30)
    layouts = "，".join(
        f"{schema.LAYOUT_LABELS.get(k, k)} {v} 份"
        for k, v in sorted(stats.layouts.items())
    )
    submissions = "，".join(
        f"{k} {stats.submissions[k]} 个"
        for k in (
            sel.Submission.ON_TIME,
            sel.Submission.LATE,
            sel.Submission.MISSING,
            sel.Submission.UNDATED,
            sel.Submission.NO_DEADLINE,
        )
        if stats.submissions[k]
    )
    findings = (
        "，".join(
            f"{SEVERITY_LABELS[s]} {stats.findings[s]} 条"
            for s in sel.SEVERITIES
            if stats.findings[s]
        )
        or "无"
    )
    lines = [
        ("范围", scope_label(scope)),
        ("生成时间", f"{now:%Y-%m-%d %H:%M}"),
        ("生成人", generated_by or "（命令行）"),
        (
            "年报",
            f"{stats.reports} 份（现行版次）" + (f"：{layouts}" if layouts else ""),
        ),
        (
            "应报送机关",
            f"{stats.agencies_due} 个" + (f"：{submissions}" if submissions else ""),
        ),
        ("未解决的审核问题", f"{findings}（待处理和已确认的，不含已排除、已消除）"),
        (
            "地区分块",
            f"合计之外按 {stats.blocks} 个地区分块"
            + (
                "（所选区划的下一级）"
                if scope.region
                else "（各设区的市；省级机关等列入“省级及其他”）"
            ),
        ),
        ("", ""),
        ("工作表", "汇总：每份年报一行，列出各表主要数字和未解决的审核问题数。"),
        (
            "",
            "表二汇总、表三汇总、表四汇总：按规定格式的表格，每格为所选年报之和；先列合计，再按地区分块。",
        ),
        ("", "审核问题：所选年报未解决的审核问题（按区划、机关排列）。"),
        (
            "",
            "报送情况：本年度、本区划内应报送年报的全部机关及其报送是否按时（不受状态筛选和所选年报的限制）。",
        ),
        ("", f"同比：{scope.year} 年度与 {scope.year - 1} 年度按地区比较主要数字。"),
        ("", ""),
        (
            "合计口径",
            "空白和“/”在合计中按 0 计；但所有年报在某格都没有数字时，该格不写 0，而以斜线底纹表示；"
            "每个分块下方注明未计入数字的空白、“/”和缺失（原文没有此格）单元格个数。",
        ),
        ("", "金额单位为万元（2019 版“政府集中采购总金额”以元填报的已折算为万元）。"),
        (
            "",
            f"表格按 {scope.year} 年度适用的{schema.LAYOUT_LABELS[scope.layout]}排列；使用其他版式的年报，"
            "其不对应的栏目不计入（见各表分块下的说明）。",
        ),
        ("", "汇总中“缺”表示原文没有该单元格；“/”表示原文为不适用；空白表示原文未填。"),
    ]
    label = xs.Style(xs.HEAD_FONT, xs.TOP_LEFT, border=False)
    text = xs.Style(xs.TEXT_FONT, xs.TOP_LEFT, border=False)
    for row, (key, value) in enumerate(lines, start=3):
        canvas.put(row, 1, key or None, label)
        canvas.put(row, 2, value or None, text)
        canvas.height(row, 34 if len(value) > 50 else 20)
    canvas.flush()


# --- 汇总 ------------------------------------------------------------------------------------


def _figure_head(figure: sel.KeyFigure) -> str:
    row = schema.allowed_rows(figure.table, schema.Layout.Y2021)[figure.row]
    column = row.column(figure.column)
    name = row.short_label or row.label
    if figure.table == "table4" and row.group != row.label:
        name = f"{row.group}·{row.label}"
    if name.endswith(column.label):  # （七）总计 · 总计 says 总计 once
        return name
    return f"{name}\n{column.label}"


def _report_list(ws, scope: sel.SummaryScope, stats: SummaryStats) -> xs.FastRows:
    info = ["机关", "区划代码", "区划", "机关类别", "表格版式", "状态", "发布日期"]
    figures = list(sel.KEY_FIGURES)
    severities = list(sel.SEVERITIES)
    widths = [30, 10, 10, 14, 11, 9, 11] + [11] * len(figures) + [6] * len(severities)
    xs.set_widths(ws, widths)
    xs.print_setup(ws, title_rows="1:2", gridlines=True)
    ws.freeze_panes = "B3"
    groups: list[tuple[str, int]] = [("基本情况", len(info))]
    for table in schema.TABLE_KEYS:
        n = sum(1 for f in figures if f.table == table)
        groups.append((schema.TABLE_LABELS[table], n))
    groups.append(("未解决的审核问题", len(severities)))
    top: list[Any] = []
    col = 1
    for label, span in groups:
        top.append(xs.styled(ws, label, LIST_HEAD))
        top += [xs.styled(ws, None, LIST_HEAD) for _ in range(span - 1)]
        if span > 1:
            ws.merged_cells.add(
                f"{get_column_letter(col)}1:{get_column_letter(col + span - 1)}1"
            )
        col += span
    ws.append(top)
    heads = (
        info
        + [_figure_head(f) for f in figures]
        + [SEVERITY_LABELS[s] for s in severities]
    )
    ws.row_dimensions[2].height = 72
    ws.append([xs.styled(ws, h, LIST_HEAD) for h in heads])
    rows = xs.FastRows(ws, 3, len(heads))
    money = rows.style_id(xs.Style(xs.BODY_FONT, None, False, None, xs.MONEY_FORMAT))
    styles = [None] * len(info) + [
        money if f.kind is schema.Kind.MONEY else None for f in figures
    ]
    count = 0
    # Per layout, each figure's path or None where the layout has no such cell.
    paths: dict[str, list[str | None]] = {}
    for line in sel.report_lines(scope):
        shown = paths.get(line.layout)
        if shown is None:
            shown = paths[line.layout] = [
                f.path if f.in_layout(line.layout) else None for f in figures
            ]
        values: list[Any] = [
            line.agency,
            line.region_code,
            line.region_name,
            KIND_LABELS.get(line.agency_kind, line.agency_kind),
            schema.LAYOUT_LABELS.get(line.layout, line.layout),
            STATUS_LABELS.get(line.status, line.status),
            line.publication_date,
        ]
        values += [_shown(line.cells, path) for path in shown]
        values += [line.findings.get(s) or None for s in severities]
        rows.append(values, styles)
        count += 1
    stats.reports = count
    ws.auto_filter.ref = f"A2:{get_column_letter(len(heads))}{count + 2}"
    return rows


def _shown(cells: dict[str, tuple[Any, str | None]], path: str | None) -> Any:
    """A key figure as the list shows it: the number, "/" as printed, blank, 缺 where the
    document lacks the cell, nothing where the report's layout has no such cell."""
    if path is None:
        return None
    found = cells.get(path)
    if found is None:
        return MISSING_MARK
    value, raw = found
    if value is not None:
        return value
    return (raw or "").strip() or None


# --- 表二汇总 / 表三汇总 / 表四汇总 ----------------------------------------------------------


def _table_sheet(
    ws,
    grid: GridTable,
    scope: sel.SummaryScope,
    total: sel.BlockSums,
    blocks: list[sel.BlockSums],
) -> xs.FastRows:
    width = xs.grid_width(grid)
    widths = xs.TABLE_WIDTHS[grid.key][:width]
    xs.set_widths(ws, widths)
    # One page per block: the total and each region print on a page of their own.
    rows = len(grid.header) + len(grid.body)
    block_height = 22 + rows * _row_height(grid.key) + 3 * 30 + 20
    xs.print_setup(ws, widths=widths, block_height=block_height)
    canvas = xs.Canvas(ws)
    canvas.span(1, 1, 1, width, f"{grid.heading}（汇总）", xs.TITLE)
    canvas.height(1, 30)
    canvas.span(2, 1, 2, width, scope_label(scope), xs.SUBTITLE)
    row = 4
    for index, block in enumerate([total, *blocks]):
        if index:
            # Each region block on its own page. The break goes before the blank row
            # above the block title: Excel counts break ids from 1, LibreOffice from 0,
            # and either way the title stays with its table.
            ws.row_breaks.append(Break(id=row - 2))
        row = _block(canvas, grid, scope, block, row, width) + 2
    return canvas.flush_fast()  # a block per region: thousands of cells


def _row_height(table: str) -> float:
    return 24 if table == "table3" else 28


def _block(
    canvas: xs.Canvas,
    grid: GridTable,
    scope: sel.SummaryScope,
    block: sel.BlockSums,
    top: int,
    width: int,
) -> int:
    """One block: its title, the grid of sums, and what the sums leave out. Returns the
    last row used."""
    name = block.block.name
    if block.block.code:
        name += f"（{block.block.code}）"
    canvas.span(top, 1, top, width, f"{name}：{block.reports} 份年报", BLOCK_TITLE)
    canvas.height(top, 22)
    placed = xs.place_grid(grid, top + 1)
    sums = block.tables[grid.key]
    tables = schema.tables_for(scope.layout)
    counts = Counter()

    def value_for(p: xs.Placed) -> tuple[Any, xs.Style]:
        _, row_key, column = p.cell.path.split(".")
        kind = tables[grid.key].row(row_key).column(column).kind
        cell = sums.get((row_key, column), sel.CellSum())
        counts["blank"] += cell.blank
        counts["na"] += cell.not_applicable
        counts["missing"] += block.reports - cell.present
        if cell.numbers:
            number_format = (
                xs.MONEY_FORMAT if kind is schema.Kind.MONEY else xs.INTEGER_FORMAT
            )
            if kind is schema.Kind.SIGNED:
                number_format = xs.SIGNED_FORMAT
            style = xs.Style(xs.BODY_FONT, xs.RIGHT, number_format=number_format)
            return cell.total, style
        if cell.present and cell.not_applicable == cell.present:
            return "/", xs.Style(xs.BODY_FONT, xs.CENTER)
        return None, EMPTY_CELL

    canvas.draw_grid(placed, value_for)
    bottom = max(p.last_row for p in placed)
    for r in range(top + 1, bottom + 1):
        canvas.height(r, _row_height(grid.key))
    notes = [
        f"未计入数字：空白 {counts['blank']} 格，“/” {counts['na']} 格，"
        f"缺失 {counts['missing']} 格（合计按 0 计；斜线底纹表示所有年报在该格都没有数字）"
    ]
    other_layouts = sum(n for k, n in block.layouts.items() if k != scope.layout)
    if grid.key == "table2" and other_layouts:
        notes.append(
            f"其中 {other_layouts} 份年报的表二使用了其他版式，与本表不对应的栏目未计入，"
            "其缺失的格已计入上面的缺失个数。"
        )
    if grid.key == "table3" and scope.layout == schema.Layout.Y2021:
        one_row = sums.get((schema.OTHER_ONE_ROW, "total"), sel.CellSum())
        reports_one_row = max(
            (c.present for (r, _c), c in sums.items() if r == schema.OTHER_ONE_ROW),
            default=0,
        )
        if reports_one_row:
            notes.append(
                f"另有 {reports_one_row} 份年报把“（六）其他处理”印为一行，"
                f"总计 {one_row.total} 件，未拆入上面的三个分项（已含在“（七）总计”中）。"
            )
    row = bottom + 1
    for note in notes:
        canvas.span(row, 1, row, width, note, xs.NOTE)
        canvas.height(row, 30)
        row += 1
    return row - 1


# --- 审核问题 ---------------------------------------------------------------------------------


def _cells_text(cells: Any, layout: str) -> str:
    names = []
    for item in cells or []:
        path = item.get("path", "") if isinstance(item, dict) else str(item)
        if path:
            names.append(schema.path_label(path, layout))
    return "；".join(names)


def _findings(ws, scope: sel.SummaryScope, stats: SummaryStats) -> xs.FastRows:
    heads = [
        "机关",
        "区划代码",
        "区划",
        "年度",
        "严重程度",
        "规则",
        "规则名称",
        "说明",
        "涉及单元格",
        "原文依据",
        "处理状态",
        "首次发现",
    ]
    xs.set_widths(ws, (28, 10, 10, 6, 8, 14, 30, 60, 36, 40, 9, 11))
    xs.print_setup(ws, title_rows="1:1", gridlines=True)
    ws.freeze_panes = "B2"
    ws.append([xs.styled(ws, h, LIST_HEAD) for h in heads])
    lines = xs.FastRows(ws, 2, len(heads))
    wrap = lines.style_id(
        xs.Style(xs.BODY_FONT, Alignment(vertical="top", wrap_text=True), border=False)
    )
    styles = [None] * 6 + [wrap, wrap, None, wrap]
    count = 0
    rows = sel.open_findings(scope).values_list(*sel.FINDING_FIELDS)
    for (
        agency,
        code,
        region,
        year,
        severity,
        rule,
        message,
        cells,
        evidence,
        status,
        first_seen,
    ) in rows.iterator(chunk_size=sel.CHUNK):
        stats.findings[severity] += 1
        lines.append(
            [
                agency,
                code,
                region,
                year,
                SEVERITY_LABELS.get(severity, severity),
                rule,
                rule_title(rule),
                message,
                _cells_text(cells, scope.layout),
                evidence,
                FINDING_STATUS_LABELS.get(status, status),
                timezone.localtime(first_seen).date() if first_seen else None,
            ],
            styles,
        )
        count += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{count + 1}"
    return lines


# --- 报送情况 ---------------------------------------------------------------------------------


def _submissions(ws, scope: sel.SummaryScope, stats: SummaryStats) -> xs.FastRows:
    heads = [
        "机关",
        "区划代码",
        "区划",
        "机关类别",
        "截止日期",
        "发布日期",
        "报送情况",
        "逾期天数",
        "年报状态",
    ]
    xs.set_widths(ws, (30, 11, 12, 22, 11, 11, 18, 8, 10))
    xs.print_setup(ws, title_rows="1:1", gridlines=True)
    ws.freeze_panes = "B2"
    ws.append([xs.styled(ws, h, LIST_HEAD) for h in heads])
    rows = xs.FastRows(ws, 2, len(heads))
    warn = rows.style_id(xs.Style(xs.BODY_FONT, None, border=False, fill=xs.WARN_FILL))
    flagged = [None] * 6 + [warn]
    count = 0
    for line in sel.submissions(scope):
        stats.submissions[line.outcome] += 1
        rows.append(
            [
                line.agency,
                line.region_code,
                line.region_name,
                KIND_LABELS.get(line.agency_kind, line.agency_kind),
                line.deadline,
                line.publication_date,
                line.outcome,
                line.days_late,
                STATUS_LABELS.get(line.report_status) if line.report_status else None,
            ],
            flagged if line.outcome in _FLAGGED else (),
        )
        count += 1
    stats.agencies_due = count
    ws.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{count + 1}"
    return rows


# --- 同比 ------------------------------------------------------------------------------------


def _year_on_year(ws, scope: sel.SummaryScope, this_year: dict) -> None:
    previous_scope = scope.previous()
    last_year = sel.key_figure_sums(previous_scope)
    blocks = sel.region_blocks(scope)
    heads = [
        "地区",
        "指标",
        f"{scope.year}年度",
        f"{scope.year - 1}年度",
        "增减",
        "增减幅度",
    ]
    xs.set_widths(ws, (18, 40, 12, 12, 12, 10))
    xs.print_setup(ws, landscape=False, title_rows="1:1", gridlines=True)
    ws.freeze_panes = "C2"
    ws.append([xs.styled(ws, h, LIST_HEAD) for h in heads])
    percent = xs.Style(
        xs.BODY_FONT, None, border=False, number_format=xs.PERCENT_FORMAT
    )
    signed = xs.Style(
        xs.BODY_FONT, None, border=False, number_format="+#,##0.##;-#,##0.##;0"
    )
    previous_layout = schema.layout_for_year(scope.year - 1).value
    targets = [("*", "合计")] + [
        (b.code, b.name) for b in blocks if b.code in this_year or b.code in last_year
    ]
    for code, name in targets:
        for figure in sel.KEY_FIGURES:
            now = this_year.get(code, {}).get(figure.path)
            before = last_year.get(code, {}).get(figure.path)
            row: list[Any] = [name, figure.label, now]
            if not figure.in_layout(previous_layout) and figure.in_layout(scope.layout):
                row += [f"{previous_layout}版无此栏", None, None]
            else:
                row.append(before)
                if now is not None and before is not None:
                    row.append(xs.styled(ws, now - before, signed))
                    row.append(
                        xs.styled(ws, float((now - before) / before), percent)
                        if before
                        else None
                    )
                else:
                    row += [None, None]
            ws.append(row)

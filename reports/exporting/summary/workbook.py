"""The summary workbook of a year's reports (汇总表), streamed for any number of reports.

Sheets: 说明 (scope, when, by whom, counts), 汇总 (one row per report), 表二汇总/表三汇总/
表四汇总 (the form's tables, each cell the sum over the selection: the total, then one block
per region; tables.py), 审核问题 (unresolved findings), 报送情况 (every agency due, on time,
late or missing) and 同比 (this year against last, per region). Sums come from SQL
(selectors.py), per-report rows are read in chunks (streams.py) and written row by row with
XlsxWriter (sheet.py), so memory stays flat however large the selection.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils import timezone
from openpyxl.styles import Alignment

from agencies.models import Agency
from reports import schema
from reports.audit.base import SEVERITY_LABELS
from reports.audit.rules import rule_title
from reports.exporting import xlsx_style as xs
from reports.exporting.summary import selectors as sel
from reports.exporting.summary import streams
from reports.exporting.summary.sheet import (
    Formats,
    Sheet,
    StreamCanvas,
    Writer,
    add_sheet,
    new_workbook,
    print_setup,
    set_widths,
)
from reports.exporting.summary.tables import table_sheet
from reports.models import AnnualReport, Finding
from reports.paper_form import grids_for

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
LIST_HEAD = xs.Style(xs.HEAD_FONT, xs.CENTER, fill=xs.HEAD_FILL)
MONEY = xs.Style(xs.BODY_FONT, None, False, None, xs.MONEY_FORMAT)
WRAP = xs.Style(xs.BODY_FONT, Alignment(vertical="top", wrap_text=True), border=False)
WARN = xs.Style(xs.BODY_FONT, None, border=False, fill=xs.WARN_FILL)
PERCENT = xs.Style(xs.BODY_FONT, None, border=False, number_format=xs.PERCENT_FORMAT)
SIGNED = xs.Style(
    xs.BODY_FONT, None, border=False, number_format="+#,##0.##;-#,##0.##;0"
)
_FLAGGED = frozenset({streams.Submission.MISSING, streams.Submission.LATE})


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
    # XlsxWriter's temporary files (a sheet's rows, the parts before zipping) go in a
    # folder of this export's own, removed whether the export succeeds or fails.
    with tempfile.TemporaryDirectory(prefix="summary-") as folder:
        workbook = new_workbook(output, folder)
        formats = Formats(workbook)
        readme = add_sheet(workbook, "说明")  # first sheet, written last (counts)
        with sel.summary_reads():
            _report_list(add_sheet(workbook, "汇总"), formats, scope, stats)
            total, blocks = sel.table_sums(scope)
            stats.blocks = len(blocks)
            stats.layouts.update(total.layouts)
            for grid in grids_for(scope.layout):
                ws = add_sheet(workbook, f"{schema.TABLE_LABELS[grid.key]}汇总")
                table_sheet(ws, formats, grid, scope, total, blocks)
            _findings(add_sheet(workbook, "审核问题"), formats, scope, stats)
            _submissions(add_sheet(workbook, "报送情况"), formats, scope, stats)
            _year_on_year(
                add_sheet(workbook, "同比"),
                formats,
                scope,
                sel.key_figures_of(total, blocks),
            )
        _readme(readme, formats, scope, stats, generated_by, now)
        workbook.close()
    return stats


def _head(ws: Sheet, formats: Formats, row: int, heads: list[str]) -> None:
    head = formats(LIST_HEAD)
    for col, text in enumerate(heads):
        ws.write_string(row, col, text, head)


# --- 说明 ------------------------------------------------------------------------------------


def _readme(
    ws: Sheet,
    formats: Formats,
    scope: sel.SummaryScope,
    stats: SummaryStats,
    generated_by: str,
    now: dt.datetime,
) -> None:
    set_widths(ws, (22, 100))
    print_setup(ws, landscape=False)
    canvas = StreamCanvas(ws, formats)
    canvas.span(1, 1, 1, 2, f"{scope.year}年度政府信息公开工作年度报告汇总表", xs.TITLE)
    canvas.height(1, 30)
    layouts = "，".join(
        f"{schema.LAYOUT_LABELS.get(k, k)} {v} 份"
        for k, v in sorted(stats.layouts.items())
    )
    submissions = "，".join(
        f"{k} {stats.submissions[k]} 个"
        for k in (
            streams.Submission.ON_TIME,
            streams.Submission.LATE,
            streams.Submission.MISSING,
            streams.Submission.UNDATED,
            streams.Submission.NO_DEADLINE,
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
        ("范围", scope.label()),
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


def _report_list(
    ws: Sheet, formats: Formats, scope: sel.SummaryScope, stats: SummaryStats
) -> None:
    info = ["机关", "区划代码", "区划", "机关类别", "表格版式", "状态", "发布日期"]
    figures = list(sel.KEY_FIGURES)
    severities = list(sel.SEVERITIES)
    widths = [30, 10, 10, 14, 11, 9, 11] + [11] * len(figures) + [6] * len(severities)
    set_widths(ws, widths)
    print_setup(ws, title_rows=(0, 1), gridlines=True)
    ws.freeze_panes(2, 1)
    groups: list[tuple[str, int]] = [("基本情况", len(info))]
    for table in schema.TABLE_KEYS:
        n = sum(1 for f in figures if f.table == table)
        groups.append((schema.TABLE_LABELS[table], n))
    groups.append(("未解决的审核问题", len(severities)))
    head = formats(LIST_HEAD)
    col = 0
    for label, span in groups:
        if span > 1:
            ws.merge_range(0, col, 0, col + span - 1, label, head)
        else:
            ws.write_string(0, col, label, head)
        col += span
    heads = (
        info
        + [_figure_head(f) for f in figures]
        + [SEVERITY_LABELS[s] for s in severities]
    )
    ws.set_row(1, 72)
    _head(ws, formats, 1, heads)
    money = formats(MONEY)
    fmts = [None] * len(info) + [
        money if f.kind is schema.Kind.MONEY else None for f in figures
    ]
    count = 0
    # Per layout, each figure's path or None where the layout has no such cell.
    paths: dict[str, list[str | None]] = {}
    with Writer(ws, formats).in_background() as write:
        for line in streams.report_lines(scope):
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
            write(count + 2, values, fmts)
            count += 1
    stats.reports = count
    ws.autofilter(1, 0, count + 1, len(heads) - 1)


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


# --- 审核问题 ---------------------------------------------------------------------------------


def _cells_text(cells: Any, layout: str) -> str:
    names = []
    for item in cells or []:
        path = item.get("path", "") if isinstance(item, dict) else str(item)
        if path:
            names.append(schema.path_label(path, layout))
    return "；".join(names)


def _findings(
    ws: Sheet, formats: Formats, scope: sel.SummaryScope, stats: SummaryStats
) -> None:
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
    set_widths(ws, (28, 10, 10, 6, 8, 14, 30, 60, 36, 40, 9, 11))
    print_setup(ws, title_rows=(0, 0), gridlines=True)
    ws.freeze_panes(1, 1)
    _head(ws, formats, 0, heads)
    wrap = formats(WRAP)
    fmts = [None] * 6 + [wrap, wrap, None, wrap]
    write = Writer(ws, formats).row
    count = 0
    rows = streams.open_findings(scope).values_list(*streams.FINDING_FIELDS)
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
        count += 1
        write(
            count,
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
            fmts,
        )
    ws.autofilter(0, 0, count, len(heads) - 1)


# --- 报送情况 ---------------------------------------------------------------------------------


def _submissions(
    ws: Sheet, formats: Formats, scope: sel.SummaryScope, stats: SummaryStats
) -> None:
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
    set_widths(ws, (30, 11, 12, 22, 11, 11, 18, 8, 10))
    print_setup(ws, title_rows=(0, 0), gridlines=True)
    ws.freeze_panes(1, 1)
    _head(ws, formats, 0, heads)
    flagged = [None] * 6 + [formats(WARN)]
    count = 0
    with Writer(ws, formats).in_background() as write:
        for line in streams.submissions(scope):
            stats.submissions[line.outcome] += 1
            count += 1
            write(
                count,
                [
                    line.agency,
                    line.region_code,
                    line.region_name,
                    KIND_LABELS.get(line.agency_kind, line.agency_kind),
                    line.deadline,
                    line.publication_date,
                    line.outcome,
                    line.days_late,
                    STATUS_LABELS.get(line.report_status)
                    if line.report_status
                    else None,
                ],
                flagged if line.outcome in _FLAGGED else (),
            )
    stats.agencies_due = count
    ws.autofilter(0, 0, count, len(heads) - 1)


# --- 同比 ------------------------------------------------------------------------------------


def _year_on_year(
    ws: Sheet, formats: Formats, scope: sel.SummaryScope, this_year: dict
) -> None:
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
    set_widths(ws, (18, 40, 12, 12, 12, 10))
    print_setup(ws, landscape=False, title_rows=(0, 0), gridlines=True)
    ws.freeze_panes(1, 2)
    _head(ws, formats, 0, heads)
    fmts = [None, None, None, None, formats(SIGNED), formats(PERCENT)]
    write = Writer(ws, formats).row
    previous_layout = schema.layout_for_year(scope.year - 1).value
    targets = [("*", "合计")] + [
        (b.code, b.name) for b in blocks if b.code in this_year or b.code in last_year
    ]
    row_index = 0
    for code, name in targets:
        for figure in sel.KEY_FIGURES:
            now = this_year.get(code, {}).get(figure.path)
            before = last_year.get(code, {}).get(figure.path)
            row: list[Any] = [name, figure.label, now]
            if not figure.in_layout(previous_layout) and figure.in_layout(scope.layout):
                row += [f"{previous_layout}版无此栏", None, None]
            elif now is not None and before is not None:
                change = float((now - before) / before) if before else None
                row += [before, now - before, change]
            else:
                row += [before, None, None]
            row_index += 1
            write(row_index, row, fmts)

"""The sheets 表二汇总, 表三汇总, 表四汇总: the form's tables summed, the total then a block per
region, each block on a page of its own.

A cell is the sum of the numbers the reports printed; a cell no report printed a number in is
not 0 but hatched (all "/" shows "/"); under each block a note counts the blank, "/" and
missing cells the sum left out.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from openpyxl.styles import Font

from reports import schema
from reports.exporting import xlsx_style as xs
from reports.exporting.summary import selectors as sel
from reports.exporting.summary.sheet import (
    Formats,
    Sheet,
    StreamCanvas,
    print_setup,
    set_widths,
)
from reports.paper_form import GridTable

EMPTY_CELL = xs.Style(xs.BODY_FONT, xs.CENTER, fill=xs.EMPTY_FILL)
NOT_APPLICABLE = xs.Style(xs.BODY_FONT, xs.CENTER)
BLOCK_TITLE = xs.Style(Font(name=xs.SONG, size=12, bold=True), xs.LEFT, border=False)
SUM_STYLES = {
    kind: xs.Style(xs.BODY_FONT, xs.RIGHT, number_format=number_format)
    for kind, number_format in (
        (schema.Kind.COUNT, xs.INTEGER_FORMAT),
        (schema.Kind.MONEY, xs.MONEY_FORMAT),
        (schema.Kind.SIGNED, xs.SIGNED_FORMAT),
    )
}


def table_sheet(
    ws: Sheet,
    formats: Formats,
    grid: GridTable,
    scope: sel.SummaryScope,
    total: sel.BlockSums,
    blocks: list[sel.BlockSums],
) -> None:
    """One table's sheet: title, scope, the total block and one block per region."""
    width = xs.grid_width(grid)
    widths = xs.TABLE_WIDTHS[grid.key][:width]
    set_widths(ws, widths)
    # One page per block: the total and each region print on a page of their own.
    rows = len(grid.header) + len(grid.body)
    block_height = 22 + rows * _row_height(grid.key) + 3 * 30 + 20
    print_setup(ws, widths=widths, block_height=block_height)
    canvas = StreamCanvas(ws, formats)
    canvas.span(1, 1, 1, width, f"{grid.heading}（汇总）", xs.TITLE)
    canvas.height(1, 30)
    canvas.span(2, 1, 2, width, scope.label(), xs.SUBTITLE)
    breaks = []
    row = 4
    for index, block in enumerate([total, *blocks]):
        if index:
            # Each region block on its own page. The break goes before the blank row
            # above the block title: Excel counts break ids from 1, LibreOffice from 0,
            # and either way the title stays with its table.
            breaks.append(row - 2)
        row = _block(canvas, grid, scope, block, row, width) + 2
        canvas.flush(upto=row)  # a block per region: write each as it is drawn
    canvas.flush()
    if breaks:
        ws.set_h_pagebreaks(breaks)


def _row_height(table: str) -> float:
    return 24 if table == "table3" else 28


def _block(
    canvas: StreamCanvas,
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
    counts: Counter[str] = Counter()

    def value_for(p: xs.Placed) -> tuple[Any, xs.Style]:
        _, row_key, column = p.cell.path.split(".")
        kind = tables[grid.key].row(row_key).column(column).kind
        cell = sums.get((row_key, column), sel.CellSum())
        counts["blank"] += cell.blank
        counts["na"] += cell.not_applicable
        counts["missing"] += block.reports - cell.present
        if cell.numbers:
            return cell.total, SUM_STYLES[kind]
        if cell.present and cell.not_applicable == cell.present:
            return "/", NOT_APPLICABLE
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

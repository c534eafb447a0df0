"""What every workbook of the system shares: fonts, fills, number formats, print scale, and
the paper form's grids (reports/paper_form.py) laid out as merged cells.

The Styles here are the one definition of the look. The fill-in template
(template_xlsx.py) is written with them through openpyxl's write-only mode: a sheet is drawn
on a GridCanvas (cells by position, merges) and flushed row by row, strings always as text. The
summary workbook is written with XlsxWriter from the same Styles (summary/sheet.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.properties import PageSetupProperties

from reports.paper_form import GridCell

# Re-exported: the summary's writer places grids through this module too.
from reports.paper_form import Placed as Placed
from reports.paper_form import grid_width as grid_width
from reports.paper_form import place_grid as place_grid

SONG = "宋体"
FANGSONG = "仿宋"

TITLE_FONT = Font(name=SONG, size=16, bold=True)
SUBTITLE_FONT = Font(name=SONG, size=11)
HEAD_FONT = Font(name=SONG, size=10, bold=True)
BODY_FONT = Font(name=SONG, size=10)
SMALL_FONT = Font(name=SONG, size=9)
NOTE_FONT = Font(name=FANGSONG, size=10, color="595959")
TEXT_FONT = Font(name=FANGSONG, size=12)

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
INPUT_FILL = PatternFill("solid", fgColor="FFFFFF")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
# Cells where no report printed a number: hatched, as the admin's grid shows a blank cell.
EMPTY_FILL = PatternFill("lightUp", fgColor="BFBFBF", bgColor="FFFFFF")
WARN_FILL = PatternFill("solid", fgColor="FFF2CC")

CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center", indent=1)
TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
# Excel's stacked vertical text (one character under the other), as the form prints
# 三、本年度办理结果 down the side of table 三.
VERTICAL = Alignment(
    horizontal="center", vertical="center", wrap_text=True, textRotation=255
)

INTEGER_FORMAT = "#,##0"
SIGNED_FORMAT = "+#,##0;-#,##0;0"
MONEY_FORMAT = "#,##0.00##"
DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0.0%"

UNLOCKED = Protection(locked=False)


@dataclass(frozen=True)
class Style:
    """How a cell looks: the few combinations the workbooks use."""

    font: Font = BODY_FONT
    alignment: Alignment | None = None
    border: bool = True
    fill: PatternFill | None = None
    number_format: str | None = None
    locked: bool = True


HEAD = Style(HEAD_FONT, CENTER, fill=HEAD_FILL)
# Labels are grey like the header: in a fill-in template white means "fill me in".
LABEL = Style(BODY_FONT, LEFT, fill=HEAD_FILL)
GROUP = Style(BODY_FONT, CENTER, fill=HEAD_FILL)
VERTICAL_GROUP = Style(BODY_FONT, VERTICAL, fill=HEAD_FILL)
CAPTION = Style(HEAD_FONT, LEFT, fill=HEAD_FILL)
CORNER = Style(SMALL_FONT, CENTER, fill=HEAD_FILL)
NOTE = Style(NOTE_FONT, LEFT, border=False)
TITLE = Style(TITLE_FONT, CENTER, border=False)
SUBTITLE = Style(SUBTITLE_FONT, CENTER, border=False)

CSS_STYLES: dict[str, Style] = {
    "head": HEAD,
    "head corner": CORNER,
    "caption": CAPTION,
    "label": LABEL,
    "group": GROUP,
}


def new_workbook(creator: str = "政府信息公开年报管理系统") -> Workbook:
    """A streaming workbook whose default font is 宋体 (cells without a style use it)."""
    workbook = Workbook(write_only=True)
    # The default font is style 0 of the file; openpyxl has no public setter for it.
    workbook._fonts = IndexedList([BODY_FONT])
    workbook.properties.creator = creator
    return workbook


def styled(ws: WriteOnlyWorksheet, value: Any, style: Style) -> WriteOnlyCell:
    """A cell with a value and a style; strings stay text even when they begin with "="."""
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    cell.font = style.font
    if style.alignment is not None:
        cell.alignment = style.alignment
    if style.border:
        cell.border = BORDER
    if style.fill is not None:
        cell.fill = style.fill
    if style.number_format:
        cell.number_format = style.number_format
    if not style.locked:
        cell.protection = UNLOCKED
    return cell


def set_widths(ws: WriteOnlyWorksheet, widths: Sequence[float], start: int = 1) -> None:
    for index, width in enumerate(widths, start=start):
        ws.column_dimensions[get_column_letter(index)].width = width


def print_setup(
    ws: WriteOnlyWorksheet,
    *,
    landscape: bool = True,
    title_rows: str | None = None,
    fit_height: int = 0,
    gridlines: bool = False,
    widths: Sequence[float] = (),
    block_height: float = 0,
) -> None:
    """A4, landscape by default, one page wide (and `fit_height` pages tall when given),
    page numbers in the footer; long lists print their gridlines.

    With `widths` the sheet is scaled so that the columns, and a block `block_height`
    points tall, fit one page, instead of "fit to page": LibreOffice ignores manual page
    breaks under fit to page, Excel does not.
    """
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    if widths:
        ws.page_setup.scale = scale_to_fit(widths, block_height, landscape=landscape)
    else:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = fit_height
    ws.print_options.gridLines = gridlines
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.font = SONG
    if title_rows:
        ws.print_title_rows = title_rows


def scale_to_fit(
    widths: Sequence[float], height: float = 0, *, landscape: bool = True
) -> int:
    """The print scale (percent) at which columns of these widths, and `height` points of
    rows, fit one A4 page within the margins."""
    page_w, page_h = (842, 595) if landscape else (595, 842)
    usable_w = page_w - 2 * 0.5 * 72
    usable_h = page_h - 2 * 0.6 * 72 - 30  # margins and the footer
    # A column of width w is about 7w + 5 pixels (0.75 pt each) in a Latin font; CJK
    # fonts are wider, hence the 0.85.
    columns = sum(0.75 * (7 * w + 5) for w in widths) / 0.85
    scale = usable_w / columns
    if height:
        scale = min(scale, usable_h / height)
    return max(10, min(100, int(scale * 100)))


# --- drawing a grid ---------------------------------------------------------------------------


def label_style(cell: GridCell) -> Style:
    if cell.vertical:
        return VERTICAL_GROUP
    return CSS_STYLES.get(cell.css, LABEL)


# Column widths (in characters) per table: table 三's three label columns are the group
# band, the sub-group and the row label; values are wide enough for six digits.
TABLE_WIDTHS: dict[str, tuple[float, ...]] = {
    "table2": (24.0, 18.0, 18.0, 18.0),
    "table3": (5.0, 11.0, 50.0) + (10.0,) * 7,
    "table4": (9.0,) * 15,
}


class GridCanvas:
    """Drawing a sheet by position (1-based): cells, merged ranges, row heights and the
    paper form's grids. A writer subclass says how a cell is kept (`put`) and a merge
    recorded (`merge`), and writes the sheet in row order (`flush`)."""

    heights: dict[int, float]

    def put(self, row: int, col: int, value: Any, style: Style) -> None:
        raise NotImplementedError

    def merge(self, row: int, col: int, last_row: int, last_col: int) -> None:
        raise NotImplementedError

    def span(
        self,
        row: int,
        col: int,
        last_row: int,
        last_col: int,
        value: Any,
        style: Style,
    ) -> None:
        """A merged range: the value in its first cell, the style (borders) on all."""
        self.put(row, col, value, style)
        if (last_row, last_col) == (row, col):
            return
        self.merge(row, col, last_row, last_col)
        for r in range(row, last_row + 1):
            for c in range(col, last_col + 1):
                if (r, c) != (row, col):
                    self.put(r, c, None, style)

    def height(self, row: int, height: float) -> None:
        self.heights[row] = height

    def draw_grid(
        self,
        placed: Iterable[Placed],
        value_for: Callable[[Placed], tuple[Any, Style]],
    ) -> None:
        """Labels as the form prints them; each input cell as `value_for` says."""
        for p in placed:
            if p.cell.is_input:
                value, style = value_for(p)
            else:
                value, style = p.cell.text, label_style(p.cell)
            self.span(p.row, p.col, p.last_row, p.last_col, value, style)


class Canvas(GridCanvas):
    """A sheet drawn by position, then written through openpyxl in row order (the fill-in
    template)."""

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self.ws = ws
        self.cells: dict[tuple[int, int], tuple[Any, Style]] = {}
        self.heights = {}
        self.max_row = 0
        self.max_col = 0

    def put(self, row: int, col: int, value: Any, style: Style) -> None:
        self.cells[(row, col)] = (value, style)
        self.max_row = max(self.max_row, row)
        self.max_col = max(self.max_col, col)

    def merge(self, row: int, col: int, last_row: int, last_col: int) -> None:
        self.ws.merged_cells.add(
            CellRange(min_row=row, min_col=col, max_row=last_row, max_col=last_col)
        )

    def flush(self) -> None:
        """Write the sheet through openpyxl."""
        for row, height in self.heights.items():
            self.ws.row_dimensions[row].height = height
        for r in range(1, self.max_row + 1):
            self.ws.append(
                [
                    styled(self.ws, *placed) if placed is not None else None
                    for placed in (
                        self.cells.get((r, c)) for c in range(1, self.max_col + 1)
                    )
                ]
            )

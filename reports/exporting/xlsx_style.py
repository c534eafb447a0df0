"""What every workbook of the system shares: fonts, borders, print setup, and drawing the
paper form's grids (reports/paper_form.py) as merged cells.

Workbooks are written in openpyxl's write-only mode, so a sheet is drawn on a Canvas (cells
by position, merges) and flushed row by row; large lists append rows directly. Strings are
always written as text: a narrative that begins with "=" never becomes a formula.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from weakref import WeakKeyDictionary
from xml.sax.saxutils import escape as xml_escape

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray
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
LOCKED = Protection(locked=True)


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
NUMBER = Style(BODY_FONT, RIGHT, number_format=INTEGER_FORMAT)
TEXT = Style(BODY_FONT, LEFT)
PLAIN = Style(BODY_FONT, LEFT, border=False)
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
    # Setting font, border and fill one by one hashes each into the workbook's lists (about
    # 50 µs a cell, openpyxl's hash is recursive); a combination already registered is
    # copied as its index array. The key is the parts' identities, cheap to hash; the
    # cached Style keeps those parts alive, so an identity is never reused while cached.
    known = _style_arrays.setdefault(ws.parent, {})
    key = _style_key(style)
    found = known.get(key)
    if found is None:
        _apply(cell, style)
        known[key] = (style, copy(cell._style))
    else:
        cell._style = copy(found[1])
    return cell


def _style_key(style: Style) -> tuple:
    """A Style by its parts' identities (openpyxl's own hash of a Font is slow)."""
    return (
        id(style.font),
        id(style.alignment),
        style.border,
        id(style.fill),
        style.number_format,
        style.locked,
    )


# Per workbook: each style combination with its registered index array (a StyleArray).
_style_arrays: WeakKeyDictionary[Workbook, dict[tuple, tuple[Style, StyleArray]]] = (
    WeakKeyDictionary()
)


def _apply(cell: WriteOnlyCell, style: Style) -> None:
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


def text_safe(ws: WriteOnlyWorksheet, value: Any) -> Any:
    """A plain value for a fast row, or a text cell where openpyxl would write a formula."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


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


class Canvas:
    """A sheet drawn by position, then written in row order: as openpyxl cells (`flush`)
    or, for sheets of many blocks, straight as sheet XML (`flush_fast`)."""

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self.ws = ws
        self.cells: dict[tuple[int, int], tuple[Any, Style]] = {}
        self.heights: dict[int, float] = {}
        self.max_row = 0
        self.max_col = 0

    def put(self, row: int, col: int, value: Any, style: Style) -> None:
        self.cells[(row, col)] = (value, style)
        self.max_row = max(self.max_row, row)
        self.max_col = max(self.max_col, col)

    def span(
        self,
        row: int,
        col: int,
        last_row: int,
        last_col: int,
        value: Any,
        style: Style,
    ) -> None:
        """A merged range: the value in its first cell, the border drawn on all of them."""
        self.put(row, col, value, style)
        if (last_row, last_col) != (row, col):
            # Straight into the set: MultiCellRange.add first tests the new range against
            # every earlier one (quadratic in a sheet of many region blocks), and a
            # Canvas never draws overlapping ranges.
            self.ws.merged_cells.ranges.add(
                CellRange(min_row=row, min_col=col, max_row=last_row, max_col=last_col)
            )
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

    def flush(self) -> None:
        """Write the sheet through openpyxl (small sheets)."""
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

    def flush_fast(self) -> FastRows:
        """Write the sheet as XML rows for `save_with_rows` (sheets of thousands of cells:
        openpyxl's cell objects cost several times more than the XML)."""
        rows = FastRows(self.ws, 1, self.max_col)
        for r in range(1, self.max_row + 1):
            rows.append_cells(
                [self.cells.get((r, c)) for c in range(1, self.max_col + 1)],
                height=self.heights.get(r),
            )
        return rows


# --- fast rows for long lists -----------------------------------------------------------------

_EPOCH = dt.date(1899, 12, 30)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class FastRows:
    """Rows of a long list, written as sheet XML to a temporary file and spliced into the
    saved workbook by `save_with_rows`.

    openpyxl spends about 10 µs on every cell even in write-only mode; a list of 100,000
    reports has three million. Here a row is one string: numbers as numbers, dates as
    dates (a date style taken from openpyxl), and every string as an inline string, so
    text beginning with "=" is text by construction, never a formula.
    """

    def __init__(self, ws: WriteOnlyWorksheet, first_row: int, width: int) -> None:
        self.ws = ws
        self.row = first_row
        self.letters = [get_column_letter(c) for c in range(1, width + 1)]
        self.file = tempfile.TemporaryFile("w+", encoding="utf-8")
        self._style_ids: dict[tuple, int] = {}
        self.date_style = self.style_id(
            Style(BODY_FONT, None, False, None, DATE_FORMAT)
        )

    def style_id(self, style: Style) -> int:
        """The workbook's index of a style (the `s` attribute of a cell)."""
        key = _style_key(style)
        found = self._style_ids.get(key)
        if found is None:
            found = self._style_ids[key] = styled(self.ws, None, style).style_id
        return found

    def append_cells(
        self, cells: Sequence[tuple[Any, Style] | None], height: float | None = None
    ) -> None:
        """One row of (value, style) cells; a styled empty cell keeps its borders."""
        extra = f' ht="{height}" customHeight="1"' if height else ""
        parts = [f'<row r="{self.row}"{extra}>']
        for index, placed in enumerate(cells):
            if placed is None:
                continue
            value, style = placed
            ref = f"{self.letters[index]}{self.row}"
            s = self.style_id(style)
            if value is None or value == "":
                parts.append(f'<c r="{ref}" s="{s}"/>')
            else:
                parts.append(self._cell(ref, value, s))
        parts.append("</row>")
        self.file.write("".join(parts))
        self.row += 1

    def append(self, values: Sequence[Any], styles: Sequence[int | None] = ()) -> None:
        parts = [f'<row r="{self.row}">']
        for index, value in enumerate(values):
            if value is None or value == "":
                continue
            ref = f"{self.letters[index]}{self.row}"
            style = styles[index] if index < len(styles) else None
            parts.append(self._cell(ref, value, style))
        parts.append("</row>")
        self.file.write("".join(parts))
        self.row += 1

    def _cell(self, ref: str, value: Any, style: int | None) -> str:
        s = f' s="{style}"' if style else ""
        kind = value.__class__
        if kind is int:  # the common case first (bool is its own class)
            return f'<c r="{ref}"{s}><v>{value}</v></c>'
        if kind is str:
            text = xml_escape(_ILLEGAL.sub("", value))
            return (
                f'<c r="{ref}" t="inlineStr"{s}><is><t xml:space="preserve">'
                f"{text}</t></is></c>"
            )
        if isinstance(value, bool):
            return f'<c r="{ref}" t="b"{s}><v>{int(value)}</v></c>'
        if isinstance(value, int | float):
            return f'<c r="{ref}"{s}><v>{value}</v></c>'
        if isinstance(value, Decimal):
            return f'<c r="{ref}"{s}><v>{format(value, "f")}</v></c>'
        if isinstance(value, dt.date):
            if isinstance(value, dt.datetime):
                value = value.date()
            serial = (value - _EPOCH).days
            return f'<c r="{ref}" s="{style or self.date_style}"><v>{serial}</v></c>'
        text = xml_escape(_ILLEGAL.sub("", str(value)))
        return (
            f'<c r="{ref}" t="inlineStr"{s}><is><t xml:space="preserve">'
            f"{text}</t></is></c>"
        )

    @property
    def last_row(self) -> int:
        return self.row - 1


def save_with_rows(
    workbook: Workbook, output: str | Path | IO[bytes], lists: Sequence[FastRows]
) -> None:
    """Save the workbook, then splice each list's rows into its sheet's XML."""
    with tempfile.TemporaryFile() as saved:
        workbook.save(saved)
        saved.seek(0)
        members = {fast.ws.path.lstrip("/"): fast for fast in lists}
        with (
            zipfile.ZipFile(saved) as source,
            zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
        ):
            for item in source.infolist():
                fast = members.get(item.filename)
                if fast is None:
                    target.writestr(item, source.read(item.filename))
                    continue
                _splice(source.read(item.filename).decode("utf-8"), fast, target, item)


def _splice(xml: str, fast: FastRows, target: zipfile.ZipFile, item) -> None:
    last = get_column_letter(len(fast.letters))
    xml = re.sub(
        r'<dimension ref="[^"]*"\s*/>',
        f'<dimension ref="A1:{last}{max(fast.last_row, 1)}"/>',
        xml,
        count=1,
    )
    if "<sheetData/>" in xml:
        xml = xml.replace("<sheetData/>", "<sheetData></sheetData>", 1)
    head, tail = xml.split("</sheetData>", 1)
    with target.open(item.filename, "w") as handle:
        handle.write(head.encode("utf-8"))
        fast.file.seek(0)
        while chunk := fast.file.read(1 << 20):
            handle.write(chunk.encode("utf-8"))
        handle.write(b"</sheetData>")
        handle.write(tail.encode("utf-8"))
    fast.file.close()

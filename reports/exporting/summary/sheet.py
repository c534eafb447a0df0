"""Writing the summary with XlsxWriter, row by row, in the look xlsx_style defines.

The workbook is opened in constant_memory mode: each row goes to a temporary file as soon as
the next one begins, so memory stays flat however many reports a list holds, and rows must
be written in order. Strings are always text (strings_to_formulas off): an agency name or a
quoted sentence that begins with "=", "+", "-" or "@" is never a formula.

The styles are xlsx_style's (shared with the openpyxl fill-in template) turned into
XlsxWriter formats once per workbook. A drawn sheet (说明, the table sheets) is laid out on a
StreamCanvas by position and written in row order, merges included. The long lists are written
by a thread of their own while the next rows are read (Writer.in_background): the database
works on the next rows while XlsxWriter writes the last ones, instead of one waiting for the
other.
"""

from __future__ import annotations

import datetime as dt
import queue
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from openpyxl.styles import PatternFill
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from reports.exporting import xlsx_style as xs

CREATOR = "政府信息公开年报管理系统"
OPTIONS: dict[str, Any] = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    # Cells without a format of their own (most cells of the long lists) read in 宋体.
    "default_format_properties": {"font_name": xs.SONG, "font_size": 10},
}
FOOTER = f'&C&"{xs.SONG}"第 &P 页，共 &N 页'
# Characters XML cannot hold: dropped, as a viewer would not show them anyway.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Excel's pattern fills by name, as XlsxWriter numbers them.
_PATTERNS = {"solid": 1, "lightUp": 14}
_MAX_TEXT = 32767
_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (1900 date system)
_BATCH, _BATCHES = 500, 8  # rows handed to the writing thread at a time; batches queued
RowWrite = Callable[[int, Sequence[Any], Sequence[Any]], None]


class Sheet(Worksheet):
    """A worksheet written in row order that can also merge cells across rows.

    XlsxWriter's merge_range() writes every cell of the range at once, which constant_memory
    allows only within the current row (the form's labels span rows). A StreamCanvas writes a
    merged range's cells itself, row by row, then records the range here, in the list
    merge_range() itself appends to and the sheet's <mergeCells> is written from. The
    one use of XlsxWriter's inside: tests/reports/exporting/test_summary_look.py reads the
    merged ranges back.
    """

    def merge_written(
        self, first_row: int, first_col: int, last_row: int, last_col: int
    ) -> None:
        """Merge a range (0-based) whose cells this sheet has written already."""
        self.merge.append([first_row, first_col, last_row, last_col])


def new_workbook(output: str | Path | IO[bytes], folder: str) -> Workbook:
    """A streaming workbook writing to a path or a binary file, its rows kept meanwhile in
    temporary files in `folder` (the caller removes it, also when the export fails)."""
    target = str(output) if isinstance(output, Path) else output
    workbook = Workbook(target, {**OPTIONS, "tmpdir": folder})
    workbook.set_properties({"author": CREATOR})
    return workbook


def add_sheet(workbook: Workbook, name: str) -> Sheet:
    sheet = workbook.add_worksheet(name, worksheet_class=Sheet)
    assert isinstance(sheet, Sheet)
    return sheet


class Formats:
    """Each xlsx_style.Style of a workbook as one XlsxWriter format, made on first use."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        # Keyed by the style's parts' identities (openpyxl's own hash of a Font is slow);
        # the Style is kept with its format, so an identity is never reused meanwhile.
        self._made: dict[tuple, tuple[xs.Style, Format]] = {}
        self.date = self(xs.Style(xs.BODY_FONT, None, False, None, xs.DATE_FORMAT))
        self.plain = self(xs.Style(xs.BODY_FONT, None, False))

    def __call__(self, style: xs.Style) -> Format:
        key = (
            id(style.font),
            id(style.alignment),
            style.border,
            id(style.fill),
            style.number_format,
            style.locked,
        )
        found = self._made.get(key)
        if found is None:
            found = self._made[key] = (
                style,
                self.workbook.add_format(properties(style)),
            )
        return found[1]


def properties(style: xs.Style) -> dict[str, Any]:
    """An xlsx_style.Style (openpyxl parts) as XlsxWriter format properties."""
    font = style.font
    out: dict[str, Any] = {"font_name": font.name, "font_size": font.sz}
    if font.b:
        out["bold"] = True
    if font.color is not None and isinstance(font.color.rgb, str):
        out["font_color"] = "#" + font.color.rgb[-6:]
    alignment = style.alignment
    if alignment is not None:
        if alignment.horizontal:
            out["align"] = alignment.horizontal
        if alignment.vertical:
            out["valign"] = (
                "vcenter" if alignment.vertical == "center" else alignment.vertical
            )
        if alignment.wrap_text:
            out["text_wrap"] = True
        if alignment.indent:
            out["indent"] = int(alignment.indent)
        if alignment.textRotation == 255:  # stacked, one character under the other
            out["rotation"] = 270
    if style.border:
        out.update(border=1, border_color="#000000")
    if style.fill is not None:
        out.update(_fill(style.fill))
    if style.number_format:
        out["num_format"] = style.number_format
    if not style.locked:
        out["locked"] = False
    return out


def _fill(fill: PatternFill) -> dict[str, Any]:
    pattern = _PATTERNS[fill.fill_type]
    colour = "#" + str(fill.fgColor.rgb)[-6:]
    if pattern == 1:  # solid: XlsxWriter takes the colour as bg_color
        return {"pattern": 1, "bg_color": colour}
    return {
        "pattern": pattern,
        "fg_color": colour,
        "bg_color": "#" + str(fill.bgColor.rgb)[-6:],
    }


class Writer:
    """Writes the cells of one sheet (0-based rows and columns) by their values' types."""

    def __init__(self, ws: Sheet, formats: Formats) -> None:
        self.ws = ws
        self.date = formats.date
        self.plain = formats.plain

    def cell(self, row: int, col: int, value: Any, fmt: Format | None = None) -> None:
        """One cell; a blank with a format keeps it (its borders, its fill)."""
        kind = value.__class__
        if kind is str:
            if value:
                self.text(row, col, value, fmt)
            elif fmt is not None:
                self.ws.write_blank(row, col, None, fmt)
        elif kind is int or kind is Decimal or kind is float:
            self.ws.write_number(row, col, value, fmt)
        elif value is None:
            if fmt is not None:
                self.ws.write_blank(row, col, None, fmt)
        elif kind is dt.date:
            # Excel's serial day number, as write_datetime would work it out (slower).
            self.ws.write_number(row, col, (value - _EPOCH).days, fmt or self.date)
        elif isinstance(value, dt.date):
            self.ws.write_datetime(row, col, value, fmt or self.date)
        else:
            self.text(row, col, str(value), fmt)

    def row(
        self, row: int, values: Sequence[Any], fmts: Sequence[Format | None] = ()
    ) -> None:
        """A list's row: empty values leave no cell; `fmts` by column, where given.

        Millions of cells go through here: plain text and numbers are written straight
        away, anything else through `cell`."""
        write_string, write_number = self.ws.write_string, self.ws.write_number
        known = len(fmts)
        for col, value in enumerate(values):
            if value is None:
                continue
            fmt = fmts[col] if col < known else None
            kind = value.__class__
            if kind is str:
                if not value:
                    continue
                if (
                    value.isprintable()
                    and len(value) <= _MAX_TEXT
                    and not value.startswith("<r>")
                ):
                    write_string(row, col, value, fmt)
                else:
                    self.text(row, col, value, fmt)
            elif kind is int or kind is Decimal or kind is float:
                write_number(row, col, value, fmt)
            else:
                self.cell(row, col, value, fmt)

    @contextmanager
    def in_background(self) -> Iterator[RowWrite]:
        """`row`, done by a thread of its own while the caller reads the next rows.

        The caller's thread waits on the database with the GIL released, so the database's
        time and XlsxWriter's overlap instead of adding up. Rows go over in batches through
        a bounded queue: memory stays flat. An error in the thread is raised here. Only the
        thread touches this sheet meanwhile, with formats made beforehand; the caller only
        reads (its database connection stays in its own thread).
        """
        batches: queue.Queue[list[tuple] | None] = queue.Queue(maxsize=_BATCHES)
        failed: list[BaseException] = []

        def work() -> None:
            try:
                while (batch := batches.get()) is not None:
                    for args in batch:
                        self.row(*args)
            except BaseException as exc:  # handed to the caller's thread
                failed.append(exc)
                while batches.get() is not None:  # never leave the caller blocked
                    pass

        thread = threading.Thread(target=work, name="summary-rows", daemon=True)
        thread.start()
        batch: list[tuple] = []

        def write(
            row: int, values: Sequence[Any], fmts: Sequence[Format | None] = ()
        ) -> None:
            batch.append((row, values, fmts))
            if len(batch) >= _BATCH:
                if failed:
                    raise failed[0]
                batches.put(batch.copy())
                batch.clear()

        try:
            yield write
        finally:
            if batch and not failed:
                batches.put(batch)
            batches.put(None)
            thread.join()
        if failed:
            raise failed[0]

    def text(self, row: int, col: int, text: str, fmt: Format | None) -> None:
        """Text as text, whatever it begins with."""
        text = _ILLEGAL.sub("", text)[:_MAX_TEXT]
        if text.startswith("<r>") and text.endswith("</r>"):
            # constant_memory would copy such a string into the file as rich-text XML;
            # as two runs in the cell's own font it is escaped like any other text.
            run = fmt or self.plain
            cell_format = () if fmt is None else (fmt,)
            self.ws.write_rich_string(
                row, col, run, text[:1], run, text[1:], *cell_format
            )
        elif text:
            self.ws.write_string(row, col, text, fmt)
        elif fmt is not None:
            self.ws.write_blank(row, col, None, fmt)


def set_widths(ws: Worksheet, widths: Sequence[float], start: int = 0) -> None:
    """Column widths in characters, stored as xlsx_style gives them: XlsxWriter's
    set_column() adds the cell padding, its pixel widths do not."""
    for index, width in enumerate(widths, start=start):
        ws.set_column_pixels(index, index, round(7 * width))


def print_setup(
    ws: Worksheet,
    *,
    landscape: bool = True,
    title_rows: tuple[int, int] | None = None,
    gridlines: bool = False,
    widths: Sequence[float] = (),
    block_height: float = 0,
) -> None:
    """A4, one page wide (or scaled so that `widths` and a block `block_height` points
    tall fit a page: LibreOffice ignores manual page breaks under fit to page), page numbers
    in the footer, long lists with their gridlines and their title rows on every page."""
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    if widths:
        ws.set_print_scale(xs.scale_to_fit(widths, block_height, landscape=landscape))
    else:
        ws.fit_to_pages(1, 0)
    if gridlines:
        ws.hide_gridlines(0)  # shown on screen and printed
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.center_horizontally()
    ws.set_header("", {"margin": 0.5})
    ws.set_footer(FOOTER, {"margin": 0.5})
    if title_rows:
        ws.repeat_rows(*title_rows)


class StreamCanvas(xs.GridCanvas):
    """A sheet drawn by position (1-based, as xlsx_style places grids), written in row
    order with XlsxWriter. `flush(upto)` writes and forgets the rows above `upto`: a sheet
    of many blocks is written block by block."""

    def __init__(self, ws: Sheet, formats: Formats) -> None:
        self.ws = ws
        self.formats = formats
        self.writer = Writer(ws, formats)
        self.cells: dict[int, dict[int, tuple[Any, xs.Style]]] = {}
        self.heights = {}
        self.merges: list[tuple[int, int, int, int]] = []
        self.written = 0  # rows 1..written are on disk

    def put(self, row: int, col: int, value: Any, style: xs.Style) -> None:
        if row <= self.written:
            raise ValueError(f"第 {row} 行已写出，不能再改")
        self.cells.setdefault(row, {})[col] = (value, style)

    def merge(self, row: int, col: int, last_row: int, last_col: int) -> None:
        self.merges.append((row, col, last_row, last_col))

    def flush(self, upto: int | None = None) -> None:
        """Write the rows above `upto` (all of them without it), then their merges."""
        last = max([*self.cells, *self.heights, self.written])
        end = last if upto is None else upto - 1
        ws, formats, cell = self.ws, self.formats, self.writer.cell
        for row in range(self.written + 1, end + 1):
            height = self.heights.pop(row, None)
            if height is not None:
                ws.set_row(row - 1, height)
            for col, (value, style) in sorted(self.cells.pop(row, {}).items()):
                cell(row - 1, col - 1, value, formats(style))
        self.written = max(self.written, end)
        done = [m for m in self.merges if m[2] <= self.written]
        for first_row, first_col, last_row, last_col in done:
            ws.merge_written(first_row - 1, first_col - 1, last_row - 1, last_col - 1)
        self.merges = [m for m in self.merges if m[2] > self.written]

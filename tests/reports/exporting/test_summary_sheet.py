"""Writing with XlsxWriter row by row: rows in a background thread, a StreamCanvas's merges across
rows, text that must stay text (no database: small workbooks built here)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from reports.exporting import xlsx_style as xs
from reports.exporting.summary.sheet import (
    Formats,
    StreamCanvas,
    Writer,
    add_sheet,
    new_workbook,
)


def build(tmp_path, draw) -> io.BytesIO:
    """A one-sheet workbook drawn by `draw(sheet, formats)`, read back by openpyxl."""
    buffer = io.BytesIO()
    workbook = new_workbook(buffer, str(tmp_path))
    sheet = add_sheet(workbook, "表")
    draw(sheet, Formats(workbook))
    workbook.close()
    return load_workbook(io.BytesIO(buffer.getvalue()))["表"]


ROWS = [
    ["某县卫生健康局", "320813", 12, Decimal("1.25"), dt.date(2025, 1, 20), None],
    ["=1+1", "+86", "-5", "@SUM(A1)", "<r><t>x</t></r>", "换\x01行"],
]


def test_rows_written_in_the_background_are_the_rows_written_in_line(
    tmp_path,
) -> None:
    def in_line(sheet, formats):
        write = Writer(sheet, formats).row
        for index, values in enumerate(ROWS * 3):
            write(index, values)

    def in_background(sheet, formats):
        with Writer(sheet, formats).in_background() as write:
            for index, values in enumerate(ROWS * 3):
                write(index, values)

    expected = [[c.value for c in r] for r in build(tmp_path, in_line).iter_rows()]
    got = [[c.value for c in r] for r in build(tmp_path, in_background).iter_rows()]
    assert got == expected
    assert got[0] == [
        "某县卫生健康局",
        "320813",
        12,
        1.25,
        dt.datetime(2025, 1, 20),
        None,
    ]
    assert got[1] == ["=1+1", "+86", "-5", "@SUM(A1)", "<r><t>x</t></r>", "换行"]


def test_an_error_in_the_writing_thread_reaches_the_caller(tmp_path) -> None:
    class Unprintable:
        def __str__(self) -> str:
            raise ValueError("写不出来")

    def draw(sheet, formats):
        with Writer(sheet, formats).in_background() as write:
            for index in range(5000):  # more batches than the queue holds
                write(index, ["行", Unprintable() if index == 10 else index])

    with pytest.raises(ValueError, match="写不出来"):
        build(tmp_path, draw)


def test_a_canvas_merges_across_rows_and_writes_block_by_block(tmp_path) -> None:
    def draw(sheet, formats):
        canvas = StreamCanvas(sheet, formats)
        canvas.span(1, 1, 3, 1, "竖排", xs.VERTICAL_GROUP)
        canvas.put(1, 2, "第一行", xs.LABEL)
        canvas.put(2, 2, 7, xs.Style(xs.BODY_FONT, xs.RIGHT))
        canvas.put(3, 2, None, xs.LABEL)
        canvas.height(2, 24)
        canvas.flush(upto=4)  # rows 1-3 are on disk
        with pytest.raises(ValueError):
            canvas.put(3, 3, "太晚了", xs.LABEL)
        canvas.span(5, 1, 5, 2, "下一块", xs.NOTE)
        canvas.flush()

    ws = build(tmp_path, draw)
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:A3", "A5:B5"}
    assert ws["A1"].value == "竖排" and ws["A1"].alignment.textRotation == 255
    assert ws["A3"].border.bottom.style == "thin"  # covered cells keep the borders
    assert [ws["B1"].value, ws["B2"].value, ws["A5"].value] == ["第一行", 7, "下一块"]
    assert ws["B3"].fill.fill_type == "solid" and ws["B3"].value is None
    assert ws.row_dimensions[2].height == pytest.approx(24, abs=0.5)

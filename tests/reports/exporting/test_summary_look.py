"""The summary workbook as a reviewer sees it: frozen panes, widths, number formats, fonts,
fills, merges and print setup (the figures themselves: test_summary_xlsx.py)."""

from __future__ import annotations

import datetime as dt
import io
import tempfile

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from xlsxwriter.exceptions import FileCreateError

from agencies.models import Agency
from reports import schema
from reports.audit.runner import AuditScope, audit_run
from reports.exporting import xlsx_style as xs
from reports.exporting.summary.selectors import SummaryScope
from reports.exporting.summary.workbook import build_summary
from reports.models import AnnualReport, Finding
from reports.paper_form import grids_for

pytestmark = pytest.mark.django_db
YEAR = 2024


@pytest.fixture
def workbook(demo):
    audit_run(AuditScope(), trigger="测试")
    buffer = io.BytesIO()
    build_summary(SummaryScope(year=YEAR), buffer, generated_by="测试员")
    return load_workbook(io.BytesIO(buffer.getvalue()))


def widths(ws: Worksheet) -> dict[int, float]:
    """Column widths by column number (a <col> element may cover several columns)."""
    return {
        i: dim.width
        for dim in ws.column_dimensions.values()
        if dim.width
        for i in range(dim.min, dim.max + 1)
    }


def rgb(colour) -> str:
    return str(colour.rgb)[-6:].upper()


def test_lists_look_as_a_reviewer_expects(workbook) -> None:
    """Frozen heads, filters, widths, bold grey heads, dates, money, changes."""
    panes = {name: workbook[name].freeze_panes for name in workbook.sheetnames}
    assert panes == {
        "说明": None,
        "汇总": "B3",
        "表二汇总": None,
        "表三汇总": None,
        "表四汇总": None,
        "审核问题": "B2",
        "报送情况": "B2",
        "同比": "C2",
    }
    assert workbook["汇总"].auto_filter.ref.startswith("A2:X")
    assert workbook["审核问题"].auto_filter.ref.startswith("A1:L")
    assert workbook["报送情况"].auto_filter.ref.startswith("A1:I")
    assert widths(workbook["说明"]) == {1: 22, 2: 100}
    assert widths(workbook["报送情况"]) == dict(
        enumerate((30, 11, 12, 22, 11, 11, 18, 8, 10), start=1)
    )
    report_list = widths(workbook["汇总"])
    assert report_list[1] == 30 and report_list[8] == 11 and report_list[24] == 6
    for name, row in (("汇总", 2), ("审核问题", 1), ("报送情况", 1), ("同比", 1)):
        head = workbook[name].cell(row, 1)
        assert (head.font.name, head.font.sz, head.font.b) == ("宋体", 10, True)
        assert head.fill.fill_type == "solid" and rgb(head.fill.fgColor) == "F2F2F2"
        assert head.border.left.style == "thin" and head.border.bottom.style == "thin"
        assert head.alignment.horizontal == "center" and head.alignment.wrap_text
    title = workbook["说明"]["A1"]
    assert (title.font.sz, title.font.b) == (16, True)
    # A plain list cell has no format of its own and reads in the workbook's 宋体.
    agency = workbook["汇总"]["A3"]
    assert agency.value and (agency.font.name, agency.font.sz) == ("宋体", 10)
    assert agency.border.left.style is None
    ws = workbook["汇总"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:G1", "V1:X1"} <= merged
    assert ws["A1"].value == "基本情况" and ws["V1"].value == "未解决的审核问题"
    assert ws.row_dimensions[2].height == pytest.approx(72, abs=0.5)
    dated = [c for c in ws["G"][2:] if c.value is not None]
    assert dated and all(isinstance(c.value, dt.datetime) for c in dated)
    assert {c.number_format for c in dated} == {xs.DATE_FORMAT}
    heads = [c.value for c in ws[2]]
    fees = heads.index(next(h for h in heads if h and "收费" in h)) + 1
    (money,) = ws.iter_cols(fees, fees, 3)
    assert {c.number_format for c in money if c.value is not None} == {xs.MONEY_FORMAT}
    ws = workbook["同比"]
    changes = [r for r in ws.iter_rows(min_row=2) if r[4].value is not None]
    assert changes
    assert {r[4].number_format for r in changes} == {"+#,##0.##;-#,##0.##;0"}
    assert {r[5].number_format for r in changes if r[5].value is not None} == {
        xs.PERCENT_FORMAT
    }
    assert ws.page_setup.orientation == "portrait"


def test_table_sheets_look_like_the_form_a_block_a_page(workbook) -> None:
    """Widths, merged titles and labels, number formats, page breaks, footer."""
    for grid in grids_for("2021"):
        ws = workbook[f"{schema.TABLE_LABELS[grid.key]}汇总"]
        width = xs.grid_width(grid)
        expected = xs.TABLE_WIDTHS[grid.key][:width]
        assert widths(ws) == dict(enumerate(expected, start=1))
        assert f"A1:{get_column_letter(width)}1" in {
            str(r) for r in ws.merged_cells.ranges
        }
        titles = [
            r
            for r in range(4, ws.max_row + 1)
            if isinstance(ws.cell(r, 1).value, str)
            and ws.cell(r, 1).font.sz == 12
            and "份年报" in ws.cell(r, 1).value
        ]
        assert len(titles) > 1
        assert [b.id for b in ws.row_breaks.brk] == [r - 2 for r in titles[1:]]
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.scale
        assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    ws = workbook["表三汇总"]
    grid = {g.key: g for g in grids_for("2021")}["table3"]
    placed = xs.place_grid(grid, 5)  # the total block's grid starts under its title
    vertical = [p for p in placed if p.cell.vertical]
    assert vertical
    for p in vertical:
        cell = ws.cell(p.row, p.col)
        assert cell.alignment.textRotation == 255 and cell.value == p.cell.text
        span = f"{cell.coordinate}:{ws.cell(p.last_row, p.last_col).coordinate}"
        assert span in {str(r) for r in ws.merged_cells.ranges}
    numbers = [
        ws.cell(p.row, p.col)
        for p in placed
        if p.cell.is_input and isinstance(ws.cell(p.row, p.col).value, int)
    ]
    assert numbers
    for cell in numbers:
        assert cell.number_format == xs.INTEGER_FORMAT
        assert cell.alignment.horizontal == "right" and cell.border.top.style == "thin"
    assert ws.row_dimensions[5].height == pytest.approx(24, abs=0.5)


def test_text_that_looks_like_a_formula_or_markup_stays_text(demo) -> None:
    report = AnnualReport.objects.filter(report_year__year=YEAR).first()
    names = ["+86 机关", "-某局", "@某局", "=SUM(A1:A2)"]
    for agency, name in zip(
        Agency.objects.filter(reports__report_year__year=YEAR)[:4],
        names,
        strict=True,
    ):
        Agency.objects.filter(pk=agency.pk).update(name=name)
    message = "<r><t>注入</t></r>"
    Finding.objects.create(
        rule="TEST",
        severity="warning",
        message=message,
        evidence="控制\x01字符",
        report=report,
        agency_id=report.agency_id,
        year=YEAR,
        fingerprint="test-markup",
    )
    buffer = io.BytesIO()
    build_summary(SummaryScope(year=YEAR), buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    listed = {c.value for row in book["汇总"].iter_rows() for c in row}
    assert set(names) <= listed
    findings = {c.value for row in book["审核问题"].iter_rows() for c in row}
    assert message in findings and "控制字符" in findings
    for sheet in book.sheetnames:
        cells = [c for row in book[sheet].iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"], sheet


def test_a_failed_export_leaves_no_temporary_files(
    db, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    output = tmp_path / "no-such-folder" / "汇总.xlsx"
    with pytest.raises(FileCreateError):
        build_summary(SummaryScope(year=YEAR), output)
    assert not output.exists() and list(scratch.iterdir()) == []

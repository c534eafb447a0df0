"""The summary workbook on the demo province: every total equals the database's sum."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.db.models import Count, Q, Sum
from openpyxl import load_workbook

from agencies.models import Agency, Region
from reports import schema
from reports.audit.runner import AuditScope, audit_run
from reports.exporting import xlsx_style as xs
from reports.exporting.summary.selectors import OPEN_FINDING_STATUSES, SummaryScope
from reports.exporting.summary.workbook import SUMMARY_SHEETS, build_summary
from reports.fixtures.demo import MISSING
from reports.models import AnnualReport, Finding, Table3Row
from reports.models.sections import ROW_MODELS
from reports.paper_form import grids_for
from reports.workflow import report_withdraw

pytestmark = pytest.mark.django_db
YEAR = 2024


@pytest.fixture
def workbook(demo):
    audit_run(AuditScope(), trigger="测试")
    buffer = io.BytesIO()
    build_summary(SummaryScope(year=YEAR), buffer, generated_by="测试员")
    return load_workbook(io.BytesIO(buffer.getvalue()))


def _block_top(ws, title_start: str) -> int:
    """The row of a block's title (its grid starts on the next row)."""
    for row in range(1, ws.max_row + 1):
        value = ws.cell(row, 1).value
        if isinstance(value, str) and value.startswith(title_start):
            return row
    raise AssertionError(f"no block {title_start}")


def _orm_sums(report_filter: Q, table: str) -> dict[tuple[str, str], tuple]:
    model = ROW_MODELS[table]
    out = {}
    for row_key in (
        model.objects.filter(report_filter).values_list("row_key", flat=True).distinct()
    ):
        rows = model.objects.filter(report_filter, row_key=row_key)
        for column in model.VALUE_COLUMNS:
            agg = rows.aggregate(sum_=Sum(column), n_=Count(column))
            out[(row_key, column)] = (agg["sum_"], agg["n_"])
    return out


def _check_block(ws, top: int, table: str, report_filter: Q) -> int:
    """Every input cell of a block equals the ORM's sum; returns how many were checked."""
    grid = {g.key: g for g in grids_for("2021")}[table]
    sums = _orm_sums(report_filter, table)
    checked = 0
    for p in xs.place_grid(grid, top + 1):
        if not p.cell.is_input:
            assert ws.cell(p.row, p.col).value == p.cell.text
            continue
        _, row_key, column = p.cell.path.split(".")
        total, numbers = sums.get((row_key, column), (None, 0))
        shown = ws.cell(p.row, p.col).value
        if numbers == 0:
            assert shown in (None, "/"), p.cell.path  # never a 0 that nobody printed
        elif isinstance(total, Decimal):
            assert Decimal(str(shown)) == total, p.cell.path
        else:
            assert shown == total, p.cell.path
        checked += 1
    return checked


def test_every_sheet_is_present_and_readme_says_scope_and_author(workbook) -> None:
    assert workbook.sheetnames == list(SUMMARY_SHEETS)
    readme = "\n".join(
        str(c.value) for row in workbook["说明"].iter_rows() for c in row if c.value
    )
    assert f"{YEAR}年度" in readme and "测试员" in readme
    current = AnnualReport.objects.filter(is_current=True, report_year__year=YEAR)
    assert f"{current.count()} 份" in readme


@pytest.mark.parametrize("table", schema.TABLE_KEYS)
def test_total_block_equals_database_sums(workbook, table: str) -> None:
    ws = workbook[f"{schema.TABLE_LABELS[table]}汇总"]
    in_scope = Q(report__is_current=True, report__report_year__year=YEAR)
    assert _check_block(ws, _block_top(ws, "合计"), table, in_scope) > 0


@pytest.mark.parametrize("table", ["table3", "table4"])
def test_region_blocks_equal_per_region_sums(workbook, table: str) -> None:
    ws = workbook[f"{schema.TABLE_LABELS[table]}汇总"]
    in_scope = Q(report__is_current=True, report__report_year__year=YEAR)
    for city in Region.objects.filter(level=Region.Level.CITY):
        top = _block_top(ws, f"{city.name}（{city.code}）")
        under = in_scope & Q(report__agency__region__path__startswith=city.path)
        _check_block(ws, top, table, under)
    # Province-level agencies fall in the last block.
    top = _block_top(ws, "省级及其他")
    own = in_scope & Q(report__agency__region__level=Region.Level.PROVINCE)
    _check_block(ws, top, table, own)


def test_a_cell_every_report_left_blank_is_not_printed_as_zero(demo) -> None:
    rows = Table3Row.objects.filter(
        report__report_year__year=YEAR, row_key="withheld_state_secret"
    )
    for row in rows:
        row.research = None
        row.raw["research"] = ""
        row.save()
    buffer = io.BytesIO()
    build_summary(SummaryScope(year=YEAR), buffer)
    ws = load_workbook(io.BytesIO(buffer.getvalue()))["表三汇总"]
    grid = {g.key: g for g in grids_for("2021")}["table3"]
    top = _block_top(ws, "合计")
    (placed,) = [
        p
        for p in xs.place_grid(grid, top + 1)
        if p.cell.path == "table3.withheld_state_secret.research"
    ]
    shown = ws.cell(placed.row, placed.col)
    assert shown.value is None
    assert shown.fill.fill_type == "lightUp"  # hatched, as the admin shows a blank
    # The block's note counts the blank cells the sum left out.
    notes = [str(ws.cell(r, 1).value) for r in range(top, top + 40)]
    counted = [int(m[1]) for n in notes if (m := re.search(r"空白 (\d+) 格", n))]
    assert counted and counted[0] >= rows.count() > 0


def test_findings_sheet_lists_the_open_findings(workbook) -> None:
    ws = workbook["审核问题"]
    open_findings = Finding.objects.filter(
        status__in=OPEN_FINDING_STATUSES, year=YEAR
    ).filter(Q(report__is_current=True) | Q(report__isnull=True))
    listed = [row for row in ws.iter_rows(min_row=2, values_only=True) if row[0]]
    assert len(listed) == open_findings.count() > 0
    assert {(r[0], r[5]) for r in listed} == set(
        open_findings.values_list("agency__name", "rule")
    )


def test_submissions_list_the_demo_missing_agencies(workbook) -> None:
    ws = workbook["报送情况"]
    outcome = {
        row[0]: row[6] for row in ws.iter_rows(min_row=2, values_only=True) if row[0]
    }
    assert set(outcome) == set(Agency.objects.values_list("name", flat=True))
    assert {name for name, o in outcome.items() if o == "未报送"} == set(MISSING[YEAR])


def test_a_withdrawn_report_is_left_out_and_its_agency_has_not_reported(
    demo, superuser
) -> None:
    report = (
        AnnualReport.objects.filter(is_current=True, report_year__year=YEAR)
        .exclude(agency__name__in=MISSING[YEAR])
        .order_by("pk")
        .first()
    )
    report_withdraw(report=report, user=superuser, reason="报错了机关")
    buffer = io.BytesIO()
    build_summary(SummaryScope(year=YEAR), buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    live = Q(
        report__is_current=True,
        report__withdrawn=False,
        report__report_year__year=YEAR,
    )
    for table in schema.TABLE_KEYS:
        ws = book[f"{schema.TABLE_LABELS[table]}汇总"]
        assert _check_block(ws, _block_top(ws, "合计"), table, live) > 0
    readme = "\n".join(
        str(c.value) for row in book["说明"].iter_rows() for c in row if c.value
    )
    count = AnnualReport.objects.filter(is_current=True, report_year__year=YEAR).count()
    assert f"{count - 1} 份" in readme
    outcome = {
        row[0]: row[6]
        for row in book["报送情况"].iter_rows(min_row=2, values_only=True)
        if row[0]
    }
    assert outcome[report.agency.name] == "未报送"
    listed = {
        row[0] for row in book["汇总"].iter_rows(min_row=2, values_only=True) if row[0]
    }
    assert report.agency.name not in listed
    assert len(listed) >= count - 1  # the other reports are listed


def test_text_beginning_with_equals_stays_text(demo) -> None:
    report = AnnualReport.objects.filter(report_year__year=YEAR).first()
    Agency.objects.filter(pk=report.agency_id).update(name='=HYPERLINK("x")')
    Finding.objects.create(
        rule="TEST",
        severity="warning",
        message="=1+1 不是公式",
        evidence="@SUM(A1) +x -y",
        report=report,
        agency_id=report.agency_id,
        year=YEAR,
        fingerprint="test-formula",
    )
    buffer = io.BytesIO()
    build_summary(SummaryScope(year=YEAR), buffer)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    for sheet in ("汇总", "审核问题", "报送情况"):
        cells = [c for row in workbook[sheet].iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"], sheet
    values = {c.value for row in workbook["审核问题"].iter_rows() for c in row}
    assert "=1+1 不是公式" in values and "@SUM(A1) +x -y" in values
    names = {c.value for row in workbook["汇总"].iter_rows() for c in row}
    assert '=HYPERLINK("x")' in names


def test_year_on_year_compares_with_last_year(workbook) -> None:
    ws = workbook["同比"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    label = schema.cell_label("table3", "new_received", "total")
    (total_row,) = [r for r in rows if r[0] == "合计" and r[1] == label]

    def orm(year: int) -> int:
        return Table3Row.objects.filter(
            report__is_current=True,
            report__report_year__year=year,
            row_key="new_received",
        ).aggregate(s=Sum("total"))["s"]

    assert total_row[2] == orm(YEAR) and total_row[3] == orm(YEAR - 1)
    assert total_row[4] == orm(YEAR) - orm(YEAR - 1)

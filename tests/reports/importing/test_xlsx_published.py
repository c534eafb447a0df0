"""Excel workbooks as agencies publish them import through the common mapping.

The workbooks are built here with openpyxl from what a report holds (a corpus truth file,
or position markers over `reports.schema` labels), laid out as agencies lay them out: one
sheet with title, narrative and the three tables under merged header cells, or one sheet
per table plus a narrative sheet, in any order. Every cell read must equal what was written.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from reports import schema
from reports.core.parsed import ParsedReport
from reports.importing.errors import ImportRefused
from reports.importing.extract.xlsx import number_text
from reports.importing.normalize import nfkc
from tests.reports.importing.conftest import same, value

Values = dict[str, Any]  # "table.row.column" -> value as the truth JSON writes it
NULL = object()  # a cell printed "/" or "-" (not applicable), not blank

TRUTHS = (
    "generated/report_full.pdf.truth.json",
    "real/hzq2023_working.pdf.truth.json",
)
NARRATIVE = "本年度，我局认真贯彻落实《中华人民共和国政府信息公开条例》。"


# --- what a report holds ------------------------------------------------------------------


def _truth(corpus: Path, name: str) -> dict[str, Any]:
    path = corpus / name
    if not path.is_file():
        pytest.skip(f"truth file {path} is absent")
    return json.loads(path.read_text("utf-8"))


def _truth_values(truth: dict[str, Any]) -> Values:
    return {
        f"{table}.{row}.{column}": cell
        for table in schema.TABLE_KEYS
        for row, cells in truth.get(table, {}).items()
        for column, cell in cells.items()
    }


def _markers(layout: str) -> Values:
    """Distinct values for every cell of a layout (table 三 row r, column c: r·10+c)."""
    tables = schema.tables_for(layout)
    out: Values = {}
    marker = 101
    for row in tables["table2"].rows:
        for column in row.columns:
            out[f"table2.{row.key}.{column.key}"] = (
                f"{marker}.5" if column.kind is schema.Kind.MONEY else marker
            )
            marker += 1
    for r, row in enumerate(tables["table3"].rows, start=1):
        for c, column in enumerate(row.columns, start=1):
            out[f"table3.{row.key}.{column.key}"] = r * 10 + c
    for b, row in enumerate(tables["table4"].rows):
        for c, column in enumerate(row.columns):
            out[f"table4.{row.key}.{column.key}"] = 501 + b * 5 + c
    return out


# --- the workbook -------------------------------------------------------------------------

_FORMATS = ("General", "#,##0", "0", "0_ ")


class _Sheet:
    """Writes rows top-down into one worksheet; `put` merges a cell over a range."""

    def __init__(self, ws: Any, *, as_text: bool) -> None:
        self.ws = ws
        self.row = 1
        self.as_text = as_text
        self.written = 0

    def put(self, r: int, c: int, text: object, r1: int = 0, c1: int = 0) -> None:
        self.ws.cell(row=r, column=c, value=text)
        if (r1 and r1 != r) or (c1 and c1 != c):
            self.ws.merge_cells(
                start_row=r, start_column=c, end_row=r1 or r, end_column=c1 or c
            )

    def line(self, text: str, width: int = 10) -> None:
        self.put(self.row, 1, text, c1=width)
        self.row += 1

    def number(self, r: int, c: int, meant: object, money: bool) -> None:
        """A value as an agency types it: a number under a format, or text."""
        cell = self.ws.cell(row=r, column=c)
        self.written += 1
        if meant is None:
            cell.value = None
        elif meant is NULL:
            cell.value = ("/", "-", "—")[self.written % 3]
        elif self.as_text:
            cell.value = f"{Decimal(str(meant)):.2f}" if money else f"{int(meant):,}"
        elif money:
            cell.value = float(Decimal(str(meant)))
            cell.number_format = "0.00"
        else:
            cell.value = int(meant)
            cell.number_format = _FORMATS[self.written % len(_FORMATS)]


def _table2(s: _Sheet, layout: str, values: Values) -> None:
    blocks: list[tuple[str, list[schema.Row]]] = []
    for row in schema.tables_for(layout)["table2"].rows:
        if f"table2.{row.key}.{row.columns[0].key}" not in values:
            continue
        if not blocks or blocks[-1][0] != row.caption:
            blocks.append((row.caption, []))
        blocks[-1][1].append(row)
    spans = {1: [(4, 10)], 2: [(4, 6), (7, 10)], 3: [(4, 5), (6, 7), (8, 10)]}
    for caption, rows in blocks:
        s.line(caption)
        columns = rows[0].columns
        s.put(s.row, 1, "信息内容", c1=3)
        for (c0, c1), column in zip(spans[len(columns)], columns, strict=True):
            s.put(s.row, c0, column.label, c1=c1)
        s.row += 1
        for row in rows:
            s.put(s.row, 1, row.label, c1=3)
            for (c0, c1), column in zip(
                spans[len(row.columns)], row.columns, strict=True
            ):
                s.number(
                    s.row,
                    c0,
                    values[f"table2.{row.key}.{column.key}"],
                    column.kind is schema.Kind.MONEY,
                )
                if c1 > c0:
                    s.ws.merge_cells(
                        start_row=s.row, start_column=c0, end_row=s.row, end_column=c1
                    )
            s.row += 1


def _table3(s: _Sheet, layout: str, values: Values) -> None:
    one_row = "table3.other_processing.total" in values
    rows = [
        r
        for r in schema.tables_for(layout, one_row_other=one_row)["table3"].rows
        if f"table3.{r.key}.total" in values
    ]
    top = s.row
    s.put(
        top,
        1,
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        top + 2,
        3,
    )
    s.put(top, 4, schema.APPLICANTS_GROUP, c1=10)
    s.put(top + 1, 4, schema.TABLE3_COLUMNS[0].label, top + 2)
    s.put(top + 1, 5, schema.LEGAL_PERSONS_GROUP, c1=9)
    s.put(top + 1, 10, schema.TABLE3_COLUMNS[-1].label, top + 2)
    for j, column in enumerate(schema.TABLE3_COLUMNS[1:6]):
        s.put(top + 2, 5 + j, column.label)
    first = top + 3
    grouped = [i for i, row in enumerate(rows) if row.group]
    s.put(first + grouped[0], 1, schema.RESULTS_GROUP, first + grouped[-1])
    for group in {r.group for r in rows} - {"", schema.RESULTS_GROUP}:
        inner = [i for i, row in enumerate(rows) if row.group == group]
        s.put(first + inner[0], 2, group, first + inner[-1])
    for i, row in enumerate(rows):
        r = first + i
        if not row.group:
            s.put(r, 1, row.label, c1=3)
        elif row.group == schema.RESULTS_GROUP:
            s.put(r, 2, row.label, c1=3)
        else:
            s.put(r, 3, row.label)
        for j, column in enumerate(row.columns):
            s.number(r, 4 + j, values[f"table3.{row.key}.{column.key}"], False)
    s.row = first + len(rows)


def _table4(s: _Sheet, values: Values) -> None:
    top = s.row
    s.put(top, 1, schema.REVIEW_GROUP, c1=5)
    s.put(top, 6, schema.LITIGATION_GROUP, c1=15)
    s.put(top + 1, 6, schema.TABLE4.rows[1].label, c1=10)
    s.put(top + 1, 11, schema.TABLE4.rows[2].label, c1=15)
    for j, column in enumerate(schema.TABLE4_COLUMNS):
        s.put(top + 1, 1 + j, column.label, top + 2)
        s.put(top + 2, 6 + j, column.label)
        s.put(top + 2, 11 + j, column.label)
    for b, row in enumerate(schema.TABLE4.rows):
        for j, column in enumerate(row.columns):
            s.number(
                top + 3, 1 + b * 5 + j, values[f"table4.{row.key}.{column.key}"], False
            )
    s.row = top + 4


def _title(s: _Sheet, agency: str, year: int) -> None:
    s.line(agency)
    s.line(f"{year}年政府信息公开工作年度报告")


def one_sheet(
    agency: str, year: int, layout: str, values: Values, *, as_text: bool = False
) -> bytes:
    """Title, narrative and the three tables on one sheet, as many agencies publish."""
    workbook = Workbook()
    s = _Sheet(workbook.active, as_text=as_text)
    s.ws.title = "年报"
    _title(s, agency, year)
    for heading, body in (("overview", NARRATIVE), ("table2", "")):
        s.line(schema.SECTION_HEADINGS[heading])
        if body:
            s.line(body)
    _table2(s, layout, values)
    s.line(schema.SECTION_HEADINGS["table3"])
    _table3(s, layout, values)
    s.line(schema.SECTION_HEADINGS["table4"], 15)
    _table4(s, values)
    s.line(schema.SECTION_HEADINGS["problems"])
    s.line("公开内容的深度有待提升。")
    s.line(schema.SECTION_HEADINGS["other_matters"])
    s.line("本机关未收取信息处理费。")
    return _save(workbook)


def sheet_per_table(
    agency: str,
    year: int,
    layout: str,
    values: Values,
    *,
    names: tuple[str, str, str, str] = ("正文", "表二", "表三", "表四"),
    order: tuple[int, ...] = (0, 1, 2, 3),
    as_text: bool = False,
) -> bytes:
    """A narrative sheet and one sheet per table (no section heading on them)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets = {i: workbook.create_sheet(names[i]) for i in order}
    text = _Sheet(sheets[0], as_text=as_text)
    _title(text, agency, year)
    text.line(schema.SECTION_HEADINGS["overview"])
    text.line(NARRATIVE)
    for key in ("table2", "table3", "table4"):
        text.line(schema.SECTION_HEADINGS[key])
        # Words under a table's heading on the narrative sheet are not that table's rows.
        text.line("本年度制发规章0件，详见附表。" if key == "table2" else "详见附表。")
    text.line(schema.SECTION_HEADINGS["problems"])
    text.line("公开内容的深度有待提升。")
    text.line(schema.SECTION_HEADINGS["other_matters"])
    text.line("本机关未收取信息处理费。")
    t2 = _Sheet(sheets[1], as_text=as_text)
    _table2(t2, layout, values)
    t3 = _Sheet(sheets[2], as_text=as_text)
    t3.line("表三 收到和处理政府信息公开申请情况")
    _table3(t3, layout, values)
    _table4(_Sheet(sheets[3], as_text=as_text), values)
    return _save(workbook)


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _parse(data: bytes, name: str = "年报.xlsx") -> ParsedReport:
    from reports.importing.pipeline import parse_bytes

    return parse_bytes(data, name)


def _check(report: ParsedReport, values: Values) -> None:
    """Every cell equals what was written; nothing more, nothing uncertain."""
    wrong = []
    for path, meant in values.items():
        table, row, column = path.split(".")
        try:
            got = value(report, table, row, column)
        except KeyError:
            wrong.append(f"{path}: missing")
            continue
        expected = None if meant is NULL else meant
        if not same(got, expected):
            wrong.append(f"{path}: {got!r} != {expected!r}")
    assert not wrong, wrong[:10]
    assert report.uncertain_paths() == []
    for table in schema.TABLE_KEYS:
        written = {p.split(".")[1] for p in values if p.startswith(table + ".")}
        assert set(report.tables[table]) == written, table


# --- corpus truth -------------------------------------------------------------------------


@pytest.mark.parametrize("name", TRUTHS)
@pytest.mark.parametrize("as_text", [False, True], ids=["numbers", "text"])
def test_one_sheet_workbook_reads_back_the_truth(
    corpus: Path, name: str, as_text: bool
) -> None:
    truth = _truth(corpus, name)
    values = _truth_values(truth)
    data = one_sheet(
        truth["agency"], truth["year"], truth["format"], values, as_text=as_text
    )
    report = _parse(data)
    assert (report.agency, report.year, report.format) == (
        truth["agency"],
        truth["year"],
        truth["format"],
    )
    _check(report, values)
    assert report.sections["overview"] == nfkc(NARRATIVE)  # as every source
    assert report.source.kind == "xlsx"


@pytest.mark.parametrize("name", TRUTHS)
@pytest.mark.parametrize(
    ("names", "order"),
    [
        (("正文", "表二", "表三", "表四"), (0, 1, 2, 3)),
        (("报告正文", "主动公开", "依申请公开", "复议诉讼"), (3, 1, 0, 2)),
        (("Sheet1", "Sheet2", "Sheet3", "Sheet4"), (2, 3, 1, 0)),
    ],
)
def test_sheet_per_table_workbook_reads_back_the_truth_in_any_sheet_order(
    corpus: Path, name: str, names: tuple[str, str, str, str], order: tuple[int, ...]
) -> None:
    truth = _truth(corpus, name)
    values = _truth_values(truth)
    data = sheet_per_table(
        truth["agency"],
        truth["year"],
        truth["format"],
        values,
        names=names,
        order=order,
    )
    report = _parse(data)
    assert (report.agency, report.year, report.format) == (
        truth["agency"],
        truth["year"],
        truth["format"],
    )
    _check(report, values)
    assert report.sections["problems"] == "公开内容的深度有待提升。"


# --- both layouts from the schema ---------------------------------------------------------


@pytest.mark.parametrize("layout", ["2021", "2019"])
@pytest.mark.parametrize("build", [one_sheet, sheet_per_table])
@pytest.mark.parametrize("as_text", [False, True], ids=["numbers", "text"])
def test_both_layouts_with_blank_and_not_applicable_cells(
    layout: str, build, as_text: bool
) -> None:
    values = _markers(layout)
    year = 2024 if layout == "2021" else 2020
    values["table3.granted.research"] = None  # blank
    values["table3.granted.legal_service"] = NULL  # "/", "-" or "—"
    values["table3.carried_forward.commercial"] = NULL
    values["table4.review.pending"] = None
    values["table3.new_received.total"] = 1046  # "1,046" under #,##0 or as text
    if layout == "2019":
        values["table2.licensing.change"] = -3  # signed
    report = _parse(build("示例县卫生健康局", year, layout, values, as_text=as_text))
    assert report.format == layout and report.year == year
    _check(report, values)
    blank = report.cell("table3", "granted", "research")
    assert blank is not None and blank.value is None and blank.raw == ""
    na = report.cell("table3", "granted", "legal_service")
    assert na is not None and na.value is None and na.raw in ("/", "-", "—")


def test_report_of_2021_printed_in_the_2019_layout_is_read_as_printed() -> None:
    values = _markers("2019")
    report = _parse(one_sheet("示例县卫生健康局", 2021, "2019", values))
    assert report.year == 2021 and report.format == "2019"
    _check(report, values)
    assert any(w.code == "layout_year_mismatch" for w in report.warnings)


def test_cells_name_their_sheet_and_coordinate() -> None:
    values = _markers("2021")
    report = _parse(sheet_per_table("示例县卫生健康局", 2024, "2021", values))
    cell = report.cell("table3", "new_received", "natural_person")
    assert cell is not None and cell.page is None
    assert cell.note == "表三!D5"  # title row, three header rows, then the first row
    fees = report.cell("table2", "fees", "amount")
    assert fees is not None and re.fullmatch(r"表二![A-Z]+\d+", fees.note)


def test_money_is_the_decimal_printed_never_float_noise() -> None:
    values = _markers("2021")
    values["table2.fees.amount"] = "12.5"
    workbook_bytes = one_sheet("示例县卫生健康局", 2024, "2021", values)
    noisy = _replace_cell(workbook_bytes, "12.5", 12.499999999999998)
    report = _parse(noisy)
    fees = report.cell("table2", "fees", "amount")
    assert fees is not None and fees.value == Decimal("12.50") and fees.raw == "12.50"
    assert not fees.uncertain


def _replace_cell(data: bytes, old: object, new: object) -> bytes:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value == float(Decimal(str(old))):
                    cell.value = new
    return _save(workbook)


# --- formulas, errors and hidden digits ---------------------------------------------------


def _with_formula(cached: str | None) -> tuple[bytes, str]:
    """A one-sheet report whose table 三 （七）总计·总计 cell is a formula."""
    values = _markers("2021")
    data = one_sheet("示例县卫生健康局", 2024, "2021", values)
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    ws = workbook.active
    target = next(
        cell
        for row in ws.iter_rows()
        for cell in row
        if cell.value == values["table3.total_processed.total"]
    )
    where = f"{get_column_letter(target.column)}{target.row}"
    target.value = f"=SUM(D{target.row}:I{target.row})"
    data = _save(workbook)
    if cached is None:
        return data, where
    # openpyxl writes no cached value; add one as Excel would have saved it.
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w") as target_zip,
    ):
        for item in source.infolist():
            body = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                body = re.sub(
                    rf'(<c r="{where}"[^>]*>\s*<f>[^<]*</f>)\s*(<v\s*/>|<v></v>)?'.encode(),
                    rb"\1<v>" + cached.encode() + rb"</v>",
                    body,
                )
            target_zip.writestr(item, body)
    return out.getvalue(), where


def test_formula_with_a_saved_value_uses_that_value() -> None:
    data, _ = _with_formula("237")
    report = _parse(data)
    cell = report.cell("table3", "total_processed", "total")
    assert cell is not None and cell.value == 237 and not cell.uncertain
    assert "table3.total_processed.total" not in report.uncertain_paths()


def test_formula_without_a_saved_value_is_uncertain_never_zero() -> None:
    data, where = _with_formula(None)
    report = _parse(data)
    cell = report.cell("table3", "total_processed", "total")
    assert cell is not None and cell.value is None and cell.uncertain
    assert "table3.total_processed.total" in report.uncertain
    warning = next(w for w in report.warnings if w.code == "cell_unreadable")
    assert warning.where == "table3.total_processed.total"
    # Identities skip the unknown cell instead of counting it as blank.
    assert not any(
        w.code == "T3-results" and "total_processed.total" in w.where
        for w in report.warnings
    )
    assert f"年报!{where}" in warning.message and "公式" in warning.message
    # The other cells are read as usual.
    assert value(report, "table3", "total_processed", "natural_person") == 241


def test_error_value_and_hidden_digits_are_uncertain() -> None:
    values = _markers("2021")
    from openpyxl import load_workbook

    workbook = load_workbook(
        io.BytesIO(one_sheet("示例县卫生健康局", 2024, "2021", values))
    )
    ws = workbook.active
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == values["table3.granted.total"]:
                cell.value = "#DIV/0!"
            elif cell.value == values["table3.carried_over.total"]:
                cell.value, cell.number_format = 27.4, "0"  # shown "27"
    report = _parse(_save(workbook))
    for path in ("table3.granted.total", "table3.carried_over.total"):
        assert path in report.uncertain, path
        assert any(w.where == path for w in report.warnings)
    assert report.cell("table3", "granted", "total").value is None
    assert value(report, "table3", "granted", "natural_person") == 31


@pytest.mark.parametrize(
    ("number", "number_format", "shown"),
    [
        (12.5, "0.00", "12.50"),
        (12.499999999999998, "0.00", "12.50"),
        (12.499999999999998, "General", "12.5"),
        (1046, "#,##0", "1,046"),
        (7730.28, "#,##0.00;[Red]-#,##0.00", "7,730.28"),
        (21, '0"件"', "21件"),
        (-3, "0;[Red]0", "-3"),
        (5.0, "0", "5"),
        (12.5, "¥#,##0.00", "12.50"),
        (0.30000000000000004, "General", "0.3"),
    ],
)
def test_numbers_are_read_as_displayed(
    number: float, number_format: str, shown: str
) -> None:
    assert number_text(number, number_format) == (shown, "")


# --- refusals and limits ------------------------------------------------------------------


def test_workbook_without_a_report_is_refused_in_chinese() -> None:
    workbook = Workbook()
    workbook.active["A1"] = "2024年部门预算表"
    workbook.active["A2"] = "项目"
    workbook.active["B2"] = 1200
    with pytest.raises(ImportRefused) as info:
        _parse(_save(workbook), "预算.xlsx")
    assert info.value.code == "not_annual_report"
    assert "年度报告" in info.value.message


def test_published_workbook_that_unpacks_too_far_is_refused() -> None:
    from reports.importing.pipeline import parse_bytes

    data = one_sheet("示例县卫生健康局", 2024, "2021", _markers("2021"))
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/media/padding.bin", b"\0" * (65 * 1048576))
    with pytest.raises(ImportRefused) as info:
        parse_bytes(buffer.getvalue(), "炸弹.xlsx", max_bytes=2 * 1048576)
    assert info.value.code == "file_too_large"


def test_hidden_sheets_are_not_read() -> None:
    values = _markers("2021")
    from openpyxl import load_workbook

    workbook = load_workbook(
        io.BytesIO(sheet_per_table("示例县卫生健康局", 2024, "2021", values))
    )
    stale = workbook.copy_worksheet(workbook["表三"])
    stale.sheet_state = "hidden"
    stale["D5"] = 999
    report = _parse(_save(workbook))
    _check(report, values)
    assert any("隐藏" in w.message for w in report.warnings)


def test_cells_far_outside_a_report_are_cut_off_with_a_warning() -> None:
    from openpyxl import load_workbook

    values = _markers("2021")
    workbook = load_workbook(
        io.BytesIO(one_sheet("示例县卫生健康局", 2024, "2021", values))
    )
    workbook.active.cell(row=1048576, column=16384, value="x")
    report = _parse(_save(workbook))
    _check(report, values)
    assert any("超出部分未读取" in w.message for w in report.warnings)


def test_the_exported_summary_workbook_is_not_a_report() -> None:
    values = _markers("2021")
    from openpyxl import load_workbook

    workbook = load_workbook(
        io.BytesIO(sheet_per_table("示例县卫生健康局", 2024, "2021", values))
    )
    workbook["表二"].title, workbook["表三"].title = "汇总", "表三汇总"
    with pytest.raises(ImportRefused) as info:
        _parse(_save(workbook), "年报汇总表_2024年度.xlsx")
    assert info.value.code == "not_annual_report" and "汇总表" in info.value.message

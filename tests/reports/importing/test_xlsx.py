"""A filled Excel template imports through the same pipeline and preview as any document."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from reports import schema
from reports import template_layout as layouts
from reports.exporting import template_xlsx as tpl
from reports.importing.errors import ImportRefused
from reports.importing.intake.sources import read_bytes
from reports.importing.pipeline import detect_kind, parse_bytes
from reports.models import AnnualReport, Table2Row, Table3Row
from tests.factories import make_agency

IMPORT_URL = reverse("admin:reports_annualreport_import")
AGENCY = "模板县卫生健康局"


def _filled(year: int = 2024, **changes: object) -> tuple[bytes, dict[str, object]]:
    """A template filled in as a person would, with openpyxl: every table cell gets a
    distinct consistent-looking value; `changes` sets cells by "表三!D12" coordinates."""
    layout = schema.layout_for_year(year).value
    spec = layouts.template_layout(layout)
    workbook = load_workbook(io.BytesIO(tpl.build_template(year)))
    info = workbook[layouts.INFO_SHEET]
    info[f"B{spec.info_row('agency')}"] = AGENCY
    info[f"B{spec.info_row('overview')}"] = (
        "=本年度公开工作总体平稳"  # text, not a formula
    )
    info[f"B{spec.info_row('overview')}"].data_type = "s"
    written: dict[str, object] = {}
    for sheet in spec.sheets:
        ws = workbook[sheet.name]
        for n, (path, coordinate) in enumerate(sheet.inputs.items(), start=1):
            kind = layouts.column_kind(layout, path)
            value: object = n
            if kind is schema.Kind.MONEY:
                value = 1234.56 + n
            ws[coordinate] = value
            written[path] = value
    t3 = spec.sheets[1]
    workbook["表三"][t3.inputs["table3.granted.research"]] = "/"
    written["table3.granted.research"] = None
    workbook["表三"][t3.inputs["table3.granted.legal_service"]] = None
    written["table3.granted.legal_service"] = ""
    for where, value in changes.items():
        sheet_name, coordinate = where.split("!")
        if value is KeyError:
            del workbook[sheet_name]
        else:
            workbook[sheet_name][coordinate] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), written


def _check_values(report, written: dict[str, object]) -> None:
    for path, value in written.items():
        table, row, column = path.split(".")
        cell = report.cell(table, row, column)
        assert cell is not None, path
        if value is None:
            assert cell.value is None and cell.raw == "/", path
        elif value == "":
            assert cell.value is None and cell.raw == "", path
        elif isinstance(value, float):
            assert cell.value == Decimal(repr(value)), path
        else:
            assert cell.value == value, path


def _coordinate(path: str, layout: str = "2021") -> str:
    for sheet in layouts.template_layout(layout).sheets:
        if path in sheet.inputs:
            return f"{sheet.name}!{sheet.inputs[path]}"
    raise KeyError(path)


# --- the pipeline, no database ------------------------------------------------------------


@pytest.mark.parametrize("year", [2024, 2020])
def test_filled_template_reads_back_exactly(year: int) -> None:
    data, written = _filled(year)
    assert detect_kind(data, "随便起的名字.bin") == "xlsx"  # by content, not by name
    report = parse_bytes(data, "模板.xlsx")
    assert report.agency == AGENCY and report.year == year
    assert report.format == schema.layout_for_year(year).value
    _check_values(report, written)
    assert report.sections["overview"] == "=本年度公开工作总体平稳"
    note = report.cell("table3", "new_received", "natural_person").note
    assert re.fullmatch(r"表三![A-Z]+\d+", note)
    # Values as written are kept, identities are checked like any other document's.
    assert any(w.code == "T3-balance" for w in report.warnings)


def test_text_formula_and_missing_sheet_are_refused_naming_the_cells() -> None:
    text_at = _coordinate("table3.granted.total")
    formula_at = _coordinate("table2.penalty.decisions")
    data, _ = _filled(
        **{text_at: "12件", formula_at: "=SUM(B1:B3)", "表四!A1": KeyError}
    )
    with pytest.raises(ImportRefused) as info:
        parse_bytes(data, "坏模板.xlsx")
    message = info.value.message
    assert info.value.code == "invalid_interchange"
    assert text_at in message and "12件" in message
    assert formula_at in message and "公式" in message
    assert "缺少工作表“表四”" in message
    assert "未导入任何内容" in message


def test_negative_count_and_fraction_are_refused() -> None:
    minus = _coordinate("table3.new_received.total")
    half = _coordinate("table3.carried_over.total")
    data, _ = _filled(**{minus: -3, half: 2.5})
    with pytest.raises(ImportRefused) as info:
        parse_bytes(data, "x.xlsx")
    assert minus in info.value.message and half in info.value.message


def test_moved_label_is_refused() -> None:
    data, _ = _filled(**{"表三!A6": "（一）予以公开"})  # a label where 上年结转 was
    with pytest.raises(ImportRefused) as info:
        parse_bytes(data, "x.xlsx")
    assert "表三!A6" in info.value.message and "模板结构已改动" in info.value.message


def test_workbook_that_is_not_the_template_is_unsupported() -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "自己做的表"
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ImportRefused) as info:
        parse_bytes(buffer.getvalue(), "自制.xlsx")
    # Read as a published workbook (test_xlsx_published.py), it holds no report.
    assert info.value.code == "not_annual_report"
    assert "填报模板" in info.value.message


def test_macros_are_ignored_and_said() -> None:
    data, written = _filled()
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/vbaProject.bin", b'Attribute VB_Name = "Module1"')
    report = parse_bytes(buffer.getvalue(), "带宏.xlsm")
    _check_values(report, written)
    assert any("宏" in w.message for w in report.warnings)


def test_template_that_unpacks_too_far_is_refused_as_a_zip_bomb() -> None:
    data, _ = _filled()
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


def test_several_templates_in_a_zip_are_documents_of_a_batch() -> None:
    first, _ = _filled()
    second, _ = _filled(2020)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("甲.xlsx", first)
        archive.writestr("乙.xlsx", second)
    documents = read_bytes(buffer.getvalue(), "模板.zip", max_bytes=20 * 1048576)
    assert [d.ok for d in documents] == [True, True]
    assert sorted(d.reports[0].year for d in documents) == [2020, 2024]


# --- the admin and the command ------------------------------------------------------------


@pytest.fixture
def staging_root(settings, tmp_path: Path) -> Path:
    settings.IMPORT_STAGING_ROOT = tmp_path / "staging"
    return tmp_path


def _upload(client, name: str, data: bytes) -> str:
    response = client.post(IMPORT_URL, {"files": [SimpleUploadedFile(name, data)]})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


@pytest.mark.django_db
def test_admin_preview_then_confirm_saves_what_the_template_holds(
    admin_client_logged_in, staging_root
) -> None:
    agency = make_agency(AGENCY)
    data, written = _filled()
    preview_url = _upload(admin_client_logged_in, "填好的模板.xlsx", data)
    page = admin_client_logged_in.get(preview_url).content.decode()
    assert AGENCY in page and "无法读取" not in page
    assert AnnualReport.objects.count() == 0  # nothing saved before confirmation
    response = admin_client_logged_in.post(
        preview_url,
        {
            "_confirm": "确认导入",
            "r0-0-include": "on",
            "r0-0-year": "2024",
            "r0-0-agency_action": "existing",
            "r0-0-agency": str(agency.pk),
        },
    )
    assert response.status_code == 302
    report = AnnualReport.objects.get(agency=agency, is_current=True)
    assert report.source_kind == "xlsx"
    row = Table3Row.objects.get(report=report, row_key="new_received")
    assert row.natural_person == written["table3.new_received.natural_person"]
    granted = Table3Row.objects.get(report=report, row_key="granted")
    assert granted.research is None and granted.raw["research"] == "/"
    assert granted.legal_service is None and granted.raw["legal_service"] == ""
    fees = Table2Row.objects.get(report=report, row_key="fees")
    assert fees.amount == Decimal(repr(written["table2.fees.amount"]))
    assert report.overview == "=本年度公开工作总体平稳"


@pytest.mark.django_db
def test_admin_preview_names_the_bad_cells_and_saves_nothing(
    admin_client_logged_in, staging_root
) -> None:
    make_agency(AGENCY)
    text_at = _coordinate("table3.granted.total")
    formula_at = _coordinate("table4.review.total")
    data, _ = _filled(**{text_at: "约10件", formula_at: "=A1+1"})
    preview_url = _upload(admin_client_logged_in, "有问题的模板.xlsx", data)
    page = admin_client_logged_in.get(preview_url).content.decode()
    assert "无法读取" in page
    assert text_at in page and formula_at in page
    assert AnnualReport.objects.count() == 0


@pytest.mark.django_db
def test_import_reports_command_reads_the_template(tmp_path: Path) -> None:
    agency = make_agency(AGENCY)
    data, written = _filled()
    path = tmp_path / "模板.xlsx"
    path.write_bytes(data)
    call_command(
        "import_reports", str(path), stdout=io.StringIO(), stderr=io.StringIO()
    )
    report = AnnualReport.objects.get(agency=agency, is_current=True)
    for path_, value in written.items():
        table, row_key, column = path_.split(".")
        if table != "table3" or not isinstance(value, int):
            continue
        row = Table3Row.objects.get(report=report, row_key=row_key)
        assert getattr(row, column) == value, path_


@pytest.mark.django_db
def test_import_reports_command_refuses_a_bad_template(tmp_path: Path) -> None:
    make_agency(AGENCY)
    data, _ = _filled(**{"表三!D6": "=1+1"})
    path = tmp_path / "坏.xlsx"
    path.write_bytes(data)
    err = io.StringIO()
    with pytest.raises(CommandError):  # manage.py exits 1
        call_command("import_reports", str(path), stdout=io.StringIO(), stderr=err)
    assert "表三!D6" in err.getvalue() and "公式" in err.getvalue()
    assert AnnualReport.objects.count() == 0

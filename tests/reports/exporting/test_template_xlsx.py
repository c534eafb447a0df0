"""The Excel fill-in template: downloaded from the admin, laid out like the paper form."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from reports import schema
from reports import template_layout as layouts
from reports.exporting import template_xlsx as tpl
from reports.exporting import xlsx_style as xs
from tests.factories import cell, full_tables, make_agency, make_report

pytestmark = pytest.mark.django_db
TEMPLATE_URL = reverse("admin:reports_annualreport_template")


def _download(client, **params) -> object:
    response = client.get(TEMPLATE_URL, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _span_ref(p: xs.Placed) -> str:
    return (
        f"{get_column_letter(p.col)}{p.row}:{get_column_letter(p.last_col)}{p.last_row}"
    )


def test_download_page_opens_in_chinese(admin_client_logged_in) -> None:
    response = admin_client_logged_in.get(TEMPLATE_URL)
    assert response.status_code == 200
    assert "下载填报模板" in response.content.decode()


def test_changelist_offers_template_and_figures_buttons(admin_client_logged_in) -> None:
    page = admin_client_logged_in.get(
        reverse("admin:reports_annualreport_changelist")
    ).content.decode()
    assert "下载填报模板" in page
    assert "导入主要数字" in page and "导出主要数字" in page
    assert "导入年报" in page  # the document import keeps its button


@pytest.mark.parametrize("year", [2024, 2020])
def test_template_sheets_and_merged_headers_match_the_grids(
    admin_client_logged_in, year: int
) -> None:
    workbook = _download(admin_client_logged_in, year=year)
    assert workbook.sheetnames == [
        "说明",
        "基本信息",
        "表二",
        "表三",
        "表四",
        "模板信息",
    ]
    assert workbook["模板信息"].sheet_state == "veryHidden"
    layout = schema.layout_for_year(year).value
    spec = layouts.template_layout(layout)
    for sheet in spec.sheets:
        ws = workbook[sheet.name]
        merged = {str(r) for r in ws.merged_cells.ranges}
        in_grid = {
            r
            for r in merged
            if layouts.GRID_TOP
            <= int("".join(filter(str.isdigit, r.split(":")[0])))
            <= sheet.bottom
        }
        expected = {
            _span_ref(p)
            for p in sheet.placed
            if p.cell.rowspan > 1 or p.cell.colspan > 1
        }
        assert in_grid == expected, sheet.name
        for coordinate, text in sheet.labels.items():
            assert ws[coordinate].value == text, (sheet.name, coordinate)
    # The two-level header of table 三: 申请人情况 over 法人或其他组织 over its five kinds.
    ws = workbook["表三"]
    assert ws["D3"].value == schema.APPLICANTS_GROUP
    assert ws["E4"].value == schema.LEGAL_PERSONS_GROUP
    assert [ws.cell(5, c).value for c in range(5, 10)] == [
        c.label for c in schema.TABLE3_COLUMNS[1:6]
    ]


def test_labels_are_locked_inputs_unlocked_and_validated(
    admin_client_logged_in,
) -> None:
    workbook = _download(admin_client_logged_in, year=2024)
    spec = layouts.template_layout("2021")
    for sheet in spec.sheets:
        ws = workbook[sheet.name]
        assert ws.protection.sheet, sheet.name
        for coordinate in sheet.labels:
            assert ws[coordinate].protection.locked, (sheet.name, coordinate)
        covered: dict[str, str] = {}
        for rule in ws.data_validations.dataValidation:
            assert rule.type == "custom"
            for cell_range in rule.sqref.ranges:
                for row in cell_range.cells:
                    covered[f"{get_column_letter(row[1])}{row[0]}"] = rule.formula1
        for path, coordinate in sheet.inputs.items():
            assert not ws[coordinate].protection.locked, (sheet.name, coordinate)
            assert coordinate in covered, (sheet.name, coordinate)
            kind = layouts.column_kind("2021", path)
            formula = covered[coordinate]
            assert '="/"' in formula  # "/" (not applicable) is always allowed
            if kind is schema.Kind.MONEY:
                assert "INT(" not in formula and ">=0" in formula
            else:
                assert "INT(" in formula and ">=0" in formula
    assert workbook.security.lockStructure


def test_2019_change_column_admits_negative_numbers() -> None:
    data = tpl.build_template(2020)
    ws = load_workbook(io.BytesIO(data))["表二"]
    spec = layouts.template_layout("2019")
    change = spec.sheets[0].inputs["table2.licensing.change"]
    rules = [
        r
        for r in ws.data_validations.dataValidation
        if change in str(r.sqref).split()
        or any(
            change in {f"{get_column_letter(c[1])}{c[0]}" for c in rng.cells}
            for rng in r.sqref.ranges
        )
    ]
    assert rules and ">=0" not in rules[0].formula1


def test_template_prefilled_for_an_agency_shows_its_report(
    admin_client_logged_in,
) -> None:
    agency = make_agency("预填县卫生健康局")
    tables = full_tables("2021", fill=0)
    tables["table3"]["new_received"]["natural_person"] = cell(17)
    tables["table3"]["granted"]["research"] = cell(None, "/")
    tables["table3"]["granted"]["commercial"] = cell(None, "")
    tables["table2"]["fees"]["amount"] = cell(Decimal("12.5"))
    make_report(agency, year=2024, tables=tables)
    workbook = _download(admin_client_logged_in, year=2024, agency=agency.pk)
    spec = layouts.template_layout("2021")
    info = workbook["基本信息"]
    assert info[f"B{spec.info_row('agency')}"].value == "预填县卫生健康局"
    t2, t3, _ = spec.sheets
    ws = workbook["表三"]
    assert ws[t3.inputs["table3.new_received.natural_person"]].value == 17
    assert ws[t3.inputs["table3.granted.research"]].value == "/"
    assert ws[t3.inputs["table3.granted.commercial"]].value is None  # blank, not 0
    assert workbook["表二"][t2.inputs["table2.fees.amount"]].value == 12.5

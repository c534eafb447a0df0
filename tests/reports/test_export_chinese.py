"""The import-export screens and files in Chinese: headers, sheet and file names, numbers as
numbers and blanks blank, through the admin's real export page."""

from __future__ import annotations

import datetime as dt
import io
import re
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from agencies.models import Agency
from reports.exporting.summary.selectors import KEY_FIGURES
from tests.factories import cell, full_tables, make_agency, make_region, make_report

pytestmark = pytest.mark.django_db
FIGURES = [
    "agency",
    "region_code",
    "region_name",
    "year",
    "layout",
    "status",
    "publication_date",
    *(f"figure_{f.table}_{f.row}_{f.column}" for f in KEY_FIGURES),
]
AGENCY_FIELDS = [
    "region",
    "name",
    "kind",
    "sector",
    "credit_code",
    "active_from",
    "active_until",
    "aliases",
]


def _export(client, url: str, prefix: str, names: list[str], fmt: str = "1"):
    data = {"format": fmt, "resource": "0"}
    data.update({f"{prefix}_{n}": "on" for n in names})
    response = client.post(url, data)
    assert response.status_code == 200
    return response


def _filename(response) -> str:
    header = response["Content-Disposition"]
    match = re.search(r"filename\*=utf-8''(.+)$", header)
    assert match, header
    return unquote(match[1])


def _visible_text(page: str) -> str:
    page = re.sub(r"<script.*?</script>|<style.*?</style>", "", page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def report():
    city = make_region(name="甲市", code="441900")
    agency = make_agency("乙县卫生健康局", region=city)
    tables = full_tables("2021", fill=7)
    tables["table3"]["new_received"]["total"] = cell(None, "")  # blank
    tables["table3"]["carried_over"]["total"] = cell(None, "/")  # not applicable
    return make_report(agency, year=2024, tables=tables)


def test_report_figures_file_is_named_by_year_with_numbers_as_numbers(
    admin_client_logged_in, report
):
    url = reverse("admin:reports_annualreport_export")
    response = _export(admin_client_logged_in, url, "reportfiguresresource", FIGURES)
    assert _filename(response) == "年报主要数字-2024.xlsx"
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["年报主要数字"]
    head, row = list(book.active.iter_rows(values_only=True))
    assert head[:4] == ("机关", "区划代码", "区划", "年度")
    assert head[7:] == tuple(f.label for f in KEY_FIGURES)
    values = dict(zip(head, row, strict=True))
    assert values["区划代码"] == "441900"  # a code stays text
    assert values["年度"] == 2024
    assert values["发布日期"] is None  # no date: an empty cell, not "None"
    assert values["表三「本年新收」·总计"] is None  # blank stays blank, not 0
    assert values["表三「上年结转」·总计"] == "/"
    assert values["表三「（一）予以公开」·总计"] == 7
    assert "None" not in row


def test_a_publication_date_is_a_date_cell(admin_client_logged_in, report):
    report.publication_date = dt.date(2025, 1, 20)
    report.save(update_fields=["publication_date"])
    url = reverse("admin:reports_annualreport_export")
    response = _export(admin_client_logged_in, url, "reportfiguresresource", FIGURES)
    head, row = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert row[head.index("发布日期")].date() == dt.date(2025, 1, 20)


def test_registry_files_have_chinese_names_and_blank_cells(
    admin_client_logged_in, report
):
    url = reverse("admin:agencies_agency_export")
    xlsx = _export(admin_client_logged_in, url, "agencyresource", AGENCY_FIELDS)
    assert re.fullmatch(r"机关名录-\d{4}-\d{2}-\d{2}\.xlsx", _filename(xlsx))
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["机关名录"]
    rows = list(book.active.values)
    assert "None" not in rows[1] and rows[1][5] is None  # 起始年度 not set
    csv = _export(admin_client_logged_in, url, "agencyresource", AGENCY_FIELDS, "0")
    assert _filename(csv).endswith(".csv") and "None" not in csv.content.decode()
    regions = _export(
        admin_client_logged_in,
        reverse("admin:agencies_region_export"),
        "regionresource",
        ["code", "name", "level", "parent"],
    )
    assert _filename(regions).startswith("行政区划-")
    assert load_workbook(io.BytesIO(regions.content)).sheetnames == ["行政区划"]


def test_a_formula_in_text_is_made_inert_and_numbers_are_untouched(
    admin_client_logged_in, report
):
    Agency.objects.filter(pk=report.agency_id).update(name='=HYPERLINK("x","点我")')
    url = reverse("admin:reports_annualreport_export")
    response = _export(admin_client_logged_in, url, "reportfiguresresource", FIGURES)
    ws = load_workbook(io.BytesIO(response.content)).active
    assert not [c.coordinate for r in ws.iter_rows() for c in r if c.data_type == "f"]
    assert ws["A2"].value == 'HYPERLINK("x","点我")' and ws["D2"].value == 2024


def test_the_export_page_lists_columns_by_their_chinese_headers(
    admin_client_logged_in, report
):
    url = reverse("admin:reports_annualreport_export")
    text = _visible_text(admin_client_logged_in.get(url).content.decode())
    assert "表三「本年新收」·总计" in text and "全选" in text
    for english in ("Figure Table", "Select all", "Region Code", "Model name"):
        assert english not in text, english

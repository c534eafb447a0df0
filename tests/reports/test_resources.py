"""CSV/Excel through django-import-export: the registry and report figures, by natural keys."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.formats.base_formats import CSV, XLSX
from openpyxl import load_workbook

from agencies.models import Agency, AgencyAlias, Region
from agencies.resources import AgencyResource, RegionResource
from reports.exporting.summary.selectors import KEY_FIGURES
from reports.models import AnnualReport, Table3Row
from reports.resources import ReportFiguresResource
from tests.factories import full_tables, make_agency, make_region, make_report

pytestmark = pytest.mark.django_db
AGENCY_IMPORT = reverse("admin:agencies_agency_import")
PROCESS_IMPORT = reverse("admin:agencies_agency_process_import")
ALIASES = "别名（以“；”分隔）"


def _registry() -> tuple[Region, Agency]:
    city = make_region(name="甲市", code="441900")
    county = make_region(name="乙县", code="441901", parent=city, level="county")
    agency = make_agency(
        "乙县卫生健康局", region=county, aliases=("甲市乙县卫生健康局",)
    )
    make_agency("乙县人民政府", region=county, kind=Agency.Kind.GOVERNMENT)
    return county, agency


def _csv(dataset: tablib.Dataset) -> bytes:
    return CSV().export_data(dataset).encode("utf-8")


def _import_preview(client, data: bytes, name: str = "机关.csv") -> str:
    response = client.post(
        AGENCY_IMPORT,
        {"import_file": SimpleUploadedFile(name, data), "format": "0"},
    )
    assert response.status_code == 200
    return response.content.decode()


def _confirm(client, page: str):
    fields = dict(
        re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page)
    )
    assert "import_file_name" in fields, page[:3000]
    fields.pop("csrfmiddlewaretoken", None)
    return client.post(PROCESS_IMPORT, fields)


def test_registry_exports_natural_keys_not_ids() -> None:
    _registry()
    regions = RegionResource().export()
    assert regions.headers == ["区划代码", "名称", "层级", "上级区划代码"]
    assert ["441901", "乙县", "县", "441900"] in [list(r) for r in regions]
    agencies = AgencyResource().export()
    assert agencies.headers[:2] == ["区划代码", "机关名称"]
    row = dict(
        zip(
            agencies.headers,
            next(r for r in agencies if r[1] == "乙县卫生健康局"),
            strict=True,
        )
    )
    assert row["区划代码"] == "441901" and row["机关类别"] == "政府工作部门"
    assert row[ALIASES] == "甲市乙县卫生健康局"
    assert "id" not in agencies.headers


def test_agency_round_trip_dry_run_then_confirm(admin_client_logged_in) -> None:
    county, agency = _registry()
    dataset = AgencyResource().export()
    # Edit the exported file as a person would: a new alias, a new agency.
    rows = [list(r) for r in dataset]
    for r in rows:
        if r[1] == "乙县卫生健康局":
            r[-1] = "甲市乙县卫生健康局；乙县卫健局"
    rows.append(
        ["441901", "乙县自然资源局", "政府工作部门", "自然资源", "", "", "", ""]
    )
    edited = tablib.Dataset(*rows, headers=dataset.headers)
    page = _import_preview(admin_client_logged_in, _csv(edited))
    # The dry run shows what would change and writes nothing.
    assert "乙县自然资源局" in page
    assert not Agency.objects.filter(name="乙县自然资源局").exists()
    assert not AgencyAlias.objects.filter(name="乙县卫健局").exists()
    response = _confirm(admin_client_logged_in, page)
    assert response.status_code == 302
    created = Agency.objects.get(name="乙县自然资源局")
    assert created.region == county and created.sector == "自然资源"
    assert set(agency.aliases.values_list("name", flat=True)) == {
        "甲市乙县卫生健康局",
        "乙县卫健局",
    }
    # Exported again and imported, nothing changes: every row is skipped.
    again = AgencyResource().import_data(AgencyResource().export(), dry_run=True)
    assert not again.has_errors()
    assert {r.import_type for r in again.rows} == {"skip"}


def test_rows_with_unknown_region_or_kind_show_errors_and_nothing_is_saved(
    admin_client_logged_in,
) -> None:
    _registry()
    headers = AgencyResource().export().headers
    good = ["441901", "乙县文旅局", "政府工作部门", "", "", "", "", ""]
    for bad, message in (
        (
            ["999999", "不存在县教育局", "政府工作部门", "", "", "", "", ""],
            "区划代码 999999 不存在",
        ),
        (
            ["441901", "乙县教育局", "教育部门", "", "", "", "", ""],
            "机关类别“教育部门”不在可选范围内",
        ),
    ):
        dataset = tablib.Dataset(good, bad, headers=headers)
        page = _import_preview(admin_client_logged_in, _csv(dataset))
        assert message in page
        assert 'name="import_file_name"' not in page  # no confirmation with errors
    assert not Agency.objects.filter(name__in=["乙县教育局", "乙县文旅局"]).exists()


def test_region_import_by_code_with_parent_in_the_same_file() -> None:
    dataset = tablib.Dataset(
        ["450000", "丙省", "省", ""],
        ["450100", "丁市", "市", "450000"],
        headers=["区划代码", "名称", "层级", "上级区划代码"],
    )
    result = RegionResource().import_data(dataset, dry_run=False)
    assert not result.has_errors(), [r.errors for r in result.rows]
    child = Region.objects.get(code="450100")
    assert child.parent.code == "450000" and child.path == "/450000/450100/"


def test_export_escapes_formulae(admin_client_logged_in) -> None:
    county, _ = _registry()
    make_agency('=HYPERLINK("http://evil","点我")', region=county)
    data = XLSX().export_data(AgencyResource().export())
    ws = load_workbook(io.BytesIO(data)).active
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [c.value for c in cells if str(c.value or "").startswith("=")]
    # And through the admin's export page.
    response = admin_client_logged_in.post(
        reverse("admin:agencies_agency_export"),
        {
            "format": "1",
            "resource": "0",
            **{
                f"agencyresource_{f}": "on"
                for f in (
                    "region",
                    "name",
                    "kind",
                    "sector",
                    "credit_code",
                    "active_from",
                    "active_until",
                    "aliases",
                )
            },
        },
    )
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]


# --- report figures ---------------------------------------------------------------------------


def _figures_report() -> AnnualReport:
    agency = make_agency(
        "戊县卫生健康局", region=make_region(name="戊县", code="442001")
    )
    tables = full_tables("2021", fill=1)
    return make_report(agency, year=2024, tables=tables)


def test_figures_export_one_row_per_report_with_natural_keys() -> None:
    report = _figures_report()
    dataset = ReportFiguresResource().export(AnnualReport.objects.all())
    assert dataset.headers[:4] == ["机关", "区划代码", "区划", "年度"]
    assert [f.label for f in KEY_FIGURES] == dataset.headers[7:]
    (row,) = list(dataset)
    assert row[0] == report.agency.name and row[1] == "442001" and row[3] == "2024"
    assert row[7:] == tuple(
        Decimal(1) if f.column == "amount" else 1 for f in KEY_FIGURES
    )


def test_figures_import_dry_run_then_save_through_the_cell_service() -> None:
    report = _figures_report()
    resource = ReportFiguresResource()
    dataset = resource.export(AnnualReport.objects.all())
    headers = dataset.headers
    row = list(dataset[0])
    row[headers.index(KEY_FIGURES[4].label)] = 25  # 表三 本年新收 总计
    row[headers.index(KEY_FIGURES[5].label)] = "/"  # 上年结转 总计: not applicable
    edited = tablib.Dataset(row, headers=headers)
    preview = ReportFiguresResource().import_data(edited, dry_run=True)
    assert not preview.has_errors() and not preview.has_validation_errors()
    assert preview.rows[0].import_type == "update"
    assert Table3Row.objects.get(report=report, row_key="new_received").total == 1
    result = ReportFiguresResource().import_data(edited, dry_run=False)
    assert not result.has_errors()
    assert Table3Row.objects.get(report=report, row_key="new_received").total == 25
    carried = Table3Row.objects.get(report=report, row_key="carried_over")
    assert carried.total is None and carried.raw["total"] == "/"


def test_figures_import_reports_row_errors() -> None:
    _figures_report()
    resource = ReportFiguresResource()
    dataset = resource.export(AnnualReport.objects.all())
    headers = dataset.headers
    bad_value = list(dataset[0])
    bad_value[headers.index(KEY_FIGURES[4].label)] = "十二"
    unknown = list(dataset[0])
    unknown[0] = "不存在的机关"
    result = ReportFiguresResource().import_data(
        tablib.Dataset(bad_value, unknown, headers=headers), dry_run=True
    )
    messages = " ".join(
        str(e.error) for row in result.rows for e in row.errors
    ) + " ".join(
        str(row.validation_error) for row in result.rows if row.validation_error
    )
    assert "不是整数" in messages
    assert "没有 2024 年度的年报" in messages


def test_figures_export_through_the_admin(admin_client_logged_in) -> None:
    report = _figures_report()
    url = reverse("admin:reports_annualreport_export")
    assert admin_client_logged_in.get(url).status_code == 200
    names = [
        "agency",
        "region_code",
        "region_name",
        "year",
        "layout",
        "status",
        "publication_date",
        *(f"figure_{f.table}_{f.row}_{f.column}" for f in KEY_FIGURES),
    ]
    response = admin_client_logged_in.post(
        url,
        {
            "format": "1",
            "resource": "0",
            **{f"reportfiguresresource_{n}": "on" for n in names},
        },
    )
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:2] == ("机关", "区划代码")
    assert rows[1][0] == report.agency.name and len(rows) == 2

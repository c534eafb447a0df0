"""The admin page 导入年报: upload, preview, confirm or discard, through real admin requests."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from agencies.models import Agency
from reports.core.parsed import ParsedReport
from reports.importing.intake import staging
from reports.importing.intake.sources import read_bytes
from reports.importing.interchange import to_interchange
from reports.models import AnnualReport
from tests.factories import full_tables, make_agency, make_region

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:reports_annualreport_import")
CHANGELIST_URL = reverse("admin:reports_annualreport_changelist")
HZQ_2023 = "real/hzq2023_working.pdf"
SCANNED = "generated/report_scanned.pdf"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path: Path) -> Path:
    """Staging goes to a throwaway folder, never to var/import-staging."""
    settings.IMPORT_STAGING_ROOT = tmp_path / "staging"
    return tmp_path


def _staging(media_root: Path) -> Path:
    return media_root / "staging"


def _preview_url(token: str) -> str:
    return reverse("admin:reports_annualreport_import_preview", args=[token])


def _upload(client: Client, *files: tuple[str, bytes]) -> str:
    """Upload files; returns the token of the preview the upload redirects to."""
    uploads = [SimpleUploadedFile(name, data) for name, data in files]
    response = client.post(IMPORT_URL, {"files": uploads})
    assert response.status_code == 302, response.content.decode()[:2000]
    match = re.search(r"/import/([A-Za-z0-9_-]+)/$", response["Location"])
    assert match, response["Location"]
    return match.group(1)


def _preview(client: Client, token: str) -> str:
    response = client.get(_preview_url(token))
    assert response.status_code == 200
    return response.content.decode()


def _choice(key: str = "0-0", **fields: object) -> dict[str, object]:
    """The POST fields of one report's choice form (prefix r<doc>-<report>)."""
    data: dict[str, object] = {"include": "on", "agency_action": "existing"}
    data.update(fields)
    return {
        f"r{key}-{name}": value for name, value in data.items() if value is not None
    }


def _confirm(client: Client, token: str, *choices: dict[str, object], follow=True):
    data: dict[str, object] = {"_confirm": "确认导入"}
    for choice in choices:
        data.update(choice)
    return client.post(_preview_url(token), data, follow=follow)


def _json_report(
    agency: str = "测试县卫生健康局", year: int = 2024, new_received: int = 3
) -> bytes:
    """A consistent interchange JSON report: every cell 0 but the new applications."""
    tables = full_tables("2021")
    for column in ("natural_person", "total"):
        for row in ("new_received", "granted", "total_processed"):
            tables["table3"][row][column].value = new_received
            tables["table3"][row][column].raw = str(new_received)
    parsed = ParsedReport(agency=agency, year=year, format="2021", tables=tables)
    parsed.title = f"{agency}{year}年政府信息公开工作年度报告"
    return json.dumps(to_interchange(parsed), ensure_ascii=False).encode()


def _cell_html(page: str, path: str) -> str:
    """The <td> of one read-only grid cell, by its cell path."""
    match = re.search(
        rf'<td class="[^"]*" data-path="{re.escape(path)}".*?</td>', page, re.S
    )
    assert match, path
    return match.group(0)


# --- access -------------------------------------------------------------------------------


def test_changelist_offers_the_import_button(admin_client_logged_in):
    page = admin_client_logged_in.get(CHANGELIST_URL).content.decode()
    assert f'href="{IMPORT_URL}"' in page and "导入年报" in page


def test_upload_form_opens_in_chinese(admin_client_logged_in):
    page = admin_client_logged_in.get(IMPORT_URL).content.decode()
    assert (
        "上传并预览" in page
        and "multiple" in page
        and 'enctype="multipart/form-data"' in page
    )
    assert "导入年报" in page and CHANGELIST_URL in page  # breadcrumbs


def test_user_without_add_permission_gets_403(django_user_model):
    user = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_annualreport"))
    client = Client()
    client.force_login(user)
    assert client.get(CHANGELIST_URL).status_code == 200
    assert "导入年报" not in client.get(CHANGELIST_URL).content.decode()
    assert client.get(IMPORT_URL).status_code == 403
    upload = SimpleUploadedFile("r.json", _json_report())
    assert client.post(IMPORT_URL, {"files": [upload]}).status_code == 403


def test_another_user_cannot_open_or_discard_someone_elses_batch(
    admin_client_logged_in, django_user_model, media_root
):
    token = _upload(admin_client_logged_in, ("r.json", _json_report()))
    other = django_user_model.objects.create_superuser("other", "o@example.com", "x")
    client = Client()
    client.force_login(other)
    assert client.get(_preview_url(token)).status_code == 403
    discard = reverse("admin:reports_annualreport_import_discard", args=[token])
    assert client.post(discard).status_code == 403
    assert _confirm(client, token, _choice(), follow=False).status_code == 403
    assert (_staging(media_root) / token).is_dir()
    assert client.get(_preview_url("not-a-real-token-at-all")).status_code == 404


# --- a real report, end to end ------------------------------------------------------------


def test_real_pdf_previews_and_confirm_saves_the_parsed_cells(
    admin_client_logged_in, corpus_dir, media_root
):
    agency = make_agency("洪泽区人民政府", kind=Agency.Kind.GOVERNMENT)
    data = (corpus_dir / HZQ_2023).read_bytes()
    before = AnnualReport.objects.count()

    token = _upload(admin_client_logged_in, ("hzq2023_working.pdf", data))
    page = _preview(admin_client_logged_in, token)

    assert AnnualReport.objects.count() == before  # nothing written before confirming
    assert "hzq2023_working.pdf" in page
    assert "✔ 已有：洪泽区人民政府" in page
    assert 'value="2023"' in page and "2021版" in page
    assert "确认后" in page and "新建年报" in page
    # The grid shows the values as printed, with page and raw text on hover.
    new_received = _cell_html(page, "table3.new_received.natural_person")
    assert ">21<" in new_received and "cell-number" in new_received
    assert 'title="数值；原文：“21”；第 3 页"' in new_received
    assert ">550<" in _cell_html(page, "table2.licensing.decisions")
    # Failing identities are listed and their cells highlighted; other warnings listed.
    assert "勾稽关系不符 2 处" in page
    assert "结果维持、结果纠正、其他结果、尚未审结之和为 11" in page
    assert "identity-fail" in _cell_html(page, "table4.review.total")
    assert "<td>表四「行政复议」·总计</td><td>第 4 页</td>" in page
    assert "<td>表三「（六）其他处理」</td>" in page and "other_one_row" in page
    assert "warned" in _cell_html(page, "table3.other_processing.total")
    assert (_staging(media_root) / token).is_dir()

    response = _confirm(
        admin_client_logged_in, token, _choice(year=2023, agency=agency.pk)
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == CHANGELIST_URL
    text = response.content.decode()
    assert "导入完成：新建年报 1 份：" in text and "新版本" not in text
    assert "审核发现要在审核运行后才列在年报页面" in text
    assert AnnualReport.objects.count() == before + 1
    assert not (_staging(media_root) / token).exists()

    report = AnnualReport.objects.get(agency=agency, report_year__year=2023)
    assert reverse("admin:reports_annualreport_change", args=[report.pk]) in text
    parsed = read_bytes(data, "hzq2023_working.pdf", max_bytes=10**8)[0].reports[0]
    assert report.source_sha256 == parsed.source.sha256
    assert report.source_name == "hzq2023_working.pdf" and report.source_kind == "pdf"
    assert report.raw_text == parsed.raw_text
    assert report.layout == "2021" and report.created_by.username == "reviewer"
    assert {w["code"] for w in report.import_warnings} >= {"T4-total", "other_one_row"}
    rows = {
        "table2": {r.row_key: r for r in report.table2_rows.all()},
        "table3": {r.row_key: r for r in report.table3_rows.all()},
        "table4": {r.row_key: r for r in report.table4_rows.all()},
    }
    checked = 0
    for table, table_rows in parsed.tables.items():
        assert set(rows[table]) == set(table_rows), table
        for row_key, cells in table_rows.items():
            row = rows[table][row_key]
            for column, cell in cells.items():
                assert row.value(column) == cell.value, (table, row_key, column)
                assert row.raw[column] == cell.raw
                assert row.provenance[column]["page"] == cell.page
                checked += 1
    assert checked > 150
    entry = LogEntry.objects.get(object_id=str(report.pk))
    assert (
        entry.action_flag == ADDITION and "hzq2023_working.pdf" in entry.change_message
    )


def test_discard_writes_nothing_and_removes_staging(admin_client_logged_in, media_root):
    make_agency("测试县卫生健康局")
    token = _upload(admin_client_logged_in, ("r.json", _json_report()))
    assert (_staging(media_root) / token).is_dir()
    discard = reverse("admin:reports_annualreport_import_discard", args=[token])
    response = admin_client_logged_in.post(discard, follow=True)
    assert response.redirect_chain[-1][0] == CHANGELIST_URL
    assert "已放弃本次导入，没有保存任何内容" in response.content.decode()
    assert not (_staging(media_root) / token).exists()
    assert AnnualReport.objects.count() == 0 and LogEntry.objects.count() == 0
    assert admin_client_logged_in.get(_preview_url(token)).status_code == 404


def test_same_file_again_previews_as_skipped(admin_client_logged_in):
    agency = make_agency("测试县卫生健康局")
    data = _json_report()
    token = _upload(admin_client_logged_in, ("r.json", data))
    _confirm(admin_client_logged_in, token, _choice(year=2024, agency=agency.pk))
    assert AnnualReport.objects.count() == 1

    again = _upload(admin_client_logged_in, ("r.json", data))
    page = _preview(admin_client_logged_in, again)
    assert "跳过（同一文件已导入）" in page and "查看现行的第 1 版" in page
    response = _confirm(
        admin_client_logged_in, again, _choice(year=2024, agency=agency.pk)
    )
    assert "跳过 1 份（同一文件已导入）" in response.content.decode()
    assert AnnualReport.objects.count() == 1


def test_changed_document_previews_as_a_new_revision(admin_client_logged_in):
    agency = make_agency("测试县卫生健康局")
    token = _upload(admin_client_logged_in, ("r.json", _json_report(new_received=3)))
    _confirm(admin_client_logged_in, token, _choice(year=2024, agency=agency.pk))

    changed = _upload(admin_client_logged_in, ("r.json", _json_report(new_received=4)))
    page = _preview(admin_client_logged_in, changed)
    assert "新版本（第 2 版；现行第 1 版保留为旧版本）" in page
    assert AnnualReport.objects.count() == 1
    response = _confirm(
        admin_client_logged_in, changed, _choice(year=2024, agency=agency.pk)
    )
    assert "新版本 1 份" in response.content.decode()
    current = AnnualReport.objects.get(is_current=True)
    assert current.revision == 2
    assert current.table3_rows.get(row_key="new_received").total == 4
    assert AnnualReport.objects.filter(is_current=False, revision=1).count() == 1


def test_year_can_be_corrected_before_confirming(admin_client_logged_in):
    agency = make_agency("测试县卫生健康局")
    token = _upload(admin_client_logged_in, ("r.json", _json_report(year=2024)))
    _confirm(admin_client_logged_in, token, _choice(year=2023, agency=agency.pk))
    assert AnnualReport.objects.get().report_year.year == 2023


# --- refusals -----------------------------------------------------------------------------


def test_scanned_pdf_shows_no_text_layer_and_cannot_be_confirmed(
    admin_client_logged_in, corpus_dir, media_root
):
    data = (corpus_dir / SCANNED).read_bytes()
    token = _upload(admin_client_logged_in, ("report_scanned.pdf", data))
    page = _preview(admin_client_logged_in, token)
    assert "no_text_layer" in page and "没有文字层" in page
    assert "此文件不能导入" in page
    assert 'name="_confirm"' not in page
    response = _confirm(admin_client_logged_in, token, _choice(year=2024))
    assert "这批文件中没有可以导入的年报" in response.content.decode()
    assert AnnualReport.objects.count() == 0
    assert (_staging(media_root) / token).is_dir()


def test_text_that_is_not_a_report_is_refused(admin_client_logged_in):
    minutes = (
        "会议纪要\n\n一、会议听取了工作汇报。\n二、会议研究了下一步安排。\n".encode()
    )
    token = _upload(admin_client_logged_in, ("minutes.txt", minutes))
    page = _preview(admin_client_logged_in, token)
    assert "not_annual_report" in page and "不是政府信息公开工作年度报告" in page
    assert 'name="_confirm"' not in page
    # Nothing to confirm: the page does not ask for 确认导入.
    assert "所有文件都无法读取" in page and "然后点击页面底部的“确认导入”" not in page


def test_oversized_upload_is_refused_before_parsing(admin_client_logged_in, settings):
    settings.IMPORT_MAX_BYTES = 1000
    token = _upload(admin_client_logged_in, ("big.json", _json_report()))
    page = _preview(admin_client_logged_in, token)
    assert "file_too_large" in page and "文件过大" in page
    assert "超过导入上限" in page and "未读取" in page
    assert 'name="_confirm"' not in page


def test_zip_with_two_documents_previews_both(admin_client_logged_in):
    make_agency("测试县卫生健康局")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.json", _json_report(year=2023))
        archive.writestr("b.json", _json_report(agency="某某县教育局", year=2024))
    token = _upload(admin_client_logged_in, ("batch.zip", buffer.getvalue()))
    page = _preview(admin_client_logged_in, token)
    assert "batch.zip/a.json" in page and "batch.zip/b.json" in page
    assert "✔ 已有：测试县卫生健康局" in page
    assert "名录中没有“某某县教育局”" in page
    assert page.count('class="import-report"') == 2


def test_several_files_in_one_upload_keep_their_order(admin_client_logged_in):
    token = _upload(
        admin_client_logged_in,
        ("first.json", _json_report()),
        ("second.txt", "不是年报".encode()),
    )
    page = _preview(admin_client_logged_in, token)
    assert page.index("文件 1：first.json") < page.index("文件 2：second.txt")


# --- unknown agencies ---------------------------------------------------------------------


def test_unknown_agency_can_be_saved_for_an_existing_agency(admin_client_logged_in):
    chosen = make_agency("测试县教育局")
    token = _upload(
        admin_client_logged_in, ("r.json", _json_report(agency="新设机关甲"))
    )
    page = _preview(admin_client_logged_in, token)
    assert "名录中没有“新设机关甲”" in page and "待填写新建机关的所属区划" in page

    missing = _confirm(admin_client_logged_in, token, _choice(year=2024))
    assert "请选择机关，或改为在名录中新建机关" in missing.content.decode()
    assert AnnualReport.objects.count() == 0

    _confirm(admin_client_logged_in, token, _choice(year=2024, agency=chosen.pk))
    assert AnnualReport.objects.get().agency == chosen


def test_unknown_agency_can_be_created(admin_client_logged_in):
    region = make_region(name="新设县")
    token = _upload(
        admin_client_logged_in, ("r.json", _json_report(agency="新设县人民政府"))
    )
    page = _preview(admin_client_logged_in, token)
    assert 'value="新设县人民政府"' in page  # the create form is prefilled
    assert 'value="government" selected' in page

    incomplete = _confirm(
        admin_client_logged_in,
        token,
        _choice(year=2024, agency_action="create", new_name="新设县人民政府"),
    )
    assert "新建机关时必填" in incomplete.content.decode()
    assert not Agency.objects.filter(name="新设县人民政府").exists()

    response = _confirm(
        admin_client_logged_in,
        token,
        _choice(
            year=2024,
            agency_action="create",
            new_name="新设县人民政府",
            new_region=region.pk,
            new_kind="government",
        ),
    )
    assert "新建年报 1 份" in response.content.decode()
    agency = Agency.objects.get(name="新设县人民政府")
    assert agency.region == region and agency.kind == "government"
    assert AnnualReport.objects.get().agency == agency
    flags = set(LogEntry.objects.values_list("content_type__model", "action_flag"))
    assert flags == {("agency", ADDITION), ("annualreport", ADDITION)}


def test_similar_names_are_suggested(admin_client_logged_in):
    make_agency("淮安市洪泽区人民政府")
    token = _upload(
        admin_client_logged_in, ("r.json", _json_report(agency="洪泽区人民政府"))
    )
    page = _preview(admin_client_logged_in, token)
    assert "名称相近：淮安市洪泽区人民政府" in page


def test_refresh_shows_the_outcome_for_the_chosen_agency(admin_client_logged_in):
    agency = make_agency("测试县教育局")
    token = _upload(
        admin_client_logged_in, ("r.json", _json_report(agency="新设机关甲"))
    )
    data = {"_refresh": "更新预览", **_choice(year=2024, agency=agency.pk)}
    page = admin_client_logged_in.post(_preview_url(token), data).content.decode()
    assert "新建年报" in page and AnnualReport.objects.count() == 0


# --- safety -------------------------------------------------------------------------------


HOSTILE_HTML = """<!DOCTYPE html><html><head><title>某某县人民政府2023年政府信息公开工作年度报告</title>
<script>alert('head')</script></head><body>
<h1>某某县人民政府2023年政府信息公开工作年度报告</h1>
<p>一、总体情况</p><p>本年度 &lt;script&gt;alert('xss')&lt;/script&gt; 继续推进。</p>
<p>二、主动公开政府信息情况</p>
<table border="1">
<tr><td colspan="4">第二十条第（一）项</td></tr>
<tr><th>信息内容</th><th>本年制发件数</th><th>本年废止件数</th><th>现行有效件数</th></tr>
<tr><td>规章</td><td>1</td><td>/</td><td>4</td></tr>
</table>
<p>五、存在的主要问题及改进情况</p><p>有待加强。</p>
<p>六、其他需要报告的事项</p><p>无。</p>
</body></html>"""


def test_document_text_is_escaped(admin_client_logged_in):
    token = _upload(admin_client_logged_in, ("hostile.html", HOSTILE_HTML.encode()))
    page = _preview(admin_client_logged_in, token)
    assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in page
    assert "<script>alert('xss')" not in page and "alert('head')" not in page


def test_stale_batches_are_purged_on_the_next_upload(
    admin_client_logged_in, media_root
):
    root = _staging(media_root)
    old = staging.batch_write(
        root, [], user_id=1, now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=25)
    )
    recent = staging.batch_write(root, [], user_id=1)
    _upload(admin_client_logged_in, ("r.json", _json_report()))
    assert not (root / old).exists() and (root / recent).is_dir()


def test_blank_na_zero_missing_and_uncertain_cells_look_different(
    admin_client_logged_in,
):
    make_agency("测试县卫生健康局")
    tables = full_tables("2021")
    tables["table3"]["granted"]["commercial"].raw = ""
    tables["table3"]["granted"]["commercial"].value = None
    tables["table3"]["granted"]["research"].raw = "/"
    tables["table3"]["granted"]["research"].value = None
    tables["table3"]["granted"]["natural_person"].page = 3
    del tables["table3"]["carried_forward"]
    parsed = ParsedReport(
        agency="测试县卫生健康局", year=2024, format="2021", tables=tables
    )
    parsed.uncertain = ["table3.granted.total"]
    data = json.dumps(to_interchange(parsed), ensure_ascii=False).encode()
    page = _preview(
        admin_client_logged_in, _upload(admin_client_logged_in, ("r.json", data))
    )
    zero = _cell_html(page, "table3.granted.natural_person")
    assert "cell-zero" in zero and "第 3 页" in zero
    assert "cell-blank" in _cell_html(page, "table3.granted.commercial")
    na = _cell_html(page, "table3.granted.research")
    assert "cell-na" in na and "原文：“/”" in na
    missing = _cell_html(page, "table3.carried_forward.total")
    assert "cell-missing" in missing and ">缺<" in missing
    uncertain = _cell_html(page, "table3.granted.total")
    assert 'class="input uncertain"' in uncertain and "存疑，需核对" in uncertain
    assert "存疑单元格 1 个" in page


@pytest.mark.postgres
def test_a_document_that_fails_to_save_leaves_nothing_and_others_are_saved(
    admin_client_logged_in,
):
    # PostgreSQL refuses a title longer than the column (SQLite does not check lengths):
    # a real database error, raised half-way through saving that one report.
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite does not enforce varchar lengths")
    agency = make_agency("测试县卫生健康局")
    region = make_region(name="新设县")
    broken = json.loads(_json_report(agency="新设县人民政府"))
    broken["title"] = "很长的标题" * 100
    token = _upload(
        admin_client_logged_in,
        ("broken.json", json.dumps(broken, ensure_ascii=False).encode()),
        ("good.json", _json_report()),
    )
    response = _confirm(
        admin_client_logged_in,
        token,
        _choice(
            "0-0",
            year=2024,
            agency_action="create",
            new_name="新设县人民政府",
            new_region=region.pk,
            new_kind="government",
        ),
        _choice("1-0", year=2024, agency=agency.pk),
    )
    text = response.content.decode()
    assert "“broken.json”未能保存" in text and "新建年报 1 份" in text
    assert list(AnnualReport.objects.values_list("agency__name", flat=True)) == [
        "测试县卫生健康局"
    ]
    assert not Agency.objects.filter(name="新设县人民政府").exists()

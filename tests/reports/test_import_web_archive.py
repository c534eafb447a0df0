"""A saved web page and a damaged text through the admin import page and import_reports.

The archive keeps its own name, kind and fingerprint as the report's source; a text with
bytes that are not valid text previews with the warning and its damaged cells uncertain.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from reports.models import AnnualReport
from tests.factories import make_agency
from tests.reports.importing import browser_pdf
from tests.reports.importing.web_archives import ie_archive

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:reports_annualreport_import")
AGENCY = "示例县卫生健康局"
GB2312_META = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'


@pytest.fixture(autouse=True)
def staging_root(settings, tmp_path: Path) -> Path:
    settings.IMPORT_STAGING_ROOT = tmp_path / "staging"
    return tmp_path


def _archive() -> bytes:
    truth = browser_pdf.marker_truth("2021", 2024)
    page = browser_pdf.page_html(truth, browser_pdf.STYLES[0])
    page = page.replace('<meta charset="utf-8">', GB2312_META)
    return ie_archive(page.encode("gb18030"))


def _upload(client: Client, name: str, data: bytes) -> tuple[str, str]:
    """Upload one file; its preview URL and page."""
    response = client.post(IMPORT_URL, {"files": [SimpleUploadedFile(name, data)]})
    assert response.status_code == 302, response.content.decode()[:2000]
    url = response["Location"]
    assert re.search(r"/import/[A-Za-z0-9_-]+/$", url)
    page = client.get(url)
    assert page.status_code == 200
    return url, page.content.decode()


def test_web_archive_previews_and_saves_with_its_own_source(admin_client_logged_in):
    agency = make_agency(AGENCY)
    data = _archive()
    url, page = _upload(admin_client_logged_in, "年报.mht", data)
    assert "年报.mht" in page and "网页存档（MHT/MHTML）" in page
    assert f"✔ 已有：{AGENCY}" in page

    response = admin_client_logged_in.post(
        url,
        {
            "_confirm": "确认导入",
            "r0-0-include": "on",
            "r0-0-agency_action": "existing",
            "r0-0-agency": agency.pk,
            "r0-0-year": 2024,
        },
        follow=True,
    )
    assert "导入完成：新建年报 1 份" in response.content.decode()
    report = AnnualReport.objects.get()
    assert report.source_kind == "mhtml" and report.source_name == "年报.mht"
    assert report.source_sha256 == hashlib.sha256(data).hexdigest()
    new = report.table3_rows.get(row_key="new_received")
    assert new.natural_person == 10 and new.raw["natural_person"] == "10"


def test_import_reports_reads_archives_in_a_folder(tmp_path: Path):
    make_agency(AGENCY)
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "2024.mhtml").write_bytes(_archive())
    out = io.StringIO()
    call_command("import_reports", str(folder), stdout=out, stderr=io.StringIO())
    assert "新建" in out.getvalue()
    assert AnnualReport.objects.get().source_kind == "mhtml"


def test_damaged_text_previews_with_the_warning_and_its_row_uncertain(
    admin_client_logged_in,
):
    make_agency(AGENCY)
    truth = browser_pdf.marker_truth("2021", 2024)
    text = browser_pdf.page_html(truth, browser_pdf.STYLES[0])
    data = text.encode("utf-8")
    # "行政许可" with 许's three bytes overwritten by 0xFF, which no encoding reads
    damaged = data.replace("许".encode(), b"\xff\xff\xff", 1)
    assert damaged != data
    _url, page = _upload(admin_client_logged_in, "年报.html", damaged)
    assert "3 个字节不是有效的 UTF-8 文字" in page
    assert "无法识别的字节" in page
    cell = re.search(
        r'<td class="[^"]*" data-path="table2\.licensing\.decisions".*?</td>',
        page,
        re.S,
    )
    assert cell and "uncertain" in cell.group(0)
    other = re.search(
        r'<td class="[^"]*" data-path="table2\.penalty\.decisions".*?</td>', page, re.S
    )
    assert other and "uncertain" not in other.group(0)

"""The import page's mistakes (issue #15, items 4 and 10) through real admin requests:
empty files, no file, images, years the system does not know, accepted years, and the
publication date and source URL a new revision keeps."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from reports.core.parsed import ParsedReport
from reports.importing.interchange import to_interchange
from reports.models import AnnualReport
from tests.factories import full_tables, make_agency

pytestmark = pytest.mark.django_db
IMPORT_URL = reverse("admin:reports_annualreport_import")
AGENCY = "测试县卫生健康局"


@pytest.fixture(autouse=True)
def staging_root(settings, tmp_path: Path) -> None:
    settings.IMPORT_STAGING_ROOT = tmp_path / "staging"


def _report(year: int = 2024, new_received: int = 3, **meta: str) -> bytes:
    tables = full_tables("2021")
    for row in ("new_received", "granted", "total_processed"):
        for column in ("natural_person", "total"):
            tables["table3"][row][column].value = new_received
            tables["table3"][row][column].raw = str(new_received)
    parsed = ParsedReport(agency=AGENCY, year=year, format="2021", tables=tables)
    for key, value in meta.items():
        setattr(parsed, key, value)
    return json.dumps(to_interchange(parsed), ensure_ascii=False).encode()


def _upload(client: Client, *files: tuple[str, bytes]) -> str:
    response = client.post(
        IMPORT_URL, {"files": [SimpleUploadedFile(n, d) for n, d in files]}
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    return re.search(r"/import/([A-Za-z0-9_-]+)/$", response["Location"]).group(1)


def _url(token: str) -> str:
    return reverse("admin:reports_annualreport_import_preview", args=[token])


def _confirm(client: Client, token: str, **fields: object):
    data = {"include": "on", "agency_action": "existing", "year": 2024, **fields}
    post = {f"r0-0-{k}": v for k, v in data.items()}
    return client.post(_url(token), {"_confirm": "确认导入", **post}, follow=True)


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(buffer, "JPEG")
    return buffer.getvalue()


# --- item 10 ----------------------------------------------------------------------------


def test_an_empty_file_is_named_and_the_others_still_preview(admin_client_logged_in):
    make_agency(AGENCY)
    token = _upload(admin_client_logged_in, ("空的.pdf", b""), ("r.json", _report()))
    page = admin_client_logged_in.get(_url(token)).content.decode()
    assert "空文件（empty_file）" in page and "“空的.pdf”是空文件（0 字节）" in page
    assert "可导入年报 1 份" in page and "1 个文件无法读取" in page
    assert 'name="r1-0-year"' in page  # the good file's form is there
    assert page.index("空的.pdf") < page.index("r.json")  # in the order chosen


def test_no_file_chosen_is_a_form_error(admin_client_logged_in):
    response = admin_client_logged_in.post(IMPORT_URL, {"files": ""})
    assert response.status_code == 200
    message = "请选择要上传的年报文件，或把年报全文粘贴到“粘贴文本”框中。"
    assert response.context["form"].non_field_errors() == [message]
    assert f'<p class="errornote">{message}</p>' in response.content.decode()


def test_an_image_is_refused_as_an_unsupported_format(admin_client_logged_in):
    token = _upload(admin_client_logged_in, ("照片.jpg", _jpeg()))
    page = admin_client_logged_in.get(_url(token)).content.decode()
    assert "不支持的文件格式（unsupported_format）" in page
    assert "不是政府信息公开工作年度报告" not in page


def test_a_year_outside_the_known_range_is_refused_with_the_range(
    admin_client_logged_in,
):
    agency = make_agency(AGENCY)
    high = dt.date.today().year
    token = _upload(admin_client_logged_in, ("r.json", _report(year=2099)))
    page = admin_client_logged_in.get(_url(token)).content.decode()
    message = f"年度 2099 不在系统已知的报告年度范围内（2008–{high} 年度）"
    assert message in page  # said in the preview, before confirmation
    response = _confirm(admin_client_logged_in, token, year=2099, agency=agency.pk)
    assert message in response.content.decode()
    response = _confirm(admin_client_logged_in, token, year=1800, agency=agency.pk)
    assert "年度 1800 不在系统已知的报告年度范围内（2008–" in response.content.decode()
    assert AnnualReport.objects.count() == 0


def test_a_year_with_an_accepted_report_says_so_before_confirmation(
    admin_client_logged_in,
):
    agency = make_agency(AGENCY)
    _confirm(
        admin_client_logged_in,
        _upload(admin_client_logged_in, ("r.json", _report())),
        agency=agency.pk,
    )
    AnnualReport.objects.update(status=AnnualReport.Status.ACCEPTED)
    token = _upload(admin_client_logged_in, ("r.json", _report(new_received=4)))
    page = admin_client_logged_in.get(_url(token)).content.decode()
    assert "审核通过的第 1 版在新版次审核通过前继续有效" in page
    assert AnnualReport.objects.count() == 1  # nothing saved by the preview


# --- item 4 -----------------------------------------------------------------------------


def test_a_new_revision_keeps_the_date_and_url_the_file_lacks(admin_client_logged_in):
    agency = make_agency(AGENCY)
    first = _report(publication_date="2025-01-20", source_url="https://gov.example/a")
    _confirm(
        admin_client_logged_in,
        _upload(admin_client_logged_in, ("r.json", first)),
        agency=agency.pk,
    )
    token = _upload(admin_client_logged_in, ("r2.json", _report(new_received=4)))
    page = admin_client_logged_in.get(_url(token)).content.decode()
    assert "文件中没有，沿用现行第 1 版的 2025-01-20" in page
    assert 'value="2025-01-20"' in page and 'value="https://gov.example/a"' in page
    # Confirmed as shown: the new revision keeps both.
    _confirm(
        admin_client_logged_in,
        token,
        agency=agency.pk,
        publication_date="2025-01-20",
        source_url="https://gov.example/a",
    )
    current = AnnualReport.objects.get(is_current=True)
    assert current.revision == 2
    assert current.publication_date == dt.date(2025, 1, 20)
    assert current.source_url == "https://gov.example/a"


def test_left_empty_on_the_preview_they_still_carry_over(admin_client_logged_in):
    """The service keeps them too: an empty field is "not said", never a blank."""
    agency = make_agency(AGENCY)
    first = _report(publication_date="2025-01-20", source_url="https://gov.example/a")
    _confirm(
        admin_client_logged_in,
        _upload(admin_client_logged_in, ("r.json", first)),
        agency=agency.pk,
    )
    token = _upload(admin_client_logged_in, ("r2.json", _report(new_received=4)))
    _confirm(admin_client_logged_in, token, agency=agency.pk)
    current = AnnualReport.objects.get(is_current=True)
    assert current.revision == 2
    assert (current.publication_date, current.source_url) == (
        dt.date(2025, 1, 20),
        "https://gov.example/a",
    )


def test_the_reviewer_sets_date_and_url_on_the_preview(admin_client_logged_in):
    agency = make_agency(AGENCY)
    token = _upload(admin_client_logged_in, ("r.json", _report()))
    page = admin_client_logged_in.get(_url(token)).content.decode()
    assert 'name="r0-0-publication_date"' in page and "文件中没有，可填写" in page
    response = _confirm(
        admin_client_logged_in, token, agency=agency.pk, publication_date="2025-13-01"
    )
    assert AnnualReport.objects.count() == 0
    assert "请先改正下面标出的错误" in response.content.decode()
    _confirm(
        admin_client_logged_in,
        token,
        agency=agency.pk,
        publication_date="2025-01-31",
        source_url="https://gov.example/b",
    )
    report = AnnualReport.objects.get()
    assert report.publication_date == dt.date(2025, 1, 31)
    assert report.source_url == "https://gov.example/b"


def test_confirming_a_batch_twice_explains_instead_of_a_404(admin_client_logged_in):
    """The preview left open (or a second click) after the batch was confirmed."""
    agency = make_agency(AGENCY)
    token = _upload(admin_client_logged_in, ("r.json", _report()))
    _confirm(admin_client_logged_in, token, agency=agency.pk)
    response = _confirm(admin_client_logged_in, token, agency=agency.pk)
    assert response.status_code == 200
    assert "这批导入已确认、已放弃或已过期（24 小时），本次没有再保存任何内容" in (
        response.content.decode()
    )
    assert AnnualReport.objects.count() == 1

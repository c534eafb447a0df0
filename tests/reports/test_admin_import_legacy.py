"""A Word 97-2003 .doc through the admin's import page: upload, preview, confirm, report page.

The .doc is the corpus's report_full.docx saved by LibreOffice; the upload converts it back
in the sandboxed parse (LibreOffice again), and what is saved names the .doc as its source.
Skipped with a reason where soffice or the corpus is absent.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import AnnualReport
from tests.factories import make_agency

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:reports_annualreport_import")


@pytest.fixture
def doc_file(corpus_dir: Path, tmp_path: Path) -> Path:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: no .doc to upload")
    source = tmp_path / "report_full.docx"
    shutil.copyfile(corpus_dir / "generated" / "report_full.docx", source)
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return tmp_path / "report_full.doc"


def test_doc_upload_previews_and_saves_with_the_doc_as_its_source(
    admin_client_logged_in, settings, tmp_path: Path, doc_file: Path
) -> None:
    settings.IMPORT_STAGING_ROOT = tmp_path / "staging"
    agency = make_agency("示例县卫生健康局")
    data = doc_file.read_bytes()

    upload = SimpleUploadedFile("县卫健局2024年报.doc", data)
    response = admin_client_logged_in.post(IMPORT_URL, {"files": [upload]})
    assert response.status_code == 302, response.content.decode()[:2000]
    token = re.search(r"/import/([A-Za-z0-9_-]+)/$", response["Location"]).group(1)
    preview_url = reverse("admin:reports_annualreport_import_preview", args=[token])
    page = admin_client_logged_in.get(preview_url).content.decode()

    assert "县卫健局2024年报.doc" in page
    assert "Word 97-2003 文档（.doc）" in page
    assert "✔ 已有：示例县卫生健康局" in page
    assert 'value="2024"' in page
    assert AnnualReport.objects.count() == 0

    response = admin_client_logged_in.post(
        preview_url,
        {
            "_confirm": "确认导入",
            "r0-0-include": "on",
            "r0-0-agency_action": "existing",
            "r0-0-year": 2024,
            "r0-0-agency": agency.pk,
        },
        follow=True,
    )
    assert "导入完成：新建年报 1 份" in response.content.decode()
    report = AnnualReport.objects.get(agency=agency, report_year__year=2024)
    assert report.source_name == "县卫健局2024年报.doc"
    assert report.source_kind == "doc"
    assert report.source_sha256 == hashlib.sha256(data).hexdigest()
    # Table 三 row r, column c of the generated report holds r·10 + c.
    row = report.table3_rows.get(row_key="new_received")
    assert row.value("natural_person") == 11

    change = admin_client_logged_in.get(
        reverse("admin:reports_annualreport_change", args=[report.pk])
    )
    assert "Word 97-2003 文档（.doc）" in change.content.decode()

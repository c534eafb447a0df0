"""The paste box of the admin page 导入年报: a text copied from a browser or Word takes the
uploads' path (sandboxed parse, preview, confirm, provenance), through real admin requests."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from reports import schema
from reports.admin.import_forms import paste_normalize
from reports.admin.import_page import PASTE_NAME
from reports.importing.intake.sources import read_bytes
from reports.models import AnnualReport
from tests.factories import make_agency
from tests.reports.test_admin_import import (
    CHANGELIST_URL,
    IMPORT_URL,
    _cell_html,
    _choice,
    _confirm,
    _json_report,
    _preview,
)

pytestmark = pytest.mark.django_db

AGENCY = "测试县卫生健康局"
TITLE = f"{AGENCY}2024年政府信息公开工作年度报告"
Values = dict[tuple[str, str, str], str]


@pytest.fixture(autouse=True)
def staging_root(settings, tmp_path: Path) -> Path:
    """Staging goes to a throwaway folder, never to var/import-staging."""
    settings.IMPORT_STAGING_ROOT = tmp_path / "staging"
    return settings.IMPORT_STAGING_ROOT


def browser_copy() -> tuple[str, Values]:
    """A 2021-layout report as a browser copies a web page: CRLF line ends, one table row a
    line with a tab between cells, a merged cell once; and every value it holds, by cell.

    Labels come from reports.schema; the values differ from cell to cell (so a value read
    into the wrong cell shows) and satisfy the identities of spec §6.
    """
    values: Values = {}
    lines = [
        TITLE,
        "",
        "一、总体情况",
        "本年度我局认真贯彻《条例》，全面推进政务公开。",
    ]
    lines.append(schema.SECTION_HEADINGS["table2"])
    heading: tuple[str, tuple[str, ...]] | None = None
    number = 1
    for row in schema.tables_for("2021")["table2"].rows:
        if (row.caption, row.column_keys) != heading:
            heading = (row.caption, row.column_keys)
            lines.append(row.caption)
            lines.append("\t".join(["信息内容", *(c.label for c in row.columns)]))
        cells = []
        for column in row.columns:
            value = "12.5" if column.kind is schema.Kind.MONEY else str(number)
            number += 1
            values[("table2", row.key, column.key)] = value
            cells.append(value)
        lines.append("\t".join([row.label, *cells]))

    lines.append(schema.SECTION_HEADINGS["table3"])
    lines.append(
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况"
    )
    lines.append("自然人\t法人或其他组织\t总计")
    lines.append("\t".join(c.label for c in schema.TABLE3_COLUMNS[1:6]))
    table3 = schema.tables_for("2021")["table3"]
    results = [*schema.TABLE3_RESULT_ROWS, *schema.OTHER_2021_ROWS]  # up to （七）总计
    natural = {key: i for i, key in enumerate(results, start=1)}  # 1, 2, 3 ...
    commercial = dict.fromkeys(results, 0) | {
        "granted": 2,
        "not_processed_duplicate": 1,
    }
    natural["total_processed"] = sum(natural[k] for k in results)
    commercial["total_processed"] = 3
    # 一 + 二 = （七）总计 + 四: new applications make up what was not carried over.
    natural |= {"carried_over": 40, "carried_forward": 9}
    natural["new_received"] = natural["total_processed"] + 9 - 40
    commercial |= {"new_received": 3, "carried_over": 0, "carried_forward": 0}
    group = ""
    for row in table3.rows:
        parts = [natural[row.key], commercial[row.key], 0, 0, 0, 0]
        cells = [str(p) for p in [*parts, sum(parts)]]
        for column, value in zip(row.columns, cells, strict=True):
            values[("table3", row.key, column.key)] = value
        # A group label spans its rows (rowspan): a copy prints it on the first one only.
        lead = [row.group] if row.group and row.group != group else []
        group = row.group
        lines.append("\t".join([*lead, row.label, *cells]))

    lines.append(schema.SECTION_HEADINGS["table4"])
    lines.append("行政复议\t行政诉讼")
    lines.append(
        "\t".join(
            [
                *(c.label for c in schema.TABLE4_COLUMNS),
                "未经复议直接起诉",
                "复议后起诉",
            ]
        )
    )
    lines.append("\t".join(c.label for c in schema.TABLE4_COLUMNS * 2))
    cells = []
    for parts, row in zip(
        ([1, 2, 0, 1], [0, 1, 1, 0], [3, 0, 0, 2]),
        schema.TABLE4.rows,
        strict=True,
    ):
        for column, value in zip(row.columns, [*parts, sum(parts)], strict=True):
            values[("table4", row.key, column.key)] = str(value)
            cells.append(str(value))
    lines.append("\t".join(cells))
    lines += [
        "五、存在的主要问题及改进情况",
        "主动公开的及时性有待提高。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
    ]
    return "\r\n".join(lines) + "\r\n", values


def _paste(client: Client, text: str, *files: tuple[str, bytes]) -> str:
    """Post a pasted text (and files); returns the token of the preview it redirects to."""
    data: dict[str, object] = {"text": text}
    if files:
        data["files"] = [SimpleUploadedFile(name, content) for name, content in files]
    response = client.post(IMPORT_URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    match = re.search(r"/import/([A-Za-z0-9_-]+)/$", response["Location"])
    assert match, response["Location"]
    return match.group(1)


def _refused_form(client: Client, data: dict[str, object]) -> str:
    """Post the upload form expecting it back with errors; returns the page."""
    response = client.post(IMPORT_URL, data)
    assert response.status_code == 200
    return response.content.decode()


# --- the form -----------------------------------------------------------------------------


def test_upload_form_offers_a_paste_box_in_chinese(admin_client_logged_in):
    page = admin_client_logged_in.get(IMPORT_URL).content.decode()
    assert re.search(r'<textarea name="text"[^>]*id="id_text"', page)
    assert '<label for="id_text">粘贴文本：</label>' in page
    assert "从网页或 Word 复制整篇年报（含表格）后粘贴到此处" in page
    assert 'name="files"' in page  # beside the file field, in the same form
    assert page.index('name="files"') < page.index('name="text"')


def test_neither_file_nor_text_is_a_chinese_form_error(
    admin_client_logged_in, staging_root
):
    message = "请选择要上传的年报文件，或把年报全文粘贴到“粘贴文本”框中。"
    for data in ({}, {"text": ""}, {"text": " \r\n\t\u3000\r\n"}):
        page = _refused_form(admin_client_logged_in, data)
        assert f'<p class="errornote">{message}</p>' in page, data
    assert not staging_root.exists()


def test_too_large_paste_is_a_chinese_form_error(
    admin_client_logged_in, settings, staging_root
):
    settings.IMPORT_MAX_BYTES = 1000
    text = "年报" * 200  # 1200 bytes in UTF-8
    page = _refused_form(admin_client_logged_in, {"text": text})
    assert "粘贴的文本有" in page and "超过导入上限" in page and "未读取" in page
    assert 'class="form-row paste-row errors"' in page
    assert not staging_root.exists()
    # Exactly at the limit it is read (and refused only as not being a report).
    token = _paste(admin_client_logged_in, "年" * 333 + "\r\n")
    page = _preview(admin_client_logged_in, token)
    assert f"文件 1：{PASTE_NAME}" in page and "not_annual_report" in page


def test_paste_limit_stays_below_the_form_body_limit(
    admin_client_logged_in, settings, staging_root
):
    """Django answers a bare 400 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE: the paste
    limit sits below it, so an oversized paste gets the Chinese form error instead."""
    settings.IMPORT_MAX_BYTES = 20 * 1024 * 1024
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    text = "年报" * 15_000  # 90,000 bytes: under the body limit, over the paste limit
    page = _refused_form(admin_client_logged_in, {"text": text})
    assert "粘贴的文本有" in page and "超过导入上限" in page
    assert 'maxlength="11488"' in page  # (100,000 − 64 KiB) // 3 characters
    assert not staging_root.exists()


def test_only_line_endings_are_normalised():
    text = " 表三\t自然人\t \r\n规章\t1\t／\r\r\n（七）总计\u3000\t0\n"
    assert (
        paste_normalize(text)
        == " 表三\t自然人\t \n规章\t1\t／\n\n（七）总计\u3000\t0\n"
    )


# --- a pasted report, end to end ----------------------------------------------------------


def test_pasted_report_previews_and_confirm_saves_exactly_what_was_pasted(
    admin_client_logged_in, staging_root
):
    agency = make_agency(AGENCY)
    text, values = browser_copy()
    source = text.replace("\r\n", "\n").encode("utf-8")

    token = _paste(admin_client_logged_in, text)
    page = _preview(admin_client_logged_in, token)

    assert AnnualReport.objects.count() == 0  # nothing written before confirming
    assert f"文件 1：{PASTE_NAME}" in page
    assert f"✔ 已有：{AGENCY}" in page
    assert 'value="2024"' in page and "2021版" in page
    assert not re.search(r"勾稽关系不符 \d+ 处", page)
    assert not re.search(r'<td class="[^"]*(identity-fail|uncertain|warned)', page)
    for path in (
        "table2.licensing.decisions",
        "table3.new_received.natural_person",
        "table3.granted.commercial",
        "table3.total_processed.total",
        "table4.litigation_after_review.pending",
    ):
        table, row, column = path.split(".")
        assert f">{values[(table, row, column)]}<" in _cell_html(page, path), path

    response = _confirm(
        admin_client_logged_in, token, _choice(year=2024, agency=agency.pk)
    )
    assert response.redirect_chain[-1][0] == CHANGELIST_URL
    assert "导入完成：新建年报 1 份：" in response.content.decode()
    assert not (staging_root / token).exists()

    report = AnnualReport.objects.get(agency=agency, report_year__year=2024)
    assert report.title == TITLE and report.layout == "2021"
    assert report.source_name == PASTE_NAME and report.source_kind == "text"
    assert report.source_sha256 == hashlib.sha256(source).hexdigest()
    parsed = read_bytes(source, PASTE_NAME, max_bytes=10**6)[0].reports[0]
    assert report.raw_text == parsed.raw_text and TITLE in report.raw_text
    assert report.problems == "主动公开的及时性有待提高。"
    assert report.uncertain_cells == []
    saved = {
        table: {r.row_key: r for r in getattr(report, f"{table}_rows").all()}
        for table in schema.TABLE_KEYS
    }
    for (table, row, column), value in values.items():
        stored = saved[table][row].value(column)
        assert stored == Decimal(value), (table, row, column, stored)
        assert saved[table][row].raw[column] == value
    assert len(values) == sum(
        len(row.columns)
        for table in schema.tables_for("2021").values()
        for row in table.rows
    )
    entry = LogEntry.objects.get(object_id=str(report.pk))
    assert PASTE_NAME in entry.change_message


def test_the_same_text_pasted_again_is_the_same_source(admin_client_logged_in):
    """Browsers send CRLF, a script may send LF: the fingerprint is the same."""
    agency = make_agency(AGENCY)
    text, _ = browser_copy()
    token = _paste(admin_client_logged_in, text)
    _confirm(admin_client_logged_in, token, _choice(year=2024, agency=agency.pk))

    again = _paste(admin_client_logged_in, text.replace("\r\n", "\n"))
    assert "跳过（同一文件已导入）" in _preview(admin_client_logged_in, again)
    changed = _paste(
        admin_client_logged_in, text.replace("政务公开。", "政务公开工作。")
    )
    assert "新版本（第 2 版" in _preview(admin_client_logged_in, changed)


def test_paste_and_a_file_preview_as_two_documents(admin_client_logged_in):
    make_agency(AGENCY)
    text, _ = browser_copy()
    token = _paste(admin_client_logged_in, text, ("r.json", _json_report(year=2023)))
    page = _preview(admin_client_logged_in, token)
    assert page.index("文件 1：r.json") < page.index(f"文件 2：{PASTE_NAME}")
    assert page.count('class="import-report"') == 2


def test_pasted_text_that_is_not_a_report_is_refused_like_a_file(
    admin_client_logged_in,
):
    token = _paste(admin_client_logged_in, "会议纪要\r\n一、会议听取了工作汇报。\r\n")
    page = _preview(admin_client_logged_in, token)
    assert "not_annual_report" in page and "不是政府信息公开工作年度报告" in page
    assert 'name="_confirm"' not in page

"""Saved web pages (.mht/.mhtml) read exactly like the page they were saved from.

Report pages are built from truths (../shared/corpus, or position markers for the 2019
layout) with browser_pdf.page_html, then saved as Chromium saves them (skipped without
chromium) and as IE and Word write web archives (the `email` package): quoted-printable
and base64, the charset in the MIME header or only in the page's `<meta>`, gb2312
declared over GBK bytes.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from reports.importing.errors import ImportRefused
from reports.importing.intake import mhtml
from reports.importing.interchange import to_interchange
from reports.importing.pipeline import detect_kind, parse_bytes

from . import browser_pdf, web_archives
from .conftest import CORPUS, same
from .web_archives import ie_archive

needs_chromium = pytest.mark.skipif(
    not web_archives.chromium_available(),
    reason="没有 chromium 或 Playwright：无法用浏览器保存 MHTML（browser-saved archives skip）",
)
UTF8_META = '<meta charset="utf-8">'
GB2312_META = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
TRUTHS = {
    "full": "generated/report_full.pdf.truth.json",
    "hzq": "real/hzq2023_working.pdf.truth.json",
}


def _truth(key: str) -> dict[str, Any]:
    if key == "y2019":
        return browser_pdf.marker_truth("2019", 2019)
    path = CORPUS / TRUTHS[key]
    if not path.is_file():
        pytest.skip(f"corpus truth {path} is absent")
    return json.loads(path.read_text("utf-8"))


def _page(truth: dict[str, Any]) -> str:
    return browser_pdf.page_html(truth, browser_pdf.STYLES[0])


def _reading(data: bytes, name: str) -> dict[str, Any]:
    """The interchange JSON of a parse without its source (name, kind, fingerprint)."""
    out = to_interchange(parse_bytes(data, name))
    out.pop("source", None)
    return out


def _assert_truth(reading: dict[str, Any], truth: dict[str, Any]) -> None:
    assert reading["year"] == truth["year"] and reading["format"] == truth["format"]
    checked = 0
    for table in ("table2", "table3", "table4"):
        for row, cells in truth[table].items():
            for column, expected in cells.items():
                assert same(reading[table][row][column], expected), (table, row, column)
                checked += 1
    assert checked > 100


@pytest.fixture(scope="module")
def html_pages() -> dict[str, bytes]:
    """The report pages as UTF-8 and as GBK bytes declared gb2312."""
    pages: dict[str, bytes] = {}
    for key in ("full", "hzq", "y2019"):
        page = _page(_truth(key))
        pages[key] = page.encode("utf-8")
        pages[f"{key}-gbk"] = page.replace(UTF8_META, GB2312_META).encode("gb18030")
    return pages


@pytest.fixture(scope="module")
def chromium_archives(
    html_pages: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, bytes]:
    if not web_archives.chromium_available():
        pytest.skip("no chromium: browser-saved archives cannot be made")
    folder = tmp_path_factory.mktemp("mhtml")
    return web_archives.chromium_snapshot(html_pages, folder)


# --- Chromium's "Save as… single file" ----------------------------------------------------


@needs_chromium
@pytest.mark.parametrize("key", ["full", "hzq", "y2019", "full-gbk", "y2019-gbk"])
def test_chromium_archive_reads_exactly_like_its_page(
    key: str, html_pages: dict[str, bytes], chromium_archives: dict[str, bytes]
) -> None:
    archive = chromium_archives[key]
    assert archive.startswith(b"From: <Saved by Blink>")
    assert detect_kind(archive, f"{key}.mhtml") == "mhtml"
    reading = _reading(archive, f"{key}.mhtml")
    assert reading == _reading(html_pages[key], f"{key}.html")
    _assert_truth(reading, _truth(key.removesuffix("-gbk")))


@needs_chromium
def test_chromium_keeps_a_gbk_page_in_gbk_and_names_it_in_a_meta(
    chromium_archives: dict[str, bytes],
) -> None:
    archive = chromium_archives["full-gbk"]
    page = mhtml.read_page(archive, "full-gbk.mhtml")
    assert page.charset is None  # nothing in the MIME header: the page's <meta> says
    assert b"charset=GBK" in page.html
    assert "示例县".encode("gb18030") in page.html


# --- IE and Word "Web archive", built with the email package ------------------------------


@pytest.mark.parametrize("transfer", ["quoted-printable", "base64"])
@pytest.mark.parametrize(
    "how",
    [
        {"meta": GB2312_META},  # IE: the charset only in the page
        {"meta": "", "charset": "gb2312"},  # the MIME header only
        {"meta": GB2312_META, "charset": "GBK"},
        {"meta": GB2312_META, "start": True},  # the page named by `start`
        {"meta": GB2312_META, "location": True},  # ... by Content-Location
    ],
    ids=["meta-only", "mime-only", "both", "start", "location"],
)
def test_web_archive_reads_exactly_like_its_page(
    transfer: str, how: dict[str, Any], html_pages: dict[str, bytes]
) -> None:
    page = _page(_truth("full")).replace(UTF8_META, how["meta"]).encode("gb18030")
    archive = ie_archive(
        page,
        transfer=transfer,
        charset=how.get("charset"),
        start=how.get("start", False),
        location=how.get("location", False),
    )
    assert (b"=B9=E6=D5=C2" in archive) is (transfer == "quoted-printable")
    reading = _reading(archive, "report.mht")
    assert reading == _reading(html_pages["full"], "report.html")
    _assert_truth(reading, _truth("full"))


def test_utf8_page_in_an_archive_declared_in_the_mime_header() -> None:
    page = _page(_truth("y2019")).replace(UTF8_META, "").encode("utf-8")
    archive = ie_archive(page, transfer="base64", charset="utf-8")
    _assert_truth(_reading(archive, "r.mhtml"), _truth("y2019"))


def test_archive_keeps_the_original_file_as_its_source() -> None:
    page = _page(_truth("y2019")).encode("utf-8")
    archive = ie_archive(page)
    report = parse_bytes(archive, "年报.mht")
    assert report.source.kind == "mhtml" and report.source.name == "年报.mht"
    assert report.source.sha256 == hashlib.sha256(archive).hexdigest()
    assert report.source.size == len(archive)
    assert report.source.kind_label == "网页存档（MHT/MHTML）"


@pytest.mark.parametrize("name", ["report.txt", "report.html", "report", "x.doc.mht"])
def test_archive_is_told_by_its_content_not_its_name(name: str) -> None:
    archive = ie_archive(_page(_truth("y2019")).encode("utf-8"))
    assert detect_kind(archive, name) == "mhtml"


def test_a_page_named_mht_is_read_as_the_html_it_is() -> None:
    page = _page(_truth("y2019")).encode("utf-8")
    assert detect_kind(page, "report.mht") == "html"


@pytest.mark.parametrize(
    "text",
    [
        "Content-Type: multipart/related; boundary=x\n\n--x\n",
        "From: a\nMIME-Version: 1.0\nContent-Type: multipart/related;\n\tboundary=x\n\n",
    ],
)
def test_a_mime_header_block_of_multipart_related_is_an_archive(text: str) -> None:
    assert mhtml.is_web_archive(text.encode())


@pytest.mark.parametrize(
    "text",
    [
        "某县2024年政府信息公开工作年度报告\nContent-Type: multipart/related\n",
        "Subject: 年报\nContent-Type: text/html\n\n<html></html>",
        "MIME-Version: 1.0\n规章 | 1 | 0 |\nContent-Type: multipart/related\n",
    ],
)
def test_text_that_mentions_mime_is_not_an_archive(text: str) -> None:
    assert not mhtml.is_web_archive(text.encode())


# --- refusals and limits -------------------------------------------------------------------


def test_archive_without_a_page_is_refused_as_corrupt() -> None:
    archive = ie_archive(b"", transfer="base64").replace(
        b"Content-Type: text/html", b"Content-Type: text/plain"
    )
    with pytest.raises(ImportRefused) as info:
        parse_bytes(archive, "empty.mht")
    assert info.value.code == "corrupt_file"
    assert "没有网页（text/html）部分" in info.value.message


def test_archive_of_too_many_parts_is_refused_before_it_is_parsed() -> None:
    parts = b"".join(
        b"--b\r\nContent-Type: image/png\r\n\r\nx\r\n"
        for _ in range(mhtml.MAX_PARTS + 1)
    )
    archive = (
        b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n"
    )
    with pytest.raises(ImportRefused) as info:
        parse_bytes(archive + parts + b"--b--\r\n", "many.mht")
    assert info.value.code == "file_too_large" and "超过上限" in info.value.message


def test_deeply_nested_archive_is_refused_without_a_traceback() -> None:
    depth = 1000
    data = b"MIME-Version: 1.0\nContent-Type: multipart/related; boundary=b0\n\n"
    for level in range(1, depth):
        data += b"--b%d\nContent-Type: multipart/related; boundary=b%d\n\n" % (
            level - 1,
            level,
        )
    data += b"--b%d\nContent-Type: text/html\n\n<html>x</html>\n" % (depth - 1)
    with pytest.raises(ImportRefused) as info:
        parse_bytes(data, "deep.mht")
    assert info.value.code == "file_too_large"


def test_archive_with_damaged_bytes_in_its_page_reads_with_the_warning() -> None:
    page = _page(_truth("y2019")).replace(UTF8_META, GB2312_META).encode("gb18030")
    damaged = page.replace("本报告依据".encode("gb18030"), b"\xff\xff\xff", 1)
    report = parse_bytes(ie_archive(damaged, transfer="base64"), "r.mht")
    warnings = [w for w in report.warnings if w.code == "damaged_text"]
    assert (
        len(warnings) == 1 and "3 个字节不是有效的 GB18030 文字" in warnings[0].message
    )
    _assert_truth(_without_source(report), _truth("y2019"))


def _without_source(report: Any) -> dict[str, Any]:
    out = to_interchange(report)
    out.pop("source", None)
    return out


def test_web_archive_files_in_a_folder_are_imported(tmp_path: Path) -> None:
    from reports.importing.intake.sources import expand_paths

    (tmp_path / "a.mht").write_bytes(b"x")
    (tmp_path / "b.mhtml").write_bytes(b"x")
    (tmp_path / "c.png").write_bytes(b"x")
    assert [p.name for p in expand_paths([tmp_path])] == ["a.mht", "b.mhtml"]

"""Web pages decoded as browsers decode them: BOM, the declared charset, the WHATWG labels.

A report page is built from a truth (browser_pdf.page_html), saved in the encodings and
with the declarations real sites use, and must read exactly like its UTF-8 original.
"""

from __future__ import annotations

from typing import Any

import opencc
import pytest

from reports.importing.intake import charsets
from reports.importing.intake.charsets import codec_for, decode_page, meta_charset
from reports.importing.interchange import to_interchange
from reports.importing.pipeline import parse_bytes

from . import browser_pdf

# 堃 and 镕 are GBK characters outside GB2312; 𠮷 needs GB18030's four-byte form.
AGENCY = "堃镕县卫生健康局"
RARE = "𠮷"
UTF8_META = '<meta charset="utf-8">'


def _page() -> str:
    truth = browser_pdf.marker_truth("2021", 2024)
    truth["agency"] = AGENCY
    page = browser_pdf.page_html(truth, browser_pdf.STYLES[0])
    return page.replace("本报告依据", f"本报告（{RARE}）依据", 1)


def _read(data: bytes, name: str = "report.html") -> dict[str, Any]:
    """The interchange JSON of a parse, without the source (its name and fingerprint)."""
    report = parse_bytes(data, name)
    assert not [w for w in report.warnings if w.code == "damaged_text"]
    out = to_interchange(report)
    out.pop("source", None)
    return out


@pytest.fixture(scope="module")
def utf8_reading() -> dict[str, Any]:
    reading = _read(_page().encode("utf-8"))
    assert reading["agency"] == AGENCY and reading["table3"]
    return reading


def test_the_test_characters_are_outside_gb2312() -> None:
    for char in ("堃", "镕", RARE):
        with pytest.raises(UnicodeEncodeError):
            char.encode("gb2312")
    assert len(RARE.encode("gb18030")) == 4


@pytest.mark.parametrize(
    "meta",
    [
        '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
        '<meta charset="GB2312">',
        "<meta charset=gbk>",
        '<meta charset="x-gbk">',
        '<meta content="text/html; charset=chinese" http-equiv="Content-Type">',
        "<META HTTP-EQUIV='Content-Type' CONTENT='text/html;charset=csGB2312'>",
        '<meta charset="iso-ir-58">',
        '<meta charset="GB18030">',
    ],
)
def test_page_declared_gb2312_with_gbk_and_gb18030_characters_reads_like_utf8(
    meta: str, utf8_reading: dict[str, Any]
) -> None:
    data = _page().replace(UTF8_META, meta).encode("gb18030")
    assert _read(data) == utf8_reading


def test_page_declared_utf8_whose_bytes_are_gbk_is_read_not_garbled(
    utf8_reading: dict[str, Any],
) -> None:
    data = _page().encode("gb18030")  # still says <meta charset="utf-8">
    assert _read(data) == utf8_reading


def test_byte_order_mark_wins_over_the_declaration(
    utf8_reading: dict[str, Any],
) -> None:
    page = _page().replace(UTF8_META, '<meta charset="gb2312">')
    assert _read(b"\xef\xbb\xbf" + page.encode("utf-8")) == utf8_reading
    assert _read(page.encode("utf-16")) == utf8_reading


@pytest.mark.parametrize("label", ["iso-8859-1", "latin1", "ascii", "windows-1252"])
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_report_declared_latin1_is_read_in_the_encoding_its_bytes_have(
    label: str, encoding: str, utf8_reading: dict[str, Any]
) -> None:
    page = _page().replace(UTF8_META, f'<meta charset="{label}">')
    assert _read(page.encode(encoding)) == utf8_reading


def test_big5_page_reads_like_the_same_page_in_utf8() -> None:
    page = opencc.OpenCC("s2t").convert(_page().replace(RARE, ""))
    utf8 = _read(page.encode("utf-8"))
    # Characters Big5 lacks are written as character references, as editors save them.
    big5 = page.replace(UTF8_META, '<meta charset="big5">')
    assert _read(big5.encode("big5hkscs", "xmlcharrefreplace")) == utf8
    assert utf8["table3"] and utf8["year"] == 2024


def test_xhtml_with_an_xml_declaration_is_read() -> None:
    page = _page().replace(UTF8_META, "")
    data = ('<?xml version="1.0" encoding="gb2312"?>\n' + page).encode("gb18030")
    assert _read(data)["agency"] == AGENCY


# --- the label table and the meta prescan -----------------------------------------------


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("gb2312", "gb18030"),
        ("GBK", "gb18030"),
        ("x-gbk", "gb18030"),
        ("csgb2312", "gb18030"),
        ("chinese", "gb18030"),
        ("iso-ir-58", "gb18030"),
        ("GB_2312-80", "gb18030"),
        ("gb18030", "gb18030"),
        ("big5", "big5hkscs"),
        ("Big5-HKSCS", "big5hkscs"),
        ("iso-8859-1", "cp1252"),
        ("latin1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("utf8", "utf-8"),
        ('"UTF-8"', "utf-8"),
        ("utf-16", "utf-16-le"),
        ("x-made-up", None),
    ],
)
def test_labels_name_the_codec_browsers_decode_with(
    label: str, codec: str | None
) -> None:
    assert codec_for(label) == codec


def test_a_page_cannot_declare_utf16_in_its_own_bytes() -> None:
    assert codec_for("utf-16", in_page=True) == "utf-8"


@pytest.mark.parametrize(
    ("head", "codec"),
    [
        (b'<html><head><meta charset="gb2312"></head>', "gb18030"),
        (
            b"<meta http-equiv=Content-Type content='text/html; charset=big5'>",
            "big5hkscs",
        ),
        (b'<!-- <meta charset="big5"> --><meta charset="utf-8">', "utf-8"),
        (b'<meta name="keywords" content="charset"><title>x</title>', None),
        (b'<body><meta charset="gbk"></body>', None),
        (b'<meta charset="no-such-label"><meta charset="gbk">', "gb18030"),
    ],
)
def test_meta_prescan_reads_the_first_declaration_in_the_head(
    head: bytes, codec: str | None
) -> None:
    assert meta_charset(head) == codec


def test_declared_charset_of_a_mime_part_comes_before_the_meta() -> None:
    page = '<meta charset="utf-8"><p>政府信息公开</p>'.encode("gb18030")
    decoded = decode_page(page, "p.html", declared="gb2312")
    assert "政府信息公开" in decoded.text and decoded.codec == "gb18030"
    assert not decoded.damaged


def test_every_label_maps_to_a_codec_python_has() -> None:
    import codecs

    for codec in set(charsets.LABELS.values()):
        assert codecs.lookup(codec)

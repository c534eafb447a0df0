"""intake/detect.py: a file's kind from its content, an office zip opened once."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from reports.importing.errors import ImportRefused
from reports.importing.intake import detect as detect_mod
from reports.importing.intake.detect import Detected, detect
from reports.template_layout import META_SHEET

from .builders import docx_report

LIMIT = 64 * 1048576


def _workbook(*, sheet: str = "表三", formula: bool = False) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws["A1"] = "一、本年新收政府信息公开申请数量"
    ws["B1"] = "=1+1" if formula else 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_office_zip_is_opened_once(tmp_path, monkeypatch):
    docx_data = docx_report(tmp_path / "r.docx").read_bytes()
    xlsx_data = _workbook(formula=True)
    opened: list[object] = []
    real = zipfile.ZipFile

    class Counting(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs) -> None:
            opened.append(args[0])
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(zipfile, "ZipFile", Counting)
    assert detect(docx_data, "r.docx", max_unpacked=LIMIT) == Detected("docx")
    assert detect(xlsx_data, "w.xlsx", max_unpacked=LIMIT) == Detected(
        "xlsx", formulas=True
    )
    assert len(opened) == 2  # one open per file, traits and limits in the same pass


def test_xlsx_traits_are_read_from_the_zip():
    plain = detect(_workbook(), "a.bin", max_unpacked=LIMIT)
    assert plain == Detected("xlsx")  # by content, not by name
    marked = detect(_workbook(sheet=META_SHEET), "a", max_unpacked=LIMIT)
    assert marked.template and not marked.formulas


def test_zip_limits_are_checked_in_the_same_pass():
    many = _zip({f"word/p{i}.xml": b"x" for i in range(detect_mod.MAX_MEMBERS + 1)})
    with pytest.raises(ImportRefused) as info:
        detect(many, "many.docx", max_unpacked=LIMIT)
    assert info.value.code == "file_too_large"
    bomb = _zip({"word/document.xml": b"\0" * 2_000_000})
    with pytest.raises(ImportRefused) as info:
        detect(bomb, "bomb.docx", max_unpacked=1_000_000)
    assert info.value.code == "file_too_large" and "疑似压缩炸弹" in info.value.message


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"PK\x03\x04 broken", "r.docx", "corrupt_file"),
        (_zip({"a.txt": b"x"}), "r.docx", "corrupt_file"),
        (_zip({"a.txt": b"x"}), "r.zip", "unsupported_format"),
        # The compound-file signature over nothing: a damaged .doc, not a format we lack.
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "r.doc", "corrupt_file"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "r.png", "unsupported_format"),
        (b"plain text", "r.pdf", "corrupt_file"),
    ],
)
def test_what_is_not_a_document_is_refused_with_its_code(data, name, code):
    with pytest.raises(ImportRefused) as info:
        detect(data, name, max_unpacked=LIMIT)
    assert info.value.code == code
    assert name in info.value.message


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("<!DOCTYPE html><html><body>x</body></html>", "html"),
        ('{"year": 2024}', "json"),
        ("某县卫生健康局2024年政府信息公开工作年度报告", "text"),
    ],
)
def test_text_kinds_by_their_start(text, kind):
    for encoding in ("utf-8", "gb18030", "utf-16"):
        assert detect(text.encode(encoding), "x", max_unpacked=LIMIT).kind == kind

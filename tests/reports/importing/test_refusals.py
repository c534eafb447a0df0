"""Refusals: stable codes, Chinese messages, decided by content and bounded on hostile input."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from reports.importing.errors import ImportRefused
from reports.importing.intake import detect as detect_mod
from reports.importing.intake.detect import detect
from reports.importing.pipeline import parse_bytes, parse_file

from .builders import docx_report, encrypted_pdf, minimal_pdf
from .conftest import REPO


def _refusal(data: bytes, name: str, **kwargs: int) -> ImportRefused:
    with pytest.raises(ImportRefused) as info:
        parse_bytes(data, name, **kwargs)
    return info.value


def test_encrypted_pdf_is_refused() -> None:
    refusal = _refusal(encrypted_pdf(), "locked.pdf")
    assert refusal.code == "encrypted_pdf"
    assert str(refusal).startswith("encrypted_pdf: ")
    assert "加密" in refusal.message


def test_text_renamed_to_pdf_is_refused_as_corrupt() -> None:
    refusal = _refusal("一、总体情况\n这不是 PDF".encode(), "report.pdf")
    assert refusal.code == "corrupt_file"
    assert "report.pdf" in refusal.message


def test_truncated_pdf_is_refused_as_corrupt() -> None:
    refusal = _refusal(b"%PDF-1.7\n1 0 obj << /Type /Catal", "broken.pdf")
    assert refusal.code == "corrupt_file"


def test_pdf_without_characters_has_no_text_layer() -> None:
    blank = minimal_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        ],
        b"<< /Size 4 /Root 1 0 R >>",
    )
    refusal = _refusal(blank, "scan.pdf")
    assert refusal.code == "no_text_layer"
    assert "扫描" in refusal.message


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2048)
    with pytest.raises(ImportRefused) as info:
        parse_file(path, max_bytes=1024)
    assert info.value.code == "file_too_large"
    assert "MB" in info.value.message


def test_zip_with_too_many_members_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        for i in range(detect_mod.MAX_MEMBERS + 1):
            archive.writestr(f"word/media/{i}.bin", b"")
    refusal = _refusal(buffer.getvalue(), "bomb.docx")
    assert refusal.code == "file_too_large"


def test_zip_that_unpacks_too_large_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * (4 * 1048576))
    data = buffer.getvalue()
    assert (
        len(data) < 64 * 1024
    )  # a small file that would unpack a hundred times larger
    with pytest.raises(ImportRefused) as info:
        detect(data, "bomb.docx", max_unpacked=1048576)
    assert info.value.code == "file_too_large"
    assert "压缩炸弹" in info.value.message


def test_docx_zip_cut_before_its_body_is_refused_as_corrupt(tmp_path: Path) -> None:
    # cut after its body, a DOCX is read (test_damaged_files.py); before it, nothing is
    data = docx_report(tmp_path / "r.docx").read_bytes()
    body = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml").header_offset
    refusal = _refusal(data[: body + 20], "r.docx")
    assert refusal.code == "corrupt_file"
    assert "r.docx" in refusal.message


def test_excel_and_images_are_unsupported() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    # Excel is read (test_xlsx_published.py); a workbook with nothing but this is broken.
    assert _refusal(buffer.getvalue(), "r.xlsx").code == "corrupt_file"
    assert (
        _refusal(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "r.png").code
        == "unsupported_format"
    )
    # Old Word/Excel files are read (test_legacy_formats.py); this one is cut short.
    assert _refusal(b"\xd0\xcf\x11\xe0" + b"\x00" * 20, "r.doc").code == "corrupt_file"


def test_text_that_is_not_an_annual_report_is_refused() -> None:
    refusal = _refusal(
        "会议纪要\n今天讨论了食堂菜单，共 3 项。\n".encode(), "notes.txt"
    )
    assert refusal.code == "not_annual_report"


def test_invalid_interchange_json_is_refused() -> None:
    refusal = _refusal(b'{"agency": "x", "year": 1900, "format": "2021"}', "r.json")
    assert refusal.code == "invalid_interchange"
    assert "year" in refusal.message


def test_command_line_prints_refusal_code_on_stderr_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_text("not a pdf", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "reports.importing", str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("corrupt_file: ")

"""Word/Excel 97-2003, WPS, RTF and OpenDocument files read exactly like their DOCX/XLSX.

The files are made from the corpus's truth once per session: the corpus DOCX reports are
saved by LibreOffice as .doc, .rtf and .odt (and the .doc under a .wps name, WPS's own
text format being Word 97's), and workbooks built from a truth file (a published one-sheet
workbook and the system's filled template) as .xls and .ods (.et likewise). Each must read
with the same cells, values, raw text, nulls and uncertain marks as the file it came from,
its source still the file handed in. Without LibreOffice these files are refused with what
to install; a Word 97 file with a VBA storage, a password, or a web page under a .doc name
each get their own outcome. Skipped with a reason where soffice or the corpus is absent.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import struct
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import olefile
import pytest

from reports.core.parsed import ParsedReport, value_to_json
from reports.importing.errors import ImportRefused
from reports.importing.intake import sources
from reports.importing.intake.detect import Detected, detect, is_office_file
from reports.importing.interchange import to_interchange
from reports.importing.pipeline import parse_bytes, parse_file

from . import compound
from .conftest import same, truth_of
from .test_html import PAGE
from .test_xlsx import _filled
from .test_xlsx_published import _truth_values, one_sheet

LIMIT = 64 * 1048576
DOCX_REPORTS = ("report_full", "report_blanks")
HZQ_TRUTH = "real/hzq2023_working.pdf.truth.json"
# Saves a document with an open password ("secret"): a Basic macro in the fixture's own
# LibreOffice profile, since --convert-to takes no password.
_ENCRYPT_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1"
 script:language="StarBasic">
Sub SaveEncrypted(src As String, dst As String, filter As String)
  Dim a(0) As New com.sun.star.beans.PropertyValue
  a(0).Name = &quot;Hidden&quot;
  a(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(src), &quot;_blank&quot;, 0, a())
  Dim p(1) As New com.sun.star.beans.PropertyValue
  p(0).Name = &quot;FilterName&quot;
  p(0).Value = filter
  p(1).Name = &quot;Password&quot;
  p(1).Value = &quot;secret&quot;
  doc.storeToURL(ConvertToURL(dst), p())
  doc.close(True)
End Sub
</script:module>
"""


# --- the files, made once ---------------------------------------------------------------


def _soffice(profile: Path, *args: str) -> None:
    soffice = shutil.which("soffice")
    assert soffice is not None
    subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            *args,
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )


def _encrypted(profile: Path, source: Path, target: Path, filter_name: str) -> None:
    """`source` saved with an open password by the profile's Basic macro."""
    module = profile / "user" / "basic" / "Standard" / "Module1.xba"
    module.write_text(_ENCRYPT_MACRO, "utf-8")
    _soffice(
        profile,
        "--invisible",
        f'macro:///Standard.Module1.SaveEncrypted("{source}","{target}","{filter_name}")',
    )


@pytest.fixture(scope="session")
def made(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    """The converted files, in one folder: report_full.doc, hzq.xls, template.ods ..."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: legacy files are not made")
    folder = tmp_path_factory.mktemp("legacy")
    profile = folder / "profile"
    docs = []
    for name in DOCX_REPORTS:
        docs.append(folder / f"{name}.docx")
        shutil.copyfile(corpus / "generated" / f"{name}.docx", docs[-1])
    truth = json.loads((corpus / HZQ_TRUTH).read_text("utf-8"))
    values = _truth_values(truth)
    (folder / "hzq.xlsx").write_bytes(
        one_sheet(truth["agency"], truth["year"], truth["format"], values)
    )
    (folder / "template.xlsx").write_bytes(_filled(2024)[0])
    books = [folder / "hzq.xlsx", folder / "template.xlsx"]
    # One LibreOffice run per format: its start-up is most of the cost.
    for suffix in ("doc", "rtf", "odt"):
        _soffice(
            profile, "--convert-to", suffix, "--outdir", str(folder), *map(str, docs)
        )
    for suffix in ("xls", "ods"):
        _soffice(
            profile, "--convert-to", suffix, "--outdir", str(folder), *map(str, books)
        )
    shutil.copyfile(folder / "report_full.doc", folder / "report_full.wps")
    shutil.copyfile(folder / "hzq.xls", folder / "hzq.et")
    _encrypted(profile, docs[0], folder / "locked.doc", "MS Word 97")
    _encrypted(profile, books[0], folder / "locked.xls", "MS Excel 97")
    return folder


# --- comparing reads ---------------------------------------------------------------------


_READ: dict[Path, ParsedReport] = {}


def _read(path: Path) -> ParsedReport:
    """parse_file once per session and file: each conversion costs LibreOffice's start."""
    if path not in _READ:
        _READ[path] = parse_file(path)
    return _READ[path]


def _cells(report: ParsedReport) -> dict[str, tuple[Any, str | None, bool]]:
    return {
        f"{table}.{row}.{column}": (value_to_json(cell.value), cell.raw, cell.uncertain)
        for table, rows in report.tables.items()
        for row, cells in rows.items()
        for column, cell in cells.items()
    }


def _assert_reads_alike(converted: ParsedReport, original: ParsedReport) -> None:
    assert converted.agency == original.agency
    assert converted.year == original.year
    assert converted.format == original.format
    assert converted.title == original.title
    assert _cells(converted) == _cells(original)
    assert converted.uncertain_paths() == original.uncertain_paths()
    assert [(w.code, w.where) for w in converted.warnings] == [
        (w.code, w.where) for w in original.warnings
    ]


@pytest.mark.parametrize(
    ("original", "converted", "kind"),
    [
        ("report_full.docx", "report_full.doc", "doc"),
        ("report_full.docx", "report_full.wps", "wps"),
        ("report_full.docx", "report_full.rtf", "rtf"),
        ("report_full.docx", "report_full.odt", "odt"),
        ("report_blanks.docx", "report_blanks.doc", "doc"),
        ("hzq.xlsx", "hzq.xls", "xls"),
        ("hzq.xlsx", "hzq.et", "et"),
        ("hzq.xlsx", "hzq.ods", "ods"),
        ("template.xlsx", "template.xls", "xls"),
        ("template.xlsx", "template.ods", "ods"),
    ],
)
def test_converted_file_reads_exactly_like_the_file_it_came_from(
    made: Path, original: str, converted: str, kind: str
) -> None:
    report = _read(made / converted)
    _assert_reads_alike(report, _read(made / original))
    data = (made / converted).read_bytes()
    # The source is the file handed in, not what LibreOffice made of it.
    assert report.source.name == converted and report.source.kind == kind
    assert report.source.sha256 == hashlib.sha256(data).hexdigest()
    assert report.source.size == len(data)
    assert to_interchange(report)["source"]["kind"] == kind


def test_blank_cells_of_a_doc_stay_null_as_the_truth_says(
    made: Path, corpus: Path
) -> None:
    truth = truth_of(corpus / "generated" / "report_blanks.docx")
    report = _read(made / "report_blanks.doc")
    nulls = 0
    for table in ("table2", "table3", "table4"):
        for row, cells in truth[table].items():
            for column, expected in cells.items():
                cell = report.tables[table][row][column]
                assert same(value_to_json(cell.value), expected), (table, row, column)
                nulls += expected is None
    assert nulls >= 99


# --- refusals, and files that are something else -----------------------------------------


def _word_fib(*, encrypted: bool = False) -> bytes:
    """The start of a Word 97 File Information Block: identifier, version, language,
    flags (fEncrypted is 0x0100)."""
    flags = 0x0100 if encrypted else 0
    fib = struct.pack("<HHHHHH", 0xA5EC, 0x00C1, 0, 0x0804, 0, flags)
    return fib.ljust(1472, b"\0")


def _workbook_stream() -> bytes:
    """BIFF8 globals: BOF, then EOF."""
    bof = struct.pack("<HHHH", 0x0809, 16, 0x0600, 0x0005) + b"\0" * 12
    return bof + struct.pack("<HH", 0x000A, 0)


def test_without_libreoffice_a_doc_is_refused_saying_what_to_install(settings) -> None:
    # The real behaviour where LibreOffice is absent: the program is not found.
    settings.IMPORT_SOFFICE = "/nonexistent/libreoffice/soffice"
    for name, streams in (
        ("年报.doc", {"WordDocument": _word_fib(), "1Table": b"\0" * 64}),
        ("年报.xls", {"Workbook": _workbook_stream()}),
    ):
        with pytest.raises(ImportRefused) as info:
            parse_bytes(compound.build(streams), name)
        assert info.value.code == "unsupported_format"
        message = info.value.message
        assert name in message and "LibreOffice" in message
        assert "libreoffice-writer-nogui" in message
        assert "libreoffice-calc-nogui" in message
        assert "另存为 .docx、.xlsx 或 PDF" in message


def test_a_doc_with_an_open_password_is_refused_before_libreoffice_runs(
    settings,
) -> None:
    settings.IMPORT_SOFFICE = "/nonexistent/soffice"  # never reached
    data = compound.build({"WordDocument": _word_fib(encrypted=True)})
    with pytest.raises(ImportRefused) as info:
        parse_bytes(data, "locked.doc")
    assert info.value.code == "encrypted_file"
    assert "打开密码" in info.value.message and "locked.doc" in info.value.message


def test_password_protected_files_made_by_libreoffice_are_refused(made: Path) -> None:
    for name in ("locked.doc", "locked.xls"):
        assert olefile.isOleFile(str(made / name)), name
        with pytest.raises(ImportRefused) as info:
            parse_file(made / name)
        assert info.value.code == "encrypted_file", name
        assert "打开密码" in info.value.message


def test_a_workbook_libreoffice_cannot_open_is_refused_as_corrupt() -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    data = compound.build({"Workbook": b"\xff" * 600})  # no BIFF records at all
    with pytest.raises(ImportRefused) as info:
        parse_bytes(data, "broken.xls")
    assert info.value.code == "corrupt_file"
    assert "“broken.xls”是Excel 97-2003 工作簿（.xls），但 LibreOffice 无法打开它" in (
        info.value.message
    )


def test_password_protected_docx_and_odt_are_refused() -> None:
    # Office keeps an encrypted DOCX/XLSX in a compound file; ODF lists its encryption.
    ooxml = compound.build(
        {"EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 60, "EncryptedPackage": b"x"}
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest><manifest:file-entry manifest:full-path="content.xml">'
            "<manifest:encryption-data/></manifest:file-entry></manifest:manifest>",
        )
        archive.writestr("content.xml", b"\x8f\x00encrypted")
    for data, name in ((ooxml, "locked.docx"), (buffer.getvalue(), "locked.odt")):
        with pytest.raises(ImportRefused) as info:
            detect(data, name, max_unpacked=LIMIT)
        assert info.value.code == "encrypted_file", name


def _odf(mimetype: str, **members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", mimetype)
        for member, content in members.items():
            archive.writestr(member.replace("__", "/"), content)
    return buffer.getvalue()


def test_an_opendocument_zip_keeps_the_zip_bomb_limits() -> None:
    text = "application/vnd.oasis.opendocument.text"
    bomb = _odf(text, **{"content.xml": b"\0" * 3_000_000})
    with pytest.raises(ImportRefused) as info:
        detect(bomb, "bomb.odt", max_unpacked=1_000_000)
    assert info.value.code == "file_too_large"
    macros = _odf(text, **{"content.xml": b"<x/>", "Basic__Standard__Module1.xml": b""})
    assert detect(macros, "m.odt", max_unpacked=LIMIT) == Detected("odt", macros=True)
    book = _odf("application/epub+zip", **{"content.opf": b"<x/>"})
    with pytest.raises(ImportRefused) as info:
        detect(book, "book.odt", max_unpacked=LIMIT)
    assert info.value.code == "unsupported_format"
    assert "不是 OpenDocument 文本（.odt）或电子表格（.ods）" in info.value.message


def test_doc_with_a_macro_storage_is_read_with_a_warning(made: Path) -> None:
    # A Word 97 file as LibreOffice saved it, plus the `Macros` storage in which Word
    # keeps a VBA project (the project's bytes are not real VBA: only Word writes that).
    original = olefile.OleFileIO(str(made / "report_full.doc"))
    streams = {
        "/".join(path): original.openstream(path).read() for path in original.listdir()
    }
    original.close()
    streams["Macros/PROJECT"] = b'ID="{00000000-0000-0000-0000-000000000000}"\r\n'
    streams["Macros/VBA/dir"] = b"\x01" * 300
    streams["Macros/VBA/ThisDocument"] = b"Sub AutoOpen()\r\nEnd Sub\r\n"
    data = compound.build(streams)

    assert detect(data, "m.doc", max_unpacked=LIMIT) == Detected("doc", macros=True)
    report = parse_bytes(data, "m.doc")
    plain = _read(made / "report_full.doc")
    assert _cells(report) == _cells(plain)
    notes = [w for w in report.warnings if w.code == "extract_note"]
    assert [w.message for w in notes] == ["文件中含有宏（VBA），已忽略，未运行"]


def test_excel_97_macros_are_named_from_the_directory() -> None:
    data = compound.build(
        {"Workbook": _workbook_stream(), "_VBA_PROJECT_CUR/VBA/dir": b"\x01" * 100}
    )
    assert detect(data, "m.xls", max_unpacked=LIMIT) == Detected("xls", macros=True)
    assert detect(data, "m.et", max_unpacked=LIMIT) == Detected("et", macros=True)


def test_doc_that_is_a_web_page_is_read_as_the_web_page() -> None:
    # Old CMS exports: an HTML page (Word's own namespaces, GB18030) saved as .doc/.xls.
    page = PAGE.replace(
        "<html>", '<html xmlns:w="urn:schemas-microsoft-com:office:word">'
    ).encode("gb18030")
    expected = parse_bytes(PAGE.encode("utf-8"), "report.html")
    for name in ("report.doc", "report.xls", "report.wps"):
        report = parse_bytes(page, name)
        assert report.source.kind == "html" and report.source.name == name
        assert _cells(report) == _cells(expected)


def test_xls_that_is_tab_separated_text_is_read_as_text() -> None:
    # "Export to Excel" in old systems: tab-separated text under an .xls name.
    text = "一、本年新收政府信息公开申请数量\t5\t0\t0\t0\t0\t1\t6\n".encode("gb18030")
    assert detect(text, "导出.xls", max_unpacked=LIMIT) == Detected("text")


def test_doc_that_is_rtf_or_docx_is_read_as_what_it_is(made: Path) -> None:
    rtf = (made / "report_full.rtf").read_bytes()
    assert detect(rtf, "report.doc", max_unpacked=LIMIT) == Detected("rtf")
    docx = (made / "report_full.docx").read_bytes()
    report = parse_bytes(docx, "report.doc")
    assert report.source.kind == "docx"
    _assert_reads_alike(report, _read(made / "report_full.docx"))


@pytest.mark.parametrize(
    ("data", "name", "code", "words"),
    [
        (b"\x00\x01\x02binary", "r.doc", "corrupt_file", "扩展名表明是 Word"),
        (b"\x00\x01\x02binary", "r.et", "corrupt_file", "扩展名表明是 WPS 表格"),
        (
            compound.build({"PowerPoint Document": b"\0" * 100}),
            "r.doc",
            "unsupported_format",
            "不是 Word 文档或 Excel 工作簿",
        ),
        (compound.MAGIC + b"\0" * 600, "r.xls", "corrupt_file", "文件结构已损坏"),
    ],
)
def test_what_only_looks_like_an_old_office_file_is_refused(
    data: bytes, name: str, code: str, words: str
) -> None:
    with pytest.raises(ImportRefused) as info:
        detect(data, name, max_unpacked=LIMIT)
    assert info.value.code == code
    assert words in info.value.message and name in info.value.message


# --- intake and limits -------------------------------------------------------------------


def test_folders_and_zips_take_the_new_kinds_and_an_odt_is_no_archive(
    made: Path, tmp_path: Path
) -> None:
    names = ("report_full.doc", "report_full.wps", "report_full.rtf", "report_full.odt")
    names += ("hzq.xls", "hzq.et", "hzq.ods")
    for name in names:
        shutil.copyfile(made / name, tmp_path / name)
    assert sorted(p.name for p in sources.expand_paths([tmp_path])) == sorted(names)
    assert is_office_file((made / "report_full.odt").read_bytes())
    assert is_office_file((made / "hzq.ods").read_bytes())

    # An .ods is a zip too: inside a batch it is a document, not an archive to open.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(made / "hzq.ods", "年报/hzq.ods")
    documents = sources.read_bytes(buffer.getvalue(), "batch.zip", max_bytes=10**8)
    assert [(d.name, d.ok) for d in documents] == [("batch.zip/hzq.ods", True)]
    assert documents[0].reports[0].source.kind == "ods"


def _hanging_soffice(folder: Path) -> Path:
    """A program that never finishes and leaves a child behind, as a stuck
    LibreOffice would (oosplash and soffice.bin): both must be killed."""
    program = folder / "soffice"
    program.write_text(
        '#!/bin/sh\nsleep 300 &\necho $$ $! > "$HANG_PIDS"\nwait\n', "utf-8"
    )
    program.chmod(0o755)
    return program


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in ("Z", "X")  # killed, waiting only to be reaped by init


def test_a_conversion_past_its_time_is_stopped_with_its_process_group(
    settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.IMPORT_SOFFICE = str(_hanging_soffice(tmp_path))
    settings.IMPORT_CONVERT_TIMEOUT_SECONDS = 2
    monkeypatch.setenv("HANG_PIDS", str(tmp_path / "pids"))
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    data = compound.build({"WordDocument": _word_fib()})

    started = time.monotonic()
    with pytest.raises(ImportRefused) as info:
        parse_bytes(data, "stuck.doc")
    assert time.monotonic() - started < 10
    assert info.value.code == "resource_limit"
    assert "超过 2 秒" in info.value.message and "stuck.doc" in info.value.message
    pids = [int(p) for p in (tmp_path / "pids").read_text().split()]
    for _ in range(50):
        if all(_gone(pid) for pid in pids):
            break
        time.sleep(0.1)
    assert all(_gone(pid) for pid in pids), pids
    assert list(scratch.iterdir()) == []  # the private directory and profile are gone


def test_parse_report_converts_in_the_sandbox_and_names_the_kind(
    made: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from django.core.management import call_command

    call_command("parse_report", str(made / "report_full.doc"), format="text")
    out = capsys.readouterr().out
    assert "文件：report_full.doc（Word 97-2003 文档（.doc））" in out
    assert "机关：示例县卫生健康局" in out

"""What a file is, from its content: opened once, limits checked, kind and traits named.

The kind of a document is decided by its content (magic bytes), never by its name alone;
a name that promises a binary format the content does not have is refused as corrupt. An
office file (DOCX, XLSX) is a zip: it is opened here once, its member count and unpacked
size checked against the zip-bomb limits, and what the extractors need to know of it
(Word or Excel, the fill-in template or not, macros, formulas) read in the same pass, so
no later step opens the archive again to ask. Text is decoded as browsers and Windows
save it (UTF-8, GB18030, UTF-16 with or without a byte-order mark: charsets.py); a saved
web page (.mht/.mhtml) is told by its MIME header (mhtml.py).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from reports.importing import errors
from reports.importing.errors import ImportRefused
from reports.importing.intake import mhtml
from reports.importing.intake.charsets import decode_plain

# A report's office file has a few dozen parts; thousands is an attack.
MAX_MEMBERS = 2000
# The marker sheet of the system's fill-in template (reports/exporting/template_xlsx.py).
TEMPLATE_SHEET = "模板信息"
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_BINARY_SUFFIXES = {".pdf": "PDF", ".docx": "DOCX", ".xlsx": "Excel", ".doc": "Word"}
_IMAGES = (
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
)


@dataclass(frozen=True, slots=True)
class Detected:
    """A document's kind (pdf, docx, xlsx, html, mhtml, json, text) and its traits."""

    kind: str
    template: bool = False  # an XLSX holding the fill-in template's marker sheet
    macros: bool = False  # an office file carrying a VBA project (never run)
    formulas: bool = False  # an XLSX with at least one formula in a sheet


def detect(data: bytes, name: str, *, max_unpacked: int) -> Detected:
    """The document's kind and traits; refuses what is none of the kinds we read."""
    head = data[:2048]
    if head.lstrip(b"\x00\t\r\n ").startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return Detected("pdf")
    if head.startswith(b"PK\x03\x04"):
        return _office(data, name, max_unpacked)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused(
            errors.UNSUPPORTED_FORMAT,
            f"“{name}”是旧版 Word/Excel（.doc/.xls）文件，请另存为 .docx 或 PDF 后再导入",
        )
    for magic, label in _IMAGES:
        if head.startswith(magic):
            raise ImportRefused(
                errors.UNSUPPORTED_FORMAT, f"“{name}”是{label}，不是年报文档"
            )
    suffix = Path(name).suffix.lower()
    if suffix in _BINARY_SUFFIXES:
        raise ImportRefused(
            errors.CORRUPT_FILE,
            f"“{name}”的扩展名表明是 {_BINARY_SUFFIXES[suffix]} 文件，但内容不是"
            f"（文件头为 {head[:8]!r}），文件可能已损坏或被改名",
        )
    if mhtml.is_web_archive(data):
        return Detected("mhtml")
    start = decode_plain(data, name).text.lstrip("\ufeff \t\r\n")[:1000].lower()
    if (
        start.startswith(("<!doctype html", "<html", "<?xml"))
        or "<table" in start
        or "<body" in start
    ):
        return Detected("html")
    if start.startswith(("{", "[")):
        return Detected("json")
    return Detected("text")


def is_office_file(data: bytes) -> bool:
    """A DOCX or XLSX is a zip too; it is a document, not an archive of documents."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist()[:50])
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names


# --- office files -------------------------------------------------------------------------


def _office(data: bytes, name: str, max_unpacked: int) -> Detected:
    """Open the zip once: limits, then Word or Excel and what the extractor needs."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_limits(infos, name, max_unpacked)
            names = {info.filename for info in infos}
            macros = any(n.lower().endswith("vbaproject.bin") for n in names)
            if "word/document.xml" in names:
                return Detected("docx", macros=macros)
            if "xl/workbook.xml" in names:
                return Detected(
                    "xlsx",
                    template=_names_template(archive),
                    macros=macros,
                    formulas=_has_formulas(archive, names),
                )
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportRefused(
            errors.CORRUPT_FILE, f"“{name}”不是完整的 Office 文件（zip 包已损坏）"
        ) from exc
    if Path(name).suffix.lower() == ".docx":
        raise ImportRefused(
            errors.CORRUPT_FILE, f"“{name}”中没有 word/document.xml，不是有效的 DOCX"
        )
    raise ImportRefused(
        errors.UNSUPPORTED_FORMAT, f"“{name}”是 zip 压缩包，不是 DOCX 或 Excel 年报"
    )


def _check_limits(infos: list[zipfile.ZipInfo], name: str, max_unpacked: int) -> None:
    """Refuse zips that would unpack to too many members or too many bytes."""
    if len(infos) > MAX_MEMBERS:
        raise ImportRefused(
            errors.FILE_TOO_LARGE,
            f"“{name}”包含 {len(infos)} 个部件，超过上限 {MAX_MEMBERS}",
        )
    unpacked = sum(i.file_size for i in infos)
    if unpacked > max_unpacked:
        raise ImportRefused(
            errors.FILE_TOO_LARGE,
            f"“{name}”解压后有 {unpacked / 1048576:.0f} MB，超过上限 "
            f"{max_unpacked / 1048576:.0f} MB（疑似压缩炸弹）",
        )


def _names_template(archive: zipfile.ZipFile) -> bool:
    """Whether workbook.xml names the template's marker sheet (its first MB is enough)."""
    with archive.open("xl/workbook.xml") as handle:
        return TEMPLATE_SHEET.encode() in handle.read(1048576)


def _has_formulas(archive: zipfile.ZipFile, names: set[str]) -> bool:
    """Whether any sheet holds a formula (then the extractor finds which cells)."""
    for member in sorted(names):
        if member.startswith("xl/worksheets/") and member.endswith(".xml"):
            if _FORMULA_TAG.search(archive.read(member)):
                return True
    return False


# --- text ---------------------------------------------------------------------------------


def decode_text(data: bytes, name: str) -> str:
    """Text that must be read whole (interchange JSON): decoded as `charsets.decode_plain`
    reads text, but a byte that is not valid text refuses it, since nothing may be guessed."""
    decoded = decode_plain(data, name)
    if decoded.damaged:
        raise ImportRefused(
            errors.CORRUPT_FILE,
            f"“{name}”中有 {decoded.bad_bytes} 个字节不是有效的 {decoded.encoding} 文字"
            f"（{decoded.places()}），文件已损坏，未导入",
        )
    return decoded.text

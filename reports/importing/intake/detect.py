"""What a file is, from its content: opened once, limits checked, kind and traits named.

The kind of a document is decided by its content (magic bytes), never by its name alone;
a name that promises a binary format the content does not have is refused as corrupt (a
`.doc` or `.xls` that is really a web page, as old CMS exports save them, is read as one).
An office file (DOCX, XLSX, ODT, ODS) is a zip: it is opened here once, its member count
and unpacked size checked against the zip-bomb limits, and what the extractors need to know
of it (Word or Excel, the fill-in template or not, macros, formulas, a password) read in
the same pass, so no later step opens the archive again to ask. Word/Excel 97-2003 and WPS
files are OLE2 compound files (intake/ole.py) and RTF starts with `{\\rtf`; these kinds
are converted to DOCX/XLSX (intake/convert.py) before they are read. Text is decoded as
browsers and Windows save it (UTF-8, GB18030, UTF-16 with or without a byte-order mark:
charsets.py); a saved web page (.mht/.mhtml) is told by its MIME header (mhtml.py).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from reports.importing import errors
from reports.importing.errors import ImportRefused
from reports.importing.intake import mhtml, ole
from reports.importing.intake.charsets import decode_plain
from reports.importing.intake.salvage import salvage
from reports.template_layout import META_SHEET  # the template's marker sheet

# A report's office file has a few dozen parts; thousands is an attack.
MAX_MEMBERS = 2000
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_BINARY_SUFFIXES = {".pdf": "PDF", ".docx": "DOCX", ".xlsx": "Excel"}
# Old office names whose content may be a web page or tab-separated text (old CMS exports)
# or RTF: read as what the content is; binary content that is none of these is a damaged
# or renamed file.
_LEGACY_SUFFIXES = {
    ".doc": "Word",
    ".wps": "WPS 文字",
    ".xls": "Excel",
    ".et": "WPS 表格",
}
# Kinds LibreOffice converts (intake/convert.py), and to what, before the extractors read them.
CONVERTED = {
    "doc": "docx",
    "wps": "docx",
    "rtf": "docx",
    "odt": "docx",
    "xls": "xlsx",
    "et": "xlsx",
    "ods": "xlsx",
}
_ODF_KINDS = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.text-template": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.spreadsheet-template": "ods",
}
_IMAGES = (
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
)


@dataclass(frozen=True, slots=True)
class Detected:
    """A document's kind (pdf, docx, xlsx, html, mhtml, json, text, or a CONVERTED kind)
    and the traits read with it."""

    kind: str
    template: bool = False  # an XLSX holding the fill-in template's marker sheet
    macros: bool = False  # an office file carrying a VBA project (never run)
    formulas: bool = False  # an XLSX with at least one formula in a sheet
    # An .xls with a FILEPASS record: Excel also writes one for its built-in password
    # (a protected workbook opens without asking), so conversion is tried and its
    # failure then reads as the open password it is.
    encrypted: bool = False


def detect(data: bytes, name: str, *, max_unpacked: int) -> Detected:
    """The document's kind and traits; refuses what is none of the kinds we read."""
    head = data[:2048]
    if head.lstrip(b"\x00\t\r\n ").startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return Detected("pdf")
    if head.startswith(b"PK\x03\x04"):
        return _office(data, name, max_unpacked)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _compound(data, name)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        return Detected("rtf")
    for magic, label in _IMAGES:
        if head.startswith(magic):
            raise ImportRefused(
                errors.UNSUPPORTED_FORMAT, f"“{name}”是{label}，不是年报文档"
            )
    suffix = Path(name).suffix.lower()
    if suffix in _BINARY_SUFFIXES:
        raise _renamed(name, _BINARY_SUFFIXES[suffix], head)
    if mhtml.is_web_archive(data):
        return Detected("mhtml")
    try:
        decoded = decode_plain(data, name)
    except ImportRefused:
        if suffix in _LEGACY_SUFFIXES:
            raise _renamed(name, _LEGACY_SUFFIXES[suffix], head) from None
        raise
    # An old office file's name on bytes that are not clean text is a damaged (or
    # renamed) binary file, not a text with a few bad bytes.
    if suffix in _LEGACY_SUFFIXES and decoded.damaged:
        raise _renamed(name, _LEGACY_SUFFIXES[suffix], head)
    start = decoded.text.lstrip("\ufeff \t\r\n")[:1000].lower()
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
    """A DOCX, XLSX, ODT or ODS is a zip too; a document, not an archive of documents."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist()[:50])
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names or "mimetype" in names


def _renamed(name: str, promised: str, head: bytes) -> ImportRefused:
    return ImportRefused(
        errors.CORRUPT_FILE,
        f"“{name}”的扩展名表明是 {promised} 文件，但内容不是"
        f"（文件头为 {head[:8]!r}），文件可能已损坏或被改名",
    )


# --- OLE2 compound files (Word/Excel 97-2003, WPS) ----------------------------------------


def _compound(data: bytes, name: str) -> Detected:
    """A .doc/.wps or .xls/.et by its streams; its kind follows the name only between the
    two equivalent formats (WPS saves Word's and Excel's)."""
    try:
        content = ole.inspect(data)
    except ole.NotOle as exc:
        raise ImportRefused(
            errors.CORRUPT_FILE,
            f"“{name}”是 Office 97-2003 格式（OLE 复合文档），但文件结构已损坏，无法读取",
        ) from exc
    suffix = Path(name).suffix.lower()
    if content.app == "ooxml_encrypted":
        raise ImportRefused(
            errors.ENCRYPTED_FILE,
            f"“{name}”是设有打开密码的 Word/Excel 文件，无法读取；"
            "请在 Office 或 WPS 中取消密码后另存，再导入",
        )
    if content.app == "word":
        if content.encrypted:
            raise ImportRefused(
                errors.ENCRYPTED_FILE,
                f"“{name}”是设有打开密码的 Word 文档，无法读取；"
                "请在 Word 或 WPS 中取消密码后另存，再导入",
            )
        kind = "wps" if suffix == ".wps" else "doc"
        return Detected(kind, macros=content.macros)
    if content.app == "excel":
        kind = "et" if suffix == ".et" else "xls"
        return Detected(kind, macros=content.macros, encrypted=content.encrypted)
    raise ImportRefused(
        errors.UNSUPPORTED_FORMAT,
        f"“{name}”是 Office 97-2003 格式的文件，但不是 Word 文档或 Excel 工作簿"
        "（可能是 PowerPoint 等），不是年报文档",
    )


# --- office files -------------------------------------------------------------------------


def _office(data: bytes, name: str, max_unpacked: int) -> Detected:
    """Open the zip once: limits, then Word or Excel and what the extractor needs."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_limits(infos, name, max_unpacked)
            names = {info.filename for info in infos}
            macros = any(n.lower().endswith("vbaproject.bin") for n in names)
            if "mimetype" in names and "[Content_Types].xml" not in names:
                return _opendocument(archive, names, name)
            if "word/document.xml" in names:
                return Detected("docx", macros=macros)
            if "xl/workbook.xml" in names:
                return Detected(
                    "xlsx",
                    template=_names_template(archive),
                    macros=macros,
                    formulas=_has_formulas(archive, names),
                )
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as exc:
        return _damaged_office(data, name, max_unpacked, exc)
    if Path(name).suffix.lower() == ".docx":
        raise ImportRefused(
            errors.CORRUPT_FILE, f"“{name}”中没有 word/document.xml，不是有效的 DOCX"
        )
    raise ImportRefused(
        errors.UNSUPPORTED_FORMAT, f"“{name}”是 zip 压缩包，不是 DOCX 或 Excel 年报"
    )


def _damaged_office(
    data: bytes, name: str, max_unpacked: int, cause: Exception
) -> Detected:
    """A zip that zipfile cannot read, told apart by the parts its local headers name.

    salvage keeps the zip-bomb limits while it inflates; the extractor reads the parts
    again (this is only the damaged file's cost).
    """
    parts = salvage(data, name, max_unpacked=max_unpacked)
    macros = any(n.lower().endswith("vbaproject.bin") for n in parts)
    if "word/document.xml" in parts:
        return Detected("docx", macros=macros)
    if "xl/workbook.xml" in parts:
        raise ImportRefused(
            errors.CORRUPT_FILE,
            f"“{name}”的 zip 包已损坏（Excel 文件的部件无法完整读取），"
            "请用 Excel 打开后另存一份再导入",
        ) from cause
    raise ImportRefused(
        errors.CORRUPT_FILE, f"“{name}”不是完整的 Office 文件（zip 包已损坏）"
    ) from cause


def _opendocument(archive: zipfile.ZipFile, names: set[str], name: str) -> Detected:
    """An ODT or ODS, by the `mimetype` member every OpenDocument file starts with."""
    with archive.open("mimetype") as handle:
        mimetype = handle.read(200).decode("ascii", "replace").strip()
    kind = _ODF_KINDS.get(mimetype)
    if kind is None:
        raise ImportRefused(
            errors.UNSUPPORTED_FORMAT,
            f"“{name}”是 {mimetype[:60] or '未知类型'} 文件，"
            "不是 OpenDocument 文本（.odt）或电子表格（.ods）",
        )
    if "META-INF/manifest.xml" in names:
        with archive.open("META-INF/manifest.xml") as handle:
            if b"encryption-data" in handle.read(1048576):
                raise ImportRefused(
                    errors.ENCRYPTED_FILE,
                    f"“{name}”设有打开密码，无法读取；"
                    "请在 LibreOffice 或 WPS 中取消密码后另存，再导入",
                )
    # Basic/ holds the document's StarBasic or VBA modules, Scripts/ other languages.
    macros = any(n.startswith(("Basic/", "Scripts/")) for n in names)
    return Detected(kind, macros=macros)


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
        return META_SHEET.encode() in handle.read(1048576)


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

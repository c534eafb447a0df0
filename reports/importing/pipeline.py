"""Entry point: a file or bytes in, a ParsedReport out (or ImportRefused).

The kind of a document is decided by its content (magic bytes), never by its name alone;
a name that promises a binary format the content does not have is refused as corrupt.
Limits keep hostile inputs bounded: file size, PDF pages, DOCX zip members and sizes.
"""

from __future__ import annotations

import hashlib
import io
import json
import unicodedata
import zipfile
from pathlib import Path

from reports.importing import errors, interchange
from reports.importing.errors import ImportRefused
from reports.importing.extract.rows import Grid
from reports.importing.mapping.report import map_grid
from reports.importing.parsed import ParsedReport, SourceInfo

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_PAGES = 200

_BINARY_SUFFIXES = {".pdf": "PDF", ".docx": "DOCX", ".xlsx": "Excel", ".doc": "Word"}


def parse_file(
    path: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> ParsedReport:
    """Parse one document from disk; the size limit is checked before reading it."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportRefused(
            errors.CORRUPT_FILE, f"无法读取文件“{path.name}”：{exc}"
        ) from exc
    _check_size(size, max_bytes, path.name)
    return parse_bytes(
        path.read_bytes(), path.name, max_bytes=max_bytes, max_pages=max_pages
    )


def parse_bytes(
    data: bytes,
    name: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> ParsedReport:
    """Parse one document held in memory; `name` is used for messages and the suffix check."""
    _check_size(len(data), max_bytes, name)
    kind = detect_kind(data, name)
    source = SourceInfo(
        name=Path(name).name,
        kind=kind,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )
    if kind == "json":
        report = _from_json(data, name)
    elif kind == "xlsx":
        from reports.importing.extract import xlsx

        unpacked = _max_unpacked(max_bytes)
        if xlsx.is_template(data):
            # A filled template maps itself: its layout fixes where every cell is.
            report = xlsx.parse(data, name=name, max_unpacked=unpacked)
        else:
            book = xlsx.extract(data, name=name, max_unpacked=unpacked)
            report = xlsx.map_published(book, map_grid)
    else:
        report = map_grid(_extract(kind, data, name, max_bytes, max_pages))
    report.source = source
    return report


def detect_kind(data: bytes, name: str) -> str:
    """pdf, docx, xlsx, html, json or text, from the content; refuses what none of them is."""
    head = data[:2048]
    suffix = Path(name).suffix.lower()
    if head.lstrip(b"\x00\t\r\n ").startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        from reports.importing.extract import docx as docx_extract

        if _zip_has(data, "xl/workbook.xml"):
            return "xlsx"
        return docx_extract.zip_kind(data, name)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused(
            errors.UNSUPPORTED_FORMAT,
            f"“{name}”是旧版 Word/Excel（.doc/.xls）文件，请另存为 .docx 或 PDF 后再导入",
        )
    for magic, label in (
        (b"\x89PNG", "PNG 图片"),
        (b"\xff\xd8\xff", "JPEG 图片"),
        (b"GIF8", "GIF 图片"),
    ):
        if head.startswith(magic):
            raise ImportRefused(
                errors.UNSUPPORTED_FORMAT, f"“{name}”是{label}，不是年报文档"
            )
    if suffix in _BINARY_SUFFIXES:
        raise ImportRefused(
            errors.CORRUPT_FILE,
            f"“{name}”的扩展名表明是 {_BINARY_SUFFIXES[suffix]} 文件，但内容不是"
            f"（文件头为 {head[:8]!r}），文件可能已损坏或被改名",
        )
    text = decode_text(data, name)
    start = text.lstrip("\ufeff \t\r\n")[:1000].lower()
    if (
        start.startswith(("<!doctype html", "<html", "<?xml"))
        or "<table" in start
        or "<body" in start
    ):
        return "html"
    if start.startswith(("{", "[")):
        return "json"
    return "text"


def decode_text(data: bytes, name: str) -> str:
    """Text bytes as str (UTF-8, GB18030 or UTF-16, as Windows saves it); binary is refused."""
    utf16 = _utf16(data)
    if utf16 is not None:
        return utf16
    if b"\x00" in data[:4096]:
        raise ImportRefused(
            errors.UNSUPPORTED_FORMAT,
            f"“{name}”是无法识别的二进制文件，不是 PDF、DOCX、HTML 或文本",
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused(
        errors.UNSUPPORTED_FORMAT,
        f"“{name}”的文字编码无法识别（不是 UTF-8 或 GB18030）",
    )


_UTF16_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _utf16(data: bytes) -> str | None:
    """UTF-16 text (Notepad's "Unicode"), by its byte-order mark or its NUL bytes.

    Without a mark, mostly ASCII or CJK text in UTF-16 has its NUL bytes (the high byte
    of "\\n", digits, "|") on one side of each byte pair only; binary data has them on
    both. The decoded text must then read as text, or the bytes are not UTF-16.
    """
    encoding = None
    for bom, name in _UTF16_BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom) :], name
    if encoding is None:
        head = data[:4096]
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if max(even, odd) < 2 or len(data) % 2:
            return None
        # CJK characters such as 一 (U+4E00) put a few NULs on the other side too
        if odd >= 2 * even:
            encoding = "utf-16-le"
        elif even >= 2 * odd:
            encoding = "utf-16-be"
        else:
            return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    odd_chars = sum(1 for c in text[:4096] if _not_text(c))
    return text if odd_chars <= len(text[:4096]) // 100 else None


def _not_text(char: str) -> bool:
    """A control, unassigned or private-use character: no report prints one."""
    return char not in "\t\n\r\f" and unicodedata.category(char) in {"Cc", "Cn", "Co"}


def _zip_has(data: bytes, member: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return member in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _max_unpacked(max_bytes: int) -> int:
    """How far an office file (DOCX, XLSX) may unpack before it counts as a zip bomb."""
    return max(max_bytes * 10, 64 * 1048576)


def _check_size(size: int, max_bytes: int, name: str) -> None:
    if size > max_bytes:
        raise ImportRefused(
            errors.FILE_TOO_LARGE,
            f"“{Path(name).name}”有 {size / 1048576:.1f} MB，超过上限 {max_bytes / 1048576:.1f} MB",
        )


def _extract(kind: str, data: bytes, name: str, max_bytes: int, max_pages: int) -> Grid:
    if kind == "pdf":
        from reports.importing.extract import pdf

        return pdf.extract(data, name=name, max_pages=max_pages)
    if kind == "docx":
        from reports.importing.extract import docx

        return docx.extract(data, name=name, max_unpacked=_max_unpacked(max_bytes))
    if kind == "html":
        from reports.importing.extract import html

        return html.extract(decode_text(data, name))
    from reports.importing.extract import text

    return text.extract(decode_text(data, name))


def _from_json(data: bytes, name: str) -> ParsedReport:
    try:
        payload = json.loads(decode_text(data, name))
    except json.JSONDecodeError as exc:
        raise ImportRefused(
            errors.CORRUPT_FILE,
            f"“{name}”不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）",
        ) from exc
    try:
        return interchange.from_interchange(payload)
    except interchange.InterchangeError as exc:
        raise ImportRefused(
            errors.INVALID_INTERCHANGE, f"“{name}”不符合年报交换格式：{exc}"
        ) from exc

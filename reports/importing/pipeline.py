"""Entry point: a file or bytes in, a ParsedReport out (or ImportRefused).

intake/detect.py says what the bytes are (and checks an office file's zip limits, in the
one pass that opens it); a legacy or WPS office file (.doc, .xls, .wps, .et, .rtf, .odt,
.ods) is converted to DOCX/XLSX by LibreOffice (intake/convert.py) and read as that, its
source still the original file; the extractor of that kind turns them into rows of cells,
and mapping turns the rows into the report. Limits keep hostile inputs bounded: file size,
PDF pages, zip members and unpacked size.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reports.core.parsed import ParsedReport, ParseWarning, SourceInfo
from reports.importing import errors, interchange
from reports.importing.errors import ImportRefused
from reports.importing.extract.rows import Grid
from reports.importing.intake import charsets, mhtml
from reports.importing.intake.charsets import Decoded
from reports.importing.intake.detect import CONVERTED, Detected, decode_text, detect
from reports.importing.mapping.report import map_grid

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_PAGES = 200


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
    detected = detect(data, name, max_unpacked=_max_unpacked(max_bytes))
    # The source is the file handed in, also when LibreOffice converts it first.
    source = SourceInfo(
        name=Path(name).name,
        kind=detected.kind,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )
    macros = detected.macros
    if detected.kind in CONVERTED:
        from reports.importing.intake import convert

        data = convert.convert(
            data,
            detected.kind,
            CONVERTED[detected.kind],
            name=name,
            encrypted=detected.encrypted,
        )
        detected = detect(data, name, max_unpacked=_max_unpacked(max_bytes))
        if detected.kind != CONVERTED[source.kind]:
            raise ImportRefused(
                errors.CORRUPT_FILE,
                f"“{source.name}”经 LibreOffice 转换后不是 {CONVERTED[source.kind]} 文件",
            )
    report = _parse_detected(data, detected, name, max_bytes, max_pages, macros)
    report.source = source
    return report


def _parse_detected(
    data: bytes,
    detected: Detected,
    name: str,
    max_bytes: int,
    max_pages: int,
    macros: bool,
) -> ParsedReport:
    kind = detected.kind
    if kind == "json":
        return _from_json(data, name)
    if kind == "xlsx" and detected.template:
        from reports.importing.mapping import template

        # A filled template maps itself: its layout fixes where every cell is.
        return template.parse(data, name=name, macros=macros or detected.macros)
    if kind == "xlsx":
        from reports.importing.extract import xlsx
        from reports.importing.mapping import workbook

        book = xlsx.extract(data, name=name, formulas=detected.formulas)
        report = workbook.map_published(book)
    elif kind in _TEXT_KINDS:
        decoded = _decode(kind, data, name)
        report = _map(_TEXT_KINDS[kind](decoded.text), name)
        if decoded.damaged:
            warning = ParseWarning("damaged_text", decoded.note(Path(name).name))
            report.warnings.insert(0, warning)
    else:
        report = _map(_extract(kind, data, name, max_bytes, max_pages), name)
    if macros or detected.macros:
        report.warnings.append(
            ParseWarning("extract_note", "文件中含有宏（VBA），已忽略，未运行")
        )
    return report


def detect_kind(data: bytes, name: str) -> str:
    """pdf, docx, xlsx, html, mhtml, json, text or a converted kind (doc, xls ...),
    from the content; refuses what none of them is."""
    return detect(data, name, max_unpacked=_max_unpacked(DEFAULT_MAX_BYTES)).kind


def _max_unpacked(max_bytes: int) -> int:
    """How far an office file (DOCX, XLSX, ODT, ODS, and what LibreOffice made of a
    legacy file) may unpack before it counts as a zip bomb."""
    return max(max_bytes * 10, 64 * 1048576)


def _check_size(size: int, max_bytes: int, name: str) -> None:
    if size > max_bytes:
        raise ImportRefused(
            errors.FILE_TOO_LARGE,
            f"“{Path(name).name}”有 {size / 1048576:.1f} MB，超过上限 {max_bytes / 1048576:.1f} MB",
        )


def _map(grid: Grid, name: str) -> ParsedReport:
    """map_grid, its refusals naming the file; a damaged file's say what was lost."""
    try:
        return map_grid(grid)
    except ImportRefused as exc:
        label = Path(name).name
        if grid.damage is not None:
            raise ImportRefused(
                errors.CORRUPT_FILE,
                f"“{label}”已损坏，读到的部分中没有可识别的年报章节或表格"
                f"（{grid.damage.lost}）",
            ) from exc
        raise ImportRefused(exc.code, f"“{label}”：{exc.message}") from exc


def _extract(kind: str, data: bytes, name: str, max_bytes: int, max_pages: int) -> Grid:
    if kind == "pdf":
        from reports.importing.extract import pdf

        return pdf.extract(data, name=name, max_pages=max_pages)
    if kind == "docx":
        from reports.importing.extract import docx

        return docx.extract(data, name=name, max_unpacked=_max_unpacked(max_bytes))
    raise ValueError(f"no extractor for {kind!r}")  # detect() names no other kind


def _html(text: str) -> Grid:
    from reports.importing.extract import html

    return html.extract(text)


def _text(text: str) -> Grid:
    from reports.importing.extract import text as plain

    return plain.extract(text)


# Kinds read as text: their extractor, after `_decode`.
_TEXT_KINDS: dict[str, Callable[[str], Grid]] = {
    "html": _html,
    "mhtml": _html,
    "text": _text,
}


def _decode(kind: str, data: bytes, name: str) -> Decoded:
    """The text of an HTML page (its declared charset), a web archive's page, or text;
    bytes that are not valid text are kept as U+FFFD and reported (charsets.py)."""
    if kind == "mhtml":
        page = mhtml.read_page(data, name)
        return charsets.decode_page(page.html, name, declared=page.charset)
    if kind == "html":
        return charsets.decode_page(data, name)
    return charsets.decode_plain(data, name)


def json_load(data: bytes, name: str) -> Any:
    """The JSON value of an interchange file (one report or a list of them); a file that
    is not JSON is refused with the line and column where it stops being JSON."""
    try:
        return json.loads(decode_text(data, name))
    except json.JSONDecodeError as exc:
        raise ImportRefused(
            errors.CORRUPT_FILE,
            f"“{name}”不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）",
        ) from exc


def _from_json(data: bytes, name: str) -> ParsedReport:
    payload = json_load(data, name)
    try:
        return interchange.from_interchange(payload)
    except interchange.InterchangeError as exc:
        raise ImportRefused(
            errors.INVALID_INTERCHANGE, f"“{name}”不符合年报交换格式：{exc}"
        ) from exc

"""Entry point: a file or bytes in, a ParsedReport out (or ImportRefused).

intake/detect.py says what the bytes are (and checks an office file's zip limits, in the
one pass that opens it); the extractor of that kind turns them into rows of cells, and
mapping turns the rows into the report. Limits keep hostile inputs bounded: file size,
PDF pages, zip members and unpacked size.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from reports.importing import errors, interchange
from reports.importing.errors import ImportRefused
from reports.importing.extract.rows import Grid
from reports.importing.intake.detect import decode_text, detect
from reports.importing.mapping.report import map_grid
from reports.importing.parsed import ParsedReport, SourceInfo

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
    kind = detected.kind
    source = SourceInfo(
        name=Path(name).name,
        kind=kind,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )
    if kind == "json":
        report = _from_json(data, name)
    elif kind == "xlsx" and detected.template:
        from reports.importing.mapping import template

        # A filled template maps itself: its layout fixes where every cell is.
        report = template.parse(data, name=name, macros=detected.macros)
    elif kind == "xlsx":
        from reports.importing.extract import xlsx
        from reports.importing.mapping import workbook

        book = xlsx.extract(data, name=name, formulas=detected.formulas)
        report = workbook.map_published(book)
    else:
        report = map_grid(_extract(kind, data, name, max_bytes, max_pages))
    report.source = source
    return report


def detect_kind(data: bytes, name: str) -> str:
    """pdf, docx, xlsx, html, json or text, from the content; refuses what none of them is."""
    return detect(data, name, max_unpacked=_max_unpacked(DEFAULT_MAX_BYTES)).kind


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

        return docx.extract(data, name=name)
    if kind == "html":
        from reports.importing.extract import html

        return html.extract(decode_text(data, name))
    from reports.importing.extract import text

    return text.extract(decode_text(data, name))


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

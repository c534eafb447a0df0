"""Turn what a user hands in (files, folders, zip archives, uploads) into documents to parse.

A SourceDocument is one document with the reports parsed from it, or the reason it was
refused; one bad document never stops a batch. Zip archives are opened in memory with limits
on entry count and unpacked size, and their member names are never used as paths on disk.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from reports.core.parsed import ParsedReport, SourceInfo
from reports.importing import errors
from reports.importing.errors import ImportRefused
from reports.importing.intake.detect import is_office_file
from reports.importing.intake.sandbox import Limits, run_isolated
from reports.importing.interchange import InterchangeError, from_interchange
from reports.importing.pipeline import json_load, parse_bytes

DOCUMENT_SUFFIXES = frozenset(
    {
        ".pdf",
        ".docx",
        ".html",
        ".htm",
        ".mht",
        ".mhtml",
        ".txt",
        ".text",
        ".md",
        ".json",
        ".xlsx",
    }
    # converted by LibreOffice first (intake/convert.py)
    | {".doc", ".wps", ".rtf", ".odt", ".xls", ".et", ".ods"}
)
ZIP_SUFFIXES = frozenset({".zip"})
MAX_ZIP_ENTRIES = 500
ZIP_MAGIC = b"PK\x03\x04"


class SourceError(Exception):
    """A document that cannot be imported: a stable code and a message naming where."""

    def __init__(self, name: str, code: str, message: str) -> None:
        self.name = name
        self.code = code
        self.detail = message
        super().__init__(f"{name}：{code}：{message}")

    def __reduce__(self) -> tuple[type[SourceError], tuple[str, str, str]]:
        # Parsed in worker processes and sent back: rebuild from the three parts.
        return (SourceError, (self.name, self.code, self.detail))


@dataclass
class SourceDocument:
    """One document of a batch: its reports, or the error that refused it."""

    name: str
    reports: list[ParsedReport] = field(default_factory=list)
    error: SourceError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named directly, and the documents and archives inside named folders (sorted)."""
    wanted = DOCUMENT_SUFFIXES | ZIP_SUFFIXES
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in wanted
            )
        elif path.is_file():
            yield path
        else:
            raise SourceError(path.name, errors.CORRUPT_FILE, f"文件不存在：{path}")


def read_path(path: Path, *, max_bytes: int) -> list[SourceDocument]:
    """The documents of one file on disk (several for a zip archive)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return [
            SourceDocument(
                path.name, error=SourceError(path.name, errors.CORRUPT_FILE, str(exc))
            )
        ]
    if size > max_bytes:
        return [_too_large(path.name, size, max_bytes)]
    return read_bytes(path.read_bytes(), path.name, max_bytes=max_bytes)


def read_bytes(data: bytes, name: str, *, max_bytes: int) -> list[SourceDocument]:
    """The documents held in one upload or file: a zip archive is opened, others parsed."""
    if len(data) > max_bytes:
        return [_too_large(name, len(data), max_bytes)]
    if data.startswith(ZIP_MAGIC) and not is_office_file(data):
        return list(_read_zip(data, name, max_bytes=max_bytes))
    return [read_document(data, name, max_bytes=max_bytes)]


def read_document(
    data: bytes,
    name: str,
    *,
    max_bytes: int,
    isolated: bool = True,
    limits: Limits | None = None,
) -> SourceDocument:
    """Parse one document; a refusal becomes the document's error, never an exception.

    Every upload, file and zip member comes through here, so this is where parsing is put
    in a child process with CPU, memory and time limits (`limits`, by default from the
    settings). `isolated=False` parses in this process, for tests and debugging only.
    """
    try:
        if isolated:
            reports = run_isolated(
                _parse_document, data, name, max_bytes, name=name, limits=limits
            )
        else:
            reports = _parse_document(data, name, max_bytes)
    except ImportRefused as exc:
        return SourceDocument(name, error=SourceError(name, exc.code, exc.message))
    return SourceDocument(name, reports=reports)


def _parse_document(data: bytes, name: str, max_bytes: int) -> list[ParsedReport]:
    if _looks_like_json_list(data, name):
        return read_json_list(data, name)
    return [parse_bytes(data, name, max_bytes=max_bytes)]


def read_json_list(data: bytes, name: str) -> list[ParsedReport]:
    """Reports from an interchange JSON file holding a list of report objects."""
    items = json_load(data, name)
    if not items:
        raise ImportRefused(errors.INVALID_INTERCHANGE, "文件中没有年报")
    reports = []
    for index, item in enumerate(items, start=1):
        try:
            report = from_interchange(item)
        except InterchangeError as exc:
            raise ImportRefused(
                errors.INVALID_INTERCHANGE, f"第 {index} 份年报：{exc}"
            ) from exc
        # One file holds several reports: each gets its own fingerprint.
        digest = hashlib.sha256(
            json.dumps(item, ensure_ascii=False, sort_keys=True).encode()
        ).hexdigest()
        report.source = SourceInfo(
            name=name, kind="json", sha256=digest, size=len(data)
        )
        reports.append(report)
    return reports


def _looks_like_json_list(data: bytes, name: str) -> bool:
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"[") and (
        name.lower().endswith(".json") or head[1:2] in b" \r\n\t{"
    )


def _read_zip(data: bytes, name: str, *, max_bytes: int) -> Iterator[SourceDocument]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        yield SourceDocument(
            name, error=SourceError(name, errors.CORRUPT_FILE, f"压缩包已损坏：{exc}")
        )
        return
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > MAX_ZIP_ENTRIES:
            message = f"压缩包内有 {len(members)} 个文件，超过上限 {MAX_ZIP_ENTRIES} 个"
            yield SourceDocument(
                name, error=SourceError(name, errors.FILE_TOO_LARGE, message)
            )
            return
        total = sum(m.file_size for m in members)
        if total > max_bytes * 5:
            message = f"压缩包解压后共 {total} 字节，超过上限 {max_bytes * 5} 字节"
            yield SourceDocument(
                name, error=SourceError(name, errors.FILE_TOO_LARGE, message)
            )
            return
        for member in members:
            inner = PurePosixPath(member.filename)
            label = f"{name}/{inner.name}"
            if inner.is_absolute() or ".." in inner.parts:
                message = f"压缩包内的路径不安全：{member.filename}"
                yield SourceDocument(
                    label, error=SourceError(label, errors.CORRUPT_FILE, message)
                )
                continue
            if inner.suffix.lower() not in DOCUMENT_SUFFIXES or inner.name.startswith(
                "."
            ):
                continue  # __MACOSX, thumbnails and other files that are not reports
            if member.file_size > max_bytes:
                yield _too_large(label, member.file_size, max_bytes)
                continue
            with archive.open(member) as handle:
                # Read at most one byte past the limit: the declared size may lie.
                content = handle.read(max_bytes + 1)
            if len(content) > max_bytes:
                yield _too_large(label, len(content), max_bytes)
                continue
            yield read_document(content, label, max_bytes=max_bytes)


def _too_large(name: str, size: int, max_bytes: int) -> SourceDocument:
    message = f"文件大小 {size} 字节，超过上限 {max_bytes} 字节（{max_bytes // (1024 * 1024)} MB）"
    return SourceDocument(name, error=SourceError(name, errors.FILE_TOO_LARGE, message))

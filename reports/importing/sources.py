"""Turn paths given to import_reports into ParsedReports, one reader per source kind.

This is where each document kind plugs in: `read_source` looks at the file's content and
hands it to the reader for its kind. Errors name the file (and the key or page inside it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reports.importing.interchange import InterchangeError, from_interchange
from reports.importing.parsed import ParsedReport, SourceInfo

JSON_SUFFIXES = frozenset({".json"})
SUPPORTED_SUFFIXES = JSON_SUFFIXES


class SourceError(Exception):
    """A file that cannot be imported; the message says which file and where in it."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = str(path)
        self.detail = message
        super().__init__(f"{Path(self.path).name}：{message}")


@dataclass
class SourceReports:
    """The reports read from one file."""

    path: Path
    reports: list[ParsedReport]


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named directly, and the supported files inside named folders (sorted)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
            )
        elif path.exists():
            yield path
        else:
            raise SourceError(path, "文件不存在")


def read_source(path: Path, *, max_bytes: int) -> SourceReports:
    """Read one file into reports, or raise SourceError."""
    size = path.stat().st_size
    if size > max_bytes:
        raise SourceError(
            path, f"file_too_large：文件大小 {size} 字节，超过上限 {max_bytes} 字节"
        )
    data = path.read_bytes()
    if path.suffix.lower() in JSON_SUFFIXES or data.lstrip()[:1] in (b"{", b"["):
        return SourceReports(path, read_json(path, data))
    raise SourceError(
        path, "unsupported_format：不支持的文件类型（目前可导入 JSON 交换文件）"
    )


def read_json(path: Path, data: bytes) -> list[ParsedReport]:
    """Reports from an interchange JSON file: one object or a list of them."""
    try:
        payload = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SourceError(path, f"文件不是 UTF-8 编码（第 {exc.start} 字节）") from exc
    except json.JSONDecodeError as exc:
        raise SourceError(
            path, f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}"
        ) from exc
    items = payload if isinstance(payload, list) else [payload]
    if not items:
        raise SourceError(path, "文件中没有年报")
    sha = hashlib.sha256(data).hexdigest()
    reports = []
    for index, item in enumerate(items):
        where = f"第 {index + 1} 份年报：" if isinstance(payload, list) else ""
        try:
            report = from_interchange(item)
        except InterchangeError as exc:
            raise SourceError(path, f"{where}{exc}") from exc
        if not report.source.sha256:
            # One file may hold several reports: each gets its own fingerprint.
            digest = sha if len(items) == 1 else _item_digest(item)
            report.source = SourceInfo(
                name=path.name, kind="json", sha256=digest, size=len(data)
            )
        reports.append(report)
    return reports


def _item_digest(item: object) -> str:
    canonical = json.dumps(item, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(canonical).hexdigest()

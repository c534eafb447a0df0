"""Import batches kept on disk between upload and confirmation; never in the database.

A batch is a folder `<root>/<token>/` (root is settings.IMPORT_STAGING_ROOT in the admin)
holding `manifest.json` (who uploaded it, when, each document's name and refusal) and one
interchange JSON file per parsed report, with warnings, raw text and cell provenance. Plain
file I/O: no ORM, no settings; the caller passes the root folder and the user id.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reports.core.parsed import ParsedReport
from reports.importing.intake.sources import SourceDocument
from reports.importing.interchange import (
    MAX_YEAR,
    MIN_YEAR,
    InterchangeError,
    from_interchange,
    to_interchange,
)

MAX_AGE = dt.timedelta(hours=24)
MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
# Tokens come back in URLs: only this shape is ever joined to a path.
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# Stands in for a missing agency or year while the interchange reader checks the rest.
_PLACEHOLDER_AGENCY = "（未识别）"


class BatchNotFound(LookupError):
    """No batch under this token (never created, expired, confirmed or discarded)."""


class BatchForbidden(PermissionError):
    """The batch belongs to another user."""


@dataclass
class StagedDocument:
    """One uploaded document: its parsed reports, or the code and message that refused it."""

    name: str
    reports: list[ParsedReport] = field(default_factory=list)
    error_code: str = ""
    error_detail: str = ""

    @property
    def ok(self) -> bool:
        return not self.error_code


@dataclass
class Batch:
    """One upload as staged: its owner, when it was made, and its documents in order."""

    token: str
    user_id: int
    created_at: dt.datetime
    documents: list[StagedDocument]


def is_token(token: str) -> bool:
    """Whether `token` has the shape of a batch token (safe to use as a folder name)."""
    return bool(_TOKEN_RE.match(token))


def batch_write(
    root: Path,
    documents: Iterable[SourceDocument],
    *,
    user_id: int,
    now: dt.datetime | None = None,
) -> str:
    """Stage the documents of one upload for `user_id`; returns the new batch's token."""
    created = now or dt.datetime.now(dt.UTC)
    token = secrets.token_urlsafe(18)
    root.mkdir(parents=True, exist_ok=True)
    # Written under a hidden name and renamed: a half-written batch is never readable.
    work = root / f".{token}.tmp"
    work.mkdir()
    entries: list[dict[str, Any]] = []
    for d, document in enumerate(documents):
        files: list[str] = []
        for r, report in enumerate(document.reports):
            name = f"{d}-{r}.json"
            _write_json(work / name, to_interchange(report))
            files.append(name)
        error = document.error
        entries.append(
            {
                "name": document.name,
                "error": (
                    {"code": error.code, "detail": error.detail} if error else None
                ),
                "reports": files,
            }
        )
    manifest = {
        "version": MANIFEST_VERSION,
        "user_id": user_id,
        "created_at": created.isoformat(),
        "documents": entries,
    }
    _write_json(work / MANIFEST, manifest)
    work.rename(root / token)
    return token


def batch_read(root: Path, token: str, *, user_id: int) -> Batch:
    """The batch `token` of `user_id`; BatchNotFound or BatchForbidden otherwise."""
    folder = _folder(root, token)
    manifest = _read_manifest(folder)
    try:
        created_at = _parse_time(manifest.get("created_at"))
    except ValueError as exc:
        raise BatchNotFound(token) from exc
    if manifest.get("user_id") != user_id:
        raise BatchForbidden(token)
    documents = []
    for entry in manifest.get("documents", []):
        document = StagedDocument(name=str(entry.get("name", "")))
        error = entry.get("error")
        if error:
            document.error_code = str(error.get("code", ""))
            document.error_detail = str(error.get("detail", ""))
        for name in entry.get("reports", []):
            try:
                document.reports.append(_read_report(folder / Path(name).name))
            except (OSError, ValueError) as exc:
                document.reports = []
                document.error_code = "invalid_interchange"
                document.error_detail = f"暂存的解析结果无法读取：{exc}"
                break
        documents.append(document)
    return Batch(
        token=token,
        user_id=user_id,
        created_at=created_at,
        documents=documents,
    )


def batch_delete(root: Path, token: str) -> bool:
    """Remove the batch folder; False when there was none."""
    if not is_token(token):
        return False
    folder = root / token
    if not folder.is_dir():
        return False
    shutil.rmtree(folder, ignore_errors=True)
    return True


def batch_purge(
    root: Path, *, max_age: dt.timedelta = MAX_AGE, now: dt.datetime | None = None
) -> int:
    """Remove batches (and abandoned half-written ones) older than `max_age`; the count."""
    if not root.is_dir():
        return 0
    limit = (now or dt.datetime.now(dt.UTC)) - max_age
    removed = 0
    for folder in root.iterdir():
        if not folder.is_dir():
            continue
        if _created_at(folder) < limit:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


# --- helpers ---------------------------------------------------------------------------------


def _folder(root: Path, token: str) -> Path:
    if not is_token(token):
        raise BatchNotFound(token)
    folder = root / token
    if not (folder / MANIFEST).is_file():
        raise BatchNotFound(token)
    return folder


def _read_manifest(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise BatchNotFound(folder.name) from exc
    if not isinstance(data, dict):
        raise BatchNotFound(folder.name)
    return data


def _read_report(path: Path) -> ParsedReport:
    """An interchange file back into a ParsedReport, keeping a missing agency or year.

    The importer may not find the agency or the year in a document; the interchange reader
    requires both, so they are stood in for while it checks the rest, then put back.
    """
    data = json.loads(path.read_text("utf-8"))
    if not isinstance(data, dict):
        raise InterchangeError("暂存文件应是一个 JSON 对象")
    given = data.get("agency")
    agency = given if isinstance(given, str) else ""
    year = data.get("year")
    year_ok = (
        isinstance(year, int)
        and not isinstance(year, bool)
        and MIN_YEAR <= year <= MAX_YEAR
    )
    patched = {
        **data,
        "agency": agency.strip() or _PLACEHOLDER_AGENCY,
        "year": year if year_ok else MIN_YEAR,
    }
    report = from_interchange(patched)
    report.agency = agency.strip()
    report.year = year if isinstance(year, int) and not isinstance(year, bool) else None
    return report


def _created_at(folder: Path) -> dt.datetime:
    """When a batch was made: from its manifest, else the folder's modification time."""
    try:
        return _parse_time(_read_manifest(folder).get("created_at"))
    except (BatchNotFound, ValueError):
        pass
    return dt.datetime.fromtimestamp(folder.stat().st_mtime, dt.UTC)


def _parse_time(value: Any) -> dt.datetime:
    if not isinstance(value, str):
        raise ValueError("created_at missing")
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")

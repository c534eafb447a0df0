"""Saved web pages (.mht/.mhtml): the page's HTML out of its MIME web archive.

Chrome and Edge ("Save as… single file"), IE and Word ("Web archive") save a page with its
images as one MIME message of type multipart/related: a header block (`From:`,
`Subject:`, `Date:`, `MIME-Version:`, `Content-Type: multipart/related; boundary=…`),
then the page and each resource as a part, quoted-printable or base64. The page is the
part the `start` parameter names (its Content-ID), else the part at the archive's
(Snapshot-)Content-Location, else the first text/html part; its charset is the part's
MIME charset or, when that has none (Chrome, IE), the page's own `<meta>`. Images and
other parts are never decoded. The standard library's `email` parser reads it; the parts
are counted before it runs, so a message of many thousand parts or deep nesting is
refused first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import policy
from email.message import Message
from email.parser import BytesParser

from reports.importing import errors
from reports.importing.errors import ImportRefused

# A saved report page has tens of parts (the page, its images, styles, frames).
MAX_PARTS = 2000
MAX_CONTAINERS = 32  # multipart parts holding parts: one or two in a real archive
_HEAD = 16384  # the header block is read from the file's start
_FIELD = re.compile(rb"[!-9;-~]+:")
_RELATED = re.compile(rb"^content-type:\s*multipart/related\b", re.I | re.M)
_BOUNDARY = re.compile(
    rb'boundary\s*=\s*(?:"([^"\r\n]{1,200})"|([^\s;"]{1,200}))', re.I
)
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class Page:
    """The archived page: its bytes (transfer encoding undone) and its MIME charset."""

    html: bytes
    charset: str | None


def is_web_archive(data: bytes) -> bool:
    """Whether `data` starts with a MIME header block of type multipart/related."""
    text = data[:_HEAD].lstrip(b"\xef\xbb\xbf\r\n\t ")
    block = re.split(rb"\r?\n\r?\n", text, maxsplit=1)[0]
    lines = block.splitlines()
    if not lines or not _FIELD.match(lines[0]):
        return False
    if any(not (_FIELD.match(line) or line[:1] in (b" ", b"\t")) for line in lines):
        return False
    return _RELATED.search(block) is not None


def read_page(data: bytes, name: str) -> Page:
    """The archive's page; refused when it holds none, or too many parts to be a page."""
    _check_parts(data, name)
    try:
        message = BytesParser(policy=policy.default).parsebytes(data)
    except (RecursionError, ValueError, LookupError) as exc:
        raise ImportRefused(
            errors.CORRUPT_FILE, f"“{name}”不是完整的网页存档（MIME 结构无法读取）"
        ) from exc
    part = _root(message)
    if part is None:
        raise ImportRefused(
            errors.CORRUPT_FILE, f"“{name}”是网页存档，但其中没有网页（text/html）部分"
        )
    payload = part.get_payload(decode=True)
    html = payload if isinstance(payload, bytes) else b""
    return Page(html, part.get_content_charset())


def _check_parts(data: bytes, name: str) -> None:
    """Refuse archives with more parts, or more nested multiparts, than a page has."""
    boundaries = {a or b for a, b in _BOUNDARY.findall(data)}
    if len(boundaries) > MAX_CONTAINERS:
        raise ImportRefused(
            errors.FILE_TOO_LARGE,
            f"“{name}”中有 {len(boundaries)} 层或组 MIME 分隔，超过上限 {MAX_CONTAINERS}",
        )
    parts = sum(
        len(re.findall(rb"(?m)^--" + re.escape(boundary), data))
        for boundary in boundaries
    )
    if parts > MAX_PARTS:
        raise ImportRefused(
            errors.FILE_TOO_LARGE,
            f"“{name}”包含 {parts} 个部分，超过上限 {MAX_PARTS}",
        )


def _root(message: Message) -> Message | None:
    """The part that is the page (see the module docstring for the order)."""
    leaves = [p for p in message.walk() if not p.is_multipart()]
    pages = [p for p in leaves if p.get_content_type() in _HTML_TYPES]
    start = message.get_param("start")
    if isinstance(start, str) and start.strip("<> "):
        wanted = start.strip("<> ")
        for part in pages:
            if str(part.get("Content-ID", "")).strip("<> ") == wanted:
                return part
    for header in ("Snapshot-Content-Location", "Content-Location"):
        location = str(message.get(header, "")).strip()
        if not location:
            continue
        for part in pages:
            if str(part.get("Content-Location", "")).strip() == location:
                return part
    return pages[0] if pages else None

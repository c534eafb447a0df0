"""Rebuild a damaged PDF with qpdf (through pikepdf), as a viewer does before showing it.

A PDF cut short by an interrupted download has no cross-reference table and no trailer;
pdfminer refuses it, qpdf rebuilds the table by scanning the objects that are there. What
the rebuild could not save is in qpdf's warnings, which name objects and byte offsets: a
page that reaches such an object (its content, resources, fonts) is damaged, and a page of
the page tree that could not be read at all is lost. Streams are written back as they were
(no decoding), so a stream qpdf kept although it is damaged is still found damaged by
pdf_streams when the page is read.

Only called after pdfminer failed: an intact file never pays for it (pikepdf is not even
imported).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from reports.importing import errors
from reports.importing.errors import ImportRefused

_OBJECT = re.compile(r"object (\d+) (\d+)")
_OFFSET = re.compile(r"offset (\d+)")
_KIDS = re.compile(rb"/Kids\s*\[([^\]]*)\]")
_REF = re.compile(rb"(\d+)\s+(\d+)\s+R")
_SKIP = frozenset({"/Parent", "/P", "/Dest", "/Annots", "/B", "/Metadata"})
_MAX_OBJECTS = 5000  # objects walked per page: a hostile resource graph stays bounded


@dataclass
class Repaired:
    """The rebuilt file and what the rebuild says was lost.

    `damaged` holds page numbers of the rebuilt file that reach an object qpdf warned
    about; `lost_before` the rebuilt page number before which a page of the tree could not
    be read (len(pages) + 1 when the lost pages were at the end).
    """

    data: bytes
    pages: int
    damaged: set[int] = field(default_factory=set)
    lost_before: list[int] = field(default_factory=list)
    offset: int | None = None
    warnings: list[str] = field(default_factory=list)


def repair(data: bytes, name: str) -> Repaired:
    """The PDF rebuilt by qpdf, or a corrupt_file refusal when even qpdf cannot open it."""
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data), attempt_recovery=True)
    except pikepdf.PasswordError as exc:
        raise ImportRefused(
            errors.ENCRYPTED_PDF,
            f"“{name}”是加密的 PDF，需要密码才能打开，请提供未加密的文件",
        ) from exc
    except Exception as exc:
        raise ImportRefused(
            errors.CORRUPT_FILE,
            f"“{name}”已损坏，连文件结构也无法修复，无法作为 PDF 读取",
        ) from exc
    with pdf:
        try:
            pages = list(pdf.pages)
            opened = list(pdf.get_warnings())
            warned = {(int(a), int(b)) for w in opened for a, b in _OBJECT.findall(w)}
            repaired = Repaired(b"", len(pages), warnings=opened)
            repaired.lost_before = _lost(data, pdf, pages, opened)
            for number, page in enumerate(pages, start=1):
                # a content stream lost in the rebuild leaves the page without /Contents
                if "/Contents" not in page.obj or _reaches(page.obj, warned):
                    repaired.damaged.add(number)
            out = io.BytesIO()
            pdf.save(
                out,
                compress_streams=False,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                fix_metadata_version=False,
            )
        except Exception as exc:
            raise ImportRefused(
                errors.CORRUPT_FILE,
                f"“{name}”已损坏，修复文件结构时失败，无法作为 PDF 读取",
            ) from exc
        repaired.warnings.extend(pdf.get_warnings())
    offsets = [int(m) for w in repaired.warnings for m in _OFFSET.findall(w)]
    repaired.offset = min(offsets) if offsets else None
    repaired.data = out.getvalue()
    return repaired


def _reaches(page: Any, warned: set[tuple[int, int]]) -> bool:
    """Whether the page's content or resources reach an object qpdf warned about."""
    import pikepdf

    if not warned:
        return False
    stack: list[Any] = [page]
    parent = page.get("/Parent")
    for _ in range(32):  # resources a page inherits from the page tree
        if not isinstance(parent, pikepdf.Dictionary):
            break
        stack.append(parent.get("/Resources"))
        parent = parent.get("/Parent")
    seen: set[tuple[int, int]] = set()
    while stack and len(seen) < _MAX_OBJECTS:
        item = stack.pop()
        if not isinstance(item, pikepdf.Object):
            continue  # a number, a name, a string: pikepdf gives Python values
        if item.is_indirect:
            key = item.objgen
            if key in warned:
                return True
            if key in seen:
                continue
            seen.add(key)
        if isinstance(item, pikepdf.Stream):
            item = item.stream_dict
        if isinstance(item, pikepdf.Dictionary):
            stack.extend(v for k, v in item.items() if k not in _SKIP)
        elif isinstance(item, pikepdf.Array):
            stack.extend(item)
    return False


def _lost(data: bytes, pdf: Any, pages: list[Any], warnings: list[str]) -> list[int]:
    """Where in the page order the pages qpdf dropped from the page tree stood.

    qpdf drops unreadable entries while it rebuilds the file and names them in its
    warnings; where they stood is read from the page tree's /Kids as the file prints it.
    When that cannot be read (a nested tree, an unreadable /Kids), no place is known and
    the answer is "before the first page": nothing is trusted.
    """
    dropped = {
        (int(a), int(b))
        for w in warnings
        if "Pages tree" in w
        for a, b in _OBJECT.findall(w)
    }
    if not dropped:
        return []
    kids = _printed_kids(data, pdf.Root.get("/Pages"))
    found = [page.obj.objgen for page in pages]
    if kids is None:
        return [1]
    lost: list[int] = []
    count = 0
    for ref in kids:
        if count < len(found) and ref == found[count]:
            count += 1
        elif ref in dropped:
            lost.append(count + 1)
        else:
            return [1]
    return lost if count == len(found) else [1]


def _printed_kids(data: bytes, root: Any) -> list[tuple[int, int]] | None:
    """The page tree root's /Kids references as the file prints them (its last copy)."""
    if root is None or not root.is_indirect:
        return None
    number, generation = root.objgen
    heads = list(re.finditer(rb"(?<![0-9])%d %d obj" % (number, generation), data))
    if not heads:
        return None
    body = data[heads[-1].end() : heads[-1].end() + 65536]
    end = body.find(b"endobj")
    kids = _KIDS.search(body[: end if end >= 0 else len(body)])
    if kids is None:
        return None
    return [(int(a), int(b)) for a, b in _REF.findall(kids.group(1))]

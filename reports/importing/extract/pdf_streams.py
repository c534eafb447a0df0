"""Whether a PDF page's text can be trusted: every compressed stream it reads decodes whole.

pdfminer decodes a damaged Flate stream leniently: it keeps what inflates before the damage,
or nothing, and says so at most in a log line. A page whose content stream, font map
(ToUnicode) or form was damaged would then read as a page with less text, or with other
characters, and nothing would tell. So before a page is read, the streams it will read are
inflated here, strictly (the stream must end and its Adler-32 checksum must match); a page
reaching one that does not is damaged. Font programs are not read for text when the font
has a ToUnicode map, and images never are: those are not checked. A content stream that
selects a font its page's resources do not hold (a font object lost in the damage: pdfminer
would read its text with a stand-in font) damages the page too.

Each stream is inflated once per document (the results are kept by object number), so an
intact file pays one extra inflate of its content streams and font maps, a few
milliseconds.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from typing import Any

from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1
from pdfminer.psparser import PSLiteral

# Keys that lead away from the page (the page tree, annotations' parents, outlines).
_SKIP = frozenset({"Parent", "P", "Dest", "Annots", "B", "StructParents", "Metadata"})
_FONT_PROGRAMS = frozenset({"FontFile", "FontFile2", "FontFile3"})
_SELECT_FONT = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+[-+.0-9]+\s+Tf\b")
_SLICE = 1 << 20
_MAX_CONTENT = 64 << 20  # a page's content read for its font names, at most
_MAX_OBJECTS = 5000  # objects walked per page: a hostile resource graph stays bounded


@dataclass
class StreamCheck:
    """Strict inflate of the streams each page reads, remembered per object number."""

    verdicts: dict[int, bool] = field(default_factory=dict)
    # objects known damaged beforehand (pdf_xref: bytes inserted into or cut out of them)
    bad: set[int] = field(default_factory=set)

    def damaged(self, page: Any) -> int | None:
        """The object number of a damaged stream the page reads, or None when all decode.

        A font the content selects but the resources lack gives -1 (no object to name).
        """
        pageid: int = page.pageid
        if pageid in self.bad:
            return pageid
        contents = resolve1(page.attrs.get("Contents"))
        contents = contents if isinstance(contents, list) else [contents]
        fonts = resolve1(page.resources.get("Font")) if page.resources else None
        for item in contents:
            if isinstance(item, PDFObjRef):
                stream = resolve1(item)
                if isinstance(stream, PDFStream) and not _fonts_held(stream, fonts):
                    return -1
        seen: set[int] = set()
        stack: list[tuple[Any, bool]] = [(page.attrs.get("Contents"), False)]
        stack.append((page.resources, False))
        walked = 0
        while stack and walked < _MAX_OBJECTS:
            item, skip_programs = stack.pop()
            walked += 1
            objid = None
            if isinstance(item, PDFObjRef):
                objid = item.objid
                if objid in self.bad:
                    return objid
                if objid in seen:
                    continue
                seen.add(objid)
                try:
                    item = resolve1(item)
                except Exception:  # a reference to an object that cannot be read
                    return objid
            if isinstance(item, PDFStream):
                if _is_image(item):
                    continue
                if objid is not None and not self._decodes(objid, item):
                    return objid
                item = item.attrs
            if isinstance(item, dict):
                programs = skip_programs or "ToUnicode" in item
                for key, value in item.items():
                    if key in _SKIP or (programs and key in _FONT_PROGRAMS):
                        continue
                    stack.append((value, programs))
            elif isinstance(item, list):
                stack.extend((value, skip_programs) for value in item)
        return None

    def _decodes(self, objid: int, stream: PDFStream) -> bool:
        verdict = self.verdicts.get(objid)
        if verdict is None:
            verdict = _inflates(stream)
            self.verdicts[objid] = verdict
        return verdict


def _fonts_held(stream: PDFStream, fonts: Any) -> bool:
    """Whether every font the content stream selects (`/F1 12 Tf`) is in the resources."""
    if stream.rawdata is None or stream.decipher is not None or not _flate(stream):
        return True
    inflater = zlib.decompressobj()
    try:
        content = inflater.decompress(stream.rawdata, _MAX_CONTENT)
    except zlib.error:
        return True  # a damaged stream: the walk below names it
    if not inflater.eof:
        return True  # cut, damaged (named below) or enormous (the sandbox's limits)
    names = {_name(m) for m in _SELECT_FONT.findall(content)}
    held = set(fonts) if isinstance(fonts, dict) else set()
    return names <= held


def _name(raw: bytes) -> str:
    """A PDF name as pdfminer keys it: #xx escapes decoded."""
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m[1], 16)]), raw).decode(
        "latin-1"
    )


def _flate(stream: PDFStream) -> bool:
    filters = stream.get_filters()
    return len(filters) == 1 and getattr(filters[0][0], "name", "") in (
        "FlateDecode",
        "Fl",
    )


def _is_image(stream: PDFStream) -> bool:
    subtype = stream.attrs.get("Subtype")
    return isinstance(subtype, PSLiteral) and subtype.name == "Image"


def _inflates(stream: PDFStream) -> bool:
    """A stream compressed with Flate alone inflates to its end with a valid checksum.

    Streams already decoded by pdfminer (rawdata gone), encrypted ones and other filters
    cannot be checked here and count as sound: no check would tell more.
    """
    raw = stream.rawdata
    if raw is None or stream.decipher is not None:
        return True
    if not _flate(stream):
        return True
    inflater = zlib.decompressobj()
    pending = raw
    total = 0
    try:
        while not inflater.eof:
            # in slices: a stream that inflates enormously is not held in memory here
            out = inflater.decompress(pending, _SLICE)
            pending = inflater.unconsumed_tail
            total += len(out)
            if total > _MAX_CONTENT:
                return True  # no report's stream: left to the sandbox's limits
            if not out and not pending:
                break
    except zlib.error:
        return False
    return inflater.eof

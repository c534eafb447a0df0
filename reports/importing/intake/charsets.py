"""Text bytes as str, the way browsers and Windows read them, with damaged bytes in view.

A web page is read by its byte-order mark first, then by the charset it declares (the MIME
header of a saved web archive's part, or a `<meta charset>` / `<meta http-equiv=
"Content-Type">` in the page), through the label table browsers use (WHATWG Encoding:
`gb2312`, `gbk`, `x-gbk`, `chinese`, … name GBK, whose decoder is GB18030's, so GBK bytes
in a page declared gb2312 decode; `big5` is Big5-HKSCS; `iso-8859-1`, `latin1` and `ascii`
are windows-1252). A declaration the bytes contradict (a page declared utf-8 whose bytes
are GBK) gives way to the guess plain text gets: UTF-16 by its byte-order mark or its NUL
bytes, else UTF-8 or GB18030, whichever has fewer invalid bytes. No annual report is
written in Latin-1, so a page declared windows-1252 whose bytes are valid UTF-8 or GB18030
is read as those.

A text with a few bytes that are not valid in its encoding (a flipped byte, a character
cut short, a zeroed run) is still read: each invalid sequence, and each NUL or control
byte, becomes U+FFFD, and their byte offsets and lines are kept for a warning; mapping
then marks every cell read from a row holding U+FFFD uncertain. Only text that is mostly
invalid is refused, as binary.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from contextvars import ContextVar
from dataclasses import dataclass, field

from reports.importing import errors
from reports.importing.errors import ImportRefused

REPLACEMENT = "\ufffd"

# WHATWG Encoding Standard labels -> the Python codec that decodes them as browsers do.
_WHATWG: dict[str, tuple[str, ...]] = {
    "utf-8": (
        "unicode-1-1-utf-8",
        "unicode11utf8",
        "unicode20utf8",
        "utf-8",
        "utf8",
        "x-unicode20utf8",
    ),
    "gb18030": (
        "chinese",
        "csgb2312",
        "csiso58gb231280",
        "gb18030",
        "gb2312",
        "gb_2312",
        "gb_2312-80",
        "gbk",
        "iso-ir-58",
        "x-gbk",
    ),
    "big5hkscs": ("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"),
    "cp1252": (
        "ansi_x3.4-1968",
        "ascii",
        "cp1252",
        "cp819",
        "csisolatin1",
        "ibm819",
        "iso-8859-1",
        "iso-ir-100",
        "iso8859-1",
        "iso88591",
        "iso_8859-1",
        "iso_8859-1:1987",
        "l1",
        "latin1",
        "us-ascii",
        "windows-1252",
        "x-cp1252",
    ),
    "utf-16-le": (
        "csunicode",
        "iso-10646-ucs-2",
        "ucs-2",
        "unicode",
        "unicodefeff",
        "utf-16",
        "utf-16le",
    ),
    "utf-16-be": ("unicodefffe", "utf-16be"),
}
LABELS: dict[str, str] = {
    label: codec for codec, labels in _WHATWG.items() for label in labels
}
# How an encoding is named to people (in warnings).
NAMES = {
    "utf-8": "UTF-8",
    "gb18030": "GB18030",
    "big5hkscs": "Big5",
    "cp1252": "windows-1252",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
}
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_GUESSES = ("utf-8", "gb18030")
_SAMPLE = 65536  # bytes read to order the guesses before a full decode
_SHOWN = 10  # damaged places named in a warning
# NUL and control bytes no report prints (a zeroed run, a flipped bit): damage too.
# Tab, line feed, vertical tab, form feed (pdftotext's page break) and CR are text.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
# A meta charset in the page's head, either form; comments are not read.
_META_CHARSET = re.compile(
    rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([-\w.:]+)", re.IGNORECASE
)
_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_META_SCAN = 65536
_LINE_BREAK = re.compile("\r\n?|\n")


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text read from bytes, its codec, and the byte ranges that were not valid text."""

    text: str
    codec: str
    damaged: tuple[tuple[int, int], ...] = ()  # (byte offset, length), in order
    lines: tuple[int, ...] = field(default=())  # the line of each damaged range shown

    @property
    def bad_bytes(self) -> int:
        return sum(length for _, length in self.damaged)

    @property
    def encoding(self) -> str:
        """The encoding as people name it."""
        return NAMES.get(self.codec, self.codec)

    def places(self) -> str:
        """Where the damage is: "字节位置 12、40，第 2、3 行" (the first few places)."""
        offsets = "、".join(str(offset) for offset, _ in self.damaged[:_SHOWN])
        lines = "、".join(str(line) for line in dict.fromkeys(self.lines))
        more = "等" if len(self.damaged) > _SHOWN else ""
        return f"字节位置 {offsets}{more}，第 {lines} 行{more}"

    def note(self, name: str) -> str:
        """The warning a damaged text gets: how many bytes, where, what follows."""
        return (
            f"“{name}”中有 {self.bad_bytes} 个字节不是有效的 {self.encoding} 文字"
            f"（{self.places()}），已显示为“{REPLACEMENT}”；"
            "从这些行读到的单元格均标为存疑，请对照原文核对"
        )


def codec_for(label: str, *, in_page: bool = False) -> str | None:
    """The codec a charset label names (WHATWG labels), or None for a label we do not read.

    A page that declares UTF-16 in a `<meta>` could be read as ASCII to find it, so it is
    not UTF-16: browsers read it as UTF-8, and so do we (`in_page`).
    """
    codec = LABELS.get(label.strip().strip("\"'").lower())
    if in_page and codec in ("utf-16-le", "utf-16-be"):
        return "utf-8"
    return codec


def meta_charset(data: bytes) -> str | None:
    """The codec the page's `<meta>` declares (the head's first declaration), or None."""
    head = data[:_META_SCAN]
    body = re.search(rb"<body\b", head, re.IGNORECASE)
    if body is not None:
        head = head[: body.start()]
    for match in _META_CHARSET.finditer(_COMMENT.sub(b"", head)):
        codec = codec_for(match.group(1).decode("ascii"), in_page=True)
        if codec is not None:
            return codec
    return None


def decode_page(data: bytes, name: str, *, declared: str | None = None) -> Decoded:
    """A web page's text: BOM, then `declared` (a MIME charset label) or the meta
    charset, then the guess of `decode_plain` when the declaration does not fit."""
    bom = _bom(data)
    if bom is not None:
        return _checked(_with_bom(data, *bom), data, name)
    codec = (codec_for(declared) if declared else None) or meta_charset(data)
    if codec is None:
        return decode_plain(data, name)
    stated = _attempt(data, codec, _allowed(len(data)))
    latin = codec == "cp1252" and not data.isascii()
    if stated is not None and not stated.damaged and not latin:
        return stated
    try:
        guess = decode_plain(data, name)
    except ImportRefused:
        if stated is None:
            raise
        return _with_lines(stated, data)
    if stated is None or guess.bad_bytes < stated.bad_bytes:
        return guess
    if latin and not guess.damaged:
        return guess
    return _with_lines(stated, data)


def decode_plain(data: bytes, name: str) -> Decoded:
    """Text as Windows and browsers save it: UTF-16 (by BOM or NUL bytes), UTF-8 or
    GB18030, the one with the fewest invalid bytes; mostly invalid bytes are refused."""
    bom = _bom(data)
    if bom is not None and bom[1] == "utf-8":
        return _checked(_with_bom(data, *bom), data, name)
    utf16 = _utf16(data, bom)
    if utf16 is not None:
        return _checked(utf16, data, name)
    for codec in _GUESSES:  # no invalid byte: the fewest there can be
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _CONTROL_BYTES.search(data) is None:
            return Decoded(text, codec)
        break
    limit = _allowed(len(data))
    sample = data[:_SAMPLE]
    badness = {codec: _badness(sample, codec) for codec in _GUESSES}
    order = sorted(_GUESSES, key=badness.__getitem__)
    if len(data) > len(sample) and badness[order[0]] > _allowed(len(sample)):
        raise _binary(name)  # its start is mostly damage already: fail fast
    best: Decoded | None = None
    for codec in order:
        found = _attempt(data, codec, limit if best is None else best.bad_bytes - 1)
        if found is not None:
            best = found
            if not best.damaged:
                break
    if best is None:
        raise _binary(name)
    return _with_lines(best, data)


def _checked(decoded: Decoded, data: bytes, name: str) -> Decoded:
    """A decode of known codec, refused as binary when it is mostly damage."""
    if decoded.bad_bytes > _allowed(len(data)):
        raise _binary(name)
    return _with_lines(decoded, data)


def _binary(name: str) -> ImportRefused:
    return ImportRefused(
        errors.UNSUPPORTED_FORMAT,
        f"“{name}”是无法识别的二进制文件，不是 PDF、DOCX、HTML 或文本"
        "（文字编码无法识别：不是 UTF-8、GB18030 或 UTF-16，或大部分字节已损坏）",
    )


def _allowed(size: int) -> int:
    """How many damaged bytes a text may have and still be read: a tenth of it.

    Random or compressed bytes read as GB18030 are a fifth invalid or control bytes,
    an executable more; a text with a few bytes flipped, cut or zeroed is far below.
    """
    return max(8, size // 10)


def _bom(data: bytes) -> tuple[int, str] | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return len(bom), codec
    return None


def _with_bom(data: bytes, length: int, codec: str) -> Decoded:
    decoded = _attempt(data[length:], codec, len(data))
    assert decoded is not None  # no limit
    return Decoded(
        decoded.text,
        codec,
        tuple((offset + length, size) for offset, size in decoded.damaged),
    )


# --- decoding with the damage recorded ----------------------------------------------------


class _TooMany(Exception):
    """More invalid bytes than the caller allows: stop decoding."""


@dataclass
class _Tally:
    limit: int
    found: list[tuple[int, int]] = field(default_factory=list)
    count: int = 0


_TALLY: ContextVar[_Tally] = ContextVar("_TALLY")
_HANDLER = "reports-importing-record"


def _record(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: note the invalid bytes, go on with U+FFFD in their place."""
    assert isinstance(exc, UnicodeDecodeError)
    tally = _TALLY.get()
    tally.found.append((exc.start, exc.end - exc.start))
    tally.count += exc.end - exc.start
    if tally.count > tally.limit:
        raise _TooMany
    return REPLACEMENT, exc.end


codecs.register_error(_HANDLER, _record)


def _attempt(data: bytes, codec: str, limit: int) -> Decoded | None:
    """`data` read as `codec`, invalid and control bytes as U+FFFD; None past `limit`."""
    tally = _Tally(limit)
    token = _TALLY.set(tally)
    try:
        text = data.decode(codec, _HANDLER)
    except _TooMany:
        return None
    finally:
        _TALLY.reset(token)
    controls = list(_control_ranges(data, text, codec))
    if tally.count + len(controls) > limit:
        return None
    if controls:
        text = _CONTROLS.sub(REPLACEMENT, text)
    damaged = tuple(sorted(tally.found + controls))
    return Decoded(text, codec, damaged)


def _control_ranges(data: bytes, text: str, codec: str) -> list[tuple[int, int]]:
    """Where the NUL and control bytes are. In the ASCII-compatible codecs here a byte
    below 0x20 is always that character (no multi-byte sequence holds one)."""
    if not codec.startswith("utf-16"):
        return [(m.start(), 1) for m in _CONTROL_BYTES.finditer(data)]
    ranges: list[tuple[int, int]] = []
    offset, previous = 0, 0
    for match in _CONTROLS.finditer(text):
        offset += len(text[previous : match.start()].encode(codec))
        ranges.append((offset, 2))
        offset, previous = offset + 2, match.end()
    return ranges


def _badness(data: bytes, codec: str) -> int:
    """Invalid and control bytes of `data` as `codec` (to order the guesses)."""
    found = _attempt(data, codec, len(data))
    assert found is not None  # no limit
    return found.bad_bytes


def _with_lines(decoded: Decoded, data: bytes) -> Decoded:
    """The decode with the lines of its first damaged ranges (the text's line numbers)."""
    if not decoded.damaged:
        return decoded
    lines = tuple(
        _line_at(data, offset, decoded.codec) for offset, _ in decoded.damaged[:_SHOWN]
    )
    return Decoded(decoded.text, decoded.codec, decoded.damaged, lines)


def _line_at(data: bytes, offset: int, codec: str) -> int:
    before = data[:offset].decode(codec, "replace")
    return len(_LINE_BREAK.findall(before)) + 1


# --- UTF-16 -------------------------------------------------------------------------------


def _utf16(data: bytes, bom: tuple[int, str] | None) -> Decoded | None:
    """UTF-16 text (Notepad's "Unicode"), by its byte-order mark or its NUL bytes.

    Without a mark, mostly ASCII or CJK text in UTF-16 has its NUL bytes (the high byte
    of "\\n", digits, "|") on one side of each byte pair only; binary data has them on
    both. The decoded text must then read as text, or the bytes are not UTF-16.
    """
    if bom is not None:
        decoded = _with_bom(data, *bom)
    else:
        head = data[:4096]
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if max(even, odd) < 2 or len(data) % 2:
            return None
        # CJK characters such as 一 (U+4E00) put a few NULs on the other side too
        if odd >= 2 * even:
            codec = "utf-16-le"
        elif even >= 2 * odd:
            codec = "utf-16-be"
        else:
            return None
        attempt = _attempt(data, codec, _allowed(len(data)))
        if attempt is None:
            return None
        decoded = attempt
    text = decoded.text[:4096]
    odd_chars = sum(1 for c in text if _not_text(c))
    return decoded if odd_chars <= len(text) // 100 else None


def _not_text(char: str) -> bool:
    """A control, unassigned or private-use character (or damage): no report prints one."""
    return char == REPLACEMENT or (
        char not in "\t\n\r\f" and unicodedata.category(char) in {"Cc", "Cn", "Co"}
    )

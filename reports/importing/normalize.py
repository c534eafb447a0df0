"""Text normalisation shared by extractors and mapping.

Documents print the same label with full-width or half-width digits and brackets, with
line breaks and spaces inside table cells, and with invisible characters. Matching works on
`compact()` text; the raw text of every cell is kept separately for provenance. Labels are
recognised on `match_text()`, which also reads traditional characters as simplified (the 繁體
button of government sites); it is never used for text that is kept or shown.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache, wraps
from typing import Any, TypeVar

from reports import schema
from reports.importing import radicals

# Zero-width and BOM characters that some converters leave inside cells.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACE_RE = re.compile(r"\s+")
_BOOKMARK_RE = re.compile(r"\[bookmark:[^\]]*\]")
# A count or money amount as printed: optional sign, thousands separators, decimals,
# then an optional unit suffix.
# Word's autocorrect and typesetting print a minus sign as U+2212, an en dash or a
# full-width hyphen ("−632"); NFKC folds only the last. A dash alone is "not applicable".
_MINUS_SIGNS = "\u2212\u2013\ufe63\uff0d"
_NUMBER_RE = re.compile(
    rf"^(?P<sign>[+\-{_MINUS_SIGNS}]?)"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<unit>万元|元|件|条|个|项|次|人)?$"
)
_NA_TEXTS = frozenset(
    unicodedata.normalize("NFKC", t) for t in schema.NOT_APPLICABLE_TEXTS
)
_DASHES = str.maketrans(
    {"—": "-", "–": "-", "―": "-", "－": "-", "─": "-", "\u2212": "-", "\ufe63": "-"}
)


def nfkc(text: str) -> str:
    """NFKC-normalised text without invisible characters or converter bookmarks.

    Radicals that a browser's PDF writes for ideographs (⺠ for 民) read as the ideograph.
    """
    text = _BOOKMARK_RE.sub("", text)
    return radicals.fold(unicodedata.normalize("NFKC", text).translate(_INVISIBLE))


def compact(text: str) -> str:
    """Text for matching: NFKC, no whitespace at all (wrapped cells join up again)."""
    return _SPACE_RE.sub("", nfkc(text))


_converter: Any = None


def _simplified(text: str) -> str:
    global _converter
    if _converter is None:  # created on first use: loading OpenCC's tables takes time
        import opencc

        _converter = opencc.OpenCC("t2s")
    return str(_converter.convert(text))


# Labels are short; a longer text (a paragraph, a label a lane keeps growing) is not
# worth keeping: caching it held a copy of every prefix of it (quadratic memory).
CACHED_LENGTH = 200

_F = TypeVar("_F", bound=Callable[..., Any])


def cache_short(maxsize: int) -> Callable[[_F], _F]:
    """lru_cache for functions of label text, bypassed when the text (last argument) is
    longer than CACHED_LENGTH."""

    def wrap(function: _F) -> _F:
        cached = lru_cache(maxsize=maxsize)(function)

        @wraps(function)
        def call(*args: Any) -> Any:
            if len(args[-1]) > CACHED_LENGTH:
                return function(*args)
            return cached(*args)

        # functools.wraps keeps the wrapped signature, which mypy does not follow
        return call  # type: ignore[return-value]

    return wrap


@cache_short(maxsize=65536)
def match_text(text: str) -> str:
    """Text for label matching: `compact()` in simplified characters.

    Only for recognising labels: t2s also rewrites some place names (乾县 -> 干县), so agency
    names, raw cell text and messages keep the printed characters.
    """
    flat = compact(text)
    if flat.isascii():
        return flat
    return _simplified(flat)


def clean_cell(text: str | None) -> str:
    """A cell's printed text with invisible characters removed and lines trimmed."""
    if not text:
        return ""
    text = _BOOKMARK_RE.sub("", text).translate(_INVISIBLE)
    lines = [line.strip(" \t\u3000") for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True, slots=True)
class Value:
    """A cell's printed text read as a value: number, blank, not applicable, or not a value."""

    number: int | Decimal | None
    raw: str
    unit: str = ""
    is_value: bool = True  # False: the text is not a number, blank or "/" (a label)

    @property
    def is_blank(self) -> bool:
        return self.is_value and self.number is None and self.raw == ""


def read_value(text: str | None) -> Value:
    """Read a printed cell: "1,046" -> 1046, "21件" -> 21, "7730.28" -> Decimal, "/" -> None."""
    raw = (text or "").strip()
    flat = compact(raw)
    if flat == "":
        return Value(None, "")
    if flat in _NA_TEXTS or flat.translate(_DASHES).strip("-") == "":
        return Value(None, raw)
    match = _NUMBER_RE.match(flat)
    if match is None:
        return Value(None, raw, is_value=False)
    digits = match["num"].replace(",", "")
    sign = "-" if match["sign"] and match["sign"] in "-" + _MINUS_SIGNS else ""
    unit = match["unit"] or ""
    try:
        if "." in digits:
            number: int | Decimal = Decimal(sign + digits)
        else:
            number = int(sign + digits)
    except (InvalidOperation, ValueError):  # pragma: no cover - the regex guards
        return Value(None, raw, is_value=False)
    return Value(number, raw, unit if unit in schema.MONEY_UNITS else "")


def is_value_text(text: str | None) -> bool:
    """True when a cell holds a number, a not-applicable mark or nothing."""
    return read_value(text).is_value

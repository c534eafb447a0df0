"""What a stored cell is (number, zero, blank, not applicable, missing) and hand-entry parsing.

Pure Python. Blank, "/" and 0 are three different facts (spec section 5); this module is the
one place that tells them apart for display and turns what a reviewer types into a value.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from reports import schema
from reports.core.parsed import CellValue, decimal_to_str


class CellState(StrEnum):
    NUMBER = "number"
    ZERO = "zero"
    BLANK = "blank"
    NOT_APPLICABLE = "na"
    MISSING = "missing"


STATE_LABELS: dict[str, str] = {
    CellState.NUMBER: "数值",
    CellState.ZERO: "零",
    CellState.BLANK: "空白（原文未填）",
    CellState.NOT_APPLICABLE: "不适用（原文为“/”等）",
    CellState.MISSING: "缺失（原文没有此单元格）",
}

_INT_RE = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$|^[+-]?\d+$")
_DEC_RE = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$")


def cell_state(value: CellValue, raw: str | None, *, present: bool) -> CellState:
    """Classify a stored cell; `present` is whether the source contained it at all."""
    if not present:
        return CellState.MISSING
    if value is None:
        text = (raw or "").strip()
        if text and unicodedata.normalize("NFKC", text) in _NA_NORMALISED:
            return CellState.NOT_APPLICABLE
        return CellState.BLANK
    return CellState.ZERO if value == 0 else CellState.NUMBER


_NA_NORMALISED = frozenset(
    unicodedata.normalize("NFKC", t) for t in schema.NOT_APPLICABLE_TEXTS
)


def display_text(value: CellValue, raw: str | None) -> str:
    """What the grid shows for a stored cell: the raw text where there is one, else the value."""
    if raw is not None:
        return raw
    if value is None:
        return ""
    return decimal_to_str(value) if isinstance(value, Decimal) else str(value)


def parse_cell_input(text: str, kind: schema.Kind) -> CellValue:
    """The value of what a reviewer typed into a cell; ValueError (in Chinese) if unreadable.

    "" is blank and "/" (or "—", "无") is not applicable: both None. Counts accept
    full-width digits and thousands separators; money is a decimal.
    """
    normalised = unicodedata.normalize("NFKC", text).strip()
    if normalised == "" or normalised in _NA_NORMALISED:
        return None
    if kind is schema.Kind.MONEY:
        if not _DEC_RE.match(normalised):
            raise ValueError(f"“{text}”不是金额（应为非负小数，如 12.5）")
        try:
            return Decimal(normalised.replace(",", ""))
        except InvalidOperation as exc:  # pragma: no cover - the regex already guards
            raise ValueError(f"“{text}”不是金额") from exc
    if not _INT_RE.match(normalised):
        raise ValueError(f"“{text}”不是整数")
    number = int(normalised.replace(",", ""))
    if kind is schema.Kind.COUNT and number < 0:
        raise ValueError(f"“{text}”为负数，件数不能为负")
    return number

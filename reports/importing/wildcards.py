"""Labels and headings with damaged bytes: each run of U+FFFD is a wildcard.

A byte that was not valid text decodes to U+FFFD (intake/charsets.py); a run of k of them
stands for at most k printed characters, or none (inserted bytes). A damaged label still
names its row when exactly one of the form's labels fits it; the row's cells are then
uncertain all the same (mapping/damage.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from reports import schema
from reports.importing.normalize import cache_short, match_text

DAMAGE = "\ufffd"
_RUNS = re.compile("\ufffd+|[^\ufffd]+")
# Where a label may start inside a longer text: after a group label ("（五）不予处理2.重…").
_ORDINAL = re.compile(
    r"[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d{1,2}[.、]"
)
_SURVIVING = 3  # characters that must survive for a fit to mean anything


@cache_short(maxsize=4096)
def pattern(text: str) -> re.Pattern[str]:
    """`text` as a pattern: literal, each run of U+FFFD up to as many characters."""
    return re.compile(
        "".join(
            f".{{0,{len(run)}}}" if run[0] == DAMAGE else re.escape(run)
            for run in _RUNS.findall(text)
        )
    )


def only_fit(
    text: str, candidates: Iterable[tuple[str, str]], *, from_ordinal: bool = False
) -> str | None:
    """The key of the one candidate (key, text) the damaged `text` fits, else None.

    With `from_ordinal`, the text may also be read from an ordinal inside it on (a group
    label printed before the row's own label).
    """
    if DAMAGE not in text:
        return None
    starts = [0]
    if from_ordinal:
        starts += [m.start() for m in _ORDINAL.finditer(text) if m.start() > 0]
    choices = list(candidates)
    for start in starts:
        part = text[start:]
        if len(part.replace(DAMAGE, "")) < _SURVIVING:
            return None
        fits = pattern(part).fullmatch
        found = {key for key, candidate in choices if fits(candidate)}
        if found:
            return found.pop() if len(found) == 1 else None
    return None


@lru_cache(maxsize=1)
def headings() -> tuple[tuple[str, str], ...]:
    """Every section heading and accepted variant as labels are matched (key, text)."""
    return tuple(
        (key, match_text(text))
        for key, heading in schema.SECTIONS
        for text in (heading, *schema.SECTION_HEADING_VARIANTS.get(key, ()))
    )

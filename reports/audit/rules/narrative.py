"""The report's prose for the rules: sections, headings, sentences, and whose figures they are.

Narrative sections come from ReportFacts.sections; when only raw text is known they are cut
out of it with the importer's own heading rules (reports.importing.labels), so that the audit
and the importer agree on what a heading is.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reports.audit.base import ReportFacts
from reports.importing import labels
from reports.importing.mapping import metadata
from reports.importing.normalize import compact, nfkc

_SENTENCE_END = re.compile(r"[。;；!！?？]")
_SPACE = re.compile(r"\s+")

# Words before a figure that show it is not the agency's own total for the year: a part
# (其中, a channel, an applicant kind), another body (政府办, 各部门, 全区), or another time
# (上年, 同比). Such sentences are not compared at all: no finding beats a false one.
SCOPE_WORDS: tuple[str, ...] = (
    "其中",
    "政府办",
    "办公室",
    "办公厅",
    "部门",
    "乡镇",
    "街道",
    "本级",
    "全区",
    "全县",
    "全市",
    "全省",
    "全州",
    "全镇",
    "全乡",
    "我区",
    "我县",
    "我市",
    "我省",
    "各级",
    "各单位",
    "下属",
    "所属",
    "直属",
    "系统",
    "代表",
    "名义",
    "上年",
    "去年",
    "上一年",
    "同比",
    "以来",
    "结转",
    "网上",
    "网络",
    "在线",
    "当面",
    "信函",
    "传真",
    "邮寄",
    "邮件",
    "平台",
    "自然人",
    "法人",
    "累计至",
    "截至",
    "截止",
)

_SCOPE = re.compile("|".join(SCOPE_WORDS))


def section(facts: ReportFacts, key: str) -> str:
    """One narrative section's text: as stored, or cut from the raw text."""
    text = facts.sections.get(key, "")
    if text or not facts.raw_text:
        return text
    return _sections_from_raw(facts.raw_text).get(key, "")


def narrative(facts: ReportFacts) -> str:
    """Overview, problems and other matters together (raw text's sections when not stored)."""
    return "\n".join(
        section(facts, k) for k in ("overview", "problems", "other_matters")
    )


@lru_cache(maxsize=256)
def _sections_from_raw(raw_text: str) -> dict[str, str]:
    return metadata.read(raw_text).sections


def headings(raw_text: str) -> list[tuple[str, str]]:
    """(section key, heading line) of the first heading of each section, in document order."""
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for line in nfkc(raw_text).splitlines():
        text = compact(line)
        if not text:
            continue
        key = labels.section_of(text)
        if key and key not in seen:
            seen.add(key)
            found.append((key, text))
    return found


def sentences(text: str, *keywords: str) -> list[str]:
    """Compact sentences (NFKC, no whitespace: wrapped PDF lines join up again).

    With keywords, only the sentences holding one of them (normalising is the costly part).
    """
    if not text:
        return []
    text = _SPACE.sub("", text)
    if keywords:
        wanted = _keywords(keywords)
        if not wanted.search(text):
            return []
        parts = [p for p in _SENTENCE_END.split(text) if wanted.search(p)]
    else:
        parts = _SENTENCE_END.split(text)
    return [s for s in (compact(p) for p in parts) if s]


@lru_cache(maxsize=64)
def _keywords(keywords: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, keywords)))


def own_scope(prefix: str) -> bool:
    """True when the words before a figure do not narrow or widen whose figure it is."""
    return _SCOPE.search(prefix) is None


def to_int(text: str) -> int:
    """A figure as printed in prose ("1,046") as an integer."""
    return int(text.replace(",", ""))

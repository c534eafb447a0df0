"""Agency, year and narrative sections from a document's running text.

The title ("夏县卫生健康局\n2024年政府信息公开工作年度报告") names the agency and year. A
report without a title (seed 000) is read from its body ("2023 年，汉阴县卫生健康局…").
Narrative sections are the text between the six section headings.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from reports import schema
from reports.importing import labels
from reports.importing.normalize import compact, nfkc

_REPORT = r"(?:政府)?信息公开(?:工作)?年度?报告"
_TITLE_AGENCY_FIRST = re.compile(
    r"(?P<agency>[^\d]{2,40}?)(?P<year>(?:19|20)\d{2})年度?" + _REPORT
)
_TITLE_YEAR_FIRST = re.compile(
    r"(?P<year>(?:19|20)\d{2})年度?(?P<agency>[^\d]{2,40}?)" + _REPORT
)
_AGENCY_SUFFIX = (
    r"(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|委员会|管理委员会"
    r"|卫生健康局|局|委|办|厅|院|中心|署|所|馆|站|队|会)"
)
_BODY_AGENCY = re.compile(
    r"(?:19|20)\d{2}年度?[,，]?(?:以来)?[,，]?(?P<agency>[\u4e00-\u9fff]{2,24}?"
    + _AGENCY_SUFFIX
    + ")"
)
_BODY_YEAR_DEGREE = re.compile(r"((?:19|20)\d{2})年度")
_BODY_YEAR = re.compile(r"((?:19|20)\d{2})年")
_LEADING_JUNK = re.compile(r"^[\W_]+|^关于")
_AFTER_COLON = re.compile(r"[:：](.+)$")


@dataclass
class Metadata:
    """What the running text says about the report."""

    agency: str = ""
    year: int | None = None
    title: str = ""
    from_body: bool = False
    sections: dict[str, str] = field(default_factory=dict)
    headings: dict[str, str] = field(default_factory=dict)


def read(text: str, hint_title: str = "") -> Metadata:
    """Title, agency, year and narrative sections of a document's text."""
    meta = Metadata()
    lines = [line.strip() for line in nfkc(text).splitlines()]
    lines = [line for line in lines if line]
    first_heading = next(
        (i for i, line in enumerate(lines) if labels.section_of(compact(line))),
        len(lines),
    )
    preamble = lines[: min(first_heading, 6)]
    for candidate in (" ".join(preamble[:4]), hint_title):
        if _read_title(compact(candidate), meta):
            break
    if meta.year is None:
        _read_body(compact("".join(lines[:200])), meta)
    _read_sections(lines, meta)
    return meta


def _read_title(text: str, meta: Metadata) -> bool:
    for pattern in (_TITLE_AGENCY_FIRST, _TITLE_YEAR_FIRST):
        match = pattern.search(text)
        if match:
            meta.agency = _LEADING_JUNK.sub("", match["agency"]).strip()
            meta.year = int(match["year"])
            meta.title = match.group(0)
            return True
    return False


def _read_body(text: str, meta: Metadata) -> None:
    years = Counter(int(y) for y in _BODY_YEAR_DEGREE.findall(text))
    if not years:
        years = Counter(int(y) for y in _BODY_YEAR.findall(text))
    if years:
        meta.year = years.most_common(1)[0][0]
        meta.from_body = True
    if not meta.agency:
        match = _BODY_AGENCY.search(text)
        if match:
            meta.agency = match["agency"]
            meta.from_body = True


def _read_sections(lines: list[str], meta: Metadata) -> None:
    current: str | None = None
    collected: dict[str, list[str]] = {}
    for line in lines:
        key = labels.section_of(compact(line))
        if key:
            current = key
            meta.headings.setdefault(key, line)
            rest = _AFTER_COLON.search(line)
            if rest and key in schema.NARRATIVE_SECTIONS:
                collected.setdefault(key, []).append(rest.group(1).strip())
            continue
        if current in schema.NARRATIVE_SECTIONS and not labels.PAGE_NUMBER.match(
            compact(line)
        ):
            collected.setdefault(current, []).append(line)
    meta.sections = {k: "\n".join(v).strip() for k, v in collected.items() if v}

"""Agency, year, publication date and narrative sections from a document's running text.

The title ("夏县卫生健康局\n2024年政府信息公开工作年度报告") names the agency and year. A
report without a title (seed 000) is read from its body ("2023 年，汉阴县卫生健康局…").
Narrative sections are the text between the six section headings.

Documents are read as they are published: a page saved from a browser or copied from a site
starts with the site's name, breadcrumbs ("首页 > 政务公开 > 年度报告") and a line such as
"发布时间：2024-01-15 来源：本站 字号：大 中 小 打印"; the title is the line (or the lines)
holding "…年政府信息公开工作年度报告", and the agency is the name right before its year,
without that furniture. Years may be printed in Chinese numerals ("二〇二三年") or spaced out
("2 0 2 3 年"); traditional characters are matched as simplified, but the agency keeps the
characters it is printed with.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from reports import schema
from reports.importing import labels
from reports.importing.interchange import MAX_YEAR, MIN_YEAR
from reports.importing.normalize import compact, match_text, nfkc

# --- Years ------------------------------------------------------------------------------------
# A year in Chinese numerals, with 〇, ○, ◯, 零 or a letter O for zero (Ｏ is O after NFKC),
# or arabic digits with a letter O among them; always followed by 年. The translation keeps
# the length, so positions in the folded text are positions in the printed one.
_YEAR_DIGITS = "0123456789〇○◯零Oo一二三四五六七八九"
_YEAR_FOLD = str.maketrans("〇○◯零Oo一二三四五六七八九", "000000123456789")
_SPELT_YEAR = re.compile(rf"(?<![{_YEAR_DIGITS}十百千])[{_YEAR_DIGITS}]{{4}}(?=年)")


def fold_years(text: str) -> str:
    """`text` with every four-character year before 年 in arabic digits ("二〇二三年" -> "2023年")."""
    return _SPELT_YEAR.sub(lambda m: m[0].translate(_YEAR_FOLD), text)


def is_report_year(year: int) -> bool:
    """A year a report can be for: from the first reports (2008) to next year."""
    return MIN_YEAR <= year <= min(MAX_YEAR, dt.date.today().year + 1)


# --- Titles -----------------------------------------------------------------------------------
# On simplified, compact, folded text. "2023年度XX局政府信息公开…" has the agency after the
# year (`inner`); otherwise it is the text before the year.
_REPORT = r"(?:政府)?信息公开(?:工作)?(?:年度?报告|年报)"
_TITLE = re.compile(r"(?<!\d)(?P<year>\d{4})年度?(?P<inner>[^\d]{0,40}?)" + _REPORT)
# Where a breadcrumb, a site name or a sentence ends and the title begins.
_SEPARATOR = re.compile(r"[>›»·|/\\_<«‹:：,，。;；!！?？【】\[\]《》「」“”\"'—–\-]")
# Words that are site furniture, never part of an agency's name.
_FURNITURE = re.compile(
    r"首页|网站|门户|位置|发布|来源|字号|字体|打印|分享|浏览|点击|公开目录|年度报告|年报"
    r"|专栏|栏目|正文|关闭|收藏|繁体|简体|无障碍|登录|搜索|导航|主页"
    r"|(?:政务|信息)公开(?!.*(?:办公室|办|中心|局|委员会)$)"
)
_AGENCY_SUFFIX = (
    r"(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|委员会|管理委员会"
    r"|卫生健康局|局|委|办|厅|院|中心|署|所|馆|站|队|会)"
)
# A line that is only an agency's name (the first line of a title set on two lines).
_AGENCY_LINE = re.compile(
    r"^[\u4e00-\u9fff()（）]{2,40}?(?:"
    + _AGENCY_SUFFIX
    + r"|镇|乡|街道|处|部|区|县|市)$"
)
# Words of a sentence that mentions the report ("本报告由…编制"), never of a name.
_SENTENCE = re.compile(
    r"本报告|编制|公布|印发|根据|按照|依据|如下|要求|我[局委办区县市镇乡]"
)
_LEADING_JUNK = re.compile(r"^(?:关于|现将|现予以?|特将|兹将)")
_TRAILING_JUNK = re.compile(r"(?:关于|的)$")
_LAST_WORD = re.compile(r"[^\sA-Za-z0-9]+$")
_PREAMBLE_LINES = 40
_TITLE_LINE_MAX = 80

# --- Body ---------------------------------------------------------------------------------------
_BODY_AGENCY = re.compile(
    r"(?<!\d)(?P<year>\d{4})年度?[,，]?(?:以来)?[,，]?(?P<agency>[\u4e00-\u9fff]{2,24}?"
    + _AGENCY_SUFFIX
    + ")"
)
_BODY_YEAR_DEGREE = re.compile(r"(?<!\d)(\d{4})年度")
_BODY_YEAR = re.compile(r"(?<!\d)(\d{4})年")
_BODY_LINES = 200

# --- Publication date ---------------------------------------------------------------------------
# "发布时间：2024-01-15", "发布日期：2024年1月15日", "【日期：2024/1/15】"; not 成文日期 or 统计时间.
_DATE = r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)"
_LABELLED_DATE = re.compile(
    r"(?:(?<![\u4e00-\u9fff])|发布|公开|发表|更新|上传)(?:时间|日期)\s*[:：]?\s*"
    + _DATE
)
# A date (and time) opening a line before the title: "2024-01-31 10:20".
_DATE_LINE = re.compile(
    r"^" + _DATE + r"日?\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?(?![\d年月])"
)
_TAIL_LINES = 30

# Page furniture lines that end up inside the last section: "【打印本页】【关闭窗口】".
_FURNITURE_LINE = re.compile(
    r"^(?:[【\[(（]?(?:字体|字号)[:：]?(?:[大中小]|默认)+[】\])）]?"
    r"|[【\[]?(?:打印本页|打印|关闭窗口|关闭|收藏|返回顶部|保存本页)[】\]]?"
    r"|分享到[:：]?.*|扫一扫.*手机.*|[上下]一篇[:：].*"
    r"|(?:发布|发表|更新)(?:时间|日期)[:：].*|来源[:：].*)+$"
)
_AFTER_COLON = re.compile(r"[:：](.+)$")


@dataclass
class Metadata:
    """What the running text says about the report."""

    agency: str = ""
    year: int | None = None
    title: str = ""
    from_body: bool = False
    published: str = ""  # ISO date the page says it was published, "" when it does not
    sections: dict[str, str] = field(default_factory=dict)
    headings: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Title:
    agency: str
    year: int
    title: str


def read(text: str, hint_title: str = "") -> Metadata:
    """Title, agency, year, publication date and narrative sections of a document's text."""
    meta = Metadata()
    lines = [line.strip() for line in nfkc(text).splitlines()]
    lines = [line for line in lines if line]
    first_heading = next(
        (i for i, line in enumerate(lines) if labels.section_of(compact(line))),
        len(lines),
    )
    preamble = lines[: min(first_heading, _PREAMBLE_LINES)]
    title = _best_title(preamble, nfkc(hint_title).strip())
    if title is not None:
        meta.agency, meta.year, meta.title = title.agency, title.year, title.title
    if meta.year is None or not meta.agency:
        _read_body(lines[:_BODY_LINES], meta)
    meta.published = _published(preamble, lines[-_TAIL_LINES:], meta.year)
    _read_sections(lines, meta)
    return meta


# --- Title ------------------------------------------------------------------------------------


def _best_title(preamble: list[str], hint: str) -> _Title | None:
    """The first title that names its agency; else the first title, its agency from the hint."""
    found = list(_titles(preamble))
    if hint:
        found.extend(_titles([hint]))
    if not found:
        return None
    first = found[0]
    named = next((t for t in found if t.agency and t.year == first.year), None)
    return named or first


def _titles(lines: list[str]) -> Iterator[_Title]:
    """Every title in `lines`: a line, or a line continued on the next one or two.

    A title without an agency takes it from the line above or below when that line is
    only an agency's name ("夏县卫生健康局" over "2024年政府信息公开工作年度报告").
    """
    for i, line in enumerate(lines):
        for span in range(1, 4):
            if i + span > len(lines):
                break
            joined = "".join(compact(x) for x in lines[i : i + span])
            if len(joined) > _TITLE_LINE_MAX * span:
                break
            title = _title_in(lines[i : i + span], len(compact(line)))
            if title is not None:
                if not title.agency and i > 0:
                    title = _with_agency_line(title, lines[i - 1], above=True)
                if not title.agency and i + span < len(lines):
                    title = _with_agency_line(title, lines[i + span], above=False)
                yield title
                break


def _title_in(lines: list[str], first_len: int) -> _Title | None:
    """The title in these lines whose year is printed in the first of them."""
    printed, where = _compact_map(" ".join(lines))
    original = nfkc(" ".join(lines))
    matched = fold_years(match_text(printed))
    if len(matched) != len(printed):  # t2s changed the length: keep the simplified text
        printed, original, where = matched, matched, list(range(len(matched)))
    for match in _TITLE.finditer(matched):
        year = int(match["year"])
        if match.start() >= first_len or not is_report_year(year):
            continue
        start, end = match.start(), match.end()
        if match["inner"]:
            agency = _agency_from(printed[match.start("inner") : match.end("inner")])
            if agency and matched[: match.end("inner")].endswith("人民"):
                agency += printed[match.end("inner") : match.end("inner") + 2]  # 政府
        else:
            agency = _agency_from(original[: where[start]])
            found = printed.rfind(agency, 0, start) if agency else -1
            start = found if found >= 0 else start
        return _Title(agency, year, printed[start:end])
    return None


def _with_agency_line(title: _Title, line: str, *, above: bool) -> _Title:
    """A title without an agency, next to a line that is only the agency's name."""
    agency = _agency_from(line)
    if (
        agency
        and compact(agency) == compact(line)
        and _AGENCY_LINE.search(match_text(agency))
    ):
        return _Title(
            agency, title.year, agency + title.title if above else title.title
        )
    return title


def _compact_map(text: str) -> tuple[str, list[int]]:
    """`compact(text)` and, for each of its characters, its index in `nfkc(text)`."""
    flat = nfkc(text)
    where = [i for i, ch in enumerate(flat) if not ch.isspace()]
    return "".join(flat[i] for i in where), where


def _agency_from(text: str) -> str:
    """The agency's name at the end of `text`: after the last breadcrumb or site name."""
    tail = _SEPARATOR.split(nfkc(text))[-1]
    words = tail.split()
    kept: list[str] = []
    for word in reversed(words):
        if _FURNITURE.search(match_text(word)):
            break
        last = _LAST_WORD.search(word)
        if last is None:
            break
        kept.insert(0, last.group(0))
        if last.start() > 0:  # a date or a number before the name ends the name
            break
    agency = "".join(kept)
    flat = match_text(agency)
    if len(flat) == len(
        agency
    ):  # junk is matched simplified, cut from the printed name
        head = _LEADING_JUNK.match(flat)
        tail = _TRAILING_JUNK.search(flat)
        start = head.end() if head else 0
        end = tail.start() if tail else len(flat)
        agency, flat = agency[start:end], flat[start:end]
    if len(agency) < 2 or len(agency) > 40:
        return ""
    if _FURNITURE.search(flat) or _SENTENCE.search(flat):
        return ""
    if not re.search(r"[\u4e00-\u9fff]", flat):
        return ""
    return agency


# --- Body -------------------------------------------------------------------------------------


def _read_body(lines: list[str], meta: Metadata) -> None:
    """Year and agency from the body, for a report printed without a title."""
    printed = compact("".join(lines))
    flat = match_text(printed)
    folded = fold_years(flat)
    if meta.year is None:
        years = _years(_BODY_YEAR_DEGREE, folded) or _years(_BODY_YEAR, folded)
        if years:
            meta.year = years.most_common(1)[0][0]
            meta.from_body = True
    if not meta.agency:
        for match in _BODY_AGENCY.finditer(folded):
            if not is_report_year(int(match["year"])):
                continue
            span = slice(match.start("agency"), match.end("agency"))
            meta.agency = printed[span] if len(printed) == len(flat) else flat[span]
            meta.from_body = True
            break


def _years(pattern: re.Pattern[str], text: str) -> Counter[int]:
    return Counter(
        y for y in (int(x) for x in pattern.findall(text)) if is_report_year(y)
    )


# --- Publication date -------------------------------------------------------------------------


def _published(preamble: list[str], tail: list[str], year: int | None) -> str:
    """The date the page says the report was published (ISO), or ""."""
    for line in preamble + tail:
        flat = " ".join(match_text(word) for word in line.split())
        candidates = list(_LABELLED_DATE.finditer(flat))
        if line in preamble:
            candidates.extend(_DATE_LINE.finditer(flat))
        for match in candidates:
            try:
                day = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                continue
            if is_report_year(day.year) and (year is None or day.year >= year):
                return day.isoformat()
    return ""


# --- Sections ---------------------------------------------------------------------------------


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
        flat = match_text(line)
        if current in schema.NARRATIVE_SECTIONS and not (
            labels.PAGE_NUMBER.match(flat) or _FURNITURE_LINE.match(flat)
        ):
            collected.setdefault(current, []).append(line)
    meta.sections = {k: "\n".join(v).strip() for k, v in collected.items() if v}

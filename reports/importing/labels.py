"""Importer knowledge: which printed words identify a section, a row or a column.

Labels wrap across lines, lose characters to typos ("其他法律行政止公开", "申请你无正当理由"),
mix full- and half-width punctuation and come in traditional characters (the 繁體 button of
government sites). Each key is first recognised by short keywords that survive most of those
accidents, tried in a fixed order (specific rows before the groups that contain them), on
`normalize.match_text()` (compact, simplified). A label no keyword names is then compared with
every label `reports.schema` prints for that table (`match_row`, `match_column`): the closest
is taken when it is close enough and clearly closer than any other, and reported as ambiguous,
with its score and the alternatives, when it is not, so that the caller can flag it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Indel

from reports import schema
from reports.importing import wildcards
from reports.importing.normalize import cache_short, match_text

Rule = tuple[str, re.Pattern[str]]


class Keywords:
    """A pattern that reads its text through `match_text()` (traditional as simplified)."""

    __slots__ = ("pattern",)

    def __init__(self, pattern: str) -> None:
        self.pattern = re.compile(pattern)

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(match_text(text))

    def match(self, text: str) -> re.Match[str] | None:
        return self.pattern.match(match_text(text))


def _rules(pairs: Iterable[tuple[str, str]]) -> tuple[Rule, ...]:
    return tuple((key, re.compile(pattern)) for key, pattern in pairs)


def first_match(rules: tuple[Rule, ...], text: str) -> str | None:
    """The key of the first rule whose pattern occurs in `text` (read as `match_text`)."""
    flat = match_text(text)
    for key, pattern in rules:
        if pattern.search(flat):
            return key
    return None


# --- Section headings -----------------------------------------------------------------------
# A heading starts with its Chinese ordinal; table 三's row labels ("一、本年新收…",
# "四、结转下年度继续办理") also do, so each heading needs its own words as well.
_ORD = r"^[{}][、.,，]?"
SECTION_RULES: tuple[Rule, ...] = _rules(
    (
        ("overview", _ORD.format("一1") + r"总体情况"),
        ("table2", _ORD.format("二2") + r"主动公开政府信息"),
        ("table3", _ORD.format("三3") + r"收到和处理政府信息公开申请"),
        ("table4", _ORD.format("四4") + r".{0,20}(行政复议|行政诉讼)"),
        ("problems", _ORD.format("五5") + r".{0,12}存在.{0,4}问题"),
        ("other_matters", _ORD.format("六6") + r"其他需要报告"),
    )
)
SECTION_ORDER: tuple[str, ...] = tuple(key for key, _ in schema.SECTIONS)


@cache_short(maxsize=16384)
def section_of(text: str) -> str | None:
    """The section key when `text` is a section heading line.

    Keywords first; then a heading spelt a little differently (a typo, a cut) is taken when
    its words are close to the heading of the section its ordinal names, and closer than to
    any table 三 row label with that ordinal ("一、本年新收…" is never a heading); then a
    heading with damaged bytes that only one heading fits.
    """
    flat = match_text(text)
    if len(flat) > 60:  # a paragraph that happens to start like a heading
        return None
    return (
        first_match(SECTION_RULES, flat)
        or _fuzzy_section(flat)
        or wildcards.only_fit(flat, wildcards.headings())
    )


# --- Rows -------------------------------------------------------------------------------------
# A label fragment that starts a new row or group: "一、", "(三)", "1.", "3、".
ITEM_START = Keywords(
    r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d{1,2}[.、](?!\d))"
)
CAPTION = Keywords(r"第二十条")
# A note printed in or near a table ("备注：…", "注：…", "说明：…"): its words and numbers
# name no row, whatever they mention.
NOTE_START = Keywords(r"^(?:备注|附注|注|说明)\d*[:：]")

TABLE2_ROWS: tuple[Rule, ...] = _rules(
    (
        ("other_services", r"其他对外管理服务|对外管理服务"),
        ("normative_documents", r"规范性文件"),
        ("regulations", r"规章"),
        ("licensing", r"行政许可"),
        ("penalty", r"行政处罚"),
        ("enforcement", r"行政强制"),
        ("fees", r"事业性收费"),
        ("procurement", r"集中采购"),
    )
)

TABLE3_ROWS: tuple[Rule, ...] = _rules(
    (
        ("other_no_correction", r"不补正|逾期不补|无正当理由逾期"),
        ("other_fee_unpaid", r"缴纳费用|收费通知|逾期未按"),
        ("other_other", r"(?:^|\D)3[.、]?其他$"),
        ("withheld_state_secret", r"国家秘密"),
        ("withheld_law_prohibited", r"其他法律行政|法规禁止|法律行政法规"),
        ("withheld_three_safeties", r"三安全|危及"),
        ("withheld_third_party", r"第三方"),
        ("withheld_internal_affairs", r"内部事务"),
        ("withheld_process_info", r"过程性"),
        ("withheld_enforcement_file", r"执法案卷"),
        ("withheld_inquiry", r"行政查询"),
        ("unavailable_not_held", r"不掌握"),
        ("unavailable_needs_creation", r"没有现成|另行制作"),
        ("unavailable_unclear", r"补正后|仍不明确"),
        ("not_processed_complaint", r"信访|举报投诉"),
        ("not_processed_duplicate", r"重复申请"),
        ("not_processed_publication", r"出版物"),
        ("not_processed_excessive", r"大量反复"),
        ("not_processed_confirmation", r"重新出具|确认或重新|行政机关确认"),
        ("new_received", r"本年新收"),
        ("carried_over", r"上年结转"),
        ("carried_forward", r"结转下年"),
        ("total_processed", r"\(七\)总?计|七[)、]总计"),
        ("granted", r"予以公开"),
        ("partially_granted", r"部分公开"),
        (schema.OTHER_ONE_ROW, r"其他处理"),
    )
)

TABLE4_ROWS: tuple[Rule, ...] = _rules(
    (
        ("litigation_after_review", r"复议后起诉"),
        ("litigation_direct", r"未经复议|直接起诉"),
        ("review", r"行政复议"),
    )
)

ROW_RULES: dict[str, tuple[Rule, ...]] = {
    "table2": TABLE2_ROWS,
    "table3": TABLE3_ROWS,
    "table4": TABLE4_ROWS,
}

# --- Columns ----------------------------------------------------------------------------------
TABLE2_COLUMNS: tuple[Rule, ...] = _rules(
    (
        ("issued", r"制发"),
        ("repealed", r"废止"),
        ("in_force", r"现行有效"),
        ("new_made", r"新制作"),
        ("new_published", r"新公开"),
        ("total_published", r"对外公开总"),
        ("previous_items", r"上一年|上年项目"),
        ("change", r"增/?减"),
        ("projects", r"采购项目"),
        ("amount", r"金额"),
        ("decisions", r"处理决定"),
    )
)
# Header words only seen in one layout of table 二.
TABLE2_2019_WORDS = Keywords(
    r"新制作|新公开|对外公开总|上一年|增/?减|采购|对外管理服务"
)
TABLE2_2021_WORDS = Keywords(r"制发|废止|现行有效|收费金额")

TABLE3_COLUMNS: tuple[Rule, ...] = _rules(
    (
        ("natural_person", r"自然"),
        ("commercial", r"商业"),
        ("research", r"科研"),
        ("public_interest", r"公益|社会"),
        ("legal_service", r"法律|服务机构"),
        ("total", r"总计|合计"),
        ("other_org", r"^其[他它]"),  # 其它: a common spelling of the same word
    )
)
# A header cell that spans columns ("法人或其他组织", "申请人情况") is never a leaf.
TABLE3_PARENT = Keywords(r"法人|申请人")

TABLE4_LEAVES: tuple[Rule, ...] = _rules(
    (
        ("other", r"其他"),
        ("pending", r"尚未|审结|^尚"),
        ("upheld", r"维"),
        ("corrected", r"纠"),
        ("total", r"总"),
    )
)
TABLE4_BLOCKS: tuple[str, ...] = tuple(r.key for r in schema.TABLE4.rows)

COLUMN_RULES: dict[str, tuple[Rule, ...]] = {
    "table2": TABLE2_COLUMNS,
    "table3": TABLE3_COLUMNS,
    "table4": TABLE4_LEAVES,
}

# A table 四 header row (when its heading is missing, this starts table 四).
TABLE4_HEADER = Keywords(r"行政复议.*行政诉讼|结果维持.*结果纠正")
# Page furniture: "— 3 —", "- 3 -", "第 3 页", "3".
PAGE_NUMBER = Keywords(
    r"^(?:[-—–－]*\d{1,4}[-—–－]*|第\d{1,4}页(?:共\d{1,4}页)?|\d{1,4}/\d{1,4})$"
)

# --- Close matches ----------------------------------------------------------------------------
# A label no keyword names is compared with the labels the schema prints for its table. Scores
# are Indel similarities (1 - inserted and deleted characters / both lengths) of the label's
# words: list number, bracketed qualifiers ("（单位：元）", "（件）") and punctuation removed.
ACCEPT = 0.75  # one character in four may differ: "予以公幵", "行政许叮"
MARGIN = 0.1  # ... and the runner-up this much further ("新制做" is not "新公开")
FLOOR = 0.6  # below this nothing is close: the label names no row
_WORDS_MIN = 3  # two characters ("行政", "申请") are in too many labels to compare
_PREFIX_MIN = 4  # a label cut short still names its row with this many characters...
_PREFIX_COVERAGE = 0.4  # ... covering this share of the row's label,
_PREFIX_LONG = 6  # ... or this many characters of a long one ("1.申请人无正当")
_SAME_ORDINAL = 0.05  # the list number helps a little ("1.属于…" vs "1.本机关…")
_OTHER_ORDINAL = 0.1

_NUMERALS = {c: str(i) for i, c in enumerate("一二三四五六七八九十", start=1)}
_ORDINAL = re.compile(
    r"\((?P<a>[一二三四五六七八九十]{1,3}|\d{1,2})\)"
    r"|(?P<b>[一二三四五六七八九十]{1,3})[、.]"
    r"|(?P<c>\d{1,2})[.、](?!\d)"
)
_QUALIFIER = re.compile(r"\([^)]*(?:\)|$)")
_PUNCTUATION = re.compile(r"[“”\"'‘’「」『』、,，.。:：;；·]")


@dataclass(frozen=True, slots=True)
class LabelMatch:
    """How a printed label was read: the key, and how sure that reading is.

    `how` is "rule" (a keyword), "context" (a word that names a row only where it stands,
    see mapping/stream.py), "fuzzy" (close to one label and clearly not to another),
    "ambiguous" (the closest of several near ones: flag the row), "damaged" (the only
    label a label with damaged bytes fits: wildcards.py; its row is flagged) or "none".
    """

    key: str | None
    how: str
    score: float = 1.0
    alternatives: tuple[tuple[str, float], ...] = ()  # other keys near it, best first

    @property
    def taken(self) -> bool:
        """Certain enough to use without flagging the row's cells."""
        return self.key is not None and self.how in (
            "rule",
            "context",
            "fuzzy",
            "damaged",
        )

    @property
    def guessed(self) -> bool:
        return self.key is not None and self.how in ("fuzzy", "ambiguous")


NO_MATCH = LabelMatch(None, "none", 0.0)


@dataclass(frozen=True, slots=True)
class _Candidate:
    key: str  # "" for a printed label that is not a row or column (a group, a header word)
    ordinal: str
    words: str


def _ordinal_value(match: re.Match[str]) -> str:
    number = match["a"] or match["b"] or match["c"] or ""
    return "".join(_NUMERALS.get(c, c) for c in number)


def label_words(text: str) -> tuple[str, str]:
    """A label's list number ("3" for "（三）", "三、" or "3.") and its plain words.

    The words are those after the last list number (a ruled row's text may start with its
    group's label), without bracketed qualifiers and punctuation.
    """
    flat = match_text(text)
    ordinal = ""
    numbers = list(_ORDINAL.finditer(flat))
    last = numbers[-1] if numbers else None
    if last is not None:
        ordinal, flat = _ordinal_value(last), flat[last.end() :]
    words = _PUNCTUATION.sub("", _QUALIFIER.sub("", flat))
    return ordinal, words


def _similarity(words: str, label: str) -> float:
    """How close `words` are to `label`, or to its beginning when the label was cut short."""
    score = Indel.normalized_similarity(words, label)
    size = len(words)
    long_enough = size >= _PREFIX_LONG or size / max(len(label), 1) >= _PREFIX_COVERAGE
    if _PREFIX_MIN <= size < len(label) and long_enough:
        cut = Indel.normalized_similarity(words, label[:size])
        score = max(score, cut - 0.1 * (1 - size / len(label)))
    return score


def _closest(candidates: tuple[_Candidate, ...], text: str) -> LabelMatch:
    ordinal, words = label_words(text)
    if len(words) < _WORDS_MIN:
        return NO_MATCH
    best: dict[str, float] = {}
    for cand in candidates:
        score = _similarity(words, cand.words)
        if ordinal and cand.ordinal:
            score += _SAME_ORDINAL if ordinal == cand.ordinal else -_OTHER_ORDINAL
        score = round(score, 3)
        if score > best.get(cand.key, -1.0):
            best[cand.key] = score
    ranked = sorted(best.items(), key=lambda item: -item[1])
    key, score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if not key or score < FLOOR or best.get("", 0.0) >= score:
        return NO_MATCH  # as near to a group or header label, or near to nothing
    others = tuple((k, s) for k, s in ranked[1:4] if k and s >= FLOOR)
    how = "fuzzy" if score >= ACCEPT and score - runner_up >= MARGIN else "ambiguous"
    others = tuple((k, min(s, 1.0)) for k, s in others)
    return LabelMatch(key, how, min(score, 1.0), others)


def _candidate(key: str, label: str) -> _Candidate:
    ordinal, words = label_words(label)
    return _Candidate(key, ordinal, words)


def _unique(cands: Iterable[_Candidate]) -> tuple[_Candidate, ...]:
    return tuple(dict.fromkeys(c for c in cands if c.words))


_T2_TABLES = (schema.TABLE2_2019, schema.TABLE2_2021)
_T3_ROWS = tuple(schema.allowed_rows("table3", schema.Layout.Y2021).values())
_T3_GROUPS = (
    schema.RESULTS_GROUP,
    schema.WITHHELD_GROUP,
    schema.UNAVAILABLE_GROUP,
    schema.NOT_PROCESSED_GROUP,
    schema.APPLICANTS_GROUP,
    schema.LEGAL_PERSONS_GROUP,
)
_T4_GROUPS = (schema.REVIEW_GROUP, schema.LITIGATION_GROUP)


def _column_labels(table: str) -> list[tuple[str, str]]:
    if table == "table2":
        return [(c.key, c.label) for t in _T2_TABLES for r in t.rows for c in r.columns]
    if table == "table3":
        return [(c.key, c.label) for c in schema.TABLE3_COLUMNS]
    return [(c.key, c.label) for c in schema.TABLE4_COLUMNS]


def _row_labels(table: str) -> list[tuple[str, str]]:
    if table == "table2":
        return [(r.key, r.label) for t in _T2_TABLES for r in t.rows]
    if table == "table3":
        rows = [(r.key, r.label) for r in _T3_ROWS]
        return rows + [(r.key, r.short_label) for r in _T3_ROWS if r.short_label]
    return [(r.key, r.label) for r in schema.TABLE4.rows]


def _others(table: str) -> list[str]:
    """Printed labels of a table that are neither rows nor columns."""
    if table == "table2":
        return ["信息内容"]
    if table == "table3":
        return list(_T3_GROUPS)
    return [schema.LITIGATION_GROUP]


@lru_cache(maxsize=8)
def _row_candidates(table: str) -> tuple[_Candidate, ...]:
    rows = [_candidate(key, label) for key, label in _row_labels(table)]
    not_rows = [_candidate("", label) for _, label in _column_labels(table)]
    not_rows += [_candidate("", label) for label in _others(table)]
    return _unique(rows + not_rows)


@lru_cache(maxsize=8)
def _column_candidates(table: str) -> tuple[_Candidate, ...]:
    columns = [_candidate(key, label) for key, label in _column_labels(table)]
    not_columns = [_candidate("", label) for _, label in _row_labels(table)]
    not_columns += [_candidate("", label) for label in _others(table)]
    if table == "table4":
        not_columns += [_candidate("", label) for label in _T4_GROUPS]
    return _unique(columns + not_columns)


@cache_short(maxsize=16384)
def match_row(table: str, text: str) -> LabelMatch:
    """The row a printed label names: by keyword, else by the closest schema label.
    A note ("备注：…") names none."""
    if NOTE_START.match(text):
        return NO_MATCH
    key = _by_keyword(ROW_RULES[table], text)
    if key is not None:
        return LabelMatch(key, "rule")
    key = wildcards.only_fit(match_text(text), _row_texts(table), from_ordinal=True)
    if key is not None:
        return LabelMatch(key, "damaged")
    return _closest(_row_candidates(table), text)


@lru_cache(maxsize=8)
def _row_texts(table: str) -> tuple[tuple[str, str], ...]:
    return tuple((key, match_text(label)) for key, label in _row_labels(table))


@cache_short(maxsize=4096)
def match_column(table: str, text: str) -> LabelMatch:
    """The column a header text names: by keyword, else by the closest schema label."""
    key = _by_keyword(COLUMN_RULES[table], text)
    if key is not None:
        return LabelMatch(key, "rule")
    return _closest(_column_candidates(table), text)


def _by_keyword(rules: tuple[Rule, ...], text: str) -> str | None:
    """A keyword rule's key, also once a qualifier is dropped ("3.其他（件）")."""
    key = first_match(rules, text)
    if key is None:
        plain = _QUALIFIER.sub("", match_text(text))
        key = first_match(rules, plain) if plain else None
    return key


def row_label(table: str, key: str) -> str:
    """The schema's label of a row, for messages."""
    for row_key, label in _row_labels(table):
        if row_key == key:
            return label
    return key


# --- Headings spelt differently -----------------------------------------------------------
# "二、", "二 ", "2." — a digit needs its separator: "2023年…" starts no heading.
_HEADING_START = re.compile(
    r"^(?:([一二三四五六])[、.,，:：]?|([1-6])[、.,，:：](?!\d))"
)
_HEADING_ACCEPT = 0.75


@lru_cache(maxsize=1)
def _heading_words() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Section key -> (its ordinal, the words of its heading and accepted variants)."""
    result: dict[str, tuple[str, tuple[str, ...]]] = {}
    for key, heading in schema.SECTIONS:
        variants = (heading, *schema.SECTION_HEADING_VARIANTS.get(key, ()))
        ordinal = label_words(heading)[0]
        result[key] = (ordinal, tuple(label_words(v)[1] for v in variants))
    return result


def _heading_similarity(words: str, heading: str) -> float:
    """Similarity to a heading, ignoring text printed after it on the same line."""
    lengths = range(max(1, len(heading) - 2), len(heading) + 3)
    return max(Indel.normalized_similarity(words[:n], heading) for n in lengths)


def _fuzzy_section(flat: str) -> str | None:
    start = _HEADING_START.match(flat)
    if start is None:
        return None
    ordinal = _NUMERALS.get(start[1], start[2])
    words = _PUNCTUATION.sub("", _QUALIFIER.sub("", flat[start.end() :]))
    if len(words) < 3:
        return None
    for key, (number, headings) in _heading_words().items():
        if number != ordinal:
            continue
        score = max(_heading_similarity(words, h) for h in headings if len(h) >= 4)
        if score < _HEADING_ACCEPT:
            return None
        row = match_row("table3", flat)
        if row.key is not None and (row.how == "rule" or row.score >= score):
            return None  # a table 三 row label such as "一、本年新收…"
        return key
    return None

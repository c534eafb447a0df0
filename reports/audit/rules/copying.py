"""Copying: a narrative that is (almost) the same as last year's, or as another agency's.

Texts are compared after normalisation: the agency's own name, figures, punctuation, the
statutory sub-headings and a few formula sentences every report prints are removed, and what is
left must be at least MIN_CHARS long (short texts are alike by nature). Similarity is the
Jaccard index of 4-character shingles.

Across a year's scope, comparing every pair is O(n²); instead each report is cut into clauses,
clauses printed by many reports of the scope are boilerplate and dropped, and each report is
indexed by its few clauses with the smallest hashes (a bottom-k sketch, i.e. MinHash with one
permutation). Only reports sharing sketch clauses are compared in full. A copy whose every
clause was edited can escape the sketch; a verbatim or lightly edited copy cannot.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from itertools import combinations

from reports.audit.base import AgencyDue, Issue, ReportFacts, Severity
from reports.audit.registry import rule

THRESHOLD = 0.9
MIN_CHARS = 200
SHINGLE = 4
MIN_CLAUSE = 6  # shorter clauses ("下一步", "一是…") say nothing about copying
SKETCH = 8
# A clause in more reports of the scope than this is boilerplate (at least BOILERPLATE_DF).
BOILERPLATE_DF = 10
BOILERPLATE_SHARE = 0.001
MAX_POSTING = 500  # a sketch clause shared more widely than this is boilerplate too
MAX_MATCHES = 5  # other agencies named per report

_SECTIONS = ("overview", "problems", "other_matters")
_CLAUSE_SPLIT = re.compile(r"[^\w]+")
_NO_DIGITS = str.maketrans("", "", "0123456789０１２３４５６７８９_")
# Words every report prints: the statute's name, the five statutory sub-headings, and the
# formula sentences of sections 五 and 六.
_BOILERPLATE = re.compile(
    r"中华人民共和国政府信息公开条例|政府信息公开条例"
    r"|[（(]?[一二三四五六七八九十]+[)）、．.]?"
    r"(?:主动公开|依申请公开|政府信息管理|政府信息公开平台建设|平台建设"
    r"|政府信息公开监督保障|监督保障)(?:政府信息)?(?:工作)?(?:情况)?"
    r"|本年度未收取信息处理费|未收取信息处理费|无其他需要报告的事项|无其他需报告的事项"
)


def clauses(facts: ReportFacts) -> list[str]:
    """The narrative's clauses, normalised (no own name, figures, punctuation, formulae).

    Worked out once per report and kept on the facts: a report is compared as itself, as
    next year's previous report, and across the year's scope.
    """
    if facts.clauses is None:
        facts.clauses = _clauses(facts)
    return facts.clauses


def _clauses(facts: ReportFacts) -> list[str]:
    text = "\n".join(facts.sections.get(k, "") for k in _SECTIONS)
    if not text.strip():
        return []
    if facts.agency:
        text = text.replace(facts.agency, "")
    text = _BOILERPLATE.sub(" ", text)
    out = []
    for part in _CLAUSE_SPLIT.split(text):
        part = part.translate(_NO_DIGITS)
        if len(part) >= MIN_CLAUSE:
            out.append(part)
    return out


def shingles(text: str) -> frozenset[str]:
    return frozenset(text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


@rule("copy-previous", Severity.WARNING, "叙述部分与本机关上年度报告高度雷同")
def copy_previous(facts: ReportFacts) -> list[Issue]:
    """copy-previous: the narrative is ≥ 90 % the same as the agency's previous report."""
    previous = facts.previous
    if previous is None:
        return []
    now = "".join(clauses(facts))
    if len(now) < MIN_CHARS:
        return []
    then = "".join(clauses(previous))
    if len(then) < MIN_CHARS or min(len(now), len(then)) < THRESHOLD * max(
        len(now), len(then)
    ):
        return []  # Jaccard ≥ 0.9 needs lengths within 10 % of each other
    similarity = jaccard(shingles(now), shingles(then))
    if similarity < THRESHOLD:
        return []
    return [
        Issue(
            "copy-previous",
            f"叙述部分（总体情况、存在问题、其他事项）与本机关 {previous.year} 年度报告"
            f"相似度 {similarity:.0%}，可能照抄上年报告",
            key=str(previous.year),
        )
    ]


@rule(
    "copy-other",
    Severity.WARNING,
    "叙述部分与同年度其他机关报告高度雷同",
    scope=True,
)
def copy_other(
    reports: Sequence[ReportFacts], due: Sequence[AgencyDue], today: dt.date
) -> Iterator[tuple[int | None, int, Issue]]:
    """copy-other: the narrative is ≥ 90 % the same as another agency's of the same year."""
    by_year: dict[int, list[ReportFacts]] = defaultdict(list)
    for facts in reports:
        by_year[facts.year].append(facts)
    for group in by_year.values():
        yield from _copies_in_year(group)


def _copies_in_year(
    group: list[ReportFacts],
) -> Iterator[tuple[int | None, int, Issue]]:
    parts = [set(clauses(f)) for f in group]
    df = Counter(c for p in parts for c in p)
    limit = max(BOILERPLATE_DF, int(len(group) * BOILERPLATE_SHARE))
    contents: list[str] = []
    postings: dict[str, list[int]] = defaultdict(list)
    sketches: list[int] = []
    for i, own in enumerate(parts):
        kept = sorted(c for c in own if df[c] <= limit)
        content = "".join(kept)
        contents.append(content)
        if len(content) < MIN_CHARS:
            sketches.append(0)
            continue
        sketch = heapq.nsmallest(SKETCH, kept, key=hash)
        sketches.append(len(sketch))
        for clause in sketch:
            postings[clause].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for members in postings.values():
        if 2 <= len(members) <= MAX_POSTING:
            shared.update(combinations(members, 2))
    cache: dict[int, frozenset[str]] = {}
    matches: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for (i, j), count in shared.items():
        if count < min(2, sketches[i], sketches[j]):
            continue
        a, b = group[i], group[j]
        if a.agency_id == b.agency_id:
            continue
        la, lb = len(contents[i]), len(contents[j])
        if min(la, lb) < THRESHOLD * max(la, lb):
            continue
        sa = cache.get(i) or cache.setdefault(i, shingles(contents[i]))
        sb = cache.get(j) or cache.setdefault(j, shingles(contents[j]))
        similarity = jaccard(sa, sb)
        if similarity >= THRESHOLD:
            matches[i].append((similarity, j))
            matches[j].append((similarity, i))
    for i, found in matches.items():
        facts = group[i]
        for similarity, j in sorted(found, reverse=True)[:MAX_MATCHES]:
            other = group[j]
            yield (
                facts.report_id,
                facts.agency_id,
                Issue(
                    "copy-other",
                    f"叙述部分与{other.agency} {other.year} 年度报告相似度 "
                    f"{similarity:.0%}（已去除套话），可能相互照抄",
                    key=str(other.agency_id),
                ),
            )

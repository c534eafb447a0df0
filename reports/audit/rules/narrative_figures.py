"""Text against tables: figures the narrative states that the tables contradict.

Only sentences that clearly state the agency's own figure for the year are compared (see
narrative.SCOPE_WORDS); a figure that matches either the printed total or the sum of its parts
is accepted. Each finding quotes its sentence as evidence.
"""

from __future__ import annotations

import re

from reports import schema
from reports.audit.base import Issue, ReportFacts, Severity
from reports.audit.registry import rule, shared
from reports.audit.rules.narrative import own_scope, section, sentences, to_int
from reports.audit.tables import table_reader
from reports.core.cell_reading import Known, Number, Reader, fmt

_NUM = r"(?P<n>\d{1,3}(?:,\d{3})+|\d+)"
_UNIT = r"(?:件|个|份|条|宗|起)"
_FILLER = r"(?:共计|总计|合计|共|数量为|数量|为|是|:)*"

# "共收到政府信息公开申请21件", "受理各类依申请公开申请 21 件", "新收…申请数量为21件".
_APPLICATIONS = re.compile(
    r"(?:收到|受理|新收|接收|接到)(?P<mid>[^,。;\d]{0,16}?)申请"
    + _FILLER
    + _NUM
    + _UNIT
)
_NO_APPLICATIONS = re.compile(
    r"(?:未|没有|无)(?:收到|受理|接到|接收|发生)?(?:任何)?(?:政府信息公开|依申请公开)"
    r"(?:的)?(?:申请)?(?:事项|内容|件|情况)?(?=$|,)"
)
_REVIEW = re.compile(r"行政复议(?:案件|申请)?" + _FILLER + _NUM + _UNIT)
_LITIGATION = re.compile(r"行政诉讼(?:案件)?" + _FILLER + _NUM + _UNIT)
# "未发生因政府信息公开引起的行政复议、行政诉讼案件" (ends the clause: "…被纠错的情况" does not).
_NONE_CASES = re.compile(
    r"(?:未发生|没有发生|未出现|没有出现|未收到|未有|无)(?:因|涉及)?"
    r"(?:政府信息公开|依申请公开)?(?:工作)?(?:引起|引发|产生|而)?的?(?:被申请|被提起)?"
    r"(?P<what>行政复议(?:[和、及或与]?(?:提起)?行政诉讼)?|行政诉讼(?:[和、及或与]?行政复议)?)"
    r"(?:案件|情况|事件)?(?=$|,)"
)
_ALL_UPHELD = re.compile(r"(?:均|全部|都)(?:获|被|予以)?维持")
_UPHELD_SUBSET = re.compile(r"未审结|尚在审理|审理中|在审|已审结|审结的")
_NORMATIVE = {
    "issued": re.compile(
        r"(?:制发|印发|出台|制定|发布)(?:了)?(?:行政)?规范性文件"
        + _FILLER
        + _NUM
        + _UNIT
    ),
    "repealed": re.compile(r"废止(?:了)?(?:行政)?规范性文件" + _FILLER + _NUM + _UNIT),
    "in_force": re.compile(
        r"(?:现行有效(?:的)?(?:行政)?规范性文件|规范性文件现行有效)"
        + _FILLER
        + _NUM
        + _UNIT
    ),
}
_NORMATIVE_LABELS = {
    "issued": "本年制发",
    "repealed": "本年废止",
    "in_force": "现行有效",
}


def _said(facts: ReportFacts) -> list[str]:
    """The overview's sentences that name applications, cases or normative documents."""
    return shared(
        facts,
        "text.said",
        lambda: sentences(
            section(facts, "overview"), "申请", "复议", "诉讼", "规范性文件"
        ),
    )


def _accepted(
    reader: Reader, table: str, row: str, parts: tuple[str, ...]
) -> set[Number]:
    """The figures a statement may match: the printed total and the sum of the parts."""
    values: set[Number] = set()
    total = reader.known(table, row, "total")
    if total is not None:
        values.add(total.value)
    items = reader.known_all(table, [(row, c) for c in parts])
    if items is not None:
        values.add(sum(i.value for i in items))
    return values


@rule("text-applications", Severity.WARNING, "正文所述申请数量与表三本年新收总计不符")
@rule(
    "text-no-applications",
    Severity.WARNING,
    "正文称未收到申请而表三本年新收大于 0",
)
def text_applications(facts: ReportFacts) -> list[Issue]:
    """text-applications and text-no-applications against 表三「本年新收」·总计 (the first
    clear statement counts, whichever it is)."""
    said = _said(facts)
    if not said:
        return []
    reader = table_reader(facts)
    if "new_received" not in reader.rows("table3"):
        return []
    accepted = _accepted(reader, "table3", "new_received", schema.TABLE3_PARTS)
    if not accepted:
        return []
    total = reader.known("table3", "new_received", "total")
    cells = (total.ref(),) if total is not None else ()
    label = reader.label("table3", "new_received", "total")
    shown = fmt(total.value) if total is not None else fmt(max(accepted))
    out: list[Issue] = []
    for sentence in said:
        if "申请" not in sentence and "依申请" not in sentence:
            continue
        for match in _APPLICATIONS.finditer(sentence):
            if "公开" not in match["mid"] or not own_scope(sentence[: match.start()]):
                continue
            stated = to_int(match["n"])
            if stated not in accepted:
                out.append(
                    Issue(
                        "text-applications",
                        f"总体情况称收到政府信息公开申请 {stated} 件，而{label}为 {shown}",
                        key="new_received",
                        cells=cells,
                        evidence=sentence,
                    )
                )
            return out  # the first clear statement is the one that counts
        none_said = _NO_APPLICATIONS.search(sentence)
        if none_said and own_scope(sentence[: none_said.start()]) and max(accepted) > 0:
            out.append(
                Issue(
                    "text-no-applications",
                    f"总体情况称未收到政府信息公开申请，而{label}为 {shown}",
                    key="new_received",
                    cells=cells,
                    evidence=sentence,
                )
            )
            return out
    return out


def _blocks_total(
    reader: Reader, blocks: tuple[str, ...]
) -> tuple[set[Number], list[Known]]:
    """Accepted figures for the sum of several table 四 blocks, and their total cells."""
    printed = [reader.known("table4", b, "total") for b in blocks]
    parts = [
        reader.known_all("table4", [(b, c) for c in schema.TABLE4_PARTS])
        for b in blocks
    ]
    values: set[Number] = set()
    known = [p for p in printed if p is not None]
    if len(known) == len(blocks):
        values.add(sum(p.value for p in known))
    whole = [p for p in parts if p is not None]
    if len(whole) == len(parts):
        values.add(sum(i.value for p in whole for i in p))
    return values, known


_REVIEW_BLOCKS: tuple[str, ...] = ("review",)
_LITIGATION_BLOCKS: tuple[str, ...] = ("litigation_direct", "litigation_after_review")


@rule(
    "text-review-litigation",
    Severity.WARNING,
    "正文所述行政复议、行政诉讼情况与表四不符",
)
def text_review_litigation(facts: ReportFacts) -> list[Issue]:
    """text-review-litigation: stated case counts and "均获维持" against table 四."""
    said = _said(facts)
    if not said:
        return []
    reader = table_reader(facts)
    rows = reader.rows("table4")
    if not rows:
        return []
    out: list[Issue] = []
    done: set[str] = set()
    kinds = (
        ("review", "行政复议", _REVIEW, _REVIEW_BLOCKS),
        ("litigation", "行政诉讼", _LITIGATION, _LITIGATION_BLOCKS),
    )
    for sentence in said:
        if "复议" not in sentence and "诉讼" not in sentence:
            continue
        if not own_scope(sentence):
            continue
        stated: dict[str, int] = {}
        none = _NONE_CASES.search(sentence)
        if none and not re.search(r"纠错|纠正|败诉", sentence):
            for key, word, _, _ in kinds:
                if word in none["what"]:
                    stated[key] = 0
        for key, _, pattern, _ in kinds:
            match = pattern.search(sentence)
            if match and key not in stated:
                stated[key] = to_int(match["n"])
        for key, word, _, blocks in kinds:
            if key in done or key not in stated or not all(b in rows for b in blocks):
                continue
            accepted, totals = _blocks_total(reader, blocks)
            if not accepted:
                continue
            done.add(key)
            if stated[key] in accepted:
                continue
            shown = (
                fmt(sum(t.value for t in totals))
                if len(totals) == len(blocks)
                else fmt(max(accepted))
            )
            out.append(
                Issue(
                    "text-review-litigation",
                    f"总体情况称{word} {stated[key]} 件，而表四{word}总计为 {shown}",
                    key=key,
                    cells=tuple(t.ref() for t in totals),
                    evidence=sentence,
                )
            )
        if "upheld" not in done and _ALL_UPHELD.search(sentence):
            if _UPHELD_SUBSET.search(sentence):
                continue
            has_review, has_litigation = "复议" in sentence, "诉讼" in sentence
            blocks = (
                _REVIEW_BLOCKS
                if has_review and not has_litigation
                else _LITIGATION_BLOCKS
                if has_litigation and not has_review
                else _REVIEW_BLOCKS + _LITIGATION_BLOCKS
            )
            bad = []
            for block in blocks:
                for column in ("corrected", "pending"):
                    item = reader.known("table4", block, column)
                    if item is not None and item.value > 0:
                        bad.append(item)
            done.add("upheld")
            if bad:
                named = "、".join(
                    f"{reader.label('table4', *b.path.split('.')[1:])} {fmt(b.value)}"
                    for b in bad
                )
                out.append(
                    Issue(
                        "text-review-litigation",
                        f"总体情况称案件均获维持，而{named}",
                        key="upheld",
                        cells=tuple(b.ref() for b in bad),
                        evidence=sentence,
                    )
                )
    return out


@rule("text-normative", Severity.WARNING, "正文所述规范性文件件数与表二不符")
def text_normative(facts: ReportFacts) -> list[Issue]:
    """text-normative: 规范性文件 制发/废止/现行有效 counts against table 二 (2021 layout)."""
    said = _said(facts)
    if not said:
        return []
    reader = table_reader(facts)
    if reader.table_layout("table2") != schema.Layout.Y2021:
        return []
    if "normative_documents" not in reader.rows("table2"):
        return []
    out: list[Issue] = []
    done: set[str] = set()
    for sentence in said:
        if "规范性文件" not in sentence:
            continue
        for column, pattern in _NORMATIVE.items():
            if column in done:
                continue
            match = pattern.search(sentence)
            if not match or not own_scope(sentence[: match.start()]):
                continue
            item = reader.known("table2", "normative_documents", column)
            if item is None:
                continue
            done.add(column)
            stated = to_int(match["n"])
            if stated == item.value:
                continue
            out.append(
                Issue(
                    "text-normative",
                    f"总体情况称{_NORMATIVE_LABELS[column]}规范性文件 {stated} 件，"
                    f"而{reader.label('table2', 'normative_documents', column)}为 "
                    f"{fmt(item.value)}",
                    key=column,
                    cells=(item.ref(),),
                    evidence=sentence,
                )
            )
    return out

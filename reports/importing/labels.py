"""Importer knowledge: which printed words identify a section, a row or a column.

Labels wrap across lines, lose characters to typos ("其他法律行政止公开", "申请你无正当理由")
and mix full- and half-width punctuation, so each key is recognised by short keywords that
survive those accidents, tried in a fixed order (specific rows before the groups that contain
them). All patterns run on `normalize.compact()` text. The canonical keys and labels
themselves come from `reports.schema`; this module only knows how to spot them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from reports import schema

Rule = tuple[str, re.Pattern[str]]


def _rules(pairs: Iterable[tuple[str, str]]) -> tuple[Rule, ...]:
    return tuple((key, re.compile(pattern)) for key, pattern in pairs)


def first_match(rules: tuple[Rule, ...], text: str) -> str | None:
    """The key of the first rule whose pattern occurs in `text`."""
    for key, pattern in rules:
        if pattern.search(text):
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


def section_of(text: str) -> str | None:
    """The section key when `text` (compact) is a section heading line."""
    if len(text) > 60:  # a paragraph that happens to start like a heading
        return None
    return first_match(SECTION_RULES, text)


# --- Rows -------------------------------------------------------------------------------------
# A label fragment that starts a new row or group: "一、", "(三)", "1.", "3、".
ITEM_START = re.compile(
    r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d{1,2}[.、](?!\d))"
)
CAPTION = re.compile(r"第二十条")

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
TABLE2_2019_WORDS = re.compile(
    r"新制作|新公开|对外公开总|上一年|增/?减|采购|对外管理服务"
)
TABLE2_2021_WORDS = re.compile(r"制发|废止|现行有效|收费金额")

TABLE3_COLUMNS: tuple[Rule, ...] = _rules(
    (
        ("natural_person", r"自然"),
        ("commercial", r"商业"),
        ("research", r"科研"),
        ("public_interest", r"公益|社会"),
        ("legal_service", r"法律|服务机构"),
        ("total", r"总计|合计"),
        ("other_org", r"^其他"),
    )
)
# A header cell that spans columns ("法人或其他组织", "申请人情况") is never a leaf.
TABLE3_PARENT = re.compile(r"法人|申请人")

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
TABLE4_HEADER = re.compile(r"行政复议.*行政诉讼|结果维持.*结果纠正")
# Page furniture: "— 3 —", "- 3 -", "第 3 页", "3".
PAGE_NUMBER = re.compile(
    r"^(?:[-—–－]*\d{1,4}[-—–－]*|第\d{1,4}页(?:共\d{1,4}页)?|\d{1,4}/\d{1,4})$"
)

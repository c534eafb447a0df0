"""The canonical keys, Chinese labels and order of the annual report's tables.

The single source of truth for ../shared/spec/report-format.md sections 2-4: models, importers,
audits, admin templates and exports read these definitions instead of repeating labels.
Plain Python, no Django imports, so that extractors and audit rules can use it anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Layout(StrEnum):
    """The national template a report's tables follow."""

    Y2019 = "2019"
    Y2021 = "2021"


LAYOUT_LABELS: dict[str, str] = {
    Layout.Y2019: "2019版（试行）",
    Layout.Y2021: "2021版",
}


def layout_for_year(year: int) -> Layout:
    """The layout that applies to a report year: 2019 for 2019-2020, 2021 from 2021 on."""
    return Layout.Y2019 if year < 2021 else Layout.Y2021


class Kind(StrEnum):
    """What a cell holds: a count (non-negative integer), a signed count, or money."""

    COUNT = "count"
    SIGNED = "signed"
    MONEY = "money"


@dataclass(frozen=True)
class Column:
    """One column of a table: its key, label and the header group it sits under."""

    key: str
    label: str
    kind: Kind = Kind.COUNT
    group: str = ""


@dataclass(frozen=True)
class Row:
    """One row of a table: its key, label, columns, and the caption or group above it."""

    key: str
    label: str
    columns: tuple[Column, ...]
    group: str = ""
    caption: str = ""
    short_label: str = ""

    @property
    def column_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)


@dataclass(frozen=True)
class Table:
    """A table of the report for one layout: its key, heading and rows in printed order."""

    key: str
    heading: str
    rows: tuple[Row, ...]
    columns: tuple[Column, ...] = ()

    @property
    def row_keys(self) -> tuple[str, ...]:
        return tuple(r.key for r in self.rows)

    def row(self, key: str) -> Row:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)


# --- Sections (spec section 1) -------------------------------------------------------------

SECTIONS: tuple[tuple[str, str], ...] = (
    ("overview", "一、总体情况"),
    ("table2", "二、主动公开政府信息情况"),
    ("table3", "三、收到和处理政府信息公开申请情况"),
    ("table4", "四、政府信息公开行政复议、行政诉讼情况"),
    ("problems", "五、存在的主要问题及改进情况"),
    ("other_matters", "六、其他需要报告的事项"),
)
NARRATIVE_SECTIONS: tuple[str, ...] = ("overview", "problems", "other_matters")
SECTION_HEADINGS: dict[str, str] = dict(SECTIONS)

# Heading variants the spec accepts (flagged as a format deviation).
SECTION_HEADING_VARIANTS: dict[str, tuple[str, ...]] = {
    "table4": ("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",),
    "problems": (
        "五、政府信息公开工作存在的主要问题及改进情况",
        "五、存在的主要问题和改进情况",
        "五、存在问题及改进情况",
    ),
}

# --- Table 二 (spec section 2) -------------------------------------------------------------

_ISSUED_2021 = (
    Column("issued", "本年制发件数"),
    Column("repealed", "本年废止件数"),
    Column("in_force", "现行有效件数"),
)
_DECISIONS_2021 = (Column("decisions", "本年处理决定数量"),)
_FEES_2021 = (Column("amount", "本年收费金额（单位：万元）", Kind.MONEY),)

TABLE2_2021 = Table(
    key="table2",
    heading=SECTION_HEADINGS["table2"],
    rows=(
        Row("regulations", "规章", _ISSUED_2021, caption="第二十条第（一）项"),
        Row(
            "normative_documents",
            "行政规范性文件",
            _ISSUED_2021,
            caption="第二十条第（一）项",
        ),
        Row("licensing", "行政许可", _DECISIONS_2021, caption="第二十条第（五）项"),
        Row("penalty", "行政处罚", _DECISIONS_2021, caption="第二十条第（六）项"),
        Row("enforcement", "行政强制", _DECISIONS_2021, caption="第二十条第（六）项"),
        Row("fees", "行政事业性收费", _FEES_2021, caption="第二十条第（八）项"),
    ),
)

_PUBLISHED_2019 = (
    Column("new_made", "本年新制作数量"),
    Column("new_published", "本年新公开数量"),
    Column("total_published", "对外公开总数量"),
)
_ITEMS_2019 = (
    Column("previous_items", "上一年项目数量"),
    Column("change", "本年增/减", Kind.SIGNED),
    Column("decisions", "处理决定数量"),
)

TABLE2_2019 = Table(
    key="table2",
    heading=SECTION_HEADINGS["table2"],
    rows=(
        Row("regulations", "规章", _PUBLISHED_2019, caption="第二十条第（一）项"),
        Row(
            "normative_documents",
            "规范性文件",
            _PUBLISHED_2019,
            caption="第二十条第（一）项",
        ),
        Row("licensing", "行政许可", _ITEMS_2019, caption="第二十条第（五）项"),
        Row(
            "other_services",
            "其他对外管理服务事项",
            _ITEMS_2019,
            caption="第二十条第（五）项",
        ),
        Row("penalty", "行政处罚", _ITEMS_2019, caption="第二十条第（六）项"),
        Row("enforcement", "行政强制", _ITEMS_2019, caption="第二十条第（六）项"),
        Row("fees", "行政事业性收费", _ITEMS_2019[:2], caption="第二十条第（八）项"),
        Row(
            "procurement",
            "政府集中采购",
            (
                Column("projects", "采购项目数量"),
                Column("amount", "采购总金额", Kind.MONEY),
            ),
            caption="第二十条第（九）项",
        ),
    ),
)

# Every value column a table 二 row may carry, in either layout (the model has one field each).
TABLE2_VALUE_COLUMNS: tuple[str, ...] = (
    "issued",
    "repealed",
    "in_force",
    "decisions",
    "amount",
    "new_made",
    "new_published",
    "total_published",
    "previous_items",
    "change",
    "projects",
)

# The unit a money cell is in when the form fixes it (2021 fees); otherwise as written.
FEES_UNIT_2021 = "万元"
MONEY_UNITS: tuple[str, ...] = ("元", "万元")

# --- Table 三 (spec section 3) -------------------------------------------------------------

APPLICANTS_GROUP = "申请人情况"
LEGAL_PERSONS_GROUP = "法人或其他组织"

TABLE3_COLUMNS: tuple[Column, ...] = (
    Column("natural_person", "自然人", group=""),
    Column("commercial", "商业企业", group=LEGAL_PERSONS_GROUP),
    Column("research", "科研机构", group=LEGAL_PERSONS_GROUP),
    Column("public_interest", "社会公益组织", group=LEGAL_PERSONS_GROUP),
    Column("legal_service", "法律服务机构", group=LEGAL_PERSONS_GROUP),
    Column("other_org", "其他", group=LEGAL_PERSONS_GROUP),
    Column("total", "总计", group=""),
)
TABLE3_PARTS: tuple[str, ...] = tuple(c.key for c in TABLE3_COLUMNS[:-1])

RESULTS_GROUP = "三、本年度办理结果"
WITHHELD_GROUP = "（三）不予公开"
UNAVAILABLE_GROUP = "（四）无法提供"
NOT_PROCESSED_GROUP = "（五）不予处理"
OTHER_GROUP = "（六）其他处理"


def _t3(key: str, label: str, group: str = "", short: str = "") -> Row:
    return Row(key, label, TABLE3_COLUMNS, group=group, short_label=short)


_T3_HEAD = (
    _t3("new_received", "一、本年新收政府信息公开申请数量", short="本年新收"),
    _t3("carried_over", "二、上年结转政府信息公开申请数量", short="上年结转"),
    _t3("granted", "（一）予以公开", RESULTS_GROUP),
    _t3(
        "partially_granted",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        RESULTS_GROUP,
        short="（二）部分公开",
    ),
    _t3("withheld_state_secret", "1.属于国家秘密", WITHHELD_GROUP),
    _t3("withheld_law_prohibited", "2.其他法律行政法规禁止公开", WITHHELD_GROUP),
    _t3("withheld_three_safeties", "3.危及“三安全一稳定”", WITHHELD_GROUP),
    _t3("withheld_third_party", "4.保护第三方合法权益", WITHHELD_GROUP),
    _t3("withheld_internal_affairs", "5.属于三类内部事务信息", WITHHELD_GROUP),
    _t3("withheld_process_info", "6.属于四类过程性信息", WITHHELD_GROUP),
    _t3("withheld_enforcement_file", "7.属于行政执法案卷", WITHHELD_GROUP),
    _t3("withheld_inquiry", "8.属于行政查询事项", WITHHELD_GROUP),
    _t3("unavailable_not_held", "1.本机关不掌握相关政府信息", UNAVAILABLE_GROUP),
    _t3("unavailable_needs_creation", "2.没有现成信息需要另行制作", UNAVAILABLE_GROUP),
    _t3("unavailable_unclear", "3.补正后申请内容仍不明确", UNAVAILABLE_GROUP),
    _t3("not_processed_complaint", "1.信访举报投诉类申请", NOT_PROCESSED_GROUP),
    _t3("not_processed_duplicate", "2.重复申请", NOT_PROCESSED_GROUP),
    _t3("not_processed_publication", "3.要求提供公开出版物", NOT_PROCESSED_GROUP),
    _t3("not_processed_excessive", "4.无正当理由大量反复申请", NOT_PROCESSED_GROUP),
    _t3(
        "not_processed_confirmation",
        "5.要求行政机关确认或重新出具已获取信息",
        NOT_PROCESSED_GROUP,
    ),
)
_T3_OTHER_2021 = (
    _t3(
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        OTHER_GROUP,
    ),
    _t3(
        "other_fee_unpaid",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        OTHER_GROUP,
    ),
    _t3("other_other", "3.其他", OTHER_GROUP),
)
_T3_OTHER_ONE_ROW = (_t3("other_processing", "（六）其他处理", RESULTS_GROUP),)
_T3_TAIL = (
    _t3("total_processed", "（七）总计", RESULTS_GROUP),
    _t3("carried_forward", "四、结转下年度继续办理", short="结转下年度"),
)

TABLE3_HEADING = SECTION_HEADINGS["table3"]
TABLE3_2021 = Table(
    "table3", TABLE3_HEADING, _T3_HEAD + _T3_OTHER_2021 + _T3_TAIL, TABLE3_COLUMNS
)
TABLE3_2019 = Table(
    "table3", TABLE3_HEADING, _T3_HEAD + _T3_OTHER_ONE_ROW + _T3_TAIL, TABLE3_COLUMNS
)
# A 2021 report that prints （六）其他处理 as one row (seen in the wild, e.g. 洪泽区 2023).
TABLE3_2021_ONE_ROW_OTHER = TABLE3_2019

OTHER_2021_ROWS: tuple[str, ...] = tuple(r.key for r in _T3_OTHER_2021)
OTHER_ONE_ROW = "other_processing"

# Result rows that add up to （七）总计 (identity T3-results); one of the two "other" forms.
TABLE3_RESULT_ROWS: tuple[str, ...] = tuple(r.key for r in _T3_HEAD[2:])

# --- Table 四 (spec section 4) -------------------------------------------------------------

REVIEW_GROUP = "行政复议"
LITIGATION_GROUP = "行政诉讼"

TABLE4_COLUMNS: tuple[Column, ...] = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计"),
)
TABLE4_PARTS: tuple[str, ...] = ("upheld", "corrected", "other", "pending")

TABLE4 = Table(
    key="table4",
    heading=SECTION_HEADINGS["table4"],
    rows=(
        Row("review", "行政复议", TABLE4_COLUMNS, group=REVIEW_GROUP),
        Row(
            "litigation_direct",
            "未经复议直接起诉",
            TABLE4_COLUMNS,
            group=LITIGATION_GROUP,
        ),
        Row(
            "litigation_after_review",
            "复议后起诉",
            TABLE4_COLUMNS,
            group=LITIGATION_GROUP,
        ),
    ),
    columns=TABLE4_COLUMNS,
)

TABLE_KEYS: tuple[str, ...] = ("table2", "table3", "table4")
TABLE_LABELS: dict[str, str] = {"table2": "表二", "table3": "表三", "table4": "表四"}


def tables_for(layout: str, *, one_row_other: bool = False) -> dict[str, Table]:
    """The three tables of a layout; `one_row_other` selects the 2021 table 三 variant."""
    if layout == Layout.Y2019:
        return {"table2": TABLE2_2019, "table3": TABLE3_2019, "table4": TABLE4}
    table3 = TABLE3_2021_ONE_ROW_OTHER if one_row_other else TABLE3_2021
    return {"table2": TABLE2_2021, "table3": table3, "table4": TABLE4}


def allowed_rows(table: str, layout: str) -> dict[str, Row]:
    """Every row key a table may carry in a layout (2021 table 三 admits both 其他 forms)."""
    if table == "table3" and layout == Layout.Y2021:
        rows = TABLE3_2021.rows + _T3_OTHER_ONE_ROW
        return {r.key: r for r in rows}
    return {r.key: r for r in tables_for(layout)[table].rows}


def cell_path(table: str, row: str, column: str) -> str:
    """The dotted name of a cell, as used in truth files and warnings."""
    return f"{table}.{row}.{column}"


def cell_label(table: str, row: str, column: str, layout: str = Layout.Y2021) -> str:
    """A reviewer-readable Chinese name of a cell, e.g. 表三「（一）予以公开」·自然人.

    A key the layout lacks is looked up in the other layout (a report may print one
    table in the other layout); a key neither knows is shown as it is.
    """
    if table not in TABLE_LABELS:
        return cell_path(table, row, column)
    for candidate in (layout, *(other for other in Layout if other != layout)):
        row_def = allowed_rows(table, candidate).get(row)
        if row_def is not None and column in row_def.column_keys:
            col_label = row_def.column(column).label
            return f"{TABLE_LABELS[table]}「{_row_name(table, row_def)}」·{col_label}"
    row_def = allowed_rows(table, layout).get(row)
    row_name = _row_name(table, row_def) if row_def is not None else row
    return f"{TABLE_LABELS[table]}「{row_name}」·{column}"


def _row_name(table: str, row: Row) -> str:
    """A row's name inside 「」: its short label; table 四 says which block (复议/诉讼)."""
    if table == "table4" and row.group != row.label:
        return f"{row.group}·{row.label}"
    return row.short_label or row.label


def path_label(path: str, layout: str = Layout.Y2021) -> str:
    """A canonical key in words: a cell (表三「本年新收」·总计), a row (表三「本年新收」),
    a table (表三) or a section (一、总体情况); anything else is returned as it is."""
    parts = path.split(".")
    table = parts[0]
    if table not in TABLE_LABELS:
        return SECTION_HEADINGS.get(path, path)
    if len(parts) == 3:
        return cell_label(table, parts[1], parts[2], layout)
    if len(parts) == 2:
        row = allowed_rows(table, layout).get(parts[1])
        name = _row_name(table, row) if row is not None else parts[1]
        return f"{TABLE_LABELS[table]}「{name}」"
    if len(parts) == 1:
        return TABLE_LABELS[table]
    return path


# Texts that print "not applicable" in a cell (spec section 5); stored as null with raw text.
NOT_APPLICABLE_TEXTS: frozenset[str] = frozenset(
    {"/", "／", "—", "－", "-", "——", "无", "\\"}
)

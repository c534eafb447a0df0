"""Label recognition that survives traditional characters, spacing, qualifiers, typos and cuts.

Every row and column label of both layouts is varied the way real documents vary it, and each
variant must be read as its own key, or reported as ambiguous (with that key among the
candidates), or left unnamed when too little of it is printed: never read as another key.
"""

from __future__ import annotations

import json
from pathlib import Path

import opencc
import pytest

from reports import schema
from reports.importing import labels
from reports.importing.extract.rows import Grid
from reports.importing.labels import LabelMatch, match_column, match_row, section_of
from reports.importing.mapping.report import map_grid
from reports.importing.normalize import compact, match_text
from reports.importing.pipeline import parse_bytes
from tests.reports.importing.conftest import CORPUS

TO_TRADITIONAL = opencc.OpenCC("s2t")

# Characters and a look-alike a typist or an OCR pass may put in their place.
LOOK_ALIKES = {
    "开": "幵",
    "请": "清",
    "属": "屈",
    "国": "囯",
    "密": "蜜",
    "予": "子",
    "理": "埋",
    "处": "外",
    "罚": "罸",
    "许": "浒",
    "可": "叮",
    "规": "觇",
    "章": "竟",
    "政": "玫",
    "收": "牧",
    "件": "仵",
    "年": "午",
    "作": "做",
    "新": "亲",
    "然": "燃",
    "商": "啇",
    "科": "料",
    "研": "妍",
    "构": "枸",
    "社": "杜",
    "益": "盖",
    "律": "津",
    "务": "各",
    "结": "洁",
    "果": "杲",
    "持": "特",
    "审": "宙",
    "转": "砖",
    "续": "读",
    "信": "倍",
    "获": "荻",
    "确": "碓",
    "议": "仪",
    "讼": "松",
    "直": "真",
    "接": "按",
    "项": "顶",
    "性": "姓",
    "强": "弦",
    "集": "隼",
    "管": "菅",
    "禁": "襟",
    "掌": "撑",
    "握": "幄",
    "补": "朴",
    "访": "仿",
    "举": "誉",
    "版": "板",
    "物": "勿",
    "缴": "檄",
    "纳": "钠",
    "费": "赞",
    "逾": "谕",
    "期": "欺",
}


def _row_labels() -> list[tuple[str, str, str]]:
    """(table, key, printed label) for every row of both layouts, without duplicates."""
    tables = [
        schema.TABLE2_2019,
        schema.TABLE2_2021,
        schema.TABLE3_2021,
        schema.TABLE3_2019,
        schema.TABLE4,
    ]
    found = [(t.key, r.key, r.label) for t in tables for r in t.rows]
    return list(dict.fromkeys(found))


def _column_labels() -> list[tuple[str, str, str]]:
    found = [
        ("table2", c.key, c.label)
        for t in (schema.TABLE2_2019, schema.TABLE2_2021)
        for r in t.rows
        for c in r.columns
    ]
    found += [("table3", c.key, c.label) for c in schema.TABLE3_COLUMNS]
    found += [("table4", c.key, c.label) for c in schema.TABLE4_COLUMNS]
    return list(dict.fromkeys(found))


ROWS = _row_labels()
COLUMNS = _column_labels()
ROW_IDS = [f"{t}.{k}" for t, k, _ in ROWS]
COLUMN_IDS = [f"{t}.{k}" for t, k, _ in COLUMNS]


def _words(label: str) -> str:
    return labels.label_words(label)[1]


def _typos(label: str) -> list[str]:
    """The label with one character swapped for a look-alike, at each position that has one."""
    return [
        label[:i] + LOOK_ALIKES[c] + label[i + 1 :]
        for i, c in enumerate(label)
        if c in LOOK_ALIKES
    ]


def _assert_never_wrong(match: LabelMatch, key: str, text: str) -> None:
    """The match is the key, an ambiguity that offers it, or no key at all."""
    if match.key is None or match.key == key:
        return
    offered = {k for k, _ in match.alternatives}
    assert match.how == "ambiguous" and key in offered, (text, match)


def _assert_found(match: LabelMatch, key: str, text: str) -> None:
    """The match is the key, or an ambiguity that offers it (and says so)."""
    if match.key == key:
        return
    offered = {k for k, _ in match.alternatives}
    assert match.how == "ambiguous" and key in offered, (text, match)


# --- OpenCC ----------------------------------------------------------------------------------


def _schema_texts() -> set[str]:
    texts = {h for _, h in schema.SECTIONS}
    texts |= {v for vs in schema.SECTION_HEADING_VARIANTS.values() for v in vs}
    for _, _, label in ROWS + COLUMNS:
        texts.add(label)
    for table in (schema.TABLE2_2019, schema.TABLE2_2021, schema.TABLE3_2021):
        for row in table.rows:
            texts |= {row.group, row.caption, row.short_label}
            texts |= {c.group for c in row.columns}
    return {t for t in texts if t}


def test_simplified_schema_labels_are_unchanged_by_t2s() -> None:
    for text in _schema_texts():
        assert match_text(text) == compact(text), text


def test_traditional_schema_labels_read_back_as_simplified() -> None:
    for text in _schema_texts():
        assert match_text(TO_TRADITIONAL.convert(text)) == compact(text), text


def test_match_text_keeps_ascii_and_compacts() -> None:
    assert match_text(" 1. 屬於 國家秘密 ") == "1.属于国家秘密"
    assert match_text("— 3 —") == "—3—"


# --- rows ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("table", "key", "label"), ROWS, ids=ROW_IDS)
def test_row_label_as_printed_is_read_by_a_keyword(
    table: str, key: str, label: str
) -> None:
    assert match_row(table, label) == LabelMatch(key, "rule")


@pytest.mark.parametrize(("table", "key", "label"), ROWS, ids=ROW_IDS)
def test_row_label_in_traditional_characters(table: str, key: str, label: str) -> None:
    assert match_row(table, TO_TRADITIONAL.convert(label)).key == key


@pytest.mark.parametrize(("table", "key", "label"), ROWS, ids=ROW_IDS)
def test_row_label_with_spaces_and_half_width_brackets(
    table: str, key: str, label: str
) -> None:
    half = label.replace("（", "(").replace("）", ")")
    spaced = " ".join(half).replace(". ", ".  ")  # "1.  属 于 国 家 秘 密"
    assert match_row(table, spaced).key == key
    assert match_row(table, half).key == key


@pytest.mark.parametrize(("table", "key", "label"), ROWS, ids=ROW_IDS)
def test_row_label_with_a_qualifier_or_unit(table: str, key: str, label: str) -> None:
    for text in (f"{label}（件）", f"{label}(单位：件)", f"{label}（个）"):
        assert match_row(table, text).key == key, text


@pytest.mark.parametrize(("table", "key", "label"), ROWS, ids=ROW_IDS)
def test_row_label_with_a_look_alike_typo(table: str, key: str, label: str) -> None:
    for text in _typos(label):
        match = match_row(table, text)
        if len(_words(label)) >= 4:
            _assert_found(match, key, text)
        else:  # "规章" with one character wrong is half wrong: no key, never another
            _assert_never_wrong(match, key, text)


@pytest.mark.parametrize(("table", "key", "label"), ROWS, ids=ROW_IDS)
def test_row_label_cut_by_a_line_break_anywhere(
    table: str, key: str, label: str
) -> None:
    for cut in range(1, len(label)):
        joined = f"{label[:cut]}\n{label[cut:]}"
        assert match_row(table, joined).key == key, joined
        _assert_never_wrong(match_row(table, label[:cut]), key, label[:cut])
        traditional = TO_TRADITIONAL.convert(label[:cut])
        _assert_never_wrong(match_row(table, traditional), key, traditional)


@pytest.mark.parametrize(
    ("table", "text", "key"),
    [
        ("table3", "1. 属于 国家秘密", "withheld_state_secret"),
        ("table3", "（一）予以公幵", "granted"),
        ("table3", "一、本年新收政府信息公开申清数量", "new_received"),
        ("table3", "2.其他法律行政止公开", "withheld_law_prohibited"),
        ("table3", "6.属于四类过程性信", "withheld_process_info"),
        ("table3", "5.属于三类内部", "withheld_internal_affairs"),
        ("table3", "1.本机关不掌", "unavailable_not_held"),
        ("table3", "1.申请人无正当", "other_no_correction"),
        ("table3", "3、其他", "other_other"),
        ("table3", "（七）總計", "total_processed"),
        ("table3", "四、結轉下年度繼續辦理", "carried_forward"),
        ("table3", "二、上年結轉政府資訊公開申請數量", "carried_over"),
        ("table2", "規章", "regulations"),
        ("table2", "行政許叮", "licensing"),
        ("table2", "行政事業", "fees"),
        ("table4", "未經復議直接起訴", "litigation_direct"),
    ],
)
def test_row_labels_seen_in_the_wild(table: str, text: str, key: str) -> None:
    assert match_row(table, text).key == key


@pytest.mark.parametrize(
    ("table", "text"),
    [
        ("table3", "（三）不予公开"),
        ("table3", "（四）无法提供"),
        ("table3", "三、本年度办理结果"),
        ("table3", "申请人情况"),
        ("table3", "法人或其他组织"),
        ("table3", "总计"),
        ("table3", "自然人"),
        ("table3", "1.属于"),
        ("table3", "1."),
        ("table2", "信息内容"),
        ("table2", "本年制发件数"),
    ],
)
def test_group_and_header_labels_name_no_row(table: str, text: str) -> None:
    assert match_row(table, text).key is None


def test_close_match_reports_how_sure_it_is() -> None:
    fuzzy = match_row("table3", "（一）予以公幵")
    assert (fuzzy.how, fuzzy.taken, fuzzy.guessed) == ("fuzzy", True, True)
    assert 0.75 <= fuzzy.score < 1
    rule = match_row("table3", "（一）予以公开")
    assert (rule.how, rule.taken, rule.guessed) == ("rule", True, False)


def test_near_several_rows_is_ambiguous_with_alternatives() -> None:
    match = match_row("table3", "属于三类内部过程性信息")  # two rows run together
    assert match.how in ("ambiguous", "rule")
    cut = match_row("table2", "行政事")  # too little to choose
    assert cut.how in ("ambiguous", "none")
    assert not cut.taken


# --- columns ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("table", "key", "label"), COLUMNS, ids=COLUMN_IDS)
def test_column_label_variants(table: str, key: str, label: str) -> None:
    half = label.replace("（", "(").replace("）", ")").replace("：", ":")
    for text in (
        label,
        TO_TRADITIONAL.convert(label),
        " ".join(label),
        half,
        f"{label}（件）",
        f"{label}(单位:元)",
        "\n".join(label),  # one character per line (vertical header text)
    ):
        assert match_column(table, text).key == key, text
    for text in _typos(label):
        match = match_column(table, text)
        if len(_words(label)) >= 4:
            _assert_found(match, key, text)
        else:
            _assert_never_wrong(match, key, text)


def test_changed_unit_in_a_fee_header_still_names_the_amount() -> None:
    assert match_column("table2", "本年收费金额（单位：元）").key == "amount"
    assert match_column("table2", "本年收費金額(單位:萬元)").key == "amount"
    assert match_column("table3", "总计（件）").key == "total"


# --- section headings ------------------------------------------------------------------------

HEADINGS = [(k, h) for k, h in schema.SECTIONS] + [
    (k, v) for k, vs in schema.SECTION_HEADING_VARIANTS.items() for v in vs
]


@pytest.mark.parametrize(("key", "heading"), HEADINGS)
def test_section_heading_variants(key: str, heading: str) -> None:
    for text in (
        heading,
        TO_TRADITIONAL.convert(heading),
        " ".join(heading),
        heading.replace("、", "."),
        heading.replace("、", ". "),
        f"{heading}：",
    ):
        assert section_of(text) == key, text


@pytest.mark.parametrize(("key", "heading"), schema.SECTIONS)
def test_section_heading_with_a_typo_or_cut(key: str, heading: str) -> None:
    for text in _typos(heading):
        assert section_of(text) in (key, None), text
    if len(heading) > 8:
        assert section_of(heading[:-1]) == key
        assert section_of(TO_TRADITIONAL.convert(heading[:-2])) == key


def test_table3_row_labels_are_never_section_headings() -> None:
    for _, _, label in ROWS:
        for text in (label, TO_TRADITIONAL.convert(label), *_typos(label)):
            assert section_of(text) is None, text
            for cut in range(3, len(text)):
                assert section_of(text[:cut]) is None, text[:cut]


def test_long_paragraph_is_not_a_heading() -> None:
    assert section_of("二、主动公开政府信息情况" + "本机关" * 20) is None


# --- a whole document in traditional characters ------------------------------------------------

REPORT_FULL = CORPUS / "generated" / "report_full.pdf.truth.json"


def _render(truth: dict) -> str:
    """The truth as a tab-separated text report, as a site's 繁體 page would show it."""
    tables = schema.tables_for(truth["format"])
    lines = [f"{truth['agency']}{truth['year']}年政府信息公开工作年度报告", ""]
    lines += [schema.SECTION_HEADINGS["overview"], "本机关认真贯彻落实条例。", ""]
    lines.append(schema.SECTION_HEADINGS["table2"])
    header: tuple[str, ...] = ()
    for row in tables["table2"].rows:
        names = tuple(c.label for c in row.columns)
        if names != header:
            lines.append(row.caption)
            lines.append("\t".join(("信息内容", *names)))
            header = names
        cells = truth["table2"].get(row.key, {})
        lines.append("\t".join([row.label, *(str(cells[c.key]) for c in row.columns)]))
    lines += ["", schema.SECTION_HEADINGS["table3"]]
    lines.append(
        "\t".join(("本列数据的勾稽关系", *(c.label for c in schema.TABLE3_COLUMNS)))
    )
    for row in tables["table3"].rows:
        cells = truth["table3"].get(row.key, {})
        values = [str(cells[c.key]) for c in row.columns]
        lines.append("\t".join([row.label, *values]))
    lines += ["", schema.SECTION_HEADINGS["table4"]]
    lines.append("\t".join(["行政复议"] * 5 + ["行政诉讼"] * 10))
    leaves = [c.label for c in schema.TABLE4_COLUMNS]
    lines.append("\t".join(leaves * 3))
    values = [
        str(truth["table4"][r.key][c.key])
        for r in schema.TABLE4.rows
        for c in schema.TABLE4_COLUMNS
    ]
    lines.append("\t".join(values))
    lines += ["", schema.SECTION_HEADINGS["problems"], "无。", ""]
    lines += [schema.SECTION_HEADINGS["other_matters"], "无。", ""]
    return "\n".join(lines)


def test_whole_report_in_traditional_characters_reads_every_cell() -> None:
    if not REPORT_FULL.is_file():
        pytest.skip(f"corpus document {REPORT_FULL} is absent")
    truth = json.loads(Path(REPORT_FULL).read_text("utf-8"))
    text = TO_TRADITIONAL.convert(_render(truth))
    assert "公開" in text and "公开" not in text  # really converted
    report = parse_bytes(text.encode("utf-8"), "report_full_traditional.txt")
    assert report.year == truth["year"]
    assert report.format == truth["format"]
    for table in schema.TABLE_KEYS:
        for row, cells in truth[table].items():
            for column, expected in cells.items():
                cell = report.cell(table, row, column)
                assert cell is not None, (table, row, column)
                got = cell.value
                assert str(got) == str(expected), (table, row, column, got)
    assert not report.uncertain_paths()
    assert not [w for w in report.warnings if w.code.startswith("label_")]


def test_simplified_rendering_reads_the_same() -> None:
    if not REPORT_FULL.is_file():
        pytest.skip(f"corpus document {REPORT_FULL} is absent")
    truth = json.loads(Path(REPORT_FULL).read_text("utf-8"))
    report = parse_bytes(_render(truth).encode("utf-8"), "report_full.txt")
    assert report.cell("table3", "granted", "total").value == 37  # type: ignore[union-attr]


# --- what mapping does with a close or doubtful match ------------------------------------------


def _grid(*lines: str) -> Grid:
    from reports.importing.extract import text as text_extract

    return text_extract.extract("\n".join(lines))


def _t3(label: str, values: str = "1\t2\t3\t4\t5\t6\t21") -> str:
    return f"{label}\t{values}"


def _table3_lines(*rows: str) -> list[str]:
    header = "\t".join(("", *(c.label for c in schema.TABLE3_COLUMNS)))
    return [
        "某局2023年政府信息公开工作年度报告",
        schema.SECTION_HEADINGS["table3"],
        header,
        *rows,
    ]


def test_typo_row_is_read_and_named_in_a_warning() -> None:
    report = map_grid(_grid(*_table3_lines(_t3("（一）予以公幵"))))
    assert report.cell("table3", "granted", "total").value == 21  # type: ignore[union-attr]
    warning = next(w for w in report.warnings if w.code == "label_fuzzy")
    assert warning.where == "table3.granted"
    assert "予以公幵" in warning.message and "（一）予以公开" in warning.message
    assert not any(p.startswith("table3.granted") for p in report.uncertain)


def test_ambiguous_row_is_kept_with_every_cell_uncertain() -> None:
    label = "属于类内事务过程信息"  # between rows 5 and 6 of （三）不予公开
    match = match_row("table3", label)
    assert match.how == "ambiguous", match
    report = map_grid(_grid(*_table3_lines(_t3(label))))
    assert match.key is not None
    warning = next(w for w in report.warnings if w.code == "label_ambiguous")
    assert warning.where == f"table3.{match.key}"
    for column in schema.TABLE3_COLUMNS:
        assert f"table3.{match.key}.{column.key}" in report.uncertain


def test_close_match_yields_to_the_row_printed_under_its_name() -> None:
    report = map_grid(
        _grid(
            *_table3_lines(
                _t3("（一）予以公幵", "9\t9\t9\t9\t9\t9\t54"),
                _t3("（一）予以公开"),
            )
        )
    )
    assert report.cell("table3", "granted", "total").value == 21  # type: ignore[union-attr]
    assert any(
        w.code == "label_fuzzy" and "未采用" in w.message for w in report.warnings
    )


def _cut_rows(text: str, *, values_first: bool) -> str:
    """Each table 三 row label cut in two, its values on the first or the second line."""
    out = []
    for line in text.splitlines():
        label, sep, values = line.partition("\t")
        numbered = labels.ITEM_START.match(label) and len(label) > 4
        if not sep or not numbered or not values[:1].isdigit():
            out.append(line)
            continue
        cut = len(label) // 2
        if values_first:
            out += [f"{label[:cut]}\t{values}", label[cut:]]
        else:
            out += [label[:cut], f"{label[cut:]}\t{values}"]
    return "\n".join(out)


def test_whole_report_with_wrapped_traditional_labels() -> None:
    if not REPORT_FULL.is_file():
        pytest.skip(f"corpus document {REPORT_FULL} is absent")
    truth = json.loads(Path(REPORT_FULL).read_text("utf-8"))
    text = _cut_rows(TO_TRADITIONAL.convert(_render(truth)), values_first=False)
    report = parse_bytes(text.encode("utf-8"), "report_full_wrapped.txt")
    uncertain = set(report.uncertain_paths())
    for row, cells in truth["table3"].items():
        for column, expected in cells.items():
            cell = report.cell("table3", row, column)
            path = f"table3.{row}.{column}"
            assert cell is not None, path
            assert str(cell.value) == str(expected) or path in uncertain, path


def test_values_before_the_label_tail_are_never_given_to_another_row() -> None:
    """Values printed beside a label's first half: kept, never misplaced."""
    if not REPORT_FULL.is_file():
        pytest.skip(f"corpus document {REPORT_FULL} is absent")
    truth = json.loads(Path(REPORT_FULL).read_text("utf-8"))
    text = _cut_rows(TO_TRADITIONAL.convert(_render(truth)), values_first=True)
    report = parse_bytes(text.encode("utf-8"), "report_full_wrapped.txt")
    uncertain = set(report.uncertain_paths())
    orphans = [w for w in report.warnings if w.code == "orphan_values"]
    kept = 0
    for row, cells in truth["table3"].items():
        for column, expected in cells.items():
            cell = report.cell("table3", row, column)
            path = f"table3.{row}.{column}"
            if cell is None or cell.value is None:
                assert orphans or path in uncertain, path  # not silently lost
                continue
            assert str(cell.value) == str(expected) or path in uncertain, path
            kept += 1
    # a prefix too short to name its row ("1.屬於") is joined to its tail ("國家祕密")
    assert kept == 25 * 7
    assert not orphans

"""Wrapped labels in narrow label columns, read from positioned rows (no LibreOffice needed).

The word positions are those pdfplumber gives for a borderless DOCX converted by
LibreOffice, where the group label and the row label wrap side by side.
"""

from __future__ import annotations

from reports.importing.extract.rows import Cell, Row
from reports.importing.mapping.stream import RowRead, TableReader

NAMES = (
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
)
COLUMNS = [(240 + 40 * i, name) for i, name in enumerate(NAMES)]
WIDTH = 26  # points: every word and cell here; label lanes start 28 points apart


def _line(page: int, *words: tuple[float, str]) -> Row:
    """A text line: each word at its x0."""
    cells = [Cell(t, page=page, x0=x, x1=x + WIDTH) for x, t in words]
    return Row(cells, complete=False, page=page)


def _values(*numbers: str) -> list[tuple[float, str]]:
    return [(x, n) for (x, _), n in zip(COLUMNS, numbers, strict=False) if n]


def _read(rows: list[Row]) -> dict[str, RowRead]:
    reader = TableReader("table3")
    reader.feed(_line(1, *COLUMNS))
    for row in rows:
        reader.feed(row)
    found = reader.finish()
    assert not reader.orphans
    keys = [r.key for r in found]
    assert len(keys) == len(set(keys)), keys
    return {r.key: r for r in found if r.key}


def _printed(read: RowRead) -> list[str]:
    return [c.text for c in read.values]


def test_group_and_row_labels_wrapped_side_by_side_stay_apart() -> None:
    rows = _read(
        [
            _line(1, (90, "二、上年结转政")),
            _line(1, (90, "府信息公开申请")),
            _line(1, (90, "三、本"), (146, "（一）"), *_values("5", "", "1")),
            _line(1, (90, "年度办"), (146, "予以公")),
            _line(1, (90, "理结果"), (146, "开")),
            _line(1, (146, "（七）"), *_values("7", "8")),
            _line(1, (146, "总计")),
        ]
    )
    assert set(rows) == {"carried_over", "granted", "total_processed"}
    assert rows["granted"].label == "(一)予以公开"
    assert _printed(rows["granted"]) == ["5", "1"]
    assert _printed(rows["total_processed"]) == ["7", "8"]
    assert _printed(rows["carried_over"]) == []


def test_wrapped_group_label_beside_its_rows_does_not_break_them() -> None:
    rows = _read(
        [
            _line(1, (146, "（三）"), (174, "1.属于"), *_values("51")),
            _line(1, (146, "不予公"), (174, "国家秘")),
            _line(1, (146, "开"), (174, "密")),
            _line(1, (174, "2.其他"), *_values("61")),
            _line(1, (174, "法律行")),
            _line(1, (174, "政法规")),
        ]
    )
    assert set(rows) == {"withheld_state_secret", "withheld_law_prohibited"}
    assert _printed(rows["withheld_state_secret"]) == ["51"]
    assert _printed(rows["withheld_law_prohibited"]) == ["61"]


def test_values_between_label_lines_go_to_the_row_not_the_group() -> None:
    rows = _read(
        [
            _line(1, (90, "三"), (146, "3.危及“三")),
            _line(1, *_values("71", "72")),  # centred between the label's lines
            _line(1, (90, "、"), (118, "（三）"), (146, "安全一稳定”")),
            _line(
                1, (90, "本"), (118, "不予公开"), (146, "4.保护第三"), *_values("81")
            ),
            _line(1, (146, "方合法权益")),
        ]
    )
    assert _printed(rows["withheld_three_safeties"]) == ["71", "72"]
    assert _printed(rows["withheld_third_party"]) == ["81"]


def test_label_tail_printed_below_its_values_is_not_a_second_row() -> None:
    rows = _read(
        [
            _line(1, (174, "2.没有现成"), *_values("141")),
            _line(1, (174, "信息需要另")),
            _line(1, (174, "行制作")),
            _line(1, (174, "3.补正后申"), *_values("151")),
        ]
    )
    assert set(rows) == {"unavailable_needs_creation", "unavailable_unclear"}
    assert rows["unavailable_needs_creation"].label.endswith("另行制作")


def _ruled(page: int, *cells: tuple[float, str]) -> Row:
    return Row(
        [Cell(t, page=page, x0=x, x1=x + WIDTH) for x, t in cells], page=page, table=0
    )


def test_ruled_row_cut_by_a_page_break_is_joined_lane_by_lane() -> None:
    reader = TableReader("table3")
    reader.feed(_ruled(1, *COLUMNS))
    reader.feed(
        _ruled(1, (146, "（三）\n不予"), (174, "1.属于\n国家秘\n密"), (240, "51"))
    )
    reader.feed(_ruled(1, (174, "2.其他\n法律行"), (240, "61"), (280, "62")))
    reader.feed(_ruled(2, (120, "申请人情况")))  # a repeated header row
    reader.feed(_ruled(2, (240, "自然人"), (280, "商业企业")))
    reader.feed(
        _ruled(2, (146, "公开"), (174, "政法规\n禁止公开"), (240, ""), (280, ""))
    )
    reader.feed(_ruled(2, (174, "3.危及“三\n安全一稳定”"), (240, "71")))
    rows = {r.key: r for r in reader.finish()}
    assert not reader.orphans
    assert list(rows) == [
        "withheld_state_secret",
        "withheld_law_prohibited",
        "withheld_three_safeties",
    ]
    cut = rows["withheld_law_prohibited"]
    assert cut.label.endswith("2.其他法律行政法规禁止公开")
    assert [c.text for c in cut.values] == ["61", "62"]
    assert cut.page == 1


def test_next_page_row_with_its_own_ordinal_is_not_a_rest() -> None:
    reader = TableReader("table3")
    reader.feed(_ruled(1, *COLUMNS))
    reader.feed(_ruled(1, (174, "1.属于"), (240, "51")))  # too short to name a row
    reader.feed(_ruled(2, (174, "2.其他法律行政法规禁止公开"), (240, "")))
    rows = {r.key: r for r in reader.finish()}
    assert list(rows) == ["withheld_law_prohibited"]  # the first names no row
    assert len(reader.orphans) == 1  # its value is reported, not guessed


def test_unnumbered_blank_row_opening_a_page_is_its_own_row() -> None:
    reader = TableReader("table2")
    reader.feed(_ruled(1, (90, "信息内容"), (240, "本年处理决定数量")))
    reader.feed(_ruled(1, (90, "行政处罚"), (240, "108")))
    reader.feed(_ruled(2, (90, "行政强制"), (240, "")))
    rows = {r.key: [c.text for c in r.values] for r in reader.finish()}
    assert rows == {"penalty": ["108"], "enforcement": [""]}

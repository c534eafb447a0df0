"""Mapping on hand-built Grids: headers, wrapped labels, layouts, honesty about doubt."""

from __future__ import annotations

import pytest

from reports import schema
from reports.importing.errors import ImportRefused
from reports.importing.extract.rows import Cell, Grid, Row
from reports.importing.mapping.report import map_grid
from reports.importing.pipeline import parse_bytes

from .conftest import value

TITLE = "测试县人民政府\n2022年政府信息公开工作年度报告\n"


def _line(*words: tuple[str, float]) -> Row:
    """A borderless text line: words with their horizontal positions (width 10)."""
    return Row(
        [Cell(text, page=1, x0=x, x1=x + 10) for text, x in words], complete=False
    )


def _text(text: str) -> Row:
    return Row([Cell(text)], complete=True)


def _grid(rows: list[Row]) -> Grid:
    return Grid(kind="test", rows=rows, text=TITLE + "\n".join(r.text for r in rows))


COLS = (300, 340, 380, 420, 460, 500, 540)


def _t3_header() -> list[Row]:
    return [
        _text("三、收到和处理政府信息公开申请情况"),
        _line(("申请人情况", 400)),
        Row([Cell("法人或其他组织", 1, None, 335, 475)], complete=False),
        _line(
            ("自然", 300),
            ("商业", 340),
            ("科研", 380),
            ("社会", 420),
            ("法律", 460),
            ("总计", 540),
        ),
        _line(
            ("人", 300),
            ("企业", 340),
            ("机构", 380),
            ("公益", 420),
            ("服务", 460),
            ("其他", 500),
        ),
    ]


def test_borderless_values_between_wrapped_label_lines_are_placed_by_header() -> None:
    rows = [
        _text("二、主动公开政府信息情况"),
        *_t3_header(),
        _line(("（二）部分公开（区分处理的，只", 100)),
        _line(("41", 300), ("47", 540)),
        _line(("计这一情形，不计其他情形）", 100)),
        _line(("5.要求行政机关确认或", 150)),
        _line(("201", 300), ("207", 540)),
        _line(("重新出具已获取信息", 150)),
    ]
    report = map_grid(_grid(rows))
    partial = report.tables["table3"]["partially_granted"]
    assert partial["natural_person"].value == 41
    assert partial["total"].value == 47
    assert partial["commercial"].value is None  # nothing printed under 商业企业: blank
    assert value(report, "table3", "not_processed_confirmation", "total") == 207


def test_value_under_no_header_column_is_not_placed() -> None:
    rows = [*_t3_header(), _line(("（一）予以公开", 100), ("3", 300), ("9", 700))]
    report = map_grid(_grid(rows))
    assert value(report, "table3", "granted", "natural_person") == 3
    assert any("“9”" in w.message for w in report.warnings)


def test_table4_blocks_come_from_the_cycles_of_leaf_headers() -> None:
    leaves = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    header = [(name, 100 + 30 * i) for i, name in enumerate(leaves * 3)]
    values = [(str(500 + i), 100 + 30 * i) for i in range(15) if i % 5 in (0, 4)]
    rows = [
        _text("四、政府信息公开行政复议、行政诉讼情况"),
        _line(("行政复议", 160), ("行政诉讼", 400)),
        _line(*header),
        _line(*values),
    ]
    report = map_grid(_grid(rows))
    assert value(report, "table4", "review", "upheld") == 500
    assert value(report, "table4", "litigation_direct", "total") == 509
    assert value(report, "table4", "litigation_after_review", "upheld") == 510
    assert value(report, "table4", "litigation_after_review", "corrected") is None


def test_other_processing_group_heading_over_three_rows_is_not_a_row() -> None:
    rows = [
        *_t3_header(),
        _line(("（六）其他处理", 100)),
        _line(
            ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 150),
            ("1", 300),
        ),
        _line(("2.申请人逾期未按收费通知要求缴纳费用", 150), ("2", 300)),
        _line(("3.其他", 150), ("3", 300)),
    ]
    report = map_grid(_grid(rows))
    rows3 = report.tables["table3"]
    assert "other_processing" not in rows3
    assert [
        rows3[k]["natural_person"].value
        for k in ("other_no_correction", "other_fee_unpaid", "other_other")
    ] == [1, 2, 3]


def test_other_processing_printed_as_one_row_is_kept_with_a_warning() -> None:
    rows = [*_t3_header(), _line(("（六）其他处理", 100), ("4", 300), ("4", 540))]
    report = map_grid(_grid(rows))
    assert value(report, "table3", "other_processing", "total") == 4
    assert any(w.code == "other_one_row" for w in report.warnings)


def test_section_heading_is_not_confused_with_table3_row_labels() -> None:
    rows = [
        *_t3_header(),
        _line(("四、结转下年度继续办理", 100), ("2", 300), ("2", 540)),
        _text("四、政府信息公开行政复议、行政诉讼情况"),
    ]
    report = map_grid(_grid(rows))
    assert value(report, "table3", "carried_forward", "total") == 2
    assert report.tables["table4"] == {}
    assert any(
        w.code == "table_missing" and w.where == "table4" for w in report.warnings
    )


def test_missing_rows_are_absent_and_warned_not_zero() -> None:
    rows = [*_t3_header(), _line(("（七）总计", 100), ("1", 300), ("1", 540))]
    report = map_grid(_grid(rows))
    assert list(report.tables["table3"]) == ["total_processed"]
    assert any(
        w.code == "rows_missing" and w.where == "table3" for w in report.warnings
    )


def test_layout_follows_the_document_and_a_year_mismatch_is_warned() -> None:
    rows = [
        _text("二、主动公开政府信息情况"),
        _line(
            ("信息内容", 100),
            ("本年制发件数", 300),
            ("本年废止件数", 340),
            ("现行有效件数", 380),
        ),
        _line(("规章", 100), ("1", 300), ("0", 340), ("0", 380)),
    ]
    report = map_grid(_grid(rows))  # a 2022 report using the 2021 form: no mismatch
    assert report.format == "2021"
    assert not any(w.code == "layout_year_mismatch" for w in report.warnings)
    assert any(w.code == "T2-in-force" for w in report.warnings)


def test_grid_without_report_content_is_refused() -> None:
    with pytest.raises(ImportRefused) as info:
        map_grid(Grid(kind="test", rows=[_text("天气很好")], text="天气很好"))
    assert info.value.code == "not_annual_report"


def test_a_few_missing_rows_are_each_named() -> None:
    """A row the mapping could not find is warned about where it belongs, not only
    for its table, so the preview marks the row to check."""
    text = "\n".join(
        f"{row.label}\t" + "\t".join(["1"] * 6 + ["6"])
        for row in schema.tables_for("2021")["table3"].rows
        if row.key not in ("withheld_inquiry", "carried_forward")
    )
    report = parse_bytes(
        (
            "某县卫生健康局2024年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            "申请人情况\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n"
            + text
        ).encode(),
        "r.txt",
    )
    named = {w.where for w in report.warnings if w.code == "rows_missing"}
    assert named == {"table3.withheld_inquiry", "table3.carried_forward"}
    assert "withheld_inquiry" not in report.tables["table3"]

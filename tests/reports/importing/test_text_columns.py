"""Text without positions: table 三's values are read in the order its header prints."""

from __future__ import annotations

import opencc
import pytest

from reports import schema
from reports.importing.mapping.columns import text_order
from reports.importing.pipeline import parse_bytes

CANONICAL = tuple(c.key for c in schema.TABLE3_COLUMNS)
LABEL = {c.key: c.label for c in schema.TABLE3_COLUMNS}
TITLE = (
    "某县卫生健康局2024年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
)
ROWS = {  # natural, commercial, research, public_interest, legal_service, other, total
    "new_received": (4, 2, 1, 0, 1, 3, 11),
    "carried_over": (5, 0, 0, 0, 0, 0, 5),
    "granted": (6, 1, 0, 1, 0, 0, 8),
}
ROW_LABEL = {
    r.key: r.label for r in schema.tables_for("2021")["table3"].rows if r.key in ROWS
}


def _text(order: tuple[str, ...], sep: str, header: list[list[str]]) -> str:
    lines = [sep.join(cells) for cells in header]
    for key, values in ROWS.items():
        by_key = dict(zip(CANONICAL, values, strict=True))
        lines.append(sep.join([ROW_LABEL[key], *(str(by_key[c]) for c in order)]))
    return TITLE + "\n".join(lines) + "\n"


def _read(text: str) -> dict[str, tuple[int | None, ...]]:
    report = parse_bytes(text.encode(), "r.txt")
    return {
        key: tuple(report.tables["table3"][key][c].value for c in CANONICAL)
        for key in ROWS
    }


@pytest.mark.parametrize("sep", ["\t", " | "])
def test_a_header_in_another_order_places_each_value_under_it(sep: str) -> None:
    order = ("total", *CANONICAL[:-1])
    header = [["申请人情况", *(LABEL[c] for c in order)]]
    report = parse_bytes(_text(order, sep, header).encode(), "r.txt")
    assert _read(_text(order, sep, header)) == ROWS
    warned = [w for w in report.warnings if w.code == "column_order"]
    assert (
        warned and warned[0].where == "table3" and "总计、自然人" in warned[0].message
    )
    assert list(report.tables["table3"]["new_received"]) == list(CANONICAL)


@pytest.mark.parametrize(
    "header",
    [
        [
            ["申请人情况", "自然人", "法人或其他组织", "总计"],
            [LABEL[c] for c in CANONICAL[1:6]],
        ],
        [
            [
                "申请人情况",
                "自然人",
                "法人或其他组织",
                "总计",
                *(LABEL[c] for c in CANONICAL[1:6]),
            ]
        ],
        [[LABEL[c] for c in CANONICAL]],
    ],
    ids=["two-lines", "flattened", "leaves"],
)
def test_the_forms_header_flattened_any_way_keeps_the_forms_order(header) -> None:
    assert text_order(header) == CANONICAL
    text = _text(CANONICAL, "\t", header)
    assert _read(text) == ROWS
    codes = {w.code for w in parse_bytes(text.encode(), "r.txt").warnings}
    assert "column_order" not in codes


def test_a_traditional_header_in_another_order_is_read_too() -> None:
    order = (*CANONICAL[1:6], "natural_person", "total")
    header = [["申请人情况", *(LABEL[c] for c in order)]]
    text = opencc.OpenCC("s2t").convert(_text(order, "\t", header))
    assert _read(text) == ROWS


def test_a_header_that_does_not_name_every_column_gives_no_order() -> None:
    assert text_order([["申请人情况", "自然人", "总计"]]) is None
    assert (
        text_order([["自然人", "自然人", *(LABEL[c] for c in CANONICAL[1:])]]) is None
    )


def test_qita_spelt_other_way_is_the_other_column() -> None:
    """其它 is a common spelling of the 其他 column."""
    order = ("total", *CANONICAL[:-1])
    header = [["申请人情况", *(LABEL[c] for c in order)]]
    text = _text(order, " | ", header).replace("| 其他", "| 其它")
    assert "其它" in text
    assert _read(text) == ROWS


def test_a_reordered_header_with_an_unknown_column_leaves_every_value_uncertain() -> (
    None
):
    order = ("total", *CANONICAL[:-1])
    header = [["申请人情况", *(LABEL[c] for c in order)]]
    text = _text(order, " | ", header).replace("| 法律服务机构", "| 律师事务所")
    report = parse_bytes(text.encode(), "r.txt")
    for key in ROWS:
        for column in CANONICAL:
            assert f"table3.{key}.{column}" in report.uncertain
            assert report.tables["table3"][key][column].uncertain
    assert any(
        w.code == "column_order" and "无法确定" in w.message for w in report.warnings
    )
    assert text_order([[*header[0][:-2], "律师事务所", header[0][-1]]]) == ()

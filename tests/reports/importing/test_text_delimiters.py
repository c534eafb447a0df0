"""Plain text with any cell delimiter: bars, Markdown, box drawing, tabs, runs of spaces,
one cell per line, in UTF-8, GB18030 and UTF-16.

Each document is rendered here from a truth (built from `reports.schema` for both layouts,
or read from the shared corpus), so every cell can be checked against what was written.
"""

from __future__ import annotations

import fnmatch
import json
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from reports import schema
from reports.core.parsed import ParsedReport
from reports.importing.errors import ImportRefused
from reports.importing.extract import text as text_extract
from reports.importing.intake.detect import decode_text
from reports.importing.interchange import to_interchange
from reports.importing.pipeline import parse_bytes

from .conftest import CORPUS, same, value

Truth = dict[str, Any]
Table = list[list[str]]
Writer = Callable[[Table], list[str]]

REAL_PAGES = CORPUS.parent / "real-pages"
T3_HEADER: Table = [
    [
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        schema.APPLICANTS_GROUP,
    ],
    ["自然人", schema.LEGAL_PERSONS_GROUP, "总计"],
    ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
]
T4_HEADER: Table = [
    [schema.REVIEW_GROUP, schema.LITIGATION_GROUP],
    [*(c.label for c in schema.TABLE4_COLUMNS), "未经复议直接起诉", "复议后起诉"],
    [c.label for c in schema.TABLE4_COLUMNS] * 2,
]


# --- truths ---------------------------------------------------------------------------------


def schema_truth(layout: str, *, blanks: bool = True) -> Truth:
    """Every cell of a layout, numbered so that no two cells share a value.

    With `blanks`, some cells are blank (null), never 0, as reports print them.
    """
    tables = schema.tables_for(layout)
    truth: Truth = {"agency": "某某县卫生健康局", "year": 2024, "format": str(layout)}
    if layout == schema.Layout.Y2019:
        truth["year"] = 2019
    number = 1
    for key, table in tables.items():
        truth[key] = {}
        for row in table.rows:
            cells: dict[str, object] = {}
            for column in row.columns:
                blank = blanks and number % 7 == 3
                if column.kind is schema.Kind.MONEY:
                    cells[column.key] = None if blank else f"{number}.5"
                else:
                    cells[column.key] = None if blank else number
                number += 1
            truth[key][row.key] = cells
    return truth


def corpus_truth(name: str) -> Truth:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"corpus truth {path} is absent")
    return json.loads(path.read_text("utf-8"))


# --- the document as blocks of lines and tables ---------------------------------------------


def _cell(value: object, blank: str) -> str:
    if value is None:
        return blank
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _table2(truth: Truth, blank: str) -> Table:
    layout = truth["format"]
    rows: Table = []
    caption = ""
    for row in schema.tables_for(layout)["table2"].rows:
        if row.key not in truth["table2"]:
            continue
        if row.caption != caption:
            caption = row.caption
            rows.append([caption])
            rows.append(["信息内容", *(c.label for c in row.columns)])
        cells = truth["table2"][row.key]
        rows.append([row.label, *(_cell(cells.get(c.key), blank) for c in row.columns)])
    return rows


def _table3(truth: Truth, blank: str) -> Table:
    """Table 三 as a browser copies it: a group label only on its first row."""
    rows: Table = [list(r) for r in T3_HEADER]
    one_row = schema.OTHER_ONE_ROW in truth["table3"]
    table = schema.tables_for(truth["format"], one_row_other=one_row)["table3"]
    groups_seen: set[str] = set()
    for row in table.rows:
        if row.key not in truth["table3"]:
            continue
        chain = [schema.RESULTS_GROUP, row.group] if row.group else []
        lead = [g for g in dict.fromkeys(chain) if g not in groups_seen]
        groups_seen.update(lead)
        cells = truth["table3"][row.key]
        values = [_cell(cells.get(c.key), blank) for c in row.columns]
        rows.append([*lead, row.label, *values])
    return rows


def _table4(truth: Truth, blank: str) -> Table:
    values = [
        _cell(truth["table4"][row.key].get(c.key), blank)
        for row in schema.TABLE4.rows
        for c in schema.TABLE4_COLUMNS
    ]
    return [*(list(r) for r in T4_HEADER), values]


def render(truth: Truth, write: Writer, *, blank: str = "") -> str:
    """The report as text: title, headings and prose as lines, each table by `write`."""
    lines = [
        truth["agency"] or "本机关",
        f"{truth['year']}年政府信息公开工作年度报告",
        schema.SECTION_HEADINGS["overview"],
        "本年度，我局认真贯彻落实《中华人民共和国政府信息公开条例》。",
        schema.SECTION_HEADINGS["table2"],
        *write(_table2(truth, blank)),
        schema.SECTION_HEADINGS["table3"],
        *write(_table3(truth, blank)),
        schema.SECTION_HEADINGS["table4"],
        *write(_table4(truth, blank)),
        schema.SECTION_HEADINGS["problems"],
        "一是公开内容不够全面。",
        schema.SECTION_HEADINGS["other_matters"],
        "无。",
    ]
    return "\n".join(lines) + "\n"


# --- writers: one way of putting a table into text each --------------------------------------


def framed(table: Table) -> list[str]:
    return ["| " + " | ".join(row) + " |" for row in table]


def open_ended(table: Table) -> list[str]:
    return [" | ".join(row) + " |" for row in table]


def padded(table: Table) -> list[str]:
    """Rows padded to the widest row with bars and nothing between them ("| ||")."""
    width = max(len(r) for r in table)
    return ["| " + " | ".join(row) + " |" + "|" * (width - len(row)) for row in table]


def tight(table: Table) -> list[str]:
    return ["|" + "|".join(row) + "|" for row in table]


def markdown(table: Table) -> list[str]:
    lines = framed(table)
    return [lines[0], "|" + "---|" * len(table[0]), *lines[1:]]


def box(table: Table) -> list[str]:
    rule = "├" + "┼".join("────" for _ in table[0]) + "┤"
    lines = ["┌" + "┬".join("────" for _ in table[0]) + "┐"]
    for row in table:
        lines += ["│" + "│".join(row) + "│", rule]
    return lines


def fullwidth_bars(table: Table) -> list[str]:
    return ["｜".join(row) for row in table]


def tabs(table: Table) -> list[str]:
    return ["\t".join(row) for row in table]


def spaces(table: Table) -> list[str]:
    return ["    ".join(row) for row in table]


def ideographic_spaces(table: Table) -> list[str]:
    return ["\u3000\u3000".join(row) for row in table]


def bar_between_cells(table: Table) -> list[str]:
    """One cell per line, a bar alone after each cell and no row ends (real-pages 011)."""
    return [line for row in table for cell in row for line in (cell, "|")]


def cells_ending_in_bar(table: Table) -> list[str]:
    """Each cell line ends in " |", a line of bars ends the row (real-pages 016)."""
    width = max(len(r) for r in table)
    lines: list[str] = []
    for row in table:
        lines += [f"{cell} |" for cell in row]
        lines.append("|" * (width - len(row) + 1))
    return lines


WRITERS: dict[str, Writer] = {
    "framed": framed,
    "open_ended": open_ended,
    "padded": padded,
    "tight": tight,
    "markdown": markdown,
    "box": box,
    "fullwidth_bars": fullwidth_bars,
    "tabs": tabs,
    "spaces": spaces,
    "ideographic_spaces": ideographic_spaces,
    "bar_between_cells": bar_between_cells,
    "cells_ending_in_bar": cells_ending_in_bar,
}
# Writers that cannot show an empty cell: blanks are written as a dash there.
NO_EMPTY_CELL = {
    "spaces",
    "ideographic_spaces",
    "cells_ending_in_bar",
    "fullwidth_bars",
}


# --- checks ---------------------------------------------------------------------------------


def _parse(text: str, encoding: str = "utf-8") -> ParsedReport:
    return parse_bytes(text.encode(encoding), "report.txt")


def assert_matches(report: ParsedReport, truth: Truth) -> None:
    """Every truth cell read back: the same number, null for a blank; uncertain ones flagged."""
    output = to_interchange(report)
    assert (output["year"], output["format"]) == (truth["year"], truth["format"])
    uncertain = truth.get("uncertain", [])
    differences = []
    for table in schema.TABLE_KEYS:
        for row, cells in truth.get(table, {}).items():
            for column, expected in cells.items():
                path = schema.cell_path(table, row, column)
                if any(fnmatch.fnmatch(path, u) for u in uncertain):
                    continue
                got = output[table].get(row, {}).get(column, "<missing>")
                if got == "<missing>" or not same(got, expected):
                    differences.append((path, expected, got))
        for row, cells in output[table].items():
            extra = {c: v for c, v in cells.items() if v is not None}
            if row not in truth.get(table, {}) and extra:
                differences.append((f"{table}.{row}", "<absent>", extra))
    assert differences == []
    assert set(uncertain) <= set(output.get("uncertain", []))


TRUTHS: dict[str, Callable[[], Truth]] = {
    "schema2021": lambda: schema_truth(schema.Layout.Y2021),
    "schema2019": lambda: schema_truth(schema.Layout.Y2019),
    "report_full": lambda: corpus_truth("generated/report_full.pdf.truth.json"),
    "report_blanks": lambda: corpus_truth("generated/report_blanks.pdf.truth.json"),
    "hzq2023": lambda: corpus_truth("real/hzq2023_working.pdf.truth.json"),
}


@pytest.mark.parametrize("truth_name", TRUTHS)
@pytest.mark.parametrize("writer", WRITERS)
def test_every_cell_is_read_whatever_the_delimiter(
    truth_name: str, writer: str
) -> None:
    truth = TRUTHS[truth_name]()
    blank = "—" if writer in NO_EMPTY_CELL else ""
    report = _parse(render(truth, WRITERS[writer], blank=blank))
    assert_matches(report, truth)
    assert not report.uncertain_paths()


@pytest.mark.parametrize(
    "encoding", ["utf-16", "utf-16-le", "utf-16-be", "gb18030", "utf-8-sig"]
)
@pytest.mark.parametrize("writer", ["framed", "bar_between_cells", "tabs", "spaces"])
def test_utf16_and_chinese_encodings_are_decoded(encoding: str, writer: str) -> None:
    truth = schema_truth(schema.Layout.Y2021)
    blank = "—" if writer in NO_EMPTY_CELL else ""
    report = _parse(render(truth, WRITERS[writer], blank=blank), encoding)
    assert_matches(report, truth)


@pytest.mark.parametrize("mark", ["-", "—", "–", "－", "/", "无", "——"])
@pytest.mark.parametrize("writer", ["framed", "bar_between_cells", "spaces", "tabs"])
def test_a_dash_or_slash_is_a_blank_with_its_raw_text_never_zero(
    mark: str, writer: str
) -> None:
    truth = schema_truth(schema.Layout.Y2021)
    report = _parse(render(truth, WRITERS[writer], blank=mark))
    assert_matches(report, truth)
    cell = report.tables["table2"]["regulations"]["in_force"]  # cell number 3: blank
    assert truth["table2"]["regulations"]["in_force"] is None
    assert (cell.value, cell.raw) == (None, mark)


# --- rows that cannot be placed --------------------------------------------------------------

T3_PARTIAL = """某某县卫生健康局
2023年政府信息公开工作年度报告
二、主动公开政府信息情况
三、收到和处理政府信息公开申请情况
"""


def _t3_rows(write: Writer, rows: Table) -> str:
    return T3_PARTIAL + "\n".join(write([*T3_HEADER, *rows])) + "\n"


def _assert_row_flagged(report: ParsedReport, row: str) -> None:
    assert report.tables["table3"][row] == {}
    for column in schema.TABLE3_COLUMNS:
        assert f"table3.{row}.{column.key}" in report.uncertain_paths()
    assert any(w.where == f"table3.{row}" for w in report.warnings)


def test_dropped_blank_cells_with_bars_padding_are_flagged_not_shifted() -> None:
    # real-pages 016: blanks dropped, the row padded with a line of bars
    lines = ["一、本年新收政府信息公开申请数量 |", "3 |", "3 |", "|||||||"]
    lines += ["二、上年结转政府信息公开申请数量 |"] + ["0 |"] * 7 + ["||"]
    text = T3_PARTIAL + "\n".join(cells_ending_in_bar(T3_HEADER) + lines) + "\n"
    report = _parse(text)
    _assert_row_flagged(report, "new_received")
    assert value(report, "table3", "carried_over", "total") == 0


def test_dropped_blank_cells_in_a_row_per_line_are_flagged_not_shifted() -> None:
    text = _t3_rows(
        open_ended,
        [
            ["一、本年新收政府信息公开申请数量", "3", "3|||||"],
            ["二、上年结转", *"0000000"],
        ],
    )
    report = _parse(text)
    _assert_row_flagged(report, "new_received")
    assert value(report, "table3", "carried_over", "natural_person") == 0


def test_too_few_cells_between_bars_are_flagged() -> None:
    rows = [
        ["一、本年新收政府信息公开申请数量", "3", "3"],
        ["二、上年结转", *"0000000"],
    ]
    report = _parse(_t3_rows(bar_between_cells, rows))
    _assert_row_flagged(report, "new_received")
    assert value(report, "table3", "carried_over", "total") == 0


def test_padding_is_stripped_only_when_that_makes_the_count_match() -> None:
    rows = [
        ["一、本年新收政府信息公开申请数量", *"1234567", "", ""],
        [
            "二、上年结转政府信息公开申请数量",
            "",
            *"123456",
            "",
        ],  # which end is padding?
    ]
    report = _parse(_t3_rows(tabs, rows))
    assert value(report, "table3", "new_received", "total") == 7
    _assert_row_flagged(report, "carried_over")


def test_group_label_first_neither_shifts_values_nor_becomes_the_row() -> None:
    rows = [
        [schema.RESULTS_GROUP, "（一）予以公开", *"2000002"],
        [schema.WITHHELD_GROUP, "1.属于国家秘密", *"1000001"],
        ["2.其他法律行政法规禁止公开", *"0300003"],
    ]
    for write in (open_ended, framed, bar_between_cells, spaces, cells_ending_in_bar):
        report = _parse(_t3_rows(write, rows))
        assert value(report, "table3", "granted", "natural_person") == 2
        assert value(report, "table3", "granted", "total") == 2
        assert value(report, "table3", "withheld_state_secret", "natural_person") == 1
        assert value(report, "table3", "withheld_law_prohibited", "commercial") == 3
        assert not report.uncertain_paths()


# --- lines and cells ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "cells"),
    [
        ("| 规章 | 0 | 0 | 6 |", ["规章", "0", "0", "6"]),
        ("规章 | 0 | 0 | 6 |", ["规章", "0", "0", "6"]),
        ("| 规章 | 0 | | 6 | ||", ["规章", "0", "", "6", ""]),
        ("|规章|0||6|", ["规章", "0", "", "6"]),
        ("一、本年新收 | 3 | 3 |||||||", ["一、本年新收", "3", "3"]),
        ("| | 2.重复申请 | 0 |", ["2.重复申请", "0"]),
        ("│规章│0│—│6│", ["规章", "0", "—", "6"]),
    ],
)
def test_bar_rows_split_into_their_cells(line: str, cells: list[str]) -> None:
    assert text_extract.bar_cells(line) == cells


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("|---|:---:|", text_extract.Kind.RULE),
        ("+------+------+", text_extract.Kind.RULE),
        ("├────┼────┤", text_extract.Kind.RULE),
        ("||||", text_extract.Kind.BARS),
        ("规章 |", text_extract.Kind.CELL_END),
        ("| 三、本年度", text_extract.Kind.CELL_START),
        ("行政许可 | |", text_extract.Kind.ROW),
        ("| 申请人情况 |", text_extract.Kind.ROW),
        ("—", text_extract.Kind.PLAIN),
        ("三、收到和处理政府信息公开申请情况", text_extract.Kind.HEADING),
    ],
)
def test_lines_are_told_apart_by_their_delimiters(
    line: str, kind: text_extract.Kind
) -> None:
    assert text_extract.kind_of(line) is kind


# --- UTF-16 and binary ------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_text_decodes_with_and_without_byte_order_mark(encoding: str) -> None:
    text = "二、主动公开政府信息情况\n规章 | 0 | 0 | 6 |\n"
    assert decode_text(text.encode(encoding), "r.txt").lstrip("\ufeff") == text


@pytest.mark.parametrize(
    "data",
    [
        os.urandom(4096),
        b"\x01\x00\x02\x00" * 600,  # 16-bit little-endian numbers: NULs on one side
        b"\xff\xfe" + bytes(range(256)) * 8,
        b"ELF\x00\x00\x01" * 300,
    ],
)
def test_binary_is_still_refused(data: bytes) -> None:
    with pytest.raises(ImportRefused) as info:
        decode_text(data, "r.txt")
    assert info.value.code == "unsupported_format"


# --- the real pages -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["011", "016", "024", "032"])
def test_real_page_excerpts_match_their_truth(name: str) -> None:
    path = REAL_PAGES / f"{name}.txt"
    if not path.is_file():
        pytest.skip(f"real-pages excerpt {path} is absent")
    truth = json.loads(path.with_name(path.name + ".truth.json").read_text("utf-8"))
    report = parse_bytes(Path(path).read_bytes(), path.name)
    assert_matches(report, truth)


# --- cells that hold line breaks --------------------------------------------------------------


def _wrapped(table: Table) -> Table:
    """Labels broken as a browser copy keeps a cell's line break."""
    breaks = {
        "一、本年新收政府信息公开申请数量": "一、本年新收政府\n信息公开申请数量",
        schema.RESULTS_GROUP: "三、本年\n度办理结果",
        "（一）予以公开": "（一）\n予以公开",
        schema.WITHHELD_GROUP: "（三）\n不予公开",
        "2.其他法律行政法规禁止公开": "2.其他法律行\n政法规禁止公开",
        "行政事业性收费": "行政事\n业性收费",
    }
    return [[breaks.get(c, c) for c in row] for row in table]


def excel_quoted(table: Table) -> list[str]:
    """Tab-separated as Excel copies it: a cell with a line break is double-quoted."""
    rows = _wrapped(table)
    return ["\t".join(f'"{c}"' if "\n" in c else c for c in row) for row in rows]


@pytest.mark.parametrize(
    "write",
    [
        lambda t: tabs(_wrapped(t)),
        lambda t: open_ended(_wrapped(t)),
        lambda t: framed(_wrapped(t)),
        excel_quoted,
    ],
    ids=["tabs", "open_ended", "framed", "excel_quoted"],
)
def test_labels_broken_over_lines_stay_with_their_values(write: Writer) -> None:
    truth = schema_truth(schema.Layout.Y2021)
    text = render(truth, lambda t: "\n".join(write(t)).split("\n"))
    assert_matches(_parse(text), truth)


def test_a_blank_row_is_not_joined_to_the_row_below() -> None:
    # editors trim trailing tabs: "（七）总计" alone is a blank row, not a label's start
    rows = ["（七）总计", "结转下年度\t1\t0\t0\t0\t0\t0\t1", "上年结转\t\t\t\t\t\t\t"]
    text = T3_PARTIAL + "\n".join(tabs(T3_HEADER) + rows) + "\n"
    report = _parse(text)
    assert value(report, "table3", "carried_forward", "natural_person") == 1
    assert value(report, "table3", "total_processed", "natural_person") is None
    assert value(report, "table3", "carried_over", "total") is None

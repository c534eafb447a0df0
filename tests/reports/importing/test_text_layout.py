"""Plain text laid out in columns by spaces (pdftotext -layout, a PDF viewer's copy).

A blank cell is only more spaces, so such rows are read by where their values sit under the
header, never by counting them; text that is not aligned keeps the by-order reading, and a
value between two header columns is flagged, never guessed. The second part: a label cell
of a tab-separated row wrapped onto a line of its own after the row.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from reports import schema
from reports.core.parsed import ParsedReport
from reports.importing.extract import aligned, text
from reports.importing.pipeline import parse_bytes
from tests.reports.importing.conftest import CORPUS

GENERATED = CORPUS / "generated"
TRUTHS = {
    "report_blanks": GENERATED / "report_blanks.pdf.truth.json",
    "report_full": GENERATED / "report_full.pdf.truth.json",
    "hzq2023": CORPUS / "real" / "hzq2023_working.pdf.truth.json",
}
PDFS = [
    GENERATED / "report_blanks.pdf",
    GENERATED / "report_full.pdf",
    GENERATED / "report_noborders.pdf",
    *sorted((CORPUS / "real").glob("*.pdf")),
]


def _truth(name: str) -> dict[str, Any]:
    path = TRUTHS[name]
    if not path.is_file():
        pytest.skip(f"corpus truth {path} is absent")
    return json.loads(path.read_text("utf-8"))


# --- rendering a truth as aligned text -------------------------------------------------------


def _width(text: str) -> int:
    return sum(
        2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text
    )


def _line(items: list[tuple[int, str]]) -> str:
    """Texts placed at display columns (a text longer than its room pushes the rest)."""
    out = ""
    for x, item in sorted(items):
        out += " " * max(x - _width(out), 1 if out else 0) + item
    return out.rstrip()


def _value(x: int, room: int, shown: str, right: bool) -> tuple[int, str]:
    return (x + room - _width(shown), shown) if right else (x, shown)


def _show(value: Any) -> str:
    return "" if value is None else str(value)


def _aligned(
    truth: dict[str, Any], *, right: bool, moved: tuple[str, str, int] | None = None
) -> str:
    """The truth as aligned text: one line per row, blank cells as spaces, the headers
    of tables 三 and 四 over several lines, numbers left- or right-aligned. `moved`
    shifts one table 三 value (row, column, display columns) off its column."""
    one_row = schema.OTHER_ONE_ROW in truth["table3"]
    tables = schema.tables_for(truth["format"], one_row_other=one_row)
    lines = [
        f"{truth.get('agency') or '示例县'}{truth['year']}年政府信息公开工作年度报告"
    ]
    lines += [schema.SECTION_HEADINGS["overview"], "本机关认真贯彻落实条例。"]
    lines.append(schema.SECTION_HEADINGS["table2"])
    header: tuple[str, ...] = ()
    for row in tables["table2"].rows:
        names = tuple(c.label for c in row.columns)
        xs = [20 + 30 * k for k in range(len(names))]
        if names != header:
            lines.append(row.caption)
            lines.append(_line([(0, "信息内容"), *zip(xs, names, strict=True)]))
            header = names
        cells = truth["table2"].get(row.key, {})
        values = [
            _value(x, _width(c.label), _show(cells.get(c.key)), right)
            for x, c in zip(xs, row.columns, strict=True)
        ]
        lines.append(_line([(0, row.label), *values]))
    lines.append(schema.SECTION_HEADINGS["table3"])
    xs = [120 + 16 * k for k in range(len(schema.TABLE3_COLUMNS))]
    leaves = [c.label for c in schema.TABLE3_COLUMNS]
    lines.append(
        _line(
            [(0, "（本列数据的勾稽关系为：第一项加第二项之和，"), (xs[2], "申请人情况")]
        )
    )
    lines.append(
        _line(
            [
                (0, "等于第三项加第四项之和）"),
                (xs[0], "自然人"),
                (xs[1], "法人或其他组织"),
                (xs[6], "总计"),
            ]
        )
    )
    lines.append(_line(list(zip(xs[1:6], leaves[1:6], strict=True))))
    group = ""
    for row in tables["table3"].rows:
        cells = truth["table3"].get(row.key)
        if cells is None:
            continue
        items = [(30, row.label)]
        if row.group and row.group != group:
            items.append((0, row.group))
        group = row.group
        for x, leaf, column in zip(xs, leaves, schema.TABLE3_COLUMNS, strict=True):
            shown = _show(cells.get(column.key))
            if moved is not None and moved[:2] == (row.key, column.key):
                x += moved[2]
            if shown:
                items.append(_value(x, _width(leaf), shown, right))
        lines.append(_line(items))
    lines.append(schema.SECTION_HEADINGS["table4"])
    xs = [12 * k for k in range(15)]
    t4 = [c.label for c in schema.TABLE4_COLUMNS]
    lines.append(_line([(xs[0], "行政复议"), (xs[5], "行政诉讼")]))
    lines.append(
        _line(
            [
                *zip(xs[:5], t4, strict=True),
                (xs[5], "未经复议直接起诉"),
                (xs[10], "复议后起诉"),
            ]
        )
    )
    lines.append(_line(list(zip(xs[5:], t4 * 2, strict=True))))
    items = []
    for k, (block, column) in enumerate(
        (r.key, c) for r in schema.TABLE4.rows for c in schema.TABLE4_COLUMNS
    ):
        shown = _show(truth["table4"].get(block, {}).get(column.key))
        if shown:
            items.append(_value(xs[k], _width(column.label), shown, right))
    lines.append(_line(items))
    lines += [schema.SECTION_HEADINGS["problems"], "无。"]
    return "\n".join(lines) + "\n"


def _blanked(truth: dict[str, Any]) -> dict[str, Any]:
    """The truth with every third table 三 cell blank (null)."""
    out = json.loads(json.dumps(truth))
    for r, cells in enumerate(out["table3"].values()):
        for c, key in enumerate(list(cells)):
            if (r + c) % 3 == 0:
                cells[key] = None
    return out


def _score(
    report: ParsedReport, truth: dict[str, Any]
) -> tuple[int, list[str], list[str]]:
    """Correct cells, wrong cells that are flagged, and wrong cells nothing flags."""
    uncertain = set(report.uncertain_paths())
    flagged_rows = {w.where for w in report.warnings if w.where}
    correct, flagged, silent = 0, [], []
    for table in ("table2", "table3", "table4"):
        for row, cells in truth[table].items():
            for column, expected in cells.items():
                path = f"{table}.{row}.{column}"
                if any(
                    path.startswith(p.rstrip("*")) for p in truth.get("uncertain", [])
                ):
                    continue
                cell = report.cell(table, row, column)
                got = None if cell is None else cell.value
                if (
                    (got is None and expected is None)
                    or (
                        got is not None
                        and expected is not None
                        and str(got) == str(expected)
                    )
                    or (
                        got is not None
                        and expected is not None
                        and float(got) == float(expected)
                    )
                ):
                    correct += 1
                elif path in uncertain or f"{table}.{row}" in flagged_rows:
                    flagged.append(path)
                else:
                    silent.append(path)
    return correct, flagged, silent


def _cells(truth: dict[str, Any]) -> int:
    return sum(
        len(c) for t in ("table2", "table3", "table4") for c in truth[t].values()
    )


# --- positions of tokens --------------------------------------------------------------------


def test_wide_characters_take_two_display_columns_and_one_pdftotext_column() -> None:
    line = "规章  101    /"
    display = aligned.tokens(line, aligned.display_width)
    chars = aligned.tokens(line, aligned.char_width)
    assert [(t.text, t.x0, t.x1, t.value) for t in display] == [
        ("规章", 0, 4, False),
        ("101", 6, 9, True),
        ("/", 13, 14, True),
    ]
    assert [(t.x0, t.x1) for t in chars] == [(0, 2), (4, 7), (11, 12)]


def test_label_words_one_space_apart_are_one_cell_but_vertical_characters_are_not() -> (
    None
):
    tokens = aligned.tokens("4.无正当理由大量反复 申请    0", aligned.display_width)
    assert [t.text for t in tokens] == ["4.无正当理由大量反复 申请", "0"]
    tokens = aligned.tokens("果     果  他 未      总", aligned.char_width)
    assert [t.text for t in tokens] == ["果", "果", "他", "未", "总"]


# --- rendered truths ------------------------------------------------------------------------


@pytest.mark.parametrize("right", [False, True], ids=["left", "right"])
@pytest.mark.parametrize("name", list(TRUTHS))
def test_aligned_text_is_read_by_position_with_its_blank_cells(
    name: str, right: bool
) -> None:
    truth = _truth(name)
    if name != "report_blanks":
        truth = _blanked(truth)
    report = parse_bytes(_aligned(truth, right=right).encode("utf-8"), f"{name}.txt")
    correct, flagged, silent = _score(report, truth)
    assert silent == []
    assert flagged == []
    assert correct == _cells(truth)


def test_report_blanks_keeps_its_99_blank_cells_null() -> None:
    truth = _truth("report_blanks")
    report = parse_bytes(_aligned(truth, right=True).encode("utf-8"), "blanks.txt")
    blanks = [
        (t, r, c)
        for t in ("table3", "table4")
        for r, cells in truth[t].items()
        for c, v in cells.items()
        if v is None
    ]
    assert len(blanks) == 99
    for table, row, column in blanks:
        cell = report.cell(table, row, column)
        assert cell is not None and cell.value is None, (table, row, column)


def test_text_that_only_separates_cells_by_spaces_is_read_by_order() -> None:
    """Collapsed gaps: blanks are lost, so the rows with blanks are flagged, not shifted."""
    truth = _truth("report_blanks")
    collapsed = "\n".join(
        "  ".join(line.split()) for line in _aligned(truth, right=False).splitlines()
    )
    report = parse_bytes(collapsed.encode("utf-8"), "collapsed.txt")
    correct, flagged, silent = _score(report, truth)
    assert silent == []
    assert "table3.withheld_state_secret.natural_person" in report.uncertain_paths()
    assert correct + len(flagged) == _cells(truth)


def test_a_value_between_two_header_columns_is_flagged_not_guessed() -> None:
    truth = _blanked(_truth("report_full"))  # 1.属于国家秘密 prints 5 of its 7 cells
    moved = (
        "withheld_state_secret",
        "commercial",
        9,
    )  # 52: past 商业企业, before 科研机构
    document = _aligned(truth, right=False, moved=moved)
    report = parse_bytes(document.encode("utf-8"), "between.txt")
    correct, flagged, silent = _score(report, truth)
    assert silent == []
    assert flagged and all(
        p.startswith("table3.withheld_state_secret.") for p in flagged
    )
    assert "table3.withheld_state_secret.commercial" in report.uncertain_paths()
    assert any(w.where == "table3.withheld_state_secret" for w in report.warnings)
    assert correct == _cells(truth) - len(flagged)


# --- pdftotext -layout on the corpus PDFs ---------------------------------------------------


def _pdftotext(pdf: Path, out: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    if not pdf.is_file():
        pytest.skip(f"corpus document {pdf} is absent")
    target = out / f"{pdf.stem}.txt"
    subprocess.run(["pdftotext", "-layout", str(pdf), str(target)], check=True)
    return target.read_text("utf-8")


@pytest.mark.parametrize("pdf", PDFS, ids=[p.stem for p in PDFS])
def test_pdftotext_layout_of_the_corpus_pdfs_is_read_without_silent_errors(
    pdf: Path, tmp_path: Path
) -> None:
    layout = _pdftotext(pdf, tmp_path)
    truth = json.loads(Path(f"{pdf}.truth.json").read_text("utf-8"))
    report = parse_bytes(layout.encode("utf-8"), f"{pdf.stem}.txt")
    correct, flagged, silent = _score(report, truth)
    assert silent == []
    # measured with poppler 22.12: every cell, the 99 blanks of report_blanks included
    assert correct >= 0.95 * _cells(truth), (correct, flagged)


# --- a tab-separated row whose label ends on the next line ------------------------------------

_T3_HEAD = "\t".join(["本列数据的勾稽关系", *(c.label for c in schema.TABLE3_COLUMNS)])


def _tsv_report(*rows: str) -> ParsedReport:
    body = [
        "某县2024年政府信息公开工作年度报告",
        schema.SECTION_HEADINGS["table3"],
        _T3_HEAD,
    ]
    return parse_bytes("\n".join([*body, *rows, ""]).encode("utf-8"), "tails.txt")


def test_a_label_tail_after_its_values_completes_a_label_that_names_no_row() -> None:
    report = _tsv_report(
        "1.屬於\t51\t52\t53\t54\t55\t56\t57",
        "國家祕密",
        "2.重\t1\t0\t0\t0\t0\t0\t1",
        "複申請",
    )
    assert report.cell("table3", "withheld_state_secret", "total").value == 57  # type: ignore[union-attr]
    assert report.cell("table3", "not_processed_duplicate", "total").value == 1  # type: ignore[union-attr]
    assert not [w for w in report.warnings if w.code == "orphan_values"]


def test_a_line_after_a_named_row_is_not_joined_to_it() -> None:
    lines = ["规章\t1\t2\t3", "第二十条第（五）项", "行政许可"]
    assert text.join_tails(lines) == lines
    tail = ["（一）予以公开\t1\t0\t0\t0\t0\t0\t1", "（二）部分公开"]
    assert text.join_tails(tail) == tail

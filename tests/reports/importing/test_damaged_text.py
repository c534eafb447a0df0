"""Text and web pages with a few bytes that are not valid text are read as far as they can be.

Each bad byte becomes U+FFFD; the report gets a warning naming how many bytes, their
offsets and lines; every cell read from a damaged row is uncertain, with a warning naming
its row; every other cell is exactly what the clean file gives. A file that is mostly
garbage is still refused with its code. The documents are the synthetic reports of the
variants suite, written as real sites write them.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from reports import schema
from reports.core.parsed import ParsedReport
from reports.importing.errors import ImportRefused
from reports.importing.intake.charsets import decode_plain
from reports.importing.interchange import to_interchange
from reports.importing.pipeline import parse_bytes

from .variants import documents
from .variants.compare import compare
from .variants.render import VARIANTS

TRUTH = documents.synthetic(schema.Layout.Y2021)
TRUTH_2019 = documents.synthetic(schema.Layout.Y2019)
VARIANT = {v.name: v for v in VARIANTS}
BAD = b"\xff"  # never valid in UTF-8 or GB18030


def _render(variant: str, truth: dict[str, Any] = TRUTH) -> tuple[bytes, str]:
    return VARIANT[variant](truth, "synthetic")


def _damage(data: bytes, old: str, new: bytes, encoding: str = "utf-8") -> bytes:
    """`data` with the first `old` (text in `encoding`) replaced by `new`."""
    needle = old.encode(encoding)
    assert data.count(needle) >= 1, old
    return data.replace(needle, new, 1)


def _cells(report: ParsedReport) -> dict[str, tuple[object, bool]]:
    """Every cell path -> (value, uncertain)."""
    uncertain = set(report.uncertain_paths())
    return {
        schema.cell_path(table, row, column): (cell.value, path in uncertain)
        for table, rows in report.tables.items()
        for row, cells in rows.items()
        for column, cell in cells.items()
        for path in [schema.cell_path(table, row, column)]
    }


def _only_damaged(
    clean: ParsedReport, damaged: ParsedReport, rows: set[str]
) -> dict[str, tuple[object, bool]]:
    """Assert every cell outside `rows` (table.row) reads as in the clean file; return
    the cells of `rows` as the damaged file reads them."""
    before, after = _cells(clean), _cells(damaged)
    inside = {p: v for p, v in after.items() if p.rsplit(".", 1)[0] in rows}
    for path, reading in before.items():
        if path.rsplit(".", 1)[0] not in rows:
            assert after.get(path) == reading, path
    assert set(after) - set(before) <= set(inside)
    return inside


def _damage_warning(report: ParsedReport) -> str:
    messages = [w.message for w in report.warnings if w.code == "damaged_text"]
    assert len(messages) == 1, [w.code for w in report.warnings]
    return messages[0]


def _row_warned(report: ParsedReport, where: str) -> bool:
    return any(
        w.where == where and w.code in ("damaged_row", "damaged_blank_row")
        for w in report.warnings
    )


@pytest.fixture(scope="module")
def clean_tsv() -> ParsedReport:
    data, name = _render("tsv")
    report = parse_bytes(data, name)
    assert compare(TRUTH, to_interchange(report), strict=True).perfect
    assert not report.uncertain_paths()
    return report


# --- where the damage is --------------------------------------------------------------------


def test_damage_in_prose_leaves_every_cell_exactly_right(clean_tsv) -> None:
    data, name = _render("tsv")
    damaged = _damage(data, "贯彻", BAD * 3)
    report = parse_bytes(damaged, name)
    offset = damaged.index(BAD)
    message = _damage_warning(report)
    assert (
        f"3 个字节不是有效的 UTF-8 文字（字节位置 {offset}、{offset + 1}、" in message
    )
    assert "第 4 行" in message
    assert _cells(report) == _cells(clean_tsv)
    assert "\ufffd" in report.sections["overview"]


def test_damage_in_a_label_makes_that_row_uncertain_and_nothing_else(
    clean_tsv,
) -> None:
    data, name = _render("tsv")
    report = parse_bytes(_damage(data, "许", BAD * 2), name)  # 行政许可 -> 行政��可
    _damage_warning(report)
    inside = _only_damaged(clean_tsv, report, {"table2.licensing"})
    assert inside == {"table2.licensing.decisions": (631, True)}
    assert _row_warned(report, "table2.licensing")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("\t37\t", b"\t3" + BAD + b"\t"),  # a digit overwritten
        ("\t37\t", b"\t3" + BAD * 3 + b"7\t"),  # bytes inserted in a value
        ("\t37\t", b"\t37" + BAD + b"38\t"),  # the tab between two values
        ("\t37\t", b"\t\x00\x00\x00\t"),  # a zeroed value
    ],
    ids=["overwritten", "inserted", "separator", "zeroed"],
)
def test_damage_in_a_value_never_gives_a_number_silently(
    old: str, new: bytes, clean_tsv
) -> None:
    data, name = _render("tsv")
    report = parse_bytes(_damage(data, old, new), name)
    _damage_warning(report)
    row = "table3.withheld_internal_affairs"
    inside = _only_damaged(clean_tsv, report, {row})
    # the row is kept uncertain, its cells left out where they cannot be placed
    assert all(uncertain for _, uncertain in inside.values())
    assert set(report.uncertain_paths()) >= {
        f"{row}.{c.key}" for c in schema.TABLE3_COLUMNS
    }
    assert _row_warned(report, row)


def test_damaged_heading_still_opens_its_table(clean_tsv) -> None:
    data, name = _render("tsv")
    report = parse_bytes(
        _damage(data, "政府信息情况", BAD * 5 + "信息情况".encode()), name
    )
    _damage_warning(report)
    assert _cells(report) == _cells(clean_tsv)


def test_gb18030_text_with_a_bad_byte_is_read_as_gb18030() -> None:
    data, name = _render("tsv-gb18030")
    clean = parse_bytes(data, name)
    # a lead byte followed by a tab: no GB18030 character, and no UTF-8 either
    damaged = _damage(
        data, "保护第三方", "保护".encode("gb18030") + b"\xb5\t", "gb18030"
    )
    report = parse_bytes(damaged, name)
    assert "不是有效的 GB18030 文字" in _damage_warning(report)
    inside = _only_damaged(clean, report, {"table3.withheld_third_party"})
    assert all(uncertain for _, uncertain in inside.values())


def test_text_cut_inside_a_character_is_read_to_its_end(clean_tsv) -> None:
    data, name = _render("tsv")
    cut = data[: data.index("本年度未收取".encode()) + 4]  # 本 and one byte of 年
    report = parse_bytes(cut, name)
    assert "1 个字节不是有效的 UTF-8 文字" in _damage_warning(report)
    assert _cells(report) == _cells(clean_tsv)


def test_row_that_printed_nothing_in_a_damaged_text_is_uncertain(clean_tsv) -> None:
    data, name = _render("tsv")
    damaged = _damage(data, "行政处罚\t641", "行政处罚\t".encode())
    damaged = _damage(damaged, "贯彻", BAD)
    report = parse_bytes(damaged, name)
    _damage_warning(report)
    inside = _only_damaged(clean_tsv, report, {"table2.penalty"})
    assert inside == {"table2.penalty.decisions": (None, True)}
    assert _row_warned(report, "table2.penalty")


# --- web pages: a damaged tag shifts the cells after it ---------------------------------------


@pytest.fixture(scope="module")
def clean_html() -> ParsedReport:
    data, name = _render("html-spans")
    report = parse_bytes(data, name)
    assert compare(TRUTH, to_interchange(report), strict=True).perfect
    return report


def test_damaged_tag_makes_its_row_and_the_rest_of_its_table_uncertain(
    clean_html,
) -> None:
    data, name = _render("html-spans")
    line = next(ln for ln in data.split(b"\n") if "5.属于三类".encode() in ln)
    damaged = data.replace(line, line.replace(b"</td>", b"</" + BAD + b"d>", 2), 1)
    report = parse_bytes(damaged, name)
    _damage_warning(report)
    rows = list(schema.tables_for("2021")["table3"].rows)
    start = [r.key for r in rows].index("withheld_internal_affairs")
    after = {f"table3.{r.key}" for r in rows[start:]}
    inside = _only_damaged(clean_html, report, after)
    assert all(uncertain for _, uncertain in inside.values())
    assert set(report.uncertain_paths()) >= {
        f"table3.{r.key}.{c.key}" for r in rows[start:] for c in r.columns
    }


def test_damaged_text_inside_a_cell_makes_only_its_row_uncertain(clean_html) -> None:
    data, name = _render("html-spans")
    report = parse_bytes(_damage(data, "重复申请", "重复".encode() + BAD * 2), name)
    _damage_warning(report)
    inside = _only_damaged(clean_html, report, {"table3.not_processed_duplicate"})
    assert inside and all(uncertain for _, uncertain in inside.values())


# --- what is refused --------------------------------------------------------------------------


@pytest.mark.parametrize("share", [0.3, 0.6])
def test_mostly_garbage_is_refused_as_binary(share: float) -> None:
    data, name = _render("tsv")
    rng = random.Random(7)
    noisy = bytes(rng.randrange(256) if rng.random() < share else b for b in data)
    with pytest.raises(ImportRefused) as info:
        parse_bytes(noisy, name)
    assert info.value.code == "unsupported_format"
    assert "二进制文件" in info.value.message


def test_damaged_interchange_json_is_refused_naming_where() -> None:
    import json

    data = json.dumps(
        {"agency": "示例区司法局", "year": 2023, "format": "2021"}, ensure_ascii=False
    ).encode()
    damaged = data.replace("司法".encode(), BAD * 6, 1)
    with pytest.raises(ImportRefused) as info:
        parse_bytes(damaged, "r.json")
    assert info.value.code == "corrupt_file"
    offset = damaged.index(BAD)
    assert f"6 个字节不是有效的 UTF-8 文字（字节位置 {offset}、" in info.value.message


# --- the encoding with the fewest invalid bytes -----------------------------------------------


def test_utf8_with_a_bad_byte_is_not_read_as_gb18030() -> None:
    text = "规章\t611\t612\t613\n行政许可\t631\n" * 20
    decoded = decode_plain(
        text.encode("utf-8").replace(b"631", b"6" + BAD + b"1", 1), "t"
    )
    assert decoded.codec == "utf-8" and decoded.bad_bytes == 1
    assert decoded.damaged[0][1] == 1 and decoded.lines == (2,)
    assert decoded.text.count("\ufffd") == 1 and "行政许可" in decoded.text


def test_gb18030_with_a_bad_byte_is_not_read_as_utf8() -> None:
    text = "规章\t611\t612\t613\n行政许可\t631\n" * 20
    data = text.encode("gb18030") + BAD
    decoded = decode_plain(data, "t")
    assert decoded.codec == "gb18030" and decoded.damaged == ((len(data) - 1, 1),)
    assert decoded.text.endswith("631\n\ufffd")


# --- a sweep: random damage of bytes that are never text --------------------------------------

SWEPT = (
    "tsv",
    "tsv-gb18030",
    "pipe-rows",
    "pipe-cells",
    "markdown",
    "spaces-aligned",
    "pdfminer-boxes",
    "tab-cells",
    "html-spans",
    "html-flat",
    "html-styled",
    "html-word-export",
    "html-layout-table",
)


def _swept_damage(data: bytes, rng: random.Random) -> bytes:
    """0xFF over or into the bytes, or a zeroed run, somewhere in the file."""
    at, size = rng.randrange(len(data)), rng.randint(1, 4)
    kind = rng.choice(("over", "into", "zeroed"))
    if kind == "over":
        return data[:at] + BAD * size + data[at + size :]
    if kind == "into":
        return data[:at] + BAD * size + data[at:]
    return data[:at] + b"\x00" * 2 * size + data[at + 2 * size :]


@pytest.mark.parametrize("seed", range(4))
def test_randomly_damaged_copies_read_honestly(seed: int) -> None:
    """Every copy is read, says it is damaged, and no cell is wrong without a flag."""
    rng = random.Random(seed)
    for variant in SWEPT:
        for truth in (TRUTH, TRUTH_2019):
            data, name = _render(variant, truth)
            damaged = _swept_damage(data, rng)
            report = parse_bytes(damaged, name)
            _damage_warning(report)
            score = compare(truth, to_interchange(report), strict=True)
            assert score.silent == 0 and score.extra == 0, (variant, seed, score)


def test_a_quote_lost_in_excel_quoted_text_reads_without_a_traceback() -> None:
    """Excel quotes a cell holding a line break; a damaged quote leaves one unbalanced."""
    data, name = _render("tsv-excel-quoted")
    quotes = [i for i, byte in enumerate(data) if byte == ord('"')]
    assert len(quotes) > 20
    for at in quotes:
        report = parse_bytes(data[:at] + BAD + data[at + 1 :], name)
        score = compare(TRUTH, to_interchange(report), strict=True)
        assert score.silent == 0 and score.extra == 0, at


def test_page_cut_inside_a_table_flags_the_row_it_stops_in(clean_html) -> None:
    data, name = _render("html-spans")
    at = data.index("3.要求提供公开出版物".encode())
    cut = data[: data.index(b"</td>", data.index(b"</td>", at) + 5)]  # label, 1 value
    report = parse_bytes(cut, name)
    assert any("网页在表格中间结束" in w.message for w in report.warnings)
    rows = list(schema.tables_for("2021")["table3"].rows)
    upto = [r.key for r in rows].index("not_processed_publication")
    kept = {f"table3.{r.key}" for r in rows[: upto + 1]}
    before, after = _cells(clean_html), _cells(report)
    for path, reading in after.items():
        row = path.rsplit(".", 1)[0]
        if row == "table3.not_processed_publication":
            assert reading[1], path  # read from the row the page stops in
        else:
            assert reading == before[path], path
    assert {p.rsplit(".", 1)[0] for p in after if p.startswith("table3.")} == kept


@pytest.mark.parametrize("garbled", ["3a7", "&7", "37 /p>", "3O"])
def test_a_number_damaged_into_other_text_flags_its_row(
    garbled: str, clean_tsv
) -> None:
    """No encoding shows a byte damaged into another valid one: "37" -> "3a7"."""
    data, name = _render("tsv")
    report = parse_bytes(_damage(data, "\t37\t", f"\t{garbled}\t".encode()), name)
    row = "table3.withheld_internal_affairs"
    inside = _only_damaged(clean_tsv, report, {row})
    assert all(uncertain for _, uncertain in inside.values())
    assert set(report.uncertain_paths()) >= {
        f"{row}.{c.key}" for c in schema.TABLE3_COLUMNS
    }
    assert any(w.code == "garbled_value" and w.where == row for w in report.warnings)


def test_a_number_damaged_into_other_text_in_a_page_is_not_read_as_blank(
    clean_html,
) -> None:
    data, name = _render("html-spans")
    report = parse_bytes(_damage(data, ">37<", b">3a7<"), name)
    row = "table3.withheld_internal_affairs"
    inside = _only_damaged(clean_html, report, {row})
    assert inside["table3.withheld_internal_affairs.natural_person"] == (None, True)
    assert all(uncertain for _, uncertain in inside.values())

"""Issue 14's silent-error paths: each wrong cell is flagged or named by a warning.

Each test feeds a real document (text or HTML, rendered from a synthetic report by the
variant generator and changed the way a real one differs) through `parse_bytes`, and checks
that the cells that cannot be read right are uncertain, or named by a warning's `where`.
"""

from __future__ import annotations

import time
from typing import Any

from reports import schema
from reports.importing.interchange import to_interchange
from reports.importing.pipeline import parse_bytes

from .variants import documents, form
from .variants.office_writers import html_document
from .variants.text_writers import spaced_document, tabs, text_document

TRUTH = documents.synthetic(schema.Layout.Y2021)


def _parse(data: str | bytes, name: str = "report.txt") -> dict[str, Any]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return to_interchange(parse_bytes(raw, name))


def _tsv(truth: dict[str, Any] = TRUTH) -> str:
    return text_document(form.build(truth), tabs)


def _named(out: dict[str, Any], path: str) -> list[dict[str, Any]]:
    row = path.rsplit(".", 1)[0] if path.count(".") == 2 else path
    return [w for w in out["warnings"] if w.get("where") in (path, row)]


def _flagged(out: dict[str, Any], path: str) -> bool:
    return path in out.get("uncertain", []) or bool(_named(out, path))


def test_a_value_under_an_unknown_header_column_is_not_lent_to_its_neighbour() -> None:
    truth = documents.synthetic(schema.Layout.Y2021)
    truth["table3"]["granted"]["commercial"] = None  # a blank beside natural_person
    page = html_document(form.build(truth)).decode("utf-8")
    assert page.count(">自然人<") == 1
    out = _parse(page.replace(">自然人<", ">甲乙丙丁<"), "report.html")
    granted = out["table3"]["granted"]
    assert granted.get("commercial") is None  # not natural_person's number
    assert granted.get("natural_person") is None
    assert _flagged(out, "table3.granted.natural_person")
    assert _flagged(out, "table3.granted.commercial")


def test_table2_block_with_the_2019_header_words_is_uncertain_not_issued() -> None:
    text = _tsv().replace(
        "本年制发件数\t本年废止件数\t现行有效件数",
        "本年新制作数量\t本年新公开数量\t对外公开总数量",
    )
    out = _parse(text)
    assert out["format"] == "2021"
    for column in ("issued", "repealed", "in_force"):
        path = f"table2.regulations.{column}"
        assert path in out["uncertain"], path
    warning = _named(out, "table2.regulations")
    assert warning and "本年新制作数量" in warning[0]["message"]


def test_a_cut_label_whose_first_part_names_nothing_leaves_its_row_flagged() -> None:
    long_label = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    text = _tsv()
    assert long_label in text
    values = text.split(long_label, 1)[1].split("\n", 1)[0]
    text = text.replace(
        long_label + values, "1.申请" + values + "\n" + long_label[len("1.申请") :]
    )
    out = _parse(text)
    row = "table3.other_no_correction"
    cells = out["table3"].get("other_no_correction") or {}
    assert all(v is None for v in cells.values())
    assert any(p.startswith(row) for p in out["uncertain"]) or _named(out, row)
    assert "other_processing" not in out["table3"] or not any(
        out["table3"]["other_processing"].values()
    )


def test_a_blank_row_line_lends_its_label_to_no_neighbour() -> None:
    truth = documents.synthetic(schema.Layout.Y2021)
    truth["table2"]["penalty"]["decisions"] = None
    text = spaced_document(form.build(truth), aligned=False)
    assert "\n行政处罚\n" in text
    out = _parse(text)
    assert out["table2"]["penalty"]["decisions"] is None
    assert (
        out["table2"]["enforcement"]["decisions"]
        == truth["table2"]["enforcement"]["decisions"]
    )


def test_a_note_inside_table3_neither_turns_it_into_prose_nor_supplies_a_cell() -> None:
    text = _tsv().replace(
        "四、结转下年度继续办理", "备注：其他 5\n四、结转下年度继续办理", 1
    )
    out = _parse(text)
    expected = TRUTH["table3"]["granted"]
    assert out["table3"]["granted"] == expected
    assert out["table3"]["new_received"] == TRUTH["table3"]["new_received"]


def test_a_note_before_table3_header_does_not_take_new_received() -> None:
    heading = schema.SECTION_HEADINGS["table3"]
    text = _tsv().replace(
        heading + "\n", heading + "\n备注：本年新收政府信息公开申请数量\t999\n", 1
    )
    out = _parse(text)
    assert out["table3"]["new_received"] == TRUTH["table3"]["new_received"]


def test_pathological_label_text_is_read_in_bounded_time() -> None:
    hostile = "\n".join("行政" * (i % 7 + 1) for i in range(6000))
    text = _tsv().replace("（一）予以公开", "（一）予以公开\n" + hostile, 1)
    start = time.monotonic()
    out = _parse(text)
    assert time.monotonic() - start < 20
    assert out["table3"]["new_received"] == TRUTH["table3"]["new_received"]


def test_a_fuzzy_header_match_is_reported_naming_the_column() -> None:
    text = _tsv().replace("商业企业", "商亚企业")
    out = _parse(text)
    fuzzy = [w for w in out["warnings"] if w["code"] == "header_fuzzy"]
    assert fuzzy and "商亚企业" in fuzzy[0]["message"]
    assert "商业企业" in fuzzy[0]["message"]


def test_a_misspelt_row_label_carries_a_label_fuzzy_warning_naming_the_row() -> None:
    out = _parse(_tsv().replace("\n行政许可\t", "\n行政五可\t"))
    assert out["table2"]["licensing"] == TRUTH["table2"]["licensing"]
    assert [w["code"] for w in _named(out, "table2.licensing")] == ["label_fuzzy"]

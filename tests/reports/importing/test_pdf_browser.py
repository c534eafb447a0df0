"""PDFs printed from a web page by a browser ("Save as PDF" in Chromium or Edge).

Their table borders are thin filled rectangles, the page background and the article's box
are rectangles around everything, and the text layer may write radicals for ideographs
(⼈⺠ for 人民). The pages are built here from truths (../shared/corpus, or position
markers for the 2019 layout) and printed by headless Chromium when it is installed.
"""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pdfplumber.utils import rect_to_edges

from reports import schema
from reports.core.parsed import ParsedReport, value_to_json
from reports.importing import radicals
from reports.importing.extract import rulings
from reports.importing.normalize import compact, match_text, nfkc
from reports.importing.pipeline import parse_file

from . import browser_pdf
from .browser_pdf import STYLES, Style
from .conftest import CORPUS

needs_chromium = pytest.mark.skipif(
    browser_pdf.chromium() is None,
    reason="no Chromium-family browser installed: browser-printed PDFs cannot be made",
)
STYLE = {s.name: s for s in STYLES}
CORPUS_TRUTHS = {
    "full": "generated/report_full.pdf.truth.json",
    "hzq": "real/hzq2023_working.pdf.truth.json",
}
# Which truth is printed in which page styles: every style for one 2021 and the 2019
# layout, the real 洪泽区 report (one-row 其他处理, agency 人民政府) in two.
CASES = [
    *((("full", s.name)) for s in STYLES),
    *((("y2019", s.name)) for s in STYLES),
    ("hzq", "plain"),
    ("hzq", "box_on_background"),
]


# --- radicals: pure ---------------------------------------------------------------------


def test_supplement_radicals_read_as_their_ideographs() -> None:
    printed = "\u2f08\u2ea0政府\u2ed4\u2f79\u2ed3期\u2ec5\u2faf\u2ecb辆\u2edb险"
    assert nfkc(printed) == "人民政府门网长期见面车辆风险"
    assert compact("洪泽区⼈⺠政府 ⻘年") == "洪泽区人民政府青年"


def test_radical_meat_drawn_as_moon_is_moon() -> None:
    """The table maps a radical to the ideograph it is drawn as, not to its meaning."""
    assert nfkc("\u2ebc") == "月" and nfkc("\u2e9d") == "月"


def test_every_table_entry_maps_a_supplement_radical_to_one_ideograph() -> None:
    assert len(radicals.SUPPLEMENT) == 91
    for radical, ideograph in radicals.SUPPLEMENT.items():
        assert 0x2E80 <= radical <= 0x2EF3
        assert unicodedata.name(chr(radical)).startswith("CJK RADICAL ")
        assert unicodedata.name(chr(ideograph)).startswith("CJK UNIFIED IDEOGRAPH-")
        folded = unicodedata.normalize("NFKC", chr(radical))
        assert folded in (chr(radical), chr(ideograph))  # NFKC never disagrees


def test_folding_is_idempotent_and_leaves_other_text_alone() -> None:
    text = "（一）予以公开 1,046 21件 ＡＢＣ ⺮ ⻊"
    assert radicals.fold(text) == text
    once = nfkc("⼈⺠⻔⻓⻅")
    assert nfkc(once) == once


def test_kangxi_door_is_traditional_after_nfkc_and_simplified_for_matching() -> None:
    """Chromium writes ⼾ for 户; NFKC gives 戶, label matching reads it as 户."""
    assert nfkc("\u2f3e") == "戶"
    assert match_text("\u2f3e口") == "户口"


# --- frames: pure -----------------------------------------------------------------------


class _Page:
    """The parts of a pdfplumber page that `rulings` reads: rectangles and their edges."""

    width, height = 595.0, 842.0

    def __init__(self, rects: list[tuple[float, float, float, float]]) -> None:
        self.rects = [_rect(*box) for box in rects]
        self.rect_edges = [e for r in self.rects for e in rect_to_edges(r)]
        self.edges = list(self.rect_edges)


def _rect(x0: float, top: float, x1: float, bottom: float) -> dict[str, Any]:
    height = bottom - top
    return {"object_type": "rect", "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "width": x1 - x0, "height": height, "y0": 842 - bottom, "y1": 842 - top,
            "doctop": top}  # fmt: skip


def _grid(x0: float, top: float, cols: int, rows: int) -> list[tuple[float, ...]]:
    """A table drawn as a browser draws it: one thin filled rectangle per border."""
    w, h, t = 100.0, 20.0, 0.75
    out: list[tuple[float, ...]] = []
    for r in range(rows + 1):
        for c in range(cols):
            out.append((x0 + c * w, top + r * h, x0 + (c + 1) * w, top + r * h + t))
    for c in range(cols + 1):
        for r in range(rows):
            out.append((x0 + c * w, top + r * h, x0 + c * w + t, top + (r + 1) * h))
    return out


def _kept_boxes(page: _Page) -> set[tuple[float, float, float, float]] | None:
    settings = rulings.table_settings(page)  # type: ignore[arg-type]
    if settings is None:
        return None
    kept = {id(e) for e in settings["explicit_vertical_lines"]}
    kept |= {id(e) for e in settings["explicit_horizontal_lines"]}
    return {
        (r["x0"], r["top"], r["x1"], r["bottom"])
        for i, r in enumerate(page.rects)
        if any(id(e) in kept for e in page.rect_edges[4 * i : 4 * i + 4])
    }


def test_page_background_and_box_sides_are_left_out() -> None:
    background = (34.0, 43.0, 561.0, 800.0)
    box = [(34.0, 92.0, 561.0, 92.75), (34.0, 92.0, 34.75, 800.0)]
    table = _grid(60.0, 300.0, 4, 3)
    kept = _kept_boxes(_Page([background, *box, *map(tuple, table)]))  # type: ignore[misc]
    assert kept == set(map(tuple, table))


def test_table_as_wide_as_the_background_keeps_its_own_borders() -> None:
    background = (34.0, 43.0, 434.0, 800.0)
    table = _grid(34.0, 300.0, 4, 3)  # its outer borders lie on the background's sides
    kept = _kept_boxes(_Page([background, *map(tuple, table)]))  # type: ignore[misc]
    assert kept == set(map(tuple, table))


def test_table_cut_by_the_page_keeps_the_side_it_ends_on() -> None:
    """Rows continued from the previous page end on the background's top side."""
    background = (34.0, 43.0, 561.0, 800.0)
    table = [b for b in _grid(60.0, 43.0, 4, 3) if b[1] > 43.0 or b[3] - b[1] > 1]
    kept = _kept_boxes(_Page([background, *map(tuple, table)]))  # type: ignore[misc]
    assert kept is not None and background in kept


def test_table_border_drawn_as_one_big_rectangle_is_kept() -> None:
    """A large rectangle that the table's lines end on is the table's border."""
    border = (50.0, 100.0, 450.0, 400.0)
    lines = [(150.0 + 100 * c, 100.0, 150.75 + 100 * c, 400.0) for c in range(3)]
    lines += [(50.0, 150.0 + 50 * r, 450.0, 150.75 + 50 * r) for r in range(5)]
    assert _kept_boxes(_Page([border, *lines])) is None


# --- browser-printed reports ------------------------------------------------------------


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Every case printed once for the module; corpus-based cases skip without it."""
    if browser_pdf.chromium() is None:
        pytest.skip("no Chromium-family browser installed")
    folder = tmp_path_factory.mktemp("browser_pdf")
    out: dict[tuple[str, str], Path] = {}
    for truth_name, style_name in CASES:
        truth = _truth(truth_name)
        if truth is None:
            continue
        page = browser_pdf.page_html(truth, STYLE[style_name])
        out[truth_name, style_name] = browser_pdf.print_pdf(
            page, folder, f"{truth_name}_{style_name}"
        )
    return out


def _truth(name: str) -> dict[str, Any] | None:
    if name == "y2019":
        return browser_pdf.marker_truth("2019", 2020)
    path = CORPUS / CORPUS_TRUTHS[name]
    if not path.is_file():
        return None
    return json.loads(path.read_text("utf-8"))


@needs_chromium
@pytest.mark.parametrize(("truth_name", "style_name"), CASES)
def test_browser_printed_report_reads_every_cell_exactly(
    printed: dict[tuple[str, str], Path], truth_name: str, style_name: str
) -> None:
    if (truth_name, style_name) not in printed:
        pytest.skip(f"corpus folder {CORPUS} is absent: no truth for {truth_name}")
    truth = _truth(truth_name)
    assert truth is not None
    report = parse_file(printed[truth_name, style_name])
    assert (report.year, report.format) == (truth["year"], truth["format"])
    for path, expected in _cells(truth):
        table, row, column = path.split(".")
        cell = report.tables[table][row][column]
        got = value_to_json(cell.value)
        assert _same(got, expected), f"{path}: {got!r} != {expected!r}"
        assert not cell.uncertain, path
        assert compact(cell.raw or "") == compact(browser_pdf.printed(expected)), path
    assert _extra_rows(report, truth) == []


def _cells(truth: dict[str, Any]) -> list[tuple[str, object]]:
    return [
        (schema.cell_path(table, row, column), value)
        for table in schema.TABLE_KEYS
        for row, columns in truth[table].items()
        for column, value in columns.items()
    ]


def _same(got: object, expected: object) -> bool:
    if got is None or expected is None:
        return got is expected
    return Decimal(str(got)) == Decimal(str(expected))


def _extra_rows(report: ParsedReport, truth: dict[str, Any]) -> list[str]:
    return [
        f"{table}.{row}"
        for table in schema.TABLE_KEYS
        for row, cells in report.tables.get(table, {}).items()
        if row not in truth[table] and any(c.value is not None for c in cells.values())
    ]


@needs_chromium
def test_background_and_article_box_are_no_tables(
    printed: dict[tuple[str, str], Path],
) -> None:
    """On every page the tables found hold no heading: frames are not read as tables."""
    path = printed["y2019", "box_on_background"]
    headings = {compact(h) for _, h in schema.SECTIONS}
    with pdfplumber.open(path) as pdf:
        frames = 0
        for page in pdf.pages:
            settings = rulings.table_settings(page)
            frames += settings is not None
            tables = page.find_tables(settings) if settings else page.find_tables()
            for table in tables:
                text = compact(page.crop(table.bbox).extract_text())
                assert not any(h in text for h in headings), text[:80]
        assert frames == len(pdf.pages)


@needs_chromium
def test_agency_with_radicals_in_the_text_layer_reads_as_printed(
    printed: dict[tuple[str, str], Path],
) -> None:
    key = ("hzq", "box_on_background")
    if key not in printed:
        pytest.skip(f"corpus folder {CORPUS} is absent")
    with pdfplumber.open(printed[key]) as pdf:
        layer = pdf.pages[0].extract_text()
    if not any(0x2E80 <= ord(c) <= 0x2FD5 for c in layer):
        pytest.skip("this Chromium and font write plain ideographs, not radicals")
    assert "⺠" in layer  # 人民 printed as ⼈⺠: the case the table is for
    report = parse_file(printed[key])
    # The site's name and breadcrumb above the title may join it (metadata's concern);
    # what matters here is that no radical is left in what was read.
    assert report.title.endswith("洪泽区人民政府2023年政府信息公开工作年度报告")
    assert "洪泽区人民政府" in report.agency


# Printed as other code points, and not radicals the table should fold: 户 comes back as
# the Kangxi ⼾ (NFKC: 戶), 胶 as the Extension A duplicate 㬵.
_NOT_RADICAL_FOLDS = {"户": "戶", "胶": "㬵"}


@needs_chromium
def test_every_gb2312_character_survives_a_browser_pdf(tmp_path: Path) -> None:
    """All 6763 GB2312 ideographs printed by Chromium read back as themselves."""
    characters = [
        c
        for hi in range(0xB0, 0xF8)
        for lo in range(0xA1, 0xFF)
        if (c := _gb2312(hi, lo)) is not None
    ]
    assert len(characters) == 6763
    lines = ["".join(characters[i : i + 40]) for i in range(0, len(characters), 40)]
    page = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>'
        "body{font-family:'Noto Sans CJK SC',sans-serif;font-size:10px}p{margin:0}"
        "</style></head><body>"
        + "".join(f"<p>{line}</p>" for line in lines)
        + "</body></html>"
    )
    path = browser_pdf.print_pdf(page, tmp_path, "gb2312")
    with pdfplumber.open(path) as pdf:
        read = [
            compact(line)
            for p in pdf.pages
            for line in p.extract_text().splitlines()
            if line.strip()
        ]
    assert len(read) == len(lines)
    wrong = {
        a: b
        for line, back in zip(lines, read, strict=True)
        for a, b in zip(line, back, strict=True)
        if a != b
    }
    assert wrong.items() <= _NOT_RADICAL_FOLDS.items(), wrong


def _gb2312(hi: int, lo: int) -> str | None:
    try:
        return bytes([hi, lo]).decode("gb2312")
    except UnicodeDecodeError:
        return None


def test_styles_cover_background_box_and_separate_borders() -> None:
    styles: list[Style] = list(STYLES)
    assert any(s.background and not s.article_box for s in styles)
    assert any(s.article_box and not s.background for s in styles)
    assert any(s.article_box and s.background for s in styles)
    assert any(not s.collapse for s in styles)
    assert len({s.name for s in styles}) == len(styles)

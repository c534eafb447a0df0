"""Harder template layouts, built here as DOCX and turned into PDF by LibreOffice.

Each variant lists what it prints in every cell and the value that text means; the parse
of both the DOCX and its PDF must give exactly those values (and keep the printed text).
One LibreOffice run converts all variants: its start-up is most of the cost.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest

from reports.core.parsed import ParsedReport
from reports.importing.normalize import compact
from reports.importing.pipeline import parse_file

from .template_docs import Variant, build, to_pdf

NARROW = {"t2_label_cm": 1.6, "t3_label_cm": (0.9, 1.0, 1.6)}  # every label wraps
ODD_CELLS = {
    "table2.licensing.decisions": ("１,０４６", 1046),
    "table2.penalty.decisions": ("2,310", 2310),
    "table3.new_received.natural_person": ("１２", 12),
    "table3.new_received.commercial": ("/", None),
    "table3.new_received.research": ("—", None),
    "table3.new_received.public_interest": ("", None),
    "table3.carried_over.total": ("21件", 21),
    "table3.granted.other_org": ("-", None),
    "table4.review.corrected": ("／", None),
    "table4.review.pending": ("", None),
}
Y2019_CELLS = {
    "table2.licensing.change": ("-2", -2),
    "table2.other_services.change": ("+3", 3),
    "table2.fees.change": ("0", 0),
    "table2.procurement.amount": ("251000元", Decimal("251000")),
}
BREAKS = range(8)  # paragraphs before table 三: its page break moves row by row
VARIANTS = [
    Variant("narrow_borderless", borders=False, **NARROW),
    Variant("narrow_ruled", **NARROW),
    Variant("y2019_ruled", layout="2019", year=2020, special=Y2019_CELLS),
    Variant(
        "y2019_narrow_borderless",
        layout="2019",
        year=2020,
        borders=False,
        special=Y2019_CELLS,
        **NARROW,
    ),
    Variant("odd_cells_ruled", special=ODD_CELLS),
    Variant(
        "odd_cells_borderless",
        borders=False,
        special=ODD_CELLS,
        blank_rows=("withheld_inquiry", "other_other"),
    ),
    *(Variant(f"break{n}_ruled", filler=n, **NARROW) for n in BREAKS),
    *(
        Variant(f"break{n}_ruled_repeat", filler=n, repeat_header=True, **NARROW)
        for n in BREAKS[1::2]
    ),
    *(
        Variant(f"break{n}_borderless", filler=n, borders=False, **NARROW)
        for n in BREAKS[::3]
    ),
]
# What a clean read of these documents never needs to say.
TROUBLE = {
    "orphan_values",
    "duplicate_row",
    "cell_unreadable",
    "rows_missing",
    "table_missing",
    "row_not_in_layout",
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All variants as DOCX and PDF, converted by one LibreOffice run."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: PDF layouts are not built")
    out = tmp_path_factory.mktemp("layouts")
    to_pdf([build(v, out) for v in VARIANTS], out)
    return out


def _mismatches(report: ParsedReport, variant: Variant) -> list[str]:
    found = []
    for path, (printed, meant) in variant.cells().items():
        table, row, column = path.split(".")
        cell = report.tables.get(table, {}).get(row, {}).get(column)
        if cell is None:
            found.append(f"{path}: absent, printed {printed!r}")
        elif cell.value != meant or cell.raw != printed:
            found.append(f"{path}: {cell.value!r} ({cell.raw!r}), printed {printed!r}")
    return found


@pytest.mark.parametrize("kind", ["docx", "pdf"])
@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_every_printed_cell_reads_as_meant(
    folder: Path, variant: Variant, kind: str
) -> None:
    report = parse_file(folder / f"{variant.name}.{kind}")
    assert (report.format, report.year) == (variant.layout, variant.year)
    assert _mismatches(report, variant) == []
    printed_rows = {p.rsplit(".", 1)[0] for p in variant.cells()}
    read_rows = {f"{t}.{r}" for t, rows in report.tables.items() for r in rows}
    assert read_rows == printed_rows
    assert [w.message for w in report.warnings if w.code in TROUBLE] == []


def test_blank_row_stays_blank_and_is_reported(folder: Path) -> None:
    report = parse_file(folder / "odd_cells_borderless.pdf")
    row = report.tables["table3"]["withheld_inquiry"]
    assert {c.value for c in row.values()} == {None}
    assert any(w.code == "blank_rows" for w in report.warnings)


def test_some_page_break_falls_inside_a_wrapped_row(folder: Path) -> None:
    """The break variants are only worth having if a page starts with a row's rest."""
    cut = [v.name for v in VARIANTS if v.borders and _starts_with_rest(folder, v)]
    assert cut, "no ruled variant breaks inside a table 三 row; adjust BREAKS"


def _starts_with_rest(folder: Path, variant: Variant) -> bool:
    """A page whose table opens with label text over empty value cells (pdfplumber)."""
    with pdfplumber.open(folder / f"{variant.name}.pdf") as pdf:
        for page in pdf.pages[1:]:
            for table in page.extract_tables()[:1]:
                for cells in table:
                    texts = [compact(c or "") for c in cells]
                    if any(t in ("申请人情况", "自然人", "商业企业") for t in texts):
                        continue  # a repeated header row
                    values, label = texts[-7:], "".join(texts[:-7])
                    if label and not any(values):
                        return True
                    break
    return False

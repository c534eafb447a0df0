"""PDF: real published reports and generated layouts from the shared corpus, plus PDFs
made here from DOCX when LibreOffice is installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from reports.importing.extract import pdf as pdf_extract
from reports.importing.pipeline import parse_file

from .builders import docx_report
from .conftest import value


def test_real_report_keeps_inconsistent_table4_as_printed_and_warns(
    corpus: Path,
) -> None:
    report = parse_file(corpus / "real" / "hzq2023_working.pdf")
    assert value(report, "table4", "review", "upheld") == 10
    assert value(report, "table4", "review", "total") == 0
    t4 = [w.where for w in report.warnings if w.code == "T4-total"]
    assert t4 == ["table4.review.total", "table4.litigation_after_review.total"]


def test_real_report_prints_other_processing_as_one_row(corpus: Path) -> None:
    report = parse_file(corpus / "real" / "hzq2024_working.pdf")
    rows = report.tables["table3"]
    assert report.format == "2021"
    assert "other_processing" in rows
    assert not {"other_no_correction", "other_fee_unpaid", "other_other"} & set(rows)
    assert "withheld_law_prohibited" in rows  # printed as "2.其他法律行政止公开"
    assert value(report, "table2", "fees", "amount") == "7545"
    assert report.agency == "淮安市洪泽区人民政府"


def test_cells_carry_page_and_box(corpus: Path) -> None:
    report = parse_file(corpus / "real" / "hzq2023_working.pdf")
    cell = report.tables["table2"]["licensing"]["decisions"]
    assert (cell.value, cell.raw, cell.page) == (550, "550", 2)
    assert cell.bbox is not None and cell.bbox[0] < cell.bbox[2]


def test_narrative_comes_from_page_text_not_from_frames(corpus: Path) -> None:
    report = parse_file(corpus / "real" / "hzq2023_working.pdf")
    overview = report.sections["overview"]
    assert "主动公开政府信息 1136 条" in overview
    assert "二、主动公开政府信息情况" not in overview
    assert "信息内容" not in overview


def test_borderless_blank_cells_are_null_not_zero(corpus: Path) -> None:
    report = parse_file(corpus / "generated" / "report_blanks_noborders.pdf")
    row = report.tables["table3"]["withheld_state_secret"]
    assert row["natural_person"].value == 51
    assert row["total"].value == 57
    assert [row[c].value for c in ("commercial", "research", "other_org")] == [None] * 3
    assert value(report, "table4", "litigation_direct", "total") == 510
    assert value(report, "table4", "litigation_direct", "pending") is None


def test_header_split_across_pages_still_names_the_columns(corpus: Path) -> None:
    report = parse_file(corpus / "generated" / "report_pagebreak_header.pdf")
    assert value(report, "table3", "new_received", "commercial") == 12
    assert value(report, "table3", "carried_forward", "total") == 257
    assert value(report, "table4", "litigation_after_review", "total") == 515


def test_page_numbers_are_not_read_as_values(corpus: Path) -> None:
    grid = pdf_extract.extract(
        (corpus / "generated" / "report_noborders.pdf").read_bytes(), name="x.pdf"
    )
    assert "— 2 —" not in grid.text
    report = parse_file(corpus / "generated" / "report_noborders.pdf")
    assert not [w for w in report.warnings if w.code == "orphan_values"]


def test_scanned_pdf_is_refused_with_no_text_layer(corpus: Path) -> None:
    from reports.importing.errors import ImportRefused

    with pytest.raises(ImportRefused) as info:
        parse_file(corpus / "generated" / "report_scanned.pdf")
    assert info.value.code == "no_text_layer"


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_pdf_made_from_a_docx_reads_like_the_docx(tmp_path: Path) -> None:
    source = docx_report(
        tmp_path / "r.docx",
        t3_values={"（一）予以公开": ["5", "", "1", "", "", "", "6"]},
    )
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    from_pdf = parse_file(tmp_path / "r.pdf")
    from_docx = parse_file(source)
    for table in ("table2", "table3"):
        expected = {
            r: {c: v.value for c, v in cells.items()}
            for r, cells in from_docx.tables[table].items()
        }
        got = {
            r: {c: v.value for c, v in cells.items()}
            for r, cells in from_pdf.tables[table].items()
        }
        assert got == expected

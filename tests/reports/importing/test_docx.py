"""DOCX: tables with merged cells, paragraphs, and columns read from the header."""

from __future__ import annotations

from pathlib import Path

from reports.importing.extract import docx as docx_extract
from reports.importing.pipeline import parse_file

from .builders import ORGS, docx_report
from .conftest import value

SEVEN = ["5", "0", "1", "0", "0", "0", "6"]


def test_merged_cells_appear_once_in_the_grid(tmp_path: Path) -> None:
    path = docx_report(tmp_path / "r.docx", t3_values={"（一）予以公开": SEVEN})
    grid = docx_extract.extract(path.read_bytes(), name=path.name)
    texts = [c.text for row in grid.rows for c in row.cells]
    assert texts.count("三、本年度办理结果") == 1
    assert texts.count("法人或其他组织") == 1
    assert texts.count("550") == 1
    merged = next(
        c for row in grid.rows for c in row.cells if c.text == "法人或其他组织"
    )
    assert (merged.x0, merged.x1) == (3, 8)


def test_values_follow_the_header_not_the_column_position(tmp_path: Path) -> None:
    columns = ("总计", "自然人", *ORGS)  # 总计 printed first, against the template
    path = docx_report(
        tmp_path / "r.docx",
        t3_columns=columns,
        t3_values={
            "一、本年新收政府信息公开申请数量": ["9", "4", "5", "0", "0", "0", "0"]
        },
    )
    report = parse_file(path)
    assert value(report, "table3", "new_received", "total") == 9
    assert value(report, "table3", "new_received", "natural_person") == 4
    assert value(report, "table3", "new_received", "commercial") == 5


def test_blank_docx_cells_are_null_with_empty_raw(tmp_path: Path) -> None:
    path = docx_report(
        tmp_path / "r.docx",
        t3_values={"（一）予以公开": ["3", "", "", "", "", "", "3"]},
    )
    report = parse_file(path)
    granted = report.tables["table3"]["granted"]
    assert granted["natural_person"].value == 3
    assert granted["commercial"].value is None
    assert granted["commercial"].raw == ""
    assert value(report, "table2", "regulations", "repealed") is None
    assert value(report, "table2", "licensing", "decisions") == 550


def test_a_row_printed_blank_is_kept_as_blank_cells(tmp_path: Path) -> None:
    report = parse_file(docx_report(tmp_path / "r.docx"))
    assert set(report.tables["table3"]["carried_forward"]) == {
        "natural_person",
        "commercial",
        "research",
        "public_interest",
        "legal_service",
        "other_org",
        "total",
    }
    assert all(
        c.value is None for c in report.tables["table3"]["carried_forward"].values()
    )


def test_title_sections_and_source_are_read(tmp_path: Path) -> None:
    report = parse_file(docx_report(tmp_path / "r.docx"))
    assert (report.agency, report.year) == ("测试县卫生健康局", 2024)
    assert report.sections["problems"] == "信息公开的深度有待提升。"
    assert report.source.kind == "docx"
    assert len(report.source.sha256) == 64


def test_2019_table2_sets_the_2019_layout(tmp_path: Path) -> None:
    report = parse_file(docx_report(tmp_path / "r.docx", t2_2019=True))
    assert report.format == "2019"
    assert report.tables["table2"]["regulations"]["total_published"].value == 30
    assert any(w.code == "layout_year_mismatch" for w in report.warnings)


def test_identity_failures_are_warned_and_values_kept(tmp_path: Path) -> None:
    path = docx_report(
        tmp_path / "r.docx",
        t3_values={"（一）予以公开": ["5", "0", "1", "0", "0", "0", "9"]},
    )
    report = parse_file(path)
    assert (
        value(report, "table3", "granted", "total") == 9
    )  # as printed, not "fixed" to 6
    failing = [w for w in report.warnings if w.code == "T3-row-total"]
    assert [w.where for w in failing] == ["table3.granted.total"]
    assert "表三" in failing[0].message

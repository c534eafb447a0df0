"""ParsedReport.flag_uncertain / flag_row_uncertain: the one way mapping marks doubt."""

from __future__ import annotations

from reports.core.parsed import ParsedCell, ParsedReport


def _report() -> ParsedReport:
    report = ParsedReport(agency="某县卫生健康局", year=2024, format="2021")
    report.tables["table3"] = {
        "new_received": {
            "natural_person": ParsedCell(value=3, raw="3"),
            "total": ParsedCell(value=None, raw=""),
        }
    }
    return report


def test_a_row_flagged_marks_each_cell_and_records_each_path_once() -> None:
    report = _report()
    report.flag_row_uncertain("table3", "new_received")
    report.flag_row_uncertain("table3", "new_received")
    cells = report.tables["table3"]["new_received"]
    assert all(cell.uncertain for cell in cells.values())
    assert report.uncertain == [
        "table3.new_received.natural_person",
        "table3.new_received.total",
    ]
    # the values themselves are kept as read: doubt never turns a blank into 0
    assert cells["natural_person"].value == 3 and cells["total"].value is None


def test_a_path_without_a_cell_is_recorded_and_a_row_not_read_flags_nothing() -> None:
    report = _report()
    report.flag_uncertain("table4.review.corrected")
    report.flag_row_uncertain("table3", "carried_over")
    assert report.uncertain == ["table4.review.corrected"]
    assert not report.tables["table3"]["new_received"]["natural_person"].uncertain

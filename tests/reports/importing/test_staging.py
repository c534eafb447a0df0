"""Import batches staged on disk: written whole, read back intact, owned, and purged."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from reports.core.parsed import ParsedCell, ParsedReport, ParseWarning, SourceInfo
from reports.importing.intake import staging
from reports.importing.intake.sources import SourceDocument, SourceError
from reports.importing.interchange import to_interchange

NOW = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)


def _report(agency: str = "测试县卫生健康局", year: int | None = 2024) -> ParsedReport:
    report = ParsedReport(agency=agency, year=year, format="2021")
    report.tables = {
        "table2": {
            "fees": {"amount": ParsedCell(Decimal("12.50"), raw="12.5", page=2)}
        },
        "table3": {
            "new_received": {
                "natural_person": ParsedCell(21, raw="21件", page=3, uncertain=True),
                "commercial": ParsedCell(None, raw="", page=3),
                "research": ParsedCell(None, raw="/", page=3),
                "total": ParsedCell(0, raw="0", page=3, bbox=(1.0, 2.0, 3.0, 4.0)),
            }
        },
        "table4": {},
    }
    report.raw_text = "原文全文<script>alert(1)</script>"
    report.title = f"{agency}{year}年政府信息公开工作年度报告"
    report.warnings = [
        ParseWarning("T3-row-total", "总计不等", "table3.new_received.total", 3)
    ]
    report.source = SourceInfo(name="a.pdf", kind="pdf", sha256="ab" * 32, size=10)
    return report


def _documents() -> list[SourceDocument]:
    refused = SourceError("scan.pdf", "no_text_layer", "没有文字层")
    return [
        SourceDocument("a.pdf", reports=[_report()]),
        SourceDocument("scan.pdf", error=refused),
    ]


def test_batch_round_trips_reports_and_refusals(tmp_path: Path) -> None:
    token = staging.batch_write(tmp_path, _documents(), user_id=7, now=NOW)
    batch = staging.batch_read(tmp_path, token, user_id=7)
    assert batch.token == token and batch.user_id == 7 and batch.created_at == NOW
    first, second = batch.documents
    assert first.name == "a.pdf" and first.ok
    assert second.name == "scan.pdf" and not second.ok
    assert (second.error_code, second.error_detail) == ("no_text_layer", "没有文字层")
    assert second.reports == []
    read = first.reports[0]
    assert to_interchange(read) == to_interchange(_report())
    cell = read.cell("table3", "new_received", "natural_person")
    assert (cell.value, cell.raw, cell.page) == (21, "21件", 3)
    assert read.cell("table3", "new_received", "commercial").raw == ""
    assert read.cell("table3", "new_received", "research").raw == "/"
    assert read.cell("table2", "fees", "amount").value == Decimal("12.5")
    assert read.uncertain_paths() == ["table3.new_received.natural_person"]
    assert read.raw_text == "原文全文<script>alert(1)</script>"
    assert read.warnings[0].where == "table3.new_received.total"
    assert read.source.sha256 == "ab" * 32


def test_manifest_names_files_errors_and_owner(tmp_path: Path) -> None:
    token = staging.batch_write(tmp_path, _documents(), user_id=7, now=NOW)
    manifest = json.loads((tmp_path / token / "manifest.json").read_text("utf-8"))
    assert manifest["user_id"] == 7
    assert [d["name"] for d in manifest["documents"]] == ["a.pdf", "scan.pdf"]
    assert manifest["documents"][1]["error"]["code"] == "no_text_layer"
    assert manifest["documents"][0]["reports"] == ["0-0.json"]
    assert not list(tmp_path.glob(".*.tmp"))


def test_missing_agency_and_year_survive_the_round_trip(tmp_path: Path) -> None:
    document = SourceDocument("x.txt", reports=[_report(agency="", year=None)])
    token = staging.batch_write(tmp_path, [document], user_id=1)
    read = staging.batch_read(tmp_path, token, user_id=1).documents[0].reports[0]
    assert read.agency == "" and read.year is None


def test_another_user_is_refused(tmp_path: Path) -> None:
    token = staging.batch_write(tmp_path, _documents(), user_id=7)
    with pytest.raises(staging.BatchForbidden):
        staging.batch_read(tmp_path, token, user_id=8)


@pytest.mark.parametrize("token", ["", "..", "../etc", "a/b", "x" * 10, "nope" * 5])
def test_malformed_or_unknown_token_is_not_found(tmp_path: Path, token: str) -> None:
    with pytest.raises(staging.BatchNotFound):
        staging.batch_read(tmp_path, token, user_id=1)
    assert staging.batch_delete(tmp_path, token) is False


def test_unreadable_report_file_refuses_only_that_document(tmp_path: Path) -> None:
    token = staging.batch_write(tmp_path, _documents(), user_id=1)
    (tmp_path / token / "0-0.json").write_text("{broken", "utf-8")
    batch = staging.batch_read(tmp_path, token, user_id=1)
    assert batch.documents[0].error_code == "invalid_interchange"
    assert batch.documents[0].reports == []
    assert batch.documents[1].error_code == "no_text_layer"


def test_delete_removes_the_folder(tmp_path: Path) -> None:
    token = staging.batch_write(tmp_path, _documents(), user_id=1)
    assert staging.batch_delete(tmp_path, token) is True
    assert not (tmp_path / token).exists()
    with pytest.raises(staging.BatchNotFound):
        staging.batch_read(tmp_path, token, user_id=1)


def test_purge_removes_batches_older_than_a_day_only(tmp_path: Path) -> None:
    old = staging.batch_write(
        tmp_path, _documents(), user_id=1, now=NOW - dt.timedelta(hours=25)
    )
    fresh = staging.batch_write(
        tmp_path, _documents(), user_id=1, now=NOW - dt.timedelta(hours=23)
    )
    assert staging.batch_purge(tmp_path, now=NOW) == 1
    assert not (tmp_path / old).exists()
    assert (tmp_path / fresh).is_dir()


def test_purge_of_an_absent_root_is_a_no_op(tmp_path: Path) -> None:
    assert staging.batch_purge(tmp_path / "absent") == 0

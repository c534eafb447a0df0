"""import_reports and parse_report on real documents: PDFs, seeds, zips, workers, refusals."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from agencies.models import Region
from reports.models import AnnualReport, Table3Row, Table4Row
from tests.factories import make_agency, make_region
from tests.reports.importing.builders import encrypted_pdf

pytestmark = pytest.mark.django_db

HZ2023 = "real/hzq2023_working.pdf"
SEED_001 = "seeds/001_523cf04e5fe4e65a.txt"


@pytest.fixture
def hongze(db):
    county = make_region(name="洪泽区", level=Region.Level.COUNTY, code="320813")
    return make_agency(
        "洪泽区人民政府", region=county, aliases=("淮安市洪泽区人民政府",)
    )


def _import(*paths, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_reports", *map(str, paths), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def _refused(*paths, **options) -> str:
    """Run an import that must fail; returns what it said on stderr and in the error."""
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(
            "import_reports",
            *map(str, paths),
            stdout=io.StringIO(),
            stderr=err,
            **options,
        )
    return err.getvalue() + str(caught.value)


def _db_state() -> tuple[int, int, int]:
    return (
        AnnualReport.objects.count(),
        Table3Row.objects.count(),
        Table4Row.objects.count(),
    )


def test_real_pdf_is_saved_as_printed_with_provenance(corpus_dir, hongze):
    out, _ = _import(corpus_dir / HZ2023)
    assert "新建" in out
    report = AnnualReport.objects.get()
    assert report.agency == hongze and report.year == 2023 and report.layout == "2021"
    assert report.source_kind == "pdf" and len(report.source_sha256) == 64
    assert "洪泽区" in report.raw_text
    review = report.table4_rows.get(row_key="review")
    # Printed 10/1/0/0 with 总计 0: kept as printed, flagged, never "fixed".
    assert (review.upheld, review.corrected, review.total) == (10, 1, 0)
    assert any(w["code"] == "T4-total" for w in report.import_warnings)
    new = report.table3_rows.get(row_key="new_received")
    assert new.total == 21 and new.raw["total"] == "21"
    assert new.provenance["total"]["page"] >= 1
    assert report.table3_rows.filter(row_key="other_processing").exists()
    assert not report.table3_rows.filter(row_key="other_fee_unpaid").exists()


def test_agency_found_by_alias_in_the_2024_title(corpus_dir, hongze):
    _import(corpus_dir / "real/hzq2024_working.pdf")
    assert AnnualReport.objects.get().agency == hongze


def test_folder_and_zip_are_expanded(corpus_dir, tmp_path, hongze):
    make_agency("夏县卫生健康局")
    archive = tmp_path / "batch.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(corpus_dir / HZ2023, "reports/hzq2023.pdf")
        zf.writestr("__MACOSX/._hzq2023.pdf", b"junk")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "xia.txt").write_bytes((corpus_dir / SEED_001).read_bytes())
    out, _ = _import(archive, folder)
    assert "新建 2 份" in out
    assert set(AnnualReport.objects.values_list("agency__name", flat=True)) == {
        "洪泽区人民政府",
        "夏县卫生健康局",
    }


def test_zip_with_an_unsafe_member_path_is_refused_for_that_member(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../../escape.txt", "一、总体情况")
    said = _refused(archive)
    assert "不安全" in said
    assert not (tmp_path.parent / "escape.txt").exists()
    assert _db_state() == (0, 0, 0)


def test_two_workers_give_the_same_result_as_one(corpus_dir, tmp_path, hongze):
    make_agency("夏县卫生健康局")
    files = [corpus_dir / HZ2023, corpus_dir / SEED_001]
    _import(*files, workers=2)
    two = sorted(
        (r.agency.name, r.table3_rows.get(row_key="new_received").total)
        for r in AnnualReport.objects.all()
    )
    AnnualReport.objects.all().delete()
    _import(*files, workers=1)
    one = sorted(
        (r.agency.name, r.table3_rows.get(row_key="new_received").total)
        for r in AnnualReport.objects.all()
    )
    assert two == one and len(one) == 2


def test_the_same_pdf_twice_is_skipped(corpus_dir, hongze):
    _import(corpus_dir / HZ2023)
    out, _ = _import(corpus_dir / HZ2023)
    assert "跳过 1 份" in out
    assert AnnualReport.objects.count() == 1


def test_dry_run_parses_but_saves_nothing(corpus_dir, hongze):
    out, _ = _import(corpus_dir / HZ2023, dry_run=True)
    assert "检查通过 1 份" in out
    assert _db_state() == (0, 0, 0)


def test_unknown_agency_in_a_pdf_is_refused_with_a_hint(corpus_dir):
    said = _refused(corpus_dir / HZ2023)
    assert "unknown_agency" in said and "洪泽区人民政府" in said and "--agency" in said
    assert _db_state() == (0, 0, 0)


def _write_bytes(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("fake.pdf", "这不是 PDF 文件".encode(), "corrupt_file"),
        ("locked.pdf", None, "encrypted_pdf"),
        ("notes.txt", "会议纪要：今天讨论了食堂菜单。".encode(), "not_annual_report"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "unsupported_format"),
        ("broken.docx", b"PK\x03\x04broken", "corrupt_file"),
    ],
)
def test_hostile_or_wrong_files_are_refused_and_nothing_changes(
    tmp_path, hongze, name, content, code
):
    before = _db_state()
    path = _write_bytes(tmp_path, name, encrypted_pdf() if content is None else content)
    said = _refused(path)
    assert code in said and name in said
    assert _db_state() == before


def test_scanned_pdf_is_refused_as_having_no_text_layer(corpus_dir):
    said = _refused(corpus_dir / "generated/report_scanned.pdf")
    assert "no_text_layer" in said and "扫描件" in said
    assert _db_state() == (0, 0, 0)


def test_oversized_document_is_refused_before_parsing(corpus_dir, hongze, settings):
    settings.IMPORT_MAX_BYTES = 1000
    said = _refused(corpus_dir / HZ2023)
    assert "file_too_large" in said and "1000" in said
    assert _db_state() == (0, 0, 0)


def test_zip_bomb_is_refused(tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 100_000
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", b"0" * 5_000_000)
    assert archive.stat().st_size < 100_000
    said = _refused(archive)
    assert "file_too_large" in said
    assert _db_state() == (0, 0, 0)


def test_parse_report_prints_interchange_json_without_touching_the_database(
    corpus_dir, capsys, django_assert_num_queries
):
    with django_assert_num_queries(0):
        call_command("parse_report", str(corpus_dir / HZ2023), "--format", "json")
    data = json.loads(capsys.readouterr().out)
    truth = json.loads(
        (corpus_dir / f"{HZ2023}.truth.json").read_text(encoding="utf-8")
    )
    assert (data["agency"], data["year"], data["format"]) == (
        "洪泽区人民政府",
        2023,
        "2021",
    )
    assert data["table3"] == truth["table3"] and data["table4"] == truth["table4"]
    assert data["cells"]["table3.new_received.total"]["raw"] == "21"
    assert {w["code"] for w in data["warnings"]} >= {"T4-total"}


def test_parse_report_text_format_names_uncertain_cells(corpus_dir):
    out = io.StringIO()
    call_command(
        "parse_report",
        str(corpus_dir / "seeds/003_3e7ce50622823025.txt"),
        "--format",
        "text",
        stdout=out,
    )
    assert "屈原管理区卫生健康局" in out.getvalue()
    assert "（本行无可确定的数值）" in out.getvalue()


def test_parse_report_refusal_exits_non_zero_with_the_code(corpus_dir):
    with pytest.raises(CommandError) as caught:
        call_command("parse_report", str(corpus_dir / "generated/report_scanned.pdf"))
    assert "no_text_layer" in str(caught.value)

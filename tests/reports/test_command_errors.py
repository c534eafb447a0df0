"""Mistakes on the command line get a clear Chinese error and a non-zero exit, never a
traceback: a year the system does not know, a missing output folder, a folder given to
parse_report."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from reports.models import AnnualReport, ReportYear
from tests.factories import make_agency

pytestmark = pytest.mark.django_db

GOOD = {
    "agency": "示例县卫生健康局",
    "year": 2024,
    "format": "2021",
    "table3": {"new_received": {"natural_person": 3, "total": 3}},
}


def _write(tmp_path: Path, name: str, data: dict) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("dry_run", [False, True])
def test_import_with_a_year_out_of_range_is_refused_before_anything(tmp_path, dry_run):
    make_agency("示例县卫生健康局")
    path = _write(tmp_path, "a.json", GOOD)
    with pytest.raises(CommandError) as caught:
        call_command(
            "import_reports",
            str(path),
            year=1800,
            dry_run=dry_run,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert "--year：年度 1800 不在系统已知的报告年度范围内（2008–" in str(caught.value)
    assert AnnualReport.objects.count() == 0
    assert not ReportYear.objects.filter(year=1800).exists()


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_file_whose_year_is_out_of_range_fails_alone(tmp_path, dry_run):
    """The year read from a file is checked too: that file fails, the others land."""
    make_agency("示例县卫生健康局")
    make_agency("另一个局")
    good = _write(tmp_path, "good.json", dict(GOOD, agency="另一个局"))
    bad = _write(tmp_path, "bad.json", dict(GOOD, year=2099))
    err = io.StringIO()
    with pytest.raises(CommandError, match="失败 1 个文件"):
        call_command(
            "import_reports",
            str(good),
            str(bad),
            dry_run=dry_run,
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "bad.json" in err.getvalue()
    assert "年度不在系统已知范围内（invalid_year）" in err.getvalue()
    saved = 0 if dry_run else 1
    assert AnnualReport.objects.count() == saved


def test_a_later_year_an_administrator_set_up_is_accepted(tmp_path):
    make_agency("示例县卫生健康局")
    ReportYear.objects.create(year=2099, **ReportYear.defaults_for(2099))
    call_command(
        "import_reports",
        str(_write(tmp_path, "a.json", dict(GOOD, year=2099))),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert AnnualReport.objects.get().report_year.year == 2099


def test_export_into_a_missing_folder_is_a_clear_error(tmp_path):
    target = tmp_path / "没有的文件夹" / "out.json"
    with pytest.raises(CommandError) as caught:
        call_command("export_reports", output=str(target), stderr=io.StringIO())
    assert f"文件夹“{target.parent}”不存在" in str(caught.value)
    assert not target.parent.exists()  # a mistyped path is not silently created


def test_export_onto_a_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="是文件夹，请给出文件名"):
        call_command("export_reports", output=str(tmp_path), stderr=io.StringIO())


def test_parse_report_of_a_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("parse_report", str(tmp_path), stdout=io.StringIO())
    assert "是文件夹" in str(caught.value) and "import_reports" in str(caught.value)


def test_parse_report_of_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        call_command("parse_report", str(tmp_path / "无.pdf"), stdout=io.StringIO())


def test_parse_report_names_the_refusal_in_chinese_with_its_code(tmp_path):
    path = tmp_path / "照片.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    with pytest.raises(CommandError) as caught:
        call_command("parse_report", str(path), stdout=io.StringIO())
    assert "不支持的文件格式（unsupported_format）" in str(caught.value)

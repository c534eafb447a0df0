"""import_reports and export_reports: the JSON round trip, and clean refusals."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from agencies.models import Agency, Region
from reports.models import AnnualReport, Table3Row
from tests.factories import make_agency, make_region

pytestmark = pytest.mark.django_db

SPEC_KEYS = (
    "agency",
    "year",
    "format",
    "table2",
    "table3",
    "table4",
    "uncertain",
    "notes",
)


def _truth_files(corpus: Path) -> list[Path]:
    files = sorted(corpus.rglob("*.truth.json"))
    assert files, f"no truth files under {corpus}"
    return files


def _importable(files: list[Path]) -> list[tuple[Path, dict]]:
    out = []
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        if "expect_error" not in data:
            out.append((path, data))
    return out


def _export(**options) -> list[dict]:
    out = io.StringIO()
    call_command("export_reports", stdout=out, **options)
    return json.loads(out.getvalue())


def _normalise(data: dict) -> dict:
    """The spec's content of a report: rows that are null count as absent."""
    result = {k: data.get(k) for k in SPEC_KEYS if data.get(k) not in (None, [])}
    for table in ("table2", "table3", "table4"):
        result[table] = {
            r: c for r, c in (data.get(table) or {}).items() if c is not None
        }
    result["sections"] = {k: v for k, v in (data.get("sections") or {}).items() if v}
    return result


def test_json_round_trip_is_lossless_for_every_truth_file(corpus_dir):
    """JSON -> database -> JSON gives back every truth file's content, one at a time."""
    region = make_region(code="320000", level=Region.Level.PROVINCE)
    for path, truth in _importable(_truth_files(corpus_dir)):
        AnnualReport.objects.all().delete()
        Agency.objects.get_or_create(
            name=truth["agency"],
            region=region,
            defaults={"kind": Agency.Kind.DEPARTMENT},
        )
        call_command("import_reports", str(path), stdout=io.StringIO())
        exported = _export()
        assert len(exported) == 1, path
        assert _normalise(exported[0]) == _normalise(truth), path.name


def test_truth_marked_expect_error_is_refused(corpus_dir, tmp_path):
    scanned = [p for p in _truth_files(corpus_dir) if "expect_error" in p.read_text()]
    assert scanned
    with pytest.raises(CommandError):
        call_command(
            "import_reports",
            str(scanned[0]),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert AnnualReport.objects.count() == 0


def _write(tmp_path: Path, name: str, data) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


GOOD = {
    "agency": "示例县卫生健康局",
    "year": 2024,
    "format": "2021",
    "sections": {"overview": "本年度共收到申请3件。"},
    "table3": {"new_received": {"natural_person": 3, "commercial": None, "total": 3}},
    "table4": {
        "review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0}
    },
}


def _run_import(*paths: Path, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_reports", *map(str, paths), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_import_saves_values_nulls_and_raw_presence(tmp_path):
    make_agency("示例县卫生健康局")
    out, _ = _run_import(_write(tmp_path, "a.json", GOOD))
    assert "新建 1" in out
    row = Table3Row.objects.get(row_key="new_received")
    assert row.natural_person == 3 and row.commercial is None
    assert row.has_cell("commercial") and not row.has_cell("research")


def test_a_list_of_reports_loads_in_one_file(tmp_path):
    make_agency("示例县卫生健康局")
    make_agency("另一个局")
    other = dict(GOOD, agency="另一个局")
    _run_import(_write(tmp_path, "both.json", [GOOD, other]))
    assert AnnualReport.objects.count() == 2


def test_unknown_agency_is_refused_and_that_file_is_not_saved(tmp_path):
    """Each file is atomic on its own: the good one lands, the bad one is refused."""
    make_agency("示例县卫生健康局")
    good = _write(tmp_path, "good.json", GOOD)
    bad = _write(tmp_path, "bad.json", dict(GOOD, agency="不存在的局"))
    with pytest.raises(CommandError) as caught:
        _run_import(good, bad)
    assert "失败 1 个文件" in str(caught.value)
    assert list(AnnualReport.objects.values_list("agency__name", flat=True)) == [
        "示例县卫生健康局"
    ]


def test_unknown_agency_message_names_file_and_key(tmp_path):
    bad = _write(tmp_path, "bad.json", dict(GOOD, agency="不存在的局"))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_reports", str(bad), stdout=io.StringIO(), stderr=err)
    assert "bad.json" in err.getvalue() and "agency" in err.getvalue()
    assert "不存在的局" in err.getvalue()


def test_malformed_json_is_refused_with_line_and_column(tmp_path):
    make_agency("示例县卫生健康局")
    path = tmp_path / "broken.json"
    path.write_text('{"agency": "示例县卫生健康局",\n "year": }', encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_reports", str(path), stdout=io.StringIO(), stderr=err)
    assert "broken.json" in err.getvalue() and "第 2 行" in err.getvalue()
    assert AnnualReport.objects.count() == 0


def test_wrong_type_is_refused_naming_file_and_key(tmp_path):
    make_agency("示例县卫生健康局")
    data = json.loads(json.dumps(GOOD))
    data["table3"]["new_received"]["natural_person"] = "3"
    path = _write(tmp_path, "typed.json", data)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_reports", str(path), stdout=io.StringIO(), stderr=err)
    assert "typed.json" in err.getvalue()
    assert "table3.new_received.natural_person" in err.getvalue()
    assert AnnualReport.objects.count() == 0


def test_second_file_in_a_list_with_an_error_saves_nothing(tmp_path):
    make_agency("示例县卫生健康局")
    bad = dict(GOOD, year="2024")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_reports",
            str(_write(tmp_path, "l.json", [GOOD, bad])),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "第 2 份年报" in err.getvalue() and "year" in err.getvalue()
    assert AnnualReport.objects.count() == 0


def test_same_file_twice_is_skipped_and_a_changed_one_is_a_new_revision(tmp_path):
    make_agency("示例县卫生健康局")
    path = _write(tmp_path, "a.json", GOOD)
    _run_import(path)
    out, _ = _run_import(path)
    assert "跳过 1" in out
    changed = json.loads(json.dumps(GOOD))
    changed["table3"]["new_received"]["natural_person"] = 4
    out, _ = _run_import(_write(tmp_path, "a.json", changed))
    assert "新版次 1" in out
    reports = AnnualReport.objects.order_by("revision")
    assert [(r.revision, r.is_current) for r in reports] == [(1, False), (2, True)]


def test_dry_run_saves_nothing(tmp_path):
    make_agency("示例县卫生健康局")
    out, _ = _run_import(_write(tmp_path, "a.json", GOOD), dry_run=True)
    assert "未保存" in out
    assert AnnualReport.objects.count() == 0


def test_agency_and_year_overrides(tmp_path):
    agency = make_agency("正式名称局", aliases=("简称局",))
    _run_import(
        _write(tmp_path, "a.json", dict(GOOD, agency="别的名字")),
        agency="简称局",
        year=2023,
    )
    report = AnnualReport.objects.get()
    assert report.agency == agency and report.report_year.year == 2023


def test_missing_path_is_refused(tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        _run_import(tmp_path / "nope.json")


def test_oversized_file_is_refused(tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 10
    with pytest.raises(CommandError):
        _run_import(_write(tmp_path, "a.json", GOOD))
    assert AnnualReport.objects.count() == 0


def test_export_filters_by_year_and_region_subtree(tmp_path):
    province = make_region(code="320000", level=Region.Level.PROVINCE)
    city = make_region(code="320800", parent=province)
    other = make_region(code="321300", parent=province)
    make_agency("甲局", region=city)
    make_agency("乙局", region=other)
    for name, year in (("甲局", 2024), ("乙局", 2024), ("甲局", 2023)):
        _run_import(
            _write(tmp_path, f"{name}{year}.json", dict(GOOD, agency=name, year=year))
        )
    assert {(r["agency"], r["year"]) for r in _export(year=2024, region="320800")} == {
        ("甲局", 2024)
    }
    assert len(_export(region="320000")) == 3
    with pytest.raises(CommandError, match="999999"):
        _export(region="999999")


def test_export_writes_a_file(tmp_path):
    make_agency("示例县卫生健康局")
    _run_import(_write(tmp_path, "a.json", GOOD))
    target = tmp_path / "out.json"
    call_command("export_reports", output=str(target), stderr=io.StringIO())
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data[0]["table3"]["new_received"] == GOOD["table3"]["new_received"]
    assert data[0]["sections"] == GOOD["sections"]

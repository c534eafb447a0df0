"""bench/run_all.py: reading RESULT lines, judging targets, rewriting only its block."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from bench import run_all
from bench.run_all import FAIL, FAILED, PASS, SMALL, Job, Record, render

REPO = Path(__file__).resolve().parents[2]
INFO = {
    "cores": "2",
    "cpu": "Test CPU",
    "memory": "24.0 GiB",
    "database": "PostgreSQL 15.20 at 127.0.0.1:5432",
    "python": "3.11.7",
    "system": "Linux 6",
}
WHEN = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)


def record(name: str, result: dict | None, error: str = "") -> Record:
    return Record(
        name=name,
        command=f"bench/{name}.py",
        started="2026-11-22T09:00:00+00:00",
        seconds=12.0,
        load_before=[3.1, 2.9, 2.5],
        load_after=[3.5, 3.0, 2.6],
        returncode=0 if result is not None else 1,
        result=result,
        error=error,
    )


def pages_result(reports: int, changelist_ms: int, queries: int) -> dict:
    page = {"ms": changelist_ms, "queries": queries}
    return {
        "reports": reports,
        "generate_s": 200,
        "report changelist": page,
        "changelist, one year": page,
        "changelist, search": page,
        "report page": {"ms": 90, "queries": 11},
    }


def row(block: str, start: str) -> str:
    return next(line for line in block.splitlines() if line.startswith(f"| {start}"))


def test_the_last_result_line_is_the_result():
    lines = ["table", 'RESULT {"a": 1}', 'RESULT {"audit_s": 12.5}', "done"]
    assert run_all._outcome(lines, [], 0, False, 60) == ({"audit_s": 12.5}, "")


def test_a_run_without_result_fails_with_its_stderr_tail():
    result, error = run_all._outcome(
        ["skipped: no corpus"], ["Traceback", "boom"], 0, False, 60
    )
    assert result is None
    assert error == "no RESULT line; last line: skipped: no corpus\nTraceback\nboom"


def test_a_non_zero_exit_fails_even_with_a_result():
    result, error = run_all._outcome(
        ['RESULT {"a": 1}'], ["CommandError"], 1, False, 60
    )
    assert result is None and error.startswith("exit status 1")


def test_targets_met_pass_and_missed_targets_fail():
    records = {
        "audit-10k": record(
            "audit-10k",
            {"reports": 10000, "workers": 2, "audit_s": 11.2, "audit_peak_mb": 180},
        ),
        "audit-100k": record(
            "audit-100k",
            {"reports": 100000, "workers": 2, "audit_s": 314.8, "audit_peak_mb": 405},
        ),
        "summary-100k": record(
            "summary-100k",
            {
                "reports": 100000,
                "year": 2024,
                "summary_s": 41.0,
                "summary_peak_mb": 320,
                "summary_size_mb": 6.1,
                "findings": 8500,
            },
        ),
    }
    block = render(records, INFO, written=WHEN)
    assert row(block, "full audit, 10,000 reports").endswith(f"| {PASS} |")
    assert row(block, "full audit, 100,000 reports").endswith(f"| {FAIL} |")
    # Under 60 s but over 300 MB: the memory target is missed.
    assert row(block, "summary workbook, 100,000").endswith(f"| {FAIL} |")
    assert (
        "| summary workbook (summary-10k) | ≤ 60 s, ≤ 300 MB | not run yet | not run |"
        in block
    )


def test_query_counts_are_compared_with_the_small_run():
    same = {
        "pages-base": record("pages-base", pages_result(1000, 40, 7)),
        "pages": record("pages", pages_result(100000, 250, 7)),
    }
    assert row(render(same, INFO, written=WHEN), "report changelist").endswith(
        f"| {PASS} |"
    )
    grown = {**same, "pages": record("pages", pages_result(100000, 250, 9))}
    line = row(render(grown, INFO, written=WHEN), "report changelist")
    assert "7 with 1,000 reports" in line and line.endswith(f"| {FAIL} |")


def test_a_small_run_has_no_verdicts():
    records = {
        "audit-10k": record(
            "audit-10k",
            {"reports": 1000, "workers": 2, "audit_s": 1.0, "audit_peak_mb": 90},
        )
    }
    block = render(records, INFO, written=WHEN, small=True, data=False)
    assert row(block, "full audit, 1,000 reports").endswith(f"| {SMALL} |")
    assert "Small run" in block and "bench:data" not in block


def test_a_failed_benchmark_is_reported_with_its_error():
    records = {"audit-100k": record("audit-100k", None, "exit status 1\nMemoryError")}
    block = render(records, INFO, written=WHEN)
    assert row(block, "full audit (audit-100k)").endswith(f"| {FAILED} |")
    assert "exit status 1\nMemoryError" in block


def test_only_the_block_is_rewritten_and_its_records_come_back():
    page = (
        "# Benchmarks\n\nintro\n\n"
        f"{run_all.BEGIN}\nold figures\n{run_all.END}\n\n## What was found\n\ntext\n"
    )
    # An error text that would end an HTML comment must not end the stored data.
    records = {"parse": record("parse", None, "exit status 2\n--> <!-- odd")}
    new = run_all.replace_block(page, render(records, INFO, written=WHEN))
    assert new.startswith("# Benchmarks\n\nintro\n\n")
    assert new.endswith(f"{run_all.END}\n\n## What was found\n\ntext\n")
    assert "old figures" not in new
    back = run_all.previous_records(new)
    assert back["parse"].error == "exit status 2\n--> <!-- odd"


def test_a_page_without_the_markers_is_refused():
    with pytest.raises(ValueError, match="bench:begin"):
        run_all.replace_block("# Benchmarks\n", "block")


def test_the_benchmarks_page_has_the_generated_block():
    run_all.replace_block((REPO / "docs" / "benchmarks.md").read_text("utf-8"), "")


def test_only_selects_groups_and_runs():
    assert [j.name for j in run_all.select("audit,pages-base")] == [
        "audit-10k",
        "audit-100k",
        "pages-base",
    ]
    with pytest.raises(SystemExit, match="unknown nothing"):
        run_all.select("nothing")


def script(tmp_path: Path, body: str) -> Job:
    path = tmp_path / "fake_bench.py"
    path.write_text(body, "utf-8")
    return Job("fake", "fake", str(path), (), ())


def test_run_job_reads_a_script_result_and_echoes_its_output(tmp_path):
    job = script(tmp_path, 'print("working")\nprint(\'RESULT {"x": 1}\')\n')
    echoed: list[str] = []
    done = run_all.run_job(job, small=False, timeout=60, echo=echoed.append)
    assert done.ok and done.result == {"x": 1}
    assert echoed == ["  | working", '  | RESULT {"x": 1}']
    assert len(done.load_before) == len(done.load_after) == 3


def test_run_job_reports_a_crash_and_a_timeout(tmp_path):
    crash = script(tmp_path, "import sys\nsys.stderr.write('boom\\n')\nsys.exit(3)\n")
    done = run_all.run_job(crash, small=False, timeout=60, echo=lambda _: None)
    assert not done.ok and done.error == "exit status 3\nboom"
    hang = script(tmp_path, "import time\ntime.sleep(60)\n")
    done = run_all.run_job(hang, small=False, timeout=1, echo=lambda _: None)
    assert not done.ok and done.error.startswith("stopped after 1 s")
    assert done.seconds < 30


def test_run_job_uses_this_python():
    job = run_all.JOBS[0]
    assert job.command(small=False)[0] == sys.executable


def test_a_result_without_the_needed_figures_is_reported_not_fatal():
    records = {"audit-10k": record("audit-10k", {"reports": 10000})}
    line = row(render(records, INFO, written=WHEN), "audit |")
    assert "RESULT lacks a figure: KeyError" in line and line.endswith(f"| {FAILED} |")


def test_conversion_figures_are_shown_per_kind_and_per_worker_count():
    result = {
        "documents": 12,
        "repeat": 2,
        "docx_s": 0.35,
        "doc_s": 2.41,
        "xlsx_s": 0.12,
        "xls_s": 2.2,
        "batch_1_worker_s": 28.8,
        "batch_2_workers_s": 16.0,
        "speedup": 1.8,
        "parse_timeout_s": 60,
        "convert_timeout_s": 40,
    }
    block = render({"convert": record("convert", result)}, INFO, written=WHEN)
    each = row(block, ".doc / .xls converted")
    assert ".doc 2.41 s (its DOCX 0.35 s), .xls 2.20 s" in each
    assert "40 s to convert within 60 s per parse" in each
    batch = row(block, "12 .doc and .xls, 1 and 2 workers")
    assert (
        "1 worker 28.8 s (2.40 s each), 2 workers 16.0 s (1.33 s each; 1.8×)" in batch
    )

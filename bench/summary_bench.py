"""Time the summary workbook of N reports of one year on a throwaway database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reports python bench/summary_bench.py \
        --reports 100000

The workbook covers one report year, so about N reports are built in that year and N in the
year before (for 同比) with bench/datasets.py (the demo province plus generate_synthetic's
national data); the audit is run first
so that 审核问题 has its realistic share of findings. A test database is created and
destroyed around the run; the configured database is never touched. Prints the build time,
the workbook time, its size, and the peak memory of the process that wrote it (a fresh
process, so that building the data does not count). Target: 100,000 reports in under 60 s and under 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from bench.datasets import synthetic, throwaway_database  # noqa: E402
from reports.audit.runner import AuditScope, audit_run  # noqa: E402
from reports.models import AnnualReport  # noqa: E402

YEAR = 2024


CHILD = """
import json, os, sys, time
sys.path.insert(0, {root!r})
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
import django
django.setup()
from reports.exporting.summary.workbook import build_summary
from reports.exporting.summary.selectors import SummaryScope
started = time.perf_counter()
stats = build_summary(SummaryScope(year={year}), {output!r}, generated_by="bench")
print(json.dumps({{
    "seconds": time.perf_counter() - started,
    "reports": stats.reports,
    "agencies": stats.agencies_due,
    "findings": sum(stats.findings.values()),
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the forking parent.
    "peak_mb": next(
        int(line.split()[1]) / 1024
        for line in open("/proc/self/status")
        if line.startswith("VmHWM:")
    ),
}}))
"""


def export_in_child(output: Path) -> dict:
    """Run the export in a fresh process against the throwaway database, so that its peak
    memory is the export's own (not the data building's or the audit's)."""
    settings = connection.settings_dict
    env = dict(os.environ)
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = (
            f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@"
            f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
        )
    else:
        env["DATABASE_URL"] = f"sqlite:///{settings['NAME']}"
    code = CHILD.format(root=str(ROOT), year=YEAR, output=str(output))
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10000)
    parser.add_argument(
        "--no-audit", action="store_true", help="skip the audit (no findings)"
    )
    args = parser.parse_args()
    with throwaway_database():
        started = time.perf_counter()
        # Two years of about N reports each: YEAR and the previous year for 同比.
        synthetic(2 * args.reports, years=f"{YEAR - 1}-{YEAR}")
        count = AnnualReport.objects.filter(report_year__year=YEAR).count()
        if not args.no_audit:
            audit_run(AuditScope(year=YEAR), trigger="基准测试")
        built = time.perf_counter() - started
        with tempfile.TemporaryDirectory() as folder:
            output = Path(folder) / "summary.xlsx"
            result = export_in_child(output)
            size_mb = output.stat().st_size / 1048576
        print(f"database: {connection.vendor}; reports of {YEAR}: {count}")
        print(f"data built (and audited) in {built:.0f} s (not part of the target)")
        print(
            f"summary workbook: {result['seconds']:.1f} s for {result['reports']} reports, "
            f"{result['agencies']} agencies, {result['findings']} findings; {size_mb:.1f} MB"
        )
        print(
            f"peak memory of the exporting process: {result['peak_mb']:.0f} MB "
            "(Django and XlsxWriter loaded)"
        )
        print("target: 100,000 reports in under 60 s and under 300 MB")
        summary = {
            "reports": count,
            "year": YEAR,
            "build_s": round(built),
            "summary_s": round(result["seconds"], 1),
            "summary_peak_mb": round(result["peak_mb"]),
            "summary_size_mb": round(size_mb, 1),
            "agencies": result["agencies"],
            "findings": result["findings"],
        }
        print("RESULT " + json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

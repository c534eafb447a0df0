"""Time a full audit of N reports on a throwaway database (PostgreSQL in production).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reports python bench/audit_bench.py \
        --reports 100000

The reports are the demo province's plus generate_synthetic's national data set (2019-2025),
with realistic figures and a share of inconsistent reports (bench/datasets.py). A test database is created and destroyed around the run; the
configured database is never touched. Prints the load time, the audit time, findings by
severity and peak memory. Target: a full audit of 100,000 reports in under 60 s.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import sys
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10000)
    parser.add_argument(
        "--workers", type=int, default=2, help="audit processes (default 2)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="print where the audit spends time"
    )
    args = parser.parse_args()
    with throwaway_database():
        started = time.perf_counter()
        count = synthetic(args.reports)
        loaded = time.perf_counter() - started
        profiler = cProfile.Profile() if args.profile else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        run = audit_run(AuditScope(), trigger="基准测试", workers=args.workers)
        audited = time.perf_counter() - started
        if profiler:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"database: {connection.vendor}; reports: {count}; workers: {args.workers}"
        )
        print(f"data built in {loaded:.0f} s (not part of the target)")
        print(
            f"full audit: {audited:.1f} s for {run.reports_checked} reports "
            f"({audited / max(1, run.reports_checked) * 1000:.2f} ms per report)"
        )
        print(f"findings by severity: {run.counts}; peak memory {peak_mb:.0f} MB")
        print("target: 100,000 reports in under 60 s")
        result = {
            "reports": run.reports_checked,
            "workers": args.workers,
            "build_s": round(loaded),
            "audit_s": round(audited, 1),
            "audit_peak_mb": round(peak_mb),
        }
        print("RESULT " + json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

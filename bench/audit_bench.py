"""Time a full audit of N reports on a throwaway database (PostgreSQL in production).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reports python bench/audit_bench.py \
        --reports 100000

The reports are the demo province's reports (2020, 2023, 2024), cloned with bulk inserts
onto as many synthetic agencies as needed, so the data has the demo's realistic figures and
its seeded inconsistencies. A test database is created and destroyed around the run; the
configured database is never touched. Prints the load time, the audit time, findings by
severity and peak memory. Target: a full audit of 100,000 reports in under 60 s.
"""

from __future__ import annotations

import argparse
import cProfile
import io
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

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import get_runner  # noqa: E402

from agencies.models import Agency  # noqa: E402
from reports.audit.runner import AuditScope, audit_run  # noqa: E402
from reports.models import AnnualReport  # noqa: E402
from reports.models.sections import ROW_MODELS  # noqa: E402


def _row_values(report: AnnualReport) -> list[tuple[type, dict]]:
    """A report's table rows as (model, field values) to copy onto another report."""
    out = []
    for table, model in ROW_MODELS.items():
        for row in getattr(report, f"{table}_rows").all():
            values = {
                f.attname: getattr(row, f.attname)
                for f in model._meta.concrete_fields
                if f.attname not in ("id", "report_id")
            }
            out.append((model, values))
    return out


def clone_demo(target: int) -> int:
    """Copy the demo's reports onto synthetic agencies until there are `target` reports."""
    call_command("seed_demo", stdout=io.StringIO())
    templates = list(
        AnnualReport.objects.select_related(
            "agency", "agency__region"
        ).prefetch_related("table2_rows", "table3_rows", "table4_rows")
    )
    rows_of = {t.pk: _row_values(t) for t in templates}
    demo_agencies = {t.agency_id: t.agency for t in templates}
    made, copy = len(templates), 0
    while made < target:
        copy += 1
        batch = templates[: target - made]
        with transaction.atomic():
            agencies = {
                pk: Agency(
                    name=f"{a.name}（副本{copy}）",
                    region=a.region,
                    kind=a.kind,
                    sector=a.sector,
                )
                for pk, a in demo_agencies.items()
            }
            Agency.objects.bulk_create(agencies.values(), batch_size=2000)
            reports = [
                AnnualReport(
                    agency=agencies[t.agency_id],
                    report_year_id=t.report_year_id,
                    layout=t.layout,
                    status=t.status,
                    title=t.title,
                    publication_date=t.publication_date,
                    overview=t.overview,
                    problems=t.problems,
                    other_matters=t.other_matters,
                    source_sha256=f"{copy}-{t.pk}",
                )
                for t in batch
            ]
            AnnualReport.objects.bulk_create(reports, batch_size=2000)
            for model in ROW_MODELS.values():
                model.objects.bulk_create(
                    [
                        model(report=report, **values)
                        for template, report in zip(batch, reports, strict=True)
                        for row_model, values in rows_of[template.pk]
                        if row_model is model
                    ],
                    batch_size=5000,
                )
        made += len(batch)
        if copy % 20 == 0 or made >= target:
            print(f"  {made} reports", file=sys.stderr)
    return AnnualReport.objects.count()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10000)
    parser.add_argument(
        "--profile", action="store_true", help="print where the audit spends time"
    )
    args = parser.parse_args()
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old_config = runner.setup_databases()
    try:
        started = time.perf_counter()
        count = clone_demo(args.reports)
        loaded = time.perf_counter() - started
        profiler = cProfile.Profile() if args.profile else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        run = audit_run(AuditScope(), trigger="基准测试")
        audited = time.perf_counter() - started
        if profiler:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"database: {connection.vendor}; reports: {count}")
        print(f"data built in {loaded:.0f} s (not part of the target)")
        print(
            f"full audit: {audited:.1f} s for {run.reports_checked} reports "
            f"({audited / max(1, run.reports_checked) * 1000:.2f} ms per report)"
        )
        print(f"findings by severity: {run.counts}; peak memory {peak_mb:.0f} MB")
        print("target: 100,000 reports in under 60 s")
    finally:
        runner.teardown_databases(old_config)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

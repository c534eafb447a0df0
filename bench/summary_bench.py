"""Time the summary workbook of N reports of one year on a throwaway database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reports python bench/summary_bench.py \
        --reports 100000

The workbook covers one report year, so N reports are built in that year: the demo
province's reports of the year (and of the year before, for 同比) are cloned onto synthetic
agencies with bulk inserts, as bench/synthetic.py clones the demo; the audit is run first
so that 审核问题 has its realistic share of findings. A test database is created and
destroyed around the run; the configured database is never touched. Prints the build time,
the workbook time, its size, and the peak memory of the process that wrote it (a fresh
process, so that building the data does not count). Target: 100,000 reports in under 60 s and under 300 MB.
"""

from __future__ import annotations

import argparse
import io
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

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from agencies.models import Agency  # noqa: E402
from bench.synthetic import _row_values, throwaway_database  # noqa: E402
from reports.audit.runner import AuditScope, audit_run  # noqa: E402
from reports.models import AnnualReport  # noqa: E402
from reports.models.sections import ROW_MODELS  # noqa: E402

YEAR = 2024


def clone_year(target: int, year: int) -> int:
    """Copy the demo's reports of `year` (and of the year before, onto the same synthetic
    agencies) until `year` has `target` reports."""
    call_command("seed_demo", stdout=io.StringIO())
    templates = list(
        AnnualReport.objects.filter(report_year__year__in=(year, year - 1))
        .select_related("agency", "agency__region")
        .prefetch_related("table2_rows", "table3_rows", "table4_rows")
    )
    rows_of = {t.pk: _row_values(t) for t in templates}
    this_year = [t for t in templates if t.report_year.year == year]
    demo_agencies = {t.agency_id: t.agency for t in templates}
    made, copy = len(this_year), 0
    while made < target:
        # Twenty copies per transaction: fewer, larger bulk inserts.
        agencies: dict[tuple[int, int], Agency] = {}
        pairs: list[tuple[int, AnnualReport]] = []  # (copy, template)
        for _ in range(20):
            if made >= target:
                break
            copy += 1
            wanted = this_year[: target - made]
            owners = {t.agency_id for t in wanted}
            for pk in owners:
                a = demo_agencies[pk]
                agencies[(copy, pk)] = Agency(
                    name=f"{a.name}（副本{copy}）",
                    region=a.region,
                    kind=a.kind,
                    sector=a.sector,
                )
            pairs += [(copy, t) for t in templates if t.agency_id in owners]
            made += len(wanted)
        with transaction.atomic():
            Agency.objects.bulk_create(agencies.values(), batch_size=2000)
            reports = [
                AnnualReport(
                    agency=agencies[(n, t.agency_id)],
                    report_year_id=t.report_year_id,
                    layout=t.layout,
                    status=t.status,
                    title=t.title,
                    publication_date=t.publication_date,
                    overview=t.overview,
                    problems=t.problems,
                    other_matters=t.other_matters,
                    source_sha256=f"{n}-{t.pk}",
                )
                for n, t in pairs
            ]
            AnnualReport.objects.bulk_create(reports, batch_size=2000)
            for model in ROW_MODELS.values():
                model.objects.bulk_create(
                    [
                        model(report=report, **values)
                        for (_, template), report in zip(pairs, reports, strict=True)
                        for row_model, values in rows_of[template.pk]
                        if row_model is model
                    ],
                    batch_size=5000,
                )
        print(f"  {made} reports of {year}", file=sys.stderr)
    return AnnualReport.objects.filter(report_year__year=year).count()


CHILD = """
import json, os, sys, time
sys.path.insert(0, {root!r})
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
import django
django.setup()
from reports.exporting.summary_xlsx import build_summary
from reports.summary_selectors import SummaryScope
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
        count = clone_year(args.reports, YEAR)
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
            "(Django and openpyxl loaded)"
        )
        print("target: 100,000 reports in under 60 s and under 300 MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

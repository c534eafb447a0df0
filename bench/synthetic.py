"""Synthetic data for benchmarks: the demo's reports cloned onto many agencies.

    with throwaway_database():
        clone_demo(100_000)

The reports are the demo province's (2020, 2023, 2024), bulk-inserted onto as many synthetic
agencies as needed, so the data keeps the demo's realistic figures and seeded problems. The
database is a test database created and destroyed around the block: the configured database
is never touched. Import after django.setup().
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test.utils import get_runner

from agencies.models import Agency
from reports.models import AnnualReport
from reports.models.sections import ROW_MODELS


@contextmanager
def throwaway_database() -> Iterator[None]:
    """A fresh test database for the block (PostgreSQL when DATABASE_URL says so)."""
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old_config = runner.setup_databases()
    try:
        yield
    finally:
        runner.teardown_databases(old_config)


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

"""Data for benchmarks: the demo province plus a synthetic national data set.

    with throwaway_database():
        synthetic(100_000)

generate_synthetic (reports/fixtures/synthetic.py) draws the reports with the demo's
generator, so the figures are realistic in shape and a share of reports is inconsistent;
the demo province is seeded first so that benchmarks can name its regions (淮安市, 宿迁市). The database is a test
database created and destroyed around the block: the configured database is never touched.
Import after django.setup().
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.test.utils import get_runner

from reports.models import AnnualReport


@contextmanager
def throwaway_database() -> Iterator[None]:
    """A fresh test database for the block (PostgreSQL when DATABASE_URL says so)."""
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old_config = runner.setup_databases()
    try:
        yield
    finally:
        runner.teardown_databases(old_config)


def synthetic(reports: int, years: str = "2019-2025") -> int:
    """The demo province plus generate_synthetic's national data, `reports` in all."""
    call_command("seed_demo", stdout=io.StringIO())
    demo = AnnualReport.objects.count()
    call_command(
        "generate_synthetic",
        reports=max(1, reports - demo),
        years=years,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    return AnnualReport.objects.count()

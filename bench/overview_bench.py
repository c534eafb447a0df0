"""Time the 总览 (overview) admin page with N reports on a throwaway database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reports_h7 \
        .venv/bin/python bench/overview_bench.py --reports 100000

The reports are the demo province's plus generate_synthetic's (bench/datasets.py), and
audited once so that the findings panel has findings to count. The page is requested through
Django's test client as a superuser, for the whole tree and for two cities: the first
request with an empty trend cache (cold), then the median of several requests (warm), each
with its query count. A test database is created
and destroyed around the run (`--keep` keeps it, and reuses it when it already holds the
requested number of reports, so that repeated measurements skip the ~7 minute build).
Target: under 300 ms with 100,000 reports on PostgreSQL, a constant number of queries.
(VACUUM ANALYZE runs after the bulk build, as autovacuum would before anyone looks.)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import get_runner, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.datasets import synthetic, throwaway_database  # noqa: E402
from reports.audit.runner import AuditScope, audit_run  # noqa: E402
from reports.models import AnnualReport, Finding  # noqa: E402


@contextmanager
def kept_database() -> Iterator[None]:
    """Like throwaway_database(), but the test database survives for the next run."""
    runner = get_runner(settings)(verbosity=0, interactive=False, keepdb=True)
    old_config = runner.setup_databases()
    try:
        yield
    finally:
        runner.teardown_databases(old_config)


def build(target: int, audit: bool) -> float:
    """Clone the demo up to `target` reports and audit them; seconds spent (0 if reused)."""
    have = AnnualReport.objects.count()
    if have and have != target:
        raise SystemExit(
            f"the kept database holds {have} reports, not {target}: "
            "run once without --keep to drop it"
        )
    started = time.perf_counter()
    if not have:
        synthetic(target)
    if audit and not Finding.objects.exists():
        audit_run(AuditScope(), trigger="基准测试")
    return time.perf_counter() - started


class QueryCounter:
    """Counts the statements a block sends (an execute wrapper: no DEBUG log needed)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed_get(client: Client, url: str) -> tuple[float, int]:
    """Milliseconds and queries of one request."""
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.status_code
    return elapsed, counter.count


def measure(client: Client, url: str, repeat: int) -> dict[str, float | int]:
    """The first request with an empty cache (cold), then the median of `repeat` (warm).

    The trend sums are cached per year (reports/overview/selectors.py), so the cold
    request is what the first reviewer after an import waits for; warm is the usual case.
    """
    cache.clear()
    cold_ms, cold_queries = timed_get(client, url)
    runs = [timed_get(client, url) for _ in range(repeat)]
    return {
        "cold_ms": cold_ms,
        "cold_queries": cold_queries,
        "warm_ms": statistics.median(ms for ms, _ in runs),
        "warm_queries": max(n for _, n in runs),
    }


def analyze() -> None:
    """Fresh statistics and visibility map, as autovacuum keeps them in production.

    The data was bulk-inserted seconds ago; without this PostgreSQL plans from empty
    statistics and cannot use index-only scans.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10000, help="reports to build")
    parser.add_argument("--repeat", type=int, default=9, help="timed requests per URL")
    parser.add_argument(
        "--keep", action="store_true", help="keep (and reuse) the test database"
    )
    parser.add_argument(
        "--no-audit", action="store_true", help="skip the audit (no findings)"
    )
    args = parser.parse_args()
    setup_test_environment()
    database = kept_database() if args.keep else throwaway_database()
    with database:
        built = build(args.reports, audit=not args.no_audit)
        analyze()
        user, _ = get_user_model().objects.get_or_create(
            username="bench", defaults={"is_staff": True, "is_superuser": True}
        )
        client = Client()
        client.force_login(user)
        base = reverse("admin:overview")
        print(f"database: {connection.vendor}; reports: {AnnualReport.objects.count()}")
        print(f"findings: {Finding.objects.count()}; data built in {built:.0f} s")
        pages = {}
        for label, url in (
            ("whole tree", base),
            ("淮安市", f"{base}?region=320800"),
            ("2023, 宿迁市", f"{base}?year=2023&region=321300"),
        ):
            m = measure(client, url, args.repeat)
            pages[label] = {
                "warm_ms": round(m["warm_ms"]),
                "warm_queries": m["warm_queries"],
                "cold_ms": round(m["cold_ms"]),
                "cold_queries": m["cold_queries"],
            }
            print(
                f"{label:>12}: warm median {m['warm_ms']:.0f} ms over {args.repeat} "
                f"requests, {m['warm_queries']} queries; cold (trend cache empty) "
                f"{m['cold_ms']:.0f} ms, {m['cold_queries']} queries"
            )
        print("target: under 300 ms with 100,000 reports, constant queries")
        result = {
            "reports": AnnualReport.objects.count(),
            "findings": Finding.objects.count(),
            "build_s": round(built),
            "repeat": args.repeat,
            "pages": pages,
        }
        print("RESULT " + json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

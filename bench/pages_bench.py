"""Time the report changelist and a report page with N reports (server time, queries).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reports python bench/pages_bench.py \
        --reports 100000

Builds the data with generate_synthetic on a throwaway database, logs in as a superuser and
requests each page through Django's test client: the median of several requests after one
warm-up, and the number of queries of one request. Targets: changelist ≤ 300 ms and a
constant number of queries (the same at any size).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.datasets import throwaway_database  # noqa: E402
from reports.models import AnnualReport  # noqa: E402


def measure(
    client: Client, url: str, params: dict | None = None, repeat: int = 7
) -> tuple[float, int]:
    """Median milliseconds over `repeat` requests after a warm-up, and one request's queries."""
    client.get(url, params or {})
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url, params or {})
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url, params or {})
    return statistics.median(times), len(ctx.captured_queries)


def pages(
    client: Client, report_status: str | None = None
) -> dict[str, tuple[float, int]]:
    """The pages a reviewer opens first, timed.

    The report page is the newest current report's, or with `report_status` the newest in
    that status: an accepted report's page is read-only and needs fewer queries than an
    editable one, so comparing query counts across runs needs the same status.
    """
    changelist = reverse("admin:reports_annualreport_changelist")
    report = AnnualReport.objects.filter(is_current=True).order_by("-pk").first()
    year = report.report_year_id
    shown = report
    if report_status:
        shown = (
            AnnualReport.objects.filter(is_current=True, status=report_status)
            .order_by("-pk")
            .first()
        )
    return {
        "report changelist": measure(client, changelist),
        "changelist, one year": measure(
            client, changelist, {"report_year__id__exact": year}
        ),
        "changelist, search": measure(
            client, changelist, {"q": report.agency.name[:4]}
        ),
        "report page": measure(
            client, reverse("admin:reports_annualreport_change", args=[shown.pk])
        ),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10000)
    parser.add_argument(
        "--report-status",
        choices=AnnualReport.Status.values,
        help="time the page of the newest current report in this status "
        "(default: the newest current report, whatever its status)",
    )
    args = parser.parse_args()
    with throwaway_database():
        started = time.perf_counter()
        call_command(
            "generate_synthetic",
            reports=args.reports,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        built = time.perf_counter() - started
        user = get_user_model().objects.create_superuser(
            "bench", "b@example.com", "x-Pass-123"
        )
        client = Client(
            HTTP_HOST="localhost"
        )  # outside the test runner: a real host name
        client.force_login(user)
        print(f"database: {connection.vendor}; reports: {AnnualReport.objects.count()}")
        print(f"data generated in {built:.0f} s (generate_synthetic)")
        measured = pages(client, args.report_status)
        for name, (ms, queries) in measured.items():
            print(f"{name}: {ms:.0f} ms median, {queries} queries")
        result = {
            "reports": AnnualReport.objects.count(),
            "generate_s": round(built),
            "report_status": args.report_status or "any",
            **{
                name: {"ms": round(ms), "queries": q}
                for name, (ms, q) in measured.items()
            },
        }
        print("RESULT " + json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

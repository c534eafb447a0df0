"""config/routers.py: only the overview and the summary workbook read from the replica."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.http import HttpResponse
from django.test import override_settings
from django.urls import resolve, reverse

from config.routers import (
    REPLICA,
    ReplicaReadsMiddleware,
    ReplicaRouter,
    reading_from_replica,
    replica_reads,
)
from reports.models import AnnualReport, Finding
from tests.factories import make_report

ROUTER = "config.routers.ReplicaRouter"


class RecordingRouter:
    """Routes nothing; notes, for each read, whether it happened inside replica_reads()."""

    reads: list[tuple[str, bool]] = []

    def db_for_read(self, model: Any, **hints: Any) -> None:
        RecordingRouter.reads.append((model._meta.app_label, reading_from_replica()))


@pytest.fixture
def recorded():
    RecordingRouter.reads = []
    with override_settings(
        DATABASE_ROUTERS=[f"{__name__}.RecordingRouter"],
        MIDDLEWARE=[*settings.MIDDLEWARE, "config.routers.ReplicaReadsMiddleware"],
    ):
        yield RecordingRouter.reads


def test_report_data_is_read_from_the_replica_only_inside_replica_reads():
    router = ReplicaRouter()
    assert router.db_for_read(AnnualReport) is None
    with replica_reads():
        assert router.db_for_read(AnnualReport) == REPLICA
        assert router.db_for_read(Finding) == REPLICA
        # Logins, sessions: a row just written must be seen by the next request.
        assert router.db_for_read(get_user_model()) is None
        assert router.db_for_read(Session) is None
        assert router.db_for_write(AnnualReport) is None
    assert router.db_for_read(AnnualReport) is None
    assert router.allow_migrate(REPLICA, "reports") is False
    assert router.allow_migrate("default", "reports") is None


@override_settings(DATABASE_ROUTERS=[ROUTER])
def test_querysets_pick_the_replica_inside_the_block():
    assert AnnualReport.objects.all().db == "default"
    with replica_reads():
        assert AnnualReport.objects.all().db == REPLICA
        assert Session.objects.all().db == "default"
        assert AnnualReport.objects.select_for_update().db == "default"
    assert AnnualReport.objects.all().db == "default"


def test_the_middleware_routes_get_requests_to_the_overview_only(rf):
    def view_through(method: str, url: str) -> bool:
        seen = []

        def get_response(request):
            # What Django's handler does between the middleware's call and the view.
            request.resolver_match = resolve(request.path_info)
            middleware.process_view(request, request.resolver_match.func, (), {})
            seen.append(reading_from_replica())
            return HttpResponse()

        middleware = ReplicaReadsMiddleware(get_response)
        request = getattr(rf, method)(url)
        middleware(request)
        assert not reading_from_replica()  # reset after the response
        return seen[0]

    overview = reverse("admin:overview")
    changelist = reverse("admin:reports_annualreport_changelist")
    assert view_through("get", overview) is True
    assert view_through("post", overview) is False
    assert view_through("get", changelist) is False


@pytest.mark.django_db
def test_the_overview_page_reads_report_data_inside_replica_reads(
    admin_client_logged_in, recorded
):
    make_report()
    url = reverse("admin:overview")
    assert admin_client_logged_in.get(url).status_code == 200
    assert ("reports", True) in recorded
    recorded.clear()
    changelist = reverse("admin:reports_annualreport_changelist")
    assert admin_client_logged_in.get(changelist).status_code == 200
    assert ("reports", True) not in recorded and ("reports", False) in recorded


@pytest.mark.django_db
def test_export_summary_reads_inside_replica_reads(monkeypatch, tmp_path: Path):
    seen = []

    def fake_build(scope, output, *, generated_by):
        seen.append(reading_from_replica())
        return type("Stats", (), {"reports": 0, "agencies_due": 0})()

    monkeypatch.setattr(
        "reports.management.commands.export_summary.build_summary", fake_build
    )
    call_command(
        "export_summary",
        year=2024,
        output=str(tmp_path / "s.xlsx"),
        stderr=io.StringIO(),
    )
    assert seen == [True]


@pytest.mark.django_db
def test_the_summary_action_reads_inside_replica_reads(
    admin_client_logged_in, monkeypatch
):
    seen = []

    def fake_build(scope, output, *, generated_by):
        seen.append(reading_from_replica())

    monkeypatch.setattr("reports.exporting.summary.workbook.build_summary", fake_build)
    report = make_report()
    response = admin_client_logged_in.post(
        reverse("admin:reports_annualreport_changelist"),
        {"action": "export_summary_xlsx", "_selected_action": [report.pk]},
    )
    assert response.status_code == 200
    assert seen == [True]

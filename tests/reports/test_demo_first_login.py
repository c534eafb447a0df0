"""What `make demo` shows on first login: audited data on which the findings list, the
overview and the report pages agree, one login per role, and the address it serves on."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from agencies.models import Region
from reports.fixtures.demo import DEMO_ANOMALIES, MISSING
from reports.models import AnnualReport, Finding, ReportYear

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]
OVERVIEW = reverse("admin:overview")
FINDINGS = reverse("admin:reports_finding_changelist")
REPORTS = reverse("admin:reports_annualreport_changelist")


def _count(client: Client, url: str, params: dict | None = None) -> int:
    response = client.get(url, params or {})
    assert response.status_code == 200, url
    return response.context["cl"].result_count


def _headline(client: Client, year: int) -> dict[str, object]:
    return dict(client.get(OVERVIEW, {"year": year}).context["headline"])


def test_the_seeded_demo_is_audited_and_the_pages_agree(demo, admin_client_logged_in):
    client = admin_client_logged_in
    assert _count(client, FINDINGS) > 0
    for year, missing in MISSING.items():
        headline = _headline(client, year)
        reported_missing = headline["未报送（已过截止日）"]
        behind = {"year": year, "rule": "missing-report", "unresolved": 1}
        assert reported_missing.value == len(missing)
        assert _count(client, FINDINGS, behind) == len(missing)
        assert _count(client, reported_missing.url) == len(missing)
        errors = headline["未了结的错误"]
        assert errors.value > 0
        assert _count(client, errors.url) == errors.value
        # The report list's 有错误 filter holds the reports those errors are about.
        year_id = ReportYear.objects.get(year=year).pk
        with_errors = client.get(
            REPORTS, {"report_year__id__exact": year_id, "findings": "error"}
        )
        listed = {r.pk for r in with_errors.context["cl"].queryset}
        about = Finding.objects.filter(
            year=year, severity="error", status="open", report__isnull=False
        ).values_list("report", flat=True)
        assert listed == set(about)
    seeded = {(a.agency, a.year, a.rule) for a in DEMO_ANOMALIES}
    found = {
        (f.agency.name, f.year, f.rule)
        for f in Finding.objects.exclude(rule="missing-report").select_related("agency")
    }
    assert found == seeded


def test_a_seeded_reports_page_shows_its_findings(demo, admin_client_logged_in):
    report = AnnualReport.objects.get(
        agency__name="淮安市公安局", report_year__year=2024
    )
    page = admin_client_logged_in.get(
        reverse("admin:reports_annualreport_change", args=[report.pk])
    ).content.decode()
    assert "审核发现（" in page and "T3-row-total" in page


def _logins(out: str) -> dict[str, str]:
    return dict(re.findall(r"用户名：(\S+)\s+密码：(\S+)", out))


def test_login_creates_one_user_per_role_and_prints_the_address(demo):
    out = io.StringIO()
    call_command(
        "seed_demo", "--login", "demo", "--address", "127.0.0.1:8123", stdout=out
    )
    text = out.getvalue()
    assert "登录地址：http://127.0.0.1:8123/admin/" in text
    assert "已审核演示数据" in text
    logins = _logins(text)
    assert set(logins) == {"demo", "demo-province", "demo-city", "demo-agency"}
    assert "市级审核员：淮安市" in text and "填报单位：淮阴区卫生健康局" in text
    clients = {}
    for username, password in logins.items():
        client = Client()
        # Login throttling (django-axes) authenticates against the request it is given.
        assert client.login(request=HttpRequest(), username=username, password=password)
        clients[username] = client
    city = Region.objects.get(code="320800")
    everything = AnnualReport.objects.filter(is_current=True)
    in_city = everything.filter(agency__region__path__startswith=city.path)
    own = everything.filter(agency__name="淮阴区卫生健康局")
    assert _count(clients["demo"], REPORTS) == everything.count()
    assert _count(clients["demo-province"], REPORTS) == everything.count()
    assert _count(clients["demo-city"], REPORTS) == in_city.count() < everything.count()
    assert _count(clients["demo-agency"], REPORTS) == own.count() == 3
    # The filer's own findings are there to be seen; the overview is for reviewers.
    assert _count(clients["demo-agency"], FINDINGS) > 0
    assert clients["demo-agency"].get(OVERVIEW).status_code == 403
    assert clients["demo-city"].get(OVERVIEW).status_code == 200


def test_reset_with_logins_keeps_working(demo):
    call_command("seed_demo", "--login", "demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_demo", "--reset", "--login", "demo", stdout=out)
    logins = _logins(out.getvalue())
    client = Client()
    assert client.login(
        request=HttpRequest(), username="demo-city", password=logins["demo-city"]
    )
    assert _count(client, REPORTS) > 0


def test_make_demo_passes_its_port_to_the_printed_address():
    made = subprocess.run(
        ["make", "-n", "demo", "PORT=8765"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    seed = next(line for line in made.splitlines() if "seed_demo" in line)
    assert "--address 127.0.0.1:8765" in seed
    assert "runserver --insecure 127.0.0.1:8765" in made
    # The demo runs as users see it: DEBUG off (the Chinese error pages), over plain http.
    assert "DEBUG=0" in made and "SECURE_COOKIES=0" in made

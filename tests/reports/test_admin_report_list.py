"""The report list: current revisions by default, open findings counted per report without
N+1, the status on one line, and the 历史 button showing the report's 变更记录."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Agency, Membership
from agencies.roles import membership_assign
from reports.audit.runner import AuditScope, audit_run
from reports.models import AnnualReport, ChangeRecord, Finding
from tests.factories import make_agency, make_region, make_report

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:reports_annualreport_changelist")
UNRESOLVED = [Finding.Status.OPEN, Finding.Status.CONFIRMED]


def _listed(client: Client, **params: str) -> list[AnnualReport]:
    """Every report the list holds with these filters (all pages), with its columns."""
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return list(response.context["cl"].queryset)


def _act(client: Client, action: str, report: AnnualReport, **extra: str) -> None:
    response = client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [report.pk], **extra},
        follow=True,
    )
    assert response.status_code == 200


@pytest.fixture
def revised(admin_client_logged_in):
    """A report accepted, then revised through 建立新版次: two revisions of one year."""
    first = make_report(
        make_agency("示例市财政局"), status=AnnualReport.Status.ACCEPTED
    )
    _act(admin_client_logged_in, "new_revision", first)
    first.refresh_from_db()
    second = AnnualReport.objects.get(agency=first.agency, revision=2)
    return SimpleNamespace(first=first, second=second)


def test_the_list_shows_current_revisions_by_default(revised, admin_client_logged_in):
    client = admin_client_logged_in
    assert not revised.first.is_current and revised.second.is_current
    assert [r.pk for r in _listed(client)] == [revised.second.pk]
    page = client.get(CHANGELIST).content.decode()
    assert "现行版次（默认）" in page and "全部版次（含旧版次）" in page


def test_the_revision_filter_shows_all_in_force_or_only_old_revisions(
    revised, admin_client_logged_in
):
    client = admin_client_logged_in
    assert {r.pk for r in _listed(client, revisions="all")} == {
        revised.first.pk,
        revised.second.pk,
    }
    # The accepted 第1版 stays in force until 第2版 is accepted: no 旧版次 yet.
    assert [r.pk for r in _listed(client, revisions="in_force")] == [revised.first.pk]
    assert [r.pk for r in _listed(client, revisions="old")] == []


def test_the_column_counts_each_reports_unresolved_errors_and_warnings(
    demo, admin_client_logged_in
):
    """seed_demo has audited: the list's counts are the findings table's, report by report."""
    client = admin_client_logged_in
    reports = _listed(client, revisions="all", findings="any")
    expected = {}
    for severity in ("error", "warning"):
        for report_id in Finding.objects.filter(
            severity=severity, status__in=UNRESOLVED, report__isnull=False
        ).values_list("report", flat=True):
            counts = expected.setdefault(report_id, {"error": 0, "warning": 0})
            counts[severity] += 1
    assert reports and {r.pk for r in reports} == set(expected)
    for report in reports:
        got = {"error": report.open_errors, "warning": report.open_warnings}
        assert got == expected[report.pk], report
    page = client.get(CHANGELIST, {"findings": "error"}).content.decode()
    police = AnnualReport.objects.get(
        agency__name="淮安市公安局", report_year__year=2024
    )
    link = re.search(
        rf'<a class="finding-count sev-error" href="([^"]*report__id__exact={police.pk}[^"]*)">'
        r"错误 (\d+)</a>",
        page,
    )
    assert link and int(link.group(2)) == expected[police.pk]["error"]
    behind = client.get(link.group(1).replace("&amp;", "&"))
    assert behind.context["cl"].result_count == expected[police.pk]["error"]


def test_the_findings_filter_splits_the_list(demo, admin_client_logged_in):
    client = admin_client_logged_in
    everything = {r.pk for r in _listed(client, revisions="all")}
    with_errors = {r.pk for r in _listed(client, revisions="all", findings="error")}
    with_warnings = {r.pk for r in _listed(client, revisions="all", findings="warning")}
    either = {r.pk for r in _listed(client, revisions="all", findings="any")}
    neither = {r.pk for r in _listed(client, revisions="all", findings="none")}
    assert with_errors and with_warnings
    assert either == with_errors | with_warnings
    assert neither == everything - either
    assert with_errors == set(
        Finding.objects.filter(severity="error", status__in=UNRESOLVED).values_list(
            "report", flat=True
        )
    ) - {None}


def test_a_dismissed_finding_leaves_the_count(demo, admin_client_logged_in):
    police = AnnualReport.objects.get(
        agency__name="淮安市公安局", report_year__year=2024
    )
    before = next(
        r for r in _listed(admin_client_logged_in, findings="error") if r == police
    )
    finding = Finding.objects.filter(report=police, severity="error").first()
    Finding.objects.filter(pk=finding.pk).update(
        status=Finding.Status.DISMISSED, reason="已核实"
    )
    after = next(
        r for r in _listed(admin_client_logged_in, revisions="all") if r == police
    )
    assert after.open_errors == before.open_errors - 1


def test_the_list_query_count_does_not_grow_with_the_rows(
    admin_client_logged_in, django_assert_max_num_queries
):
    region = make_region(name="计数市")
    make_report(make_agency("计数市甲局", region=region))
    client = admin_client_logged_in
    with CaptureQueriesContext(connection) as few:
        client.get(CHANGELIST)
    for n in range(30):
        agency = make_agency(f"计数市第{n}局", region=region)
        make_report(agency, year=2024)
    audit_run(AuditScope(), trigger="测试")
    with CaptureQueriesContext(connection) as many:
        response = client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == 31
    assert len(many) == len(few)
    with django_assert_max_num_queries(len(few)):
        client.get(CHANGELIST, {"findings": "any", "o": "6"})


def test_the_status_column_never_wraps(admin_client_logged_in):
    make_report()
    page = admin_client_logged_in.get(CHANGELIST).content.decode()
    assert 'href="/static/reports/changelist.css"' in page
    assert '<td class="field-status">' in page
    css = open(finders.find("reports/changelist.css"), encoding="utf-8").read()
    rule = re.search(r"([^{}]*)\{([^}]*)\}", css)
    assert "td.field-status" in rule.group(1)
    assert "white-space: nowrap" in rule.group(2)


# --- 历史 ------------------------------------------------------------------------------------


def _history_url(report: AnnualReport) -> str:
    return reverse("admin:reports_annualreport_history", args=[report.pk])


def test_the_history_button_shows_the_reports_change_records(
    admin_client_logged_in,
):
    client = admin_client_logged_in
    report = make_report(status=AnnualReport.Status.DRAFT)  # 导入
    _act(client, "submit_reports", report)
    _act(client, "start_review", report)
    _act(client, "return_reports", report, apply="1", reason="表三总计有误")
    _act(client, "submit_reports", report)
    records = ChangeRecord.objects.filter(report=report)
    assert records.count() == 5
    change = client.get(reverse("admin:reports_annualreport_change", args=[report.pk]))
    assert _history_url(report) in change.content.decode()  # the 历史 button
    page = client.get(_history_url(report)).content.decode()
    assert "没有变更历史" not in page and "doesn’t have a change history" not in page
    assert f"变更记录：{report}" in page and "共 5 条变更记录" in page
    assert page.count('<th scope="row">') == 5
    assert "状态：已提交 → 审核中" in page and "表三总计有误" in page
    assert "导入" in page and "退回修改" in page


def test_the_history_page_links_the_other_revisions(revised, admin_client_logged_in):
    page = admin_client_logged_in.get(_history_url(revised.second)).content.decode()
    assert "第 2 版（现行，尚未生效）" in page
    assert f'href="{_history_url(revised.first)}"' in page
    assert "第 1 版（生效中，已有新版次）" in page
    old = admin_client_logged_in.get(_history_url(revised.first)).content.decode()
    assert "第 1 版（生效中，已有新版次）" in old and "共 " in old


def test_history_stays_within_the_users_reach(db, django_user_model):
    other = make_report(make_agency("他市财政局", region=make_region(name="他市")))
    own_agency: Agency = make_agency("本机关")
    own = make_report(own_agency)
    filer = django_user_model.objects.create_user("filer", password="x-Pass-123")
    membership_assign(user=filer, role=Membership.Role.AGENCY_FILER, agency=own_agency)
    client = Client()
    client.force_login(filer)
    assert client.get(_history_url(own)).status_code == 200
    response = client.get(_history_url(other), follow=True)
    assert "他市财政局" not in response.content.decode()
    assert response.redirect_chain and "不存在" in response.content.decode()


def test_the_region_filter_offers_only_regions_within_reach(db, django_user_model):
    """A city's reviewer never sees the names of other cities in the 行政区划 filter."""
    province = make_region(name="示例省", level="province", code="440000")
    own_city = make_region(name="本市", parent=province)
    other_city = make_region(name="他市", parent=province)
    county = make_region(name="本市甲县", level="county", parent=own_city)
    make_report(make_agency("本市财政局", region=own_city))
    make_report(make_agency("他市财政局", region=other_city))
    reviewer = django_user_model.objects.create_user("city", password="x-Pass-123")
    membership_assign(
        user=reviewer, role=Membership.Role.CITY_REVIEWER, region=own_city
    )
    client = Client()
    client.force_login(reviewer)
    page = client.get(CHANGELIST).content.decode()
    assert "本市" in page and "他市" not in page and "示例省" not in page
    chosen = client.get(CHANGELIST, {"region": own_city.code}).content.decode()
    assert "本市甲县" in chosen and "他市" not in chosen
    # Choosing another city by hand shows nothing of it either.
    other = client.get(CHANGELIST, {"region": other_city.code}).content.decode()
    assert "他市财政局" not in other and county.name not in other

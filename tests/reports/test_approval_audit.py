"""審核通过 judges what the report says now: a revision just imported over a 审核中 report
has no findings until an audit runs, so the approval audits it first."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from agencies.models import Membership, Region
from agencies.roles import membership_assign
from reports.audit.runner import AuditScope, audit_run
from reports.core.parsed import ParsedReport
from reports.importing.apply import report_apply
from reports.models import AnnualReport, AuditRun, Finding
from reports.workflow import WorkflowError, report_transition
from tests.factories import cell, full_tables, make_agency, make_region, make_report

pytestmark = pytest.mark.django_db
Status = AnnualReport.Status
CHANGELIST = reverse("admin:reports_annualreport_changelist")


@pytest.fixture
def reimported(django_user_model):
    """A clean 审核中 report, audited (no findings), then a corrected file imported over it
    whose 本年新收 total says 5 while its columns are 0 (an audit error), not yet audited."""
    region = make_region(name="淮安市", level=Region.Level.CITY)
    agency = make_agency("淮安市卫生健康委员会", region=region)
    first = make_report(agency, year=2024, status=Status.IN_REVIEW)
    audit_run(AuditScope(), trigger="测试")
    account = django_user_model.objects.create_user("huaian", password="x-Pass-123")
    membership_assign(user=account, role=Membership.Role.CITY_REVIEWER, region=region)
    tables = full_tables("2021")
    tables["table3"]["new_received"]["total"] = cell(5)
    corrected = ParsedReport(
        agency=agency.name, year=2024, format="2021", tables=tables
    )
    second = report_apply(
        corrected, agency=agency, status=Status.IN_REVIEW, user=account, replace=True
    ).report
    assert second.pk != first.pk and second.is_current
    client = Client()
    client.force_login(account)
    return second, account, client


def _press_accept(client: Client, report: AnnualReport, **extra) -> str:
    report.refresh_from_db()
    url = reverse("admin:reports_annualreport_move", args=[report.pk, "accept"])
    data = {"version": report.version, **extra}
    return client.post(url, data, follow=True).content.decode()


def test_the_page_button_audits_the_new_revision_first(reimported):
    report, _, client = reimported
    page = _press_accept(client, report)
    errors = Finding.objects.filter(report=report, severity="error", status="open")
    assert errors and "我已逐条查看上述错误" in page
    assert all(e.message in page for e in errors)
    report.refresh_from_db()
    assert report.status == Status.IN_REVIEW
    _press_accept(client, report, apply="1", confirm="on", reason="已电话核实")
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED


def test_the_bulk_action_audits_the_new_revision_first(reimported):
    report, _, client = reimported
    data = {"action": "accept_reports", "_selected_action": [report.pk]}
    page = client.post(CHANGELIST, data).content.decode()
    assert "尚有未处理的错误" in page
    report.refresh_from_db()
    assert report.status == Status.IN_REVIEW


def test_the_workflow_itself_audits_before_approving(reimported):
    report, user, _ = reimported
    with pytest.raises(WorkflowError, match="审核通过须确认并填写理由"):
        report_transition(report=report, to_status=Status.ACCEPTED, user=user)
    report.refresh_from_db()
    assert report.status == Status.IN_REVIEW


def test_while_another_audit_runs_approval_waits(reimported):
    report, _, client = reimported
    AuditRun.objects.create(trigger="定时任务")
    page = _press_accept(client, report)
    assert "审核通过前须按年报的最新内容重新审核" in page
    assert "另一次审核正在运行" in page
    report.refresh_from_db()
    assert report.status == Status.IN_REVIEW

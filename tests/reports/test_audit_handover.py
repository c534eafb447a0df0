"""A revision awaiting review after an accepted one has its own copy of each finding: the
overview counts each problem once, and on acceptance the new revision's findings (with the
reviewer's decisions on them) take over from the old revision's."""

from __future__ import annotations

import pytest

from reports.audit.review import findings_review
from reports.audit.runner import AuditScope, audit_run
from reports.models import AnnualReport, Finding
from reports.workflow import report_supersede, report_transition
from tests.factories import cell, full_tables, make_agency, make_report

pytestmark = pytest.mark.django_db
Status = AnnualReport.Status
OVERVIEW = "/admin/overview/"


@pytest.fixture
def revised(superuser):
    """An accepted 2024 report whose 本年新收 total is not the sum (an audit error), and its
    new draft revision carrying the same error, both audited."""
    tables = full_tables("2021")
    tables["table3"]["new_received"]["total"] = cell(5)
    accepted = make_report(
        make_agency("淮安市财政局"), year=2024, tables=tables, status=Status.ACCEPTED
    )
    draft = report_supersede(report=accepted, user=superuser)
    audit_run(AuditScope(), trigger="测试")
    return accepted, draft


def _open_errors(**where) -> list[Finding]:
    return list(
        Finding.objects.filter(
            severity="error", status__in=["open", "confirmed"], **where
        )
    )


def test_the_overview_counts_a_problem_of_a_revised_report_once(
    revised, admin_client_logged_in
):
    accepted, draft = revised
    assert _open_errors(report=accepted) and _open_errors(report=draft)
    response = admin_client_logged_in.get(OVERVIEW, {"year": "2024"})
    assert response.status_code == 200
    headline = dict(response.context["headline"])
    assert headline["未了结的错误"].value == len(_open_errors(report=accepted))


def test_accepting_the_revision_keeps_its_own_decisions(revised, superuser):
    accepted, draft = revised
    findings_review(
        findings=Finding.objects.filter(report=accepted, severity="error"),
        status=Finding.Status.DISMISSED,
        reason="第1版原件如此",
        user=superuser,
    )
    findings_review(
        findings=Finding.objects.filter(report=draft, severity="error"),
        status=Finding.Status.CONFIRMED,
        reason="第2版确有此错，待下次更正",
        user=superuser,
    )
    report_transition(report=draft, to_status=Status.SUBMITTED, user=superuser)
    report_transition(report=draft, to_status=Status.IN_REVIEW, user=superuser)
    report_transition(
        report=draft, to_status=Status.ACCEPTED, user=superuser, reason="已核实"
    )
    audit_run(AuditScope(), trigger="测试")
    live = _open_errors(agency=draft.agency, year=2024)
    assert live and {f.report_id for f in live} == {draft.pk}
    assert {(f.status, f.reason) for f in live} == {
        (Finding.Status.CONFIRMED, "第2版确有此错，待下次更正")
    }
    # 第1版's copy is closed as superseded, its own decision kept on it.
    old = list(Finding.objects.filter(report=accepted, severity="error"))
    assert old and {(f.status, f.reason) for f in old} == {
        (Finding.Status.FIXED, "第1版原件如此")
    }

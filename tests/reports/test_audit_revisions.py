"""A revision awaiting review after an accepted one is audited on its own: its reviewer sees
its findings before accepting it, while the revision in force keeps its own findings and is
the only one the cross-report rules see."""

from __future__ import annotations

import pytest

from reports.audit.runner import AuditScope, audit_run
from reports.models import AnnualReport, Finding
from reports.workflow import WorkflowError, report_supersede, report_transition
from tests.factories import cell, full_tables, make_agency, make_report

pytestmark = pytest.mark.django_db
Status = AnnualReport.Status


@pytest.fixture
def revised(superuser):
    """An accepted 2024 report whose 本年新收 total is not the sum (an audit error, dismissed
    with a reason), and its new draft revision, which carries the same error."""
    tables = full_tables("2021")
    tables["table3"]["new_received"]["total"] = cell(5)
    accepted = make_report(
        make_agency("淮安市财政局"), year=2024, tables=tables, status=Status.ACCEPTED
    )
    audit_run(AuditScope(), trigger="测试")
    Finding.objects.filter(report=accepted, severity="error").update(
        status=Finding.Status.DISMISSED, reason="原件如此，已电话核实"
    )
    draft = report_supersede(report=accepted, user=superuser)
    return accepted, draft


def _errors(report: AnnualReport) -> list[Finding]:
    return list(Finding.objects.filter(report=report, severity="error"))


def test_the_pending_revision_gets_its_own_findings(revised):
    accepted, draft = revised
    audit_run(AuditScope(), trigger="测试")
    dismissed = _errors(accepted)
    assert dismissed and {f.status for f in dismissed} == {Finding.Status.DISMISSED}
    pending = _errors(draft)
    assert pending and {f.status for f in pending} == {Finding.Status.OPEN}
    assert {f.rule for f in pending} == {f.rule for f in dismissed}
    # Two revisions of one agency's year are not two agencies copying each other.
    assert not Finding.objects.filter(rule__startswith="copy").exists()


def test_an_audit_of_the_selected_draft_checks_it(revised):
    _, draft = revised
    audit_run(AuditScope(report_ids=(draft.pk,)), trigger="测试")
    assert _errors(draft)


def test_accepting_the_draft_with_its_errors_needs_a_reason(revised, superuser):
    _, draft = revised
    audit_run(AuditScope(), trigger="测试")
    report_transition(report=draft, to_status=Status.SUBMITTED, user=superuser)
    report_transition(report=draft, to_status=Status.IN_REVIEW, user=superuser)
    with pytest.raises(WorkflowError, match="审核通过须确认并填写理由"):
        report_transition(report=draft, to_status=Status.ACCEPTED, user=superuser)
    report_transition(
        report=draft, to_status=Status.ACCEPTED, user=superuser, reason="已核实"
    )
    draft.refresh_from_db()
    assert draft.in_force
    # Once in force, the next audit keeps one set of findings for the agency's year, on it.
    audit_run(AuditScope(), trigger="测试")
    live = Finding.objects.filter(
        agency=draft.agency, year=2024, severity="error"
    ).exclude(status=Finding.Status.FIXED)
    assert live and {f.report_id for f in live} == {draft.pk}


def test_next_year_is_compared_with_the_revision_in_force_not_the_draft(superuser):
    """A draft revision of 2023 (现行有效 changed to 7) awaits review: 2024 still follows
    the accepted 2023 figures (0), so the 2024 report gets no cross-year finding."""
    agency = make_agency("淮安市司法局")
    make_report(agency, year=2023, status=Status.ACCEPTED)
    changed = full_tables("2021")
    changed["table2"]["regulations"]["in_force"] = cell(7)
    draft = make_report(agency, year=2023, tables=changed, status=Status.DRAFT)
    assert draft.is_current and not draft.in_force
    following = make_report(agency, year=2024, status=Status.ACCEPTED)
    audit_run(AuditScope(), trigger="测试")
    assert not Finding.objects.filter(report=following, rule="X-in-force").exists()

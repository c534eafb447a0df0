"""The audit runner, its findings' life across runs, the lock, the command and the admin."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from reports.audit.runner import AuditAlreadyRunning, AuditScope, audit_run
from reports.fixtures.demo import DEMO_ANOMALIES, MISSING
from reports.models import AnnualReport, AuditRun, ChangeRecord, Finding, Table4Row
from reports.services import report_cells_update
from reports.workflow import report_withdraw
from tests.factories import cell, full_tables, make_agency, make_report

pytestmark = pytest.mark.django_db


def _seeded() -> set[tuple[str, int, str]]:
    seeded = {(a.agency, a.year, a.rule) for a in DEMO_ANOMALIES}
    return seeded | {
        (n, y, "missing-report") for y, names in MISSING.items() for n in names
    }


def _found() -> set[tuple[str, int, str]]:
    return {
        (f.agency.name, f.year, f.rule)
        for f in Finding.objects.exclude(status=Finding.Status.FIXED).select_related(
            "agency"
        )
    }


def test_auditing_the_demo_finds_what_was_seeded_and_only_that(demo):
    run = audit_run(AuditScope(), trigger="测试")
    assert run.status == AuditRun.Status.DONE
    assert run.reports_checked == AnnualReport.objects.filter(is_current=True).count()
    assert _found() == _seeded()


def test_a_rerun_updates_instead_of_duplicating(demo):
    audit_run(AuditScope(), trigger="测试")
    first = Finding.objects.count()
    second = audit_run(AuditScope(), trigger="测试")
    assert Finding.objects.count() == first
    assert second.opened == 0 and second.fixed == 0


def test_a_rerun_marks_unchanged_findings_seen_by_the_new_run(demo):
    first = audit_run(AuditScope(), trigger="测试")
    before = dict(Finding.objects.values_list("pk", "message"))
    second = audit_run(AuditScope(), trigger="测试")
    active = Finding.objects.exclude(status=Finding.Status.FIXED)
    assert active.exists()
    assert not active.filter(last_run=first).exists()
    assert set(active.values_list("last_run", flat=True)) == {second.pk}
    assert dict(Finding.objects.values_list("pk", "message")) == before


def test_a_rerun_rewrites_a_finding_whose_figures_changed():
    report = _t4_broken_report()
    audit_run(AuditScope(), trigger="测试")
    report_cells_update(report=report, changes={"table4.review.upheld": (12, "12")})
    run = audit_run(AuditScope(), trigger="测试")
    finding = Finding.objects.get(rule="T4-total")
    assert finding.last_run == run and finding.status == Finding.Status.OPEN
    assert finding.message.endswith("之和为 13")
    assert any(
        c["path"] == "table4.review.upheld" and c["value"] == 12 for c in finding.cells
    )


def _t4_broken_report():
    tables = full_tables("2021")
    tables["table4"]["review"] = {
        "upheld": cell(10),
        "corrected": cell(1),
        "other": cell(0),
        "pending": cell(0),
        "total": cell(0),
    }
    return make_report(make_agency("洪泽区人民政府"), year=2023, tables=tables)


def test_finding_records_rule_cells_and_report():
    report = _t4_broken_report()
    audit_run(AuditScope(), trigger="测试")
    finding = Finding.objects.get(rule="T4-total")
    assert finding.report == report and finding.severity == "error"
    assert finding.status == Finding.Status.OPEN
    paths = {c["path"] for c in finding.cells}
    assert "table4.review.total" in paths
    assert any(
        c["path"] == "table4.review.upheld" and c["value"] == 10 for c in finding.cells
    )


def test_a_dismissal_survives_the_next_run(superuser):
    _t4_broken_report()
    audit_run(AuditScope(), trigger="测试")
    finding = Finding.objects.get(rule="T4-total")
    finding.status, finding.reason = Finding.Status.DISMISSED, "原文如此，已电话核实"
    finding.reviewed_by = superuser
    finding.save()
    audit_run(AuditScope(), trigger="测试")
    finding.refresh_from_db()
    assert finding.status == Finding.Status.DISMISSED
    assert finding.reason == "原文如此，已电话核实"
    assert Finding.objects.filter(rule="T4-total").count() == 1


def test_a_fixed_cause_closes_the_finding_and_a_returning_one_reopens_it():
    report = _t4_broken_report()
    audit_run(AuditScope(), trigger="测试")
    report_cells_update(report=report, changes={"table4.review.total": (11, "11")})
    run = audit_run(AuditScope(), trigger="测试")
    finding = Finding.objects.get(rule="T4-total")
    assert finding.status == Finding.Status.FIXED and finding.fixed_at is not None
    assert run.fixed == 1
    report_cells_update(report=report, changes={"table4.review.total": (0, "0")})
    audit_run(AuditScope(), trigger="测试")
    finding.refresh_from_db()
    assert finding.status == Finding.Status.OPEN and finding.fixed_at is None


def test_a_withdrawn_report_is_not_audited_and_its_agency_has_no_report(superuser):
    report = _t4_broken_report()
    audit_run(AuditScope(), trigger="测试")
    finding = Finding.objects.get(rule="T4-total")
    assert not Finding.objects.filter(rule="missing-report").exists()
    report_withdraw(report=report, user=superuser, reason="报错了机关")
    finding.refresh_from_db()
    assert finding.status == Finding.Status.FIXED  # closed on withdrawal
    closed = ChangeRecord.objects.get(report=report, action=ChangeRecord.Action.FINDING)
    assert (closed.reason, closed.user) == ("年报已撤回", superuser)
    run = audit_run(AuditScope(), trigger="测试")
    assert run.reports_checked == 0
    finding.refresh_from_db()
    assert finding.status == Finding.Status.FIXED
    # The deadline of 2023 is long past: the agency now has no live report.
    missing = Finding.objects.get(rule="missing-report")
    assert (missing.agency, missing.year) == (report.agency, 2023)
    assert missing.status == Finding.Status.OPEN


def test_the_audit_closes_findings_of_reports_withdrawn_before_it_skipped_them():
    """Reports withdrawn while the audit still looked at them keep open findings until
    the next run, which closes them saying why."""
    report = _t4_broken_report()
    audit_run(AuditScope(), trigger="测试")
    AnnualReport.objects.filter(pk=report.pk).update(withdrawn=True)
    run = audit_run(AuditScope(), trigger="测试")
    assert Finding.objects.get(rule="T4-total").status == Finding.Status.FIXED
    closed = ChangeRecord.objects.get(report=report, action=ChangeRecord.Action.FINDING)
    assert closed.reason == f"审核 #{run.pk}：年报已撤回"


def test_a_run_on_one_year_does_not_close_other_years_findings():
    _t4_broken_report()
    audit_run(AuditScope(), trigger="测试")
    audit_run(AuditScope(year=2024), trigger="测试")
    assert Finding.objects.get(rule="T4-total").status == Finding.Status.OPEN


def test_two_runs_never_overlap():
    AuditRun.objects.create(trigger="另一个进程")
    with pytest.raises(AuditAlreadyRunning, match="另一次审核正在运行"):
        audit_run(AuditScope(), trigger="测试")
    assert AuditRun.objects.filter(status=AuditRun.Status.RUNNING).count() == 1


def _refuse_every_run_insert() -> None:
    """A trigger refusing inserts as the one-running-run constraint does, with no running
    run left to read: what a run that ends between our insert and our read looks like."""
    table = connection.ops.quote_name(AuditRun._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_run() RETURNS trigger AS $$ BEGIN RAISE "
                "EXCEPTION 'duplicate' USING ERRCODE = 'unique_violation'; END $$ "
                "LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER refuse_run BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION refuse_run()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER refuse_run BEFORE INSERT ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed'); END"
            )


def test_a_clash_with_a_run_that_just_ended_says_so_without_a_start_time():
    _refuse_every_run_insert()
    with pytest.raises(AuditAlreadyRunning, match="另一次审核刚刚结束"):
        audit_run(AuditScope(), trigger="测试")


def test_a_stale_running_run_is_taken_over():
    stale = AuditRun.objects.create(trigger="崩溃的进程")
    AuditRun.objects.filter(pk=stale.pk).update(started_at="2000-01-01T00:00:00Z")
    run = audit_run(AuditScope(), trigger="测试")
    stale.refresh_from_db()
    assert stale.status == AuditRun.Status.FAILED and run.status == AuditRun.Status.DONE


def test_each_run_is_recorded_with_scope_counts_and_duration(demo):
    run = audit_run(AuditScope(year=2024), trigger="测试")
    assert run.scope["year"] == 2024 and run.trigger == "测试"
    assert run.counts.get("error", 0) >= 1 and run.duration_seconds is not None
    assert run.finished_at is not None


def _audit(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_reports", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code)
    return code, out.getvalue(), err.getvalue()


def test_command_exits_1_when_open_errors_remain(demo):
    code, out, err = _audit()
    assert code == 1 and "T3-balance" in out and "待处理发现" in err
    code, _, _ = _audit("--fail-on", "never")
    assert code == 0


def test_command_json_lists_the_run_and_findings(demo):
    code, out, _ = _audit(
        "--format", "json", "--year", "2024", "--rule", "late", "--fail-on", "never"
    )
    data = json.loads(out)
    assert code == 0 and data["run"]["scope"]["year"] == 2024
    assert {f["rule"] for f in data["findings"]} == {"late"}
    finding = data["findings"][0]
    assert set(finding) >= {"rule", "severity", "agency", "year", "message", "cells"}
    assert finding["rule_title"] == "逾期发布年度报告"


def test_command_scopes_by_region_and_agency(demo):
    _, out, _ = _audit("--format", "json", "--region", "321300", "--fail-on", "never")
    regions = {f["region"] for f in json.loads(out)["findings"]}
    assert regions and all(code.startswith("3213") for code in regions)
    _, out, _ = _audit(
        "--format", "json", "--agency", "淮安市公安局", "--fail-on", "never"
    )
    assert {f["agency"] for f in json.loads(out)["findings"]} == {"淮安市公安局"}
    with pytest.raises(CommandError):
        call_command("audit_reports", "--region", "999999", stdout=io.StringIO())


def test_findings_admin_filters_and_bulk_dismiss_needs_a_reason(
    demo, admin_client_logged_in
):
    audit_run(AuditScope(), trigger="测试")
    client = admin_client_logged_in
    url = reverse("admin:reports_finding_changelist")
    for params in (
        {},
        {"severity": "error"},
        {"status": "open"},
        {"rule": "late"},
        {"region": "320800"},
        {"year": "2024"},
    ):
        assert client.get(url, params).status_code == 200
    late = list(Finding.objects.filter(rule="late").values_list("pk", flat=True))
    data = {
        "action": "dismiss_findings",
        "_selected_action": late,
        "apply": "1",
        "reason": "",
    }
    page = client.post(url, data)
    assert page.status_code == 200 and "必须填写理由" in page.content.decode()
    assert not Finding.objects.filter(status=Finding.Status.DISMISSED).exists()
    data["reason"] = "已核实系网站发布延迟"
    assert client.post(url, data).status_code == 302
    dismissed = Finding.objects.filter(status=Finding.Status.DISMISSED)
    assert set(dismissed.values_list("pk", flat=True)) == set(late)
    assert all(f.reviewed_by is not None and f.reviewed_at for f in dismissed)


def test_report_page_shows_findings_and_outlines_their_cells(admin_client_logged_in):
    report = _t4_broken_report()
    audit_run(AuditScope(), trigger="测试")
    page = admin_client_logged_in.get(
        reverse("admin:reports_annualreport_change", args=[report.pk])
    ).content.decode()
    assert "审核发现（" in page and "T4-total" in page
    assert 'class="input finding-error" data-path="table4.review.total"' in page


def test_run_audit_action_on_selected_reports(admin_client_logged_in):
    report = _t4_broken_report()
    response = admin_client_logged_in.post(
        reverse("admin:reports_annualreport_changelist"),
        {"action": "run_audit", "_selected_action": [report.pk]},
        follow=True,
    )
    assert "已审核 1 份年报" in response.content.decode()
    assert Finding.objects.filter(report=report, rule="T4-total").exists()
    assert (
        Table4Row.objects.get(report=report, row_key="review").total == 0
    )  # never "fixed"


def test_import_preview_shows_the_findings_before_saving(
    corpus_dir, admin_client_logged_in
):
    from agencies.models import Region
    from tests.factories import make_region

    county = make_region(name="洪泽区", level=Region.Level.COUNTY, code="320813")
    make_agency("洪泽区人民政府", region=county)
    pdf = corpus_dir / "real/hzq2023_working.pdf"
    with pdf.open("rb") as handle:
        response = admin_client_logged_in.post(
            reverse("admin:reports_annualreport_import"), {"files": handle}, follow=True
        )
    page = response.content.decode()
    assert "保存后审核将发现" in page and "T4-total" in page
    assert AnnualReport.objects.count() == 0 and Finding.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_parallel_workers_find_the_same_as_one_process(settings):
    """Forked workers need a database they can reach: PostgreSQL (pytest's SQLite is in memory)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("forked audit workers need a shared database server (PostgreSQL)")
    from reports import audit

    call_command("seed_demo", stdout=io.StringIO())
    audit.runner.PARALLEL_FROM = 10  # the demo is small; force the parallel path
    try:
        audit_run(AuditScope(), trigger="测试", workers=2)
    finally:
        audit.runner.PARALLEL_FROM = 2000
    assert _found() == _seeded()
    one = {(f.fingerprint, f.message) for f in Finding.objects.all()}
    Finding.objects.all().delete()
    audit_run(AuditScope(), trigger="测试", workers=1)
    assert {(f.fingerprint, f.message) for f in Finding.objects.all()} == one

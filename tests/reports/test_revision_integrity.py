"""Revisions keep their integrity: a superseded revision takes no workflow step, an import
saved as accepted counts, a revision cannot be moved away from its siblings, 建立新版次
cannot run twice, and withdrawn reports' figures stay as they are (review findings 1, 6,
7, 10, 11), through real admin requests, real services and real runs of import_reports."""

from __future__ import annotations

import io
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
import tablib
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from agencies.models import Membership, Region
from agencies.roles import membership_assign
from reports.core.parsed import ParsedReport
from reports.exporting.summary.selectors import KEY_FIGURES
from reports.importing.apply import ImportBlocked, report_apply
from reports.importing.interchange import to_interchange
from reports.models import AnnualReport, ReportYear
from reports.resources import ReportFiguresResource
from reports.workflow import (
    WorkflowError,
    report_supersede,
    report_transition,
    report_withdraw,
)
from tests.factories import full_tables, make_agency, make_region

pytestmark = pytest.mark.django_db
Status = AnnualReport.Status
AGENCY = "测试区卫生健康局"


@pytest.fixture
def people(django_user_model):
    """A city with its reviewer, one agency of it with its filer, and a province admin."""
    province = make_region(name="测试省", level=Region.Level.PROVINCE, code="990000")
    city = make_region(name="测试市", parent=province, code="990100")
    agency = make_agency(
        AGENCY, region=make_region(name="测试区", parent=city, code="990102")
    )

    def user(name: str, role: str, **where):
        account = django_user_model.objects.create_user(name, password="x-Pass-123")
        membership_assign(user=account, role=role, **where)
        return account

    return SimpleNamespace(
        admin=user("prov", Membership.Role.PROVINCE_ADMIN),
        reviewer=user("shenhe", Membership.Role.CITY_REVIEWER, region=city),
        filer=user("tianbao", Membership.Role.AGENCY_FILER, agency=agency),
        agency=agency,
    )


def _parsed(new_received: int) -> ParsedReport:
    tables = full_tables("2021")
    tables["table3"]["new_received"]["total"].value = new_received
    tables["table3"]["new_received"]["total"].raw = str(new_received)
    parsed = ParsedReport(agency=AGENCY, year=2024, format="2021", tables=tables)
    parsed.source.sha256 = f"sha-{new_received}"
    return parsed


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _first(people, status: str) -> AnnualReport:
    report = report_apply(_parsed(3), agency=people.agency).report
    AnnualReport.objects.filter(pk=report.pk).update(status=status)
    report.refresh_from_db()
    return report


def _move(client: Client, report: AnnualReport, step: str, version: int):
    url = reverse("admin:reports_annualreport_move", args=[report.pk, step])
    return client.post(url, {"version": version}, follow=True)


# --- 1: a superseded revision takes no step -------------------------------------------


def test_accepting_a_revision_replaced_by_an_import_is_refused(people):
    first = _first(people, Status.IN_REVIEW)
    seen = first.version  # reviewer A opened 第1版
    report_apply(_parsed(5), agency=people.agency, user=people.reviewer)  # B: 第2版
    response = _move(_client(people.reviewer), first, "accept", seen)
    assert response.status_code == 200
    assert "未执行“审核通过”" in response.content.decode()
    first.refresh_from_db()
    second = AnnualReport.objects.get(is_current=True)
    assert (first.status, second.status) == (Status.IN_REVIEW, Status.IN_REVIEW)
    assert second.revision == 2 and second.in_force


def test_the_services_refuse_steps_on_a_superseded_revision(people):
    first = _first(people, Status.DRAFT)
    report_apply(_parsed(5), agency=people.agency, user=people.filer)
    with pytest.raises(WorkflowError, match="旧版次不能再流转"):
        report_transition(report=first, to_status=Status.SUBMITTED, user=people.filer)
    with pytest.raises(WorkflowError, match="旧版次不能再流转"):
        report_withdraw(report=first, user=people.reviewer, reason="重复")
    first.refresh_from_db()
    assert (first.status, first.withdrawn) == (Status.DRAFT, False)


def test_a_new_revision_by_hand_makes_the_old_page_stale(people):
    accepted = _first(people, Status.ACCEPTED)
    seen = accepted.version
    report_supersede(report=accepted, user=people.filer)
    accepted.refresh_from_db()
    assert accepted.version == seen + 1


# --- 6: an import saved as accepted counts ------------------------------------------------


def test_the_command_importing_as_accepted_puts_the_revision_in_force(
    people, tmp_path: Path
):
    accepted = _first(people, Status.ACCEPTED)
    report_supersede(report=accepted, user=people.filer)  # 第2版 draft, pending
    path = tmp_path / "r.json"
    document = to_interchange(_parsed(7))
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    call_command(
        "import_reports",
        str(path),
        status=Status.ACCEPTED,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    rows = AnnualReport.objects.order_by("revision").values_list(
        "revision", "status", "is_current", "in_force"
    )
    assert list(rows) == [
        (1, Status.ACCEPTED, False, False),
        (2, Status.DRAFT, False, False),
        (3, Status.ACCEPTED, True, True),
    ]


# --- 7: a revision is not moved away from its siblings -------------------------------


def test_moving_one_revision_to_another_year_is_refused(people):
    accepted = _first(people, Status.ACCEPTED)
    draft = report_supersede(report=accepted, user=people.reviewer)
    url = reverse("admin:reports_annualreport_change", args=[draft.pk])
    client = _client(people.reviewer)
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    other = ReportYear.objects.create(year=2025, **ReportYear.defaults_for(2025))
    response = client.post(url, {**data, "report_year": other.pk})
    assert response.status_code == 200
    assert "共有 2 个版次，不能只把其中一个版次改到其他机关或年度" in (
        response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.report_year.year == 2024


def test_an_import_over_revisions_without_a_current_one_is_refused_in_words(
    people, tmp_path: Path
):
    accepted = _first(people, Status.ACCEPTED)
    draft = report_supersede(report=accepted, user=people.reviewer)
    # Left behind by a move made before the form refused it.
    other = ReportYear.objects.create(year=2025, **ReportYear.defaults_for(2025))
    AnnualReport.objects.filter(pk=draft.pk).update(report_year=other)
    with pytest.raises(ImportBlocked, match="2024 年度已有年报（第 1 版），但没有现行"):
        report_apply(_parsed(9), agency=people.agency)
    path = tmp_path / "r.json"
    path.write_text(json.dumps(to_interchange(_parsed(9)), ensure_ascii=False))
    err = io.StringIO()
    with pytest.raises(CommandError, match="失败 1 个文件"):
        call_command("import_reports", str(path), stdout=io.StringIO(), stderr=err)
    assert "年报版次冲突，未能保存（revision_clash）" in err.getvalue()
    assert AnnualReport.objects.count() == 2


# --- 10: 建立新版次 once, and never on a withdrawn report ----------------------------------


def test_a_second_click_on_new_revision_is_refused_not_a_500(people):
    accepted = _first(people, Status.ACCEPTED)
    stale = AnnualReport.objects.get(pk=accepted.pk)  # loaded by the second request
    report_supersede(report=accepted, user=people.filer)
    with pytest.raises(WorkflowError, match="已有更新的版次"):
        report_supersede(report=stale, user=people.filer)
    assert AnnualReport.objects.count() == 2
    response = _move(_client(people.filer), accepted, "revise", accepted.version)
    assert response.status_code == 200
    assert AnnualReport.objects.count() == 2


def test_a_withdrawn_report_gets_no_new_revision(people):
    accepted = _first(people, Status.ACCEPTED)
    report_withdraw(report=accepted, user=people.reviewer, reason="重复报送")
    with pytest.raises(WorkflowError, match="已撤回"):
        report_supersede(report=accepted, user=people.reviewer)
    assert AnnualReport.objects.count() == 1


# --- 11: the figures import follows the page's rule ----------------------------------


def _figures_edit(report: AnnualReport, user) -> str:
    dataset = ReportFiguresResource().export(AnnualReport.objects.filter(pk=report.pk))
    row = list(dataset[0])
    row[dataset.headers.index(KEY_FIGURES[4].label)] = 25
    result = ReportFiguresResource().import_data(
        tablib.Dataset(row, headers=dataset.headers), dry_run=True, user=user
    )
    return " ".join(
        str(row.validation_error) for row in result.rows if row.validation_error
    )


def test_the_figures_import_leaves_withdrawn_reports_alone(people):
    report = _first(people, Status.IN_REVIEW)
    report_withdraw(report=report, user=people.reviewer, reason="重复报送")
    assert "这份年报已撤回，数字不能再改" in _figures_edit(report, people.reviewer)


def test_the_figures_import_names_the_real_step_for_an_accepted_report(people):
    report = _first(people, Status.ACCEPTED)
    message = _figures_edit(report, people.reviewer)
    assert "已审核通过" in message and "建立新版次" in message
    assert "退回" not in message

"""The report page's workflow buttons, approving with open errors, read-only reports and the
print view, through real admin requests as a city reviewer and an agency filer."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from agencies.models import Membership, Region
from agencies.roles import membership_assign
from reports.audit.runner import AuditScope, audit_run
from reports.models import AnnualReport, ChangeRecord, Finding, ReportTransition
from tests.factories import cell, full_tables, make_agency, make_region, make_report

pytestmark = pytest.mark.django_db
Status = AnnualReport.Status
CHANGELIST = reverse("admin:reports_annualreport_changelist")


def _page(report: AnnualReport) -> str:
    return reverse("admin:reports_annualreport_change", args=[report.pk])


def _move(report: AnnualReport, step: str) -> str:
    return reverse("admin:reports_annualreport_move", args=[report.pk, step])


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def city(django_user_model) -> SimpleNamespace:
    """A city with a reviewer, an agency with its filer, and the agency's 2024 report:
    table 三's 本年新收 total says 5 while its columns are all 0 (an audit error)."""
    region = make_region(name="淮安市", level=Region.Level.CITY)
    agency = make_agency("淮安市卫生健康委员会", region=region)
    tables = full_tables("2021")
    tables["table3"]["new_received"]["total"] = cell(5)
    tables["table3"]["granted"]["commercial"] = cell(None, "")
    tables["table3"]["granted"]["research"] = cell(None, "/")
    del tables["table3"]["granted"]["public_interest"]
    report = make_report(agency, year=2024, tables=tables, status=Status.DRAFT)
    clean = make_report(
        make_agency("淮安市教育局", region=region), year=2024, status=Status.IN_REVIEW
    )

    def user(name: str, role: str, **where):
        account = django_user_model.objects.create_user(name, password="x-Pass-123")
        membership_assign(user=account, role=role, **where)
        return account

    reviewer = user("huaian", Membership.Role.CITY_REVIEWER, region=region)
    filer = user("weijian", Membership.Role.AGENCY_FILER, agency=agency)
    return SimpleNamespace(
        report=report,
        clean=clean,
        reviewer=_login(reviewer),
        filer=_login(filer),
        outsider=_login(
            user(
                "suqian",
                Membership.Role.CITY_REVIEWER,
                region=make_region(name="宿迁市", level=Region.Level.CITY),
            )
        ),
    )


def _set_status(report: AnnualReport, status: str) -> None:
    AnnualReport.objects.filter(pk=report.pk).update(status=status)
    report.refresh_from_db()


def _press(client: Client, report: AnnualReport, step: str, **extra) -> str:
    report.refresh_from_db()
    data = {"version": report.version, **extra}
    return client.post(_move(report, step), data, follow=True).content.decode()


def _buttons(page: str) -> list[str]:
    return re.findall(r'class="button step-(\w+)"', page)


def _audit(report: AnnualReport) -> list[Finding]:
    audit_run(AuditScope(report_ids=(report.pk,)), trigger="测试")
    errors = list(
        Finding.objects.filter(report=report, severity="error", status="open")
    )
    assert errors, "the fixture's report must have an open error"
    return errors


# --- item 9: the buttons on the page -------------------------------------------------------


def test_the_page_offers_only_the_steps_the_user_may_take(city):
    report = city.report
    assert _buttons(city.filer.get(_page(report)).content.decode()) == [
        "submit",
        "print",
    ]
    # A reviewer does not submit for the agency; nothing to review in a draft but withdrawal.
    assert _buttons(city.reviewer.get(_page(report)).content.decode()) == [
        "submit",
        "withdraw",
        "print",
    ]
    _set_status(report, Status.SUBMITTED)
    assert _buttons(city.filer.get(_page(report)).content.decode()) == ["print"]
    assert _buttons(city.reviewer.get(_page(report)).content.decode()) == [
        "review",
        "return",
        "withdraw",
        "print",
    ]
    _set_status(report, Status.ACCEPTED)
    assert _buttons(city.filer.get(_page(report)).content.decode()) == [
        "revise",
        "print",
    ]


def test_the_buttons_walk_the_workflow_and_ask_for_reasons(city):
    report = city.report
    assert "已提交。" in _press(city.filer, report, "submit")
    assert "已受理。" in _press(city.reviewer, report, "review")
    form = _press(city.reviewer, report, "return")
    assert "必须填写理由（填报单位将看到这段意见）" in form
    report.refresh_from_db()
    assert report.status == Status.IN_REVIEW
    refused = _press(city.reviewer, report, "return", apply="1", reason=" ")
    assert "退回修改必须填写理由" in refused
    _press(city.reviewer, report, "return", apply="1", reason="请核对表三总计")
    report.refresh_from_db()
    assert report.status == Status.RETURNED
    assert ReportTransition.objects.filter(
        report=report, to_status="returned", reason="请核对表三总计"
    ).exists()
    # The filer may not take a reviewer's step by posting to its address.
    _press(city.filer, report, "withdraw", apply="1", reason="越权")
    report.refresh_from_db()
    assert not report.withdrawn


def test_a_button_on_a_page_opened_before_a_change_does_nothing(city):
    report = city.report
    _set_status(report, Status.SUBMITTED)
    seen = report.version
    _press(city.reviewer, report, "review")
    page = city.reviewer.post(
        _move(report, "return"),
        {"version": seen, "apply": "1", "reason": "旧页面上的退回"},
        follow=True,
    ).content.decode()
    assert "您打开页面后，这份年报已被修改或流转（当前状态：审核中" in page
    report.refresh_from_db()
    assert report.status == Status.IN_REVIEW


def test_new_revision_from_the_page_opens_the_draft(city):
    report = city.report
    _set_status(report, Status.ACCEPTED)
    response = city.filer.post(
        _move(report, "revise"), {"version": report.version}, follow=True
    )
    revision = AnnualReport.objects.get(
        agency=report.agency, report_year=report.report_year, is_current=True
    )
    assert revision.revision == 2 and revision.status == Status.DRAFT
    assert response.redirect_chain[-1][0] == _page(revision)
    assert "已建立第 2 版（草稿）" in response.content.decode()


# --- item 9: read-only reports -------------------------------------------------------------


def test_an_accepted_report_shows_plain_cells_not_inputs(city):
    report = city.report
    draft = city.reviewer.get(_page(report)).content.decode()
    assert 'name="cell__table3__new_received__total"' in draft
    assert 'name="overview"' in draft
    _set_status(report, Status.ACCEPTED)
    page = city.reviewer.get(_page(report)).content.decode()
    assert 'name="cell__' not in page and 'name="overview"' not in page
    assert "（只读）" in page
    total = re.search(
        r'data-path="table3.new_received.total"[^>]*>\s*<span class="cell cell-(\w+)"'
        r"[^>]*>(\w*)</span>",
        page,
    )
    assert total and total.groups() == ("number", "5")
    assert re.search(
        r'data-path="table3.granted.research".*?cell-na[^>]*>/<', page, re.S
    )
    assert re.search(r'data-path="table3.granted.public_interest".*?>缺<', page, re.S)


def test_a_withdrawn_report_has_no_buttons_and_no_inputs(city):
    report = city.report
    _press(city.reviewer, report, "withdraw", apply="1", reason="重复报送")
    report.refresh_from_db()
    assert report.withdrawn
    page = city.reviewer.get(_page(report)).content.decode()
    assert _buttons(page) == ["print"]
    assert 'name="cell__' not in page and "本年报已撤回：重复报送" in page


# --- item 2: approving with open errors ----------------------------------------------------


def test_approving_with_open_errors_needs_a_confirmed_reason(city):
    report = city.report
    _set_status(report, Status.IN_REVIEW)
    errors = _audit(report)
    data = {"action": "accept_reports", "_selected_action": [report.pk, city.clean.pk]}
    page = city.reviewer.post(CHANGELIST, data).content.decode()
    assert "尚有未处理的错误" in page
    assert all(e.rule in page and e.message in page for e in errors)
    unconfirmed = city.reviewer.post(
        CHANGELIST, {**data, "apply": "1", "reason": "原文如此，已电话核实"}
    ).content.decode()
    assert "请勾选确认" in unconfirmed
    report.refresh_from_db()
    assert report.status == Status.IN_REVIEW
    city.reviewer.post(
        CHANGELIST,
        {**data, "apply": "1", "confirm": "on", "reason": "原文如此，已电话核实"},
    )
    report.refresh_from_db()
    city.clean.refresh_from_db()
    assert report.status == city.clean.status == Status.ACCEPTED
    record = ChangeRecord.objects.get(report=report, action="status")
    assert record.reason.startswith(f"确认带 {len(errors)} 条未处理的错误（")
    assert record.reason.endswith("审核通过：原文如此，已电话核实")
    assert errors[0].rule in record.reason
    assert ReportTransition.objects.get(report=report).reason == record.reason
    history = city.reviewer.get(_page(report)).content.decode()
    assert "原文如此，已电话核实" in history


def test_the_page_button_asks_for_the_same_confirmation(city):
    report = city.report
    _set_status(report, Status.IN_REVIEW)
    errors = _audit(report)
    page = city.reviewer.get(_page(report)).content.decode()
    assert f"尚有 {len(errors)} 条未处理的错误" in page
    form = _press(city.reviewer, report, "accept")
    assert errors[0].message in form and "我已逐条查看上述错误" in form
    _press(city.reviewer, report, "accept", apply="1", confirm="on", reason="已核实")
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED


def test_approving_with_open_errors_is_refused_where_the_province_says_so(
    city, settings
):
    settings.REPORTS_APPROVE_WITH_ERRORS = "refuse"
    report = city.report
    _set_status(report, Status.IN_REVIEW)
    _audit(report)
    data = {"action": "accept_reports", "_selected_action": [report.pk, city.clean.pk]}
    page = city.reviewer.post(CHANGELIST, data, follow=True).content.decode()
    assert "按本省规定不能审核通过" in page
    report.refresh_from_db()
    city.clean.refresh_from_db()
    assert (report.status, city.clean.status) == (Status.IN_REVIEW, Status.ACCEPTED)
    button = city.reviewer.get(_page(report)).content.decode()
    assert re.search(r'class="button step-accept" disabled', button)
    assert "按本省规定不能审核通过" in _press(city.reviewer, report, "accept")
    report.refresh_from_db()
    assert report.status == Status.IN_REVIEW


def test_dismissed_errors_do_not_hold_up_approval(city):
    report = city.report
    _set_status(report, Status.IN_REVIEW)
    errors = _audit(report)
    Finding.objects.filter(pk__in=[e.pk for e in errors]).update(
        status="dismissed", reason="原文如此"
    )
    assert "已审核通过。" in _press(city.reviewer, report, "accept")
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED


# --- item 9: the print view ----------------------------------------------------------------


def test_the_print_view_is_the_paper_form_without_the_admin(city):
    report = city.report
    page = city.reviewer.get(_page(report)).content.decode()
    url = reverse("admin:reports_annualreport_print", args=[report.pk])
    assert f'href="{url}"' in page
    response = city.reviewer.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'lang="zh-hans"' in text and 'id="header"' not in text
    assert "reports/print.css" in text
    for heading in (
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ):
        assert heading in text, heading
    assert (
        len(re.findall(r'<section class="[^"]*table-page[" ]', text)) == 4
    )  # tables 二, 三, 四 and 五/六 on new pages
    assert "<input" not in text
    assert '<td class="value state-missing"><span class="mark">缺</span></td>' in text
    assert '<td class="value state-na">/</td>' in text
    assert '<td class="value state-blank"></td>' in text
    assert city.outsider.get(url).status_code == 302  # out of scope: "不存在"

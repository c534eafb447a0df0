"""Findings handled like reports: confirm, dismiss, mark fixed and reopen through the
admin as a 市级审核员, with reasons, Chinese messages and cells named in words."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from agencies.models import Membership, Region
from agencies.roles import membership_assign
from reports.audit.runner import AuditScope, audit_run
from reports.models import ChangeRecord, Finding
from tests.factories import cell, full_tables, make_agency, make_region, make_report

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:reports_finding_changelist")
Status = Finding.Status


@pytest.fixture
def finding(django_user_model) -> Finding:
    """A T3-row-total finding on 表三「本年新收」·总计 of a 2023 report."""
    city = make_region(name="淮安市", level=Region.Level.CITY)
    agency = make_agency("洪泽区人民政府", region=city)
    tables = full_tables("2021")
    tables["table3"]["new_received"]["natural_person"] = cell(3)
    tables["table3"]["new_received"]["total"] = cell(5)
    make_report(agency, year=2023, tables=tables)
    audit_run(AuditScope(), trigger="测试")
    return Finding.objects.get(rule="T3-row-total")


@pytest.fixture
def reviewer(finding, django_user_model) -> Client:
    user = django_user_model.objects.create_user("huaian", password="x-Pass-123")
    membership_assign(
        user=user,
        role=Membership.Role.CITY_REVIEWER,
        region=finding.agency.region,
    )
    client = Client()
    client.force_login(user)
    return client


def _act(client: Client, action: str, finding: Finding, **extra):
    data = {"action": action, "_selected_action": [finding.pk], **extra}
    return client.post(CHANGELIST, data)


def _messages(response) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


def test_the_list_names_the_rule_next_to_its_id(reviewer, finding):
    page = reviewer.get(CHANGELIST).content.decode()
    assert "T3-row-total" in page
    assert "表三总计列等于自然人与法人或其他组织各列之和" in page
    # The rule filter too.
    assert "T3-row-total 表三总计列等于自然人与法人或其他组织各列之和" in page


def test_the_finding_page_names_its_cells_in_words_not_json(reviewer, finding):
    page = reviewer.get(
        reverse("admin:reports_finding_change", args=[finding.pk])
    ).content.decode()
    assert "表三「本年新收」·总计：5" in page
    assert "表三「本年新收」·自然人：3" in page
    assert '"path"' not in page and "table3.new_received" not in page


def test_confirming_asks_first_then_records_who_and_why(reviewer, finding):
    page = _act(reviewer, "confirm_findings", finding)
    assert page.status_code == 200
    text = page.content.decode()
    assert "确认审核发现" in text and "洪泽区人民政府 2023年度" in text
    assert "涉及 表三「本年新收」·总计" in text
    finding.refresh_from_db()
    assert finding.status == Status.OPEN  # nothing recorded before the second post

    done = _act(reviewer, "confirm_findings", finding, apply="1", reason="")
    assert done.status_code == 302
    finding.refresh_from_db()
    assert finding.status == Status.CONFIRMED
    assert finding.reviewed_by.username == "huaian"
    assert _messages(done) == [("success", "已确认 1 条发现。")]
    record = ChangeRecord.objects.get(report=finding.report, action="finding")
    assert list(record.changes.values()) == [["open", "confirmed"]]


def test_marking_fixed_needs_a_reason_then_closes_the_finding(reviewer, finding):
    refused = _act(reviewer, "fix_findings", finding, apply="1", reason="  ")
    assert refused.status_code == 200
    assert "手动标记为已消除必须填写理由" in refused.content.decode()
    finding.refresh_from_db()
    assert finding.status == Status.OPEN

    done = _act(reviewer, "fix_findings", finding, apply="1", reason="单位已重新报送")
    assert done.status_code == 302
    assert _messages(done) == [("success", "已标记为已消除 1 条发现。")]
    finding.refresh_from_db()
    assert finding.status == Status.FIXED and finding.fixed_at is not None
    assert finding.reason == "单位已重新报送"


def test_a_hand_fixed_finding_whose_cause_remains_is_reopened_by_the_audit(
    reviewer, finding
):
    _act(reviewer, "fix_findings", finding, apply="1", reason="单位称已更正")
    audit_run(AuditScope(), trigger="测试")
    finding.refresh_from_db()
    assert finding.status == Status.OPEN


def test_actions_leave_fixed_findings_alone_and_say_so(reviewer, finding):
    Finding.objects.filter(pk=finding.pk).update(status=Status.FIXED)
    page = _act(reviewer, "reopen_findings", finding).content.decode()
    assert "其中 1 项已消除，不会改动" in page
    done = _act(reviewer, "reopen_findings", finding, apply="1", reason="")
    assert ("warning", "另有 1 条已消除的发现未改动：是否重新出现由下次审核判断。") in (
        _messages(done)
    )
    finding.refresh_from_db()
    assert finding.status == Status.FIXED


def test_dismissing_on_the_finding_page_without_reason_is_a_chinese_sentence(
    reviewer, finding
):
    url = reverse("admin:reports_finding_change", args=[finding.pk])
    page = reviewer.post(url, {"status": "dismissed", "reason": ""})
    assert page.status_code == 200
    text = page.content.decode()
    assert "排除发现必须填写理由（为什么这不是问题）。" in text
    assert "reports_finding_dismissal_has_reason" not in text and "约束" not in text
    finding.refresh_from_db()
    assert finding.status == Status.OPEN


def test_fixed_on_the_finding_page_is_either_refused_or_done_never_both(
    reviewer, finding
):
    url = reverse("admin:reports_finding_change", args=[finding.pk])
    refused = reviewer.post(url, {"status": "fixed", "reason": ""})
    assert refused.status_code == 200
    assert "手动标记为已消除必须填写理由" in refused.content.decode()
    assert _messages(refused) == []  # no "changed successfully" beside the error
    finding.refresh_from_db()
    assert finding.status == Status.OPEN

    done = reviewer.post(url, {"status": "fixed", "reason": "单位已更正"})
    assert done.status_code == 302
    assert [level for level, _ in _messages(done)] == ["success"]
    finding.refresh_from_db()
    assert finding.status == Status.FIXED and finding.reviewed_by is not None
    # A fixed finding's page is read-only: the audit decides whether it comes back.
    page = reviewer.get(url).content.decode()
    assert 'name="status"' not in page


def test_the_constraint_itself_speaks_chinese(finding):
    finding.status, finding.reason = Status.DISMISSED, ""
    with pytest.raises(ValidationError) as caught:
        finding.validate_constraints()
    assert caught.value.messages == ["排除发现必须填写理由（为什么这不是问题）。"]


def test_a_bad_year_in_the_findings_list_is_ignored_with_a_message(reviewer, finding):
    response = reviewer.get(CHANGELIST, {"year": "abc"})
    assert response.status_code == 200
    assert ("warning", "年度“abc”不是四位数字，已忽略此筛选条件。") in _messages(
        response
    )
    assert finding in response.context["cl"].queryset
    assert reviewer.get(CHANGELIST, {"year": "2023"}).status_code == 200

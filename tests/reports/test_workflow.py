"""Review workflow, roles scoped by region, change history and no lost updates,
exercised through real admin requests as each role."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from agencies.models import Agency, Membership, Region
from agencies.roles import membership_assign
from reports.admin.report_list import WithdrawnFilter
from reports.audit.runner import AuditScope, audit_run
from reports.models import (
    AnnualReport,
    AuditRun,
    ChangeRecord,
    Finding,
    ReportTransition,
    Table3Row,
)

pytestmark = pytest.mark.django_db
Status = AnnualReport.Status
CHANGELIST = reverse("admin:reports_annualreport_changelist")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(demo, django_user_model):
    """A province admin, a city reviewer for 淮安市 and a filer for 洪泽区卫生健康局."""
    huaian = Region.objects.get(code="320800")
    hongze = Agency.objects.get(name="洪泽区卫生健康局")

    def user(name: str, role: str, **where):
        account = django_user_model.objects.create_user(name, password="x-Pass-123")
        membership_assign(user=account, role=role, **where)
        return account

    return SimpleNamespace(
        admin=user("prov", Membership.Role.PROVINCE_ADMIN),
        reviewer=user("huaian", Membership.Role.CITY_REVIEWER, region=huaian),
        filer=user("hongze", Membership.Role.AGENCY_FILER, agency=hongze),
        huaian=huaian,
        hongze=hongze,
        own=AnnualReport.objects.get(agency=hongze, report_year__year=2024),
        suqian=AnnualReport.objects.filter(
            agency__region__code__startswith="3213"
        ).first(),
    )


def _set_status(report: AnnualReport, status: str) -> None:
    AnnualReport.objects.filter(pk=report.pk).update(status=status)
    report.refresh_from_db()


def _act(client: Client, action: str, *reports: AnnualReport, **extra) -> str:
    data = {"action": action, "_selected_action": [r.pk for r in reports], **extra}
    return client.post(CHANGELIST, data, follow=True).content.decode()


# --- workflow ------------------------------------------------------------------------------


def test_the_whole_workflow_records_who_when_and_why(people):
    report = people.own
    _set_status(report, Status.DRAFT)
    _act(_client(people.filer), "submit_reports", report)
    _act(_client(people.reviewer), "start_review", report)
    _act(
        _client(people.reviewer),
        "return_reports",
        report,
        apply="1",
        reason="表三本年新收总计与各列之和不符，请核对后重新提交",
    )
    report.refresh_from_db()
    assert report.status == Status.RETURNED
    _act(_client(people.filer), "submit_reports", report)
    _act(_client(people.reviewer), "start_review", report)
    # Confirmed with a reason, in case the demo's audit left errors open on it.
    _act(
        _client(people.reviewer),
        "accept_reports",
        report,
        apply="1",
        confirm="on",
        reason="已核实",
    )
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED
    moves = [
        (t.from_status, t.to_status, t.user.username)
        for t in ReportTransition.objects.filter(report=report)
    ]
    assert moves == [
        ("draft", "submitted", "hongze"),
        ("submitted", "in_review", "huaian"),
        ("in_review", "returned", "huaian"),
        ("returned", "submitted", "hongze"),
        ("submitted", "in_review", "huaian"),
        ("in_review", "accepted", "huaian"),
    ]
    status_history = ChangeRecord.objects.filter(report=report, action="status")
    assert status_history.count() == 6
    assert status_history.filter(reason__contains="表三本年新收").exists()


def test_returning_needs_a_reason(people):
    report = people.own
    _set_status(report, Status.IN_REVIEW)
    page = _act(
        _client(people.reviewer), "return_reports", report, apply="1", reason=" "
    )
    assert "退回修改必须填写理由" in page
    report.refresh_from_db()
    assert report.status == Status.IN_REVIEW


def test_the_agency_sees_the_reviewers_comment(people):
    report = people.own
    _set_status(report, Status.IN_REVIEW)
    _act(
        _client(people.reviewer),
        "return_reports",
        report,
        apply="1",
        reason="请补充表四数据",
    )
    page = _client(people.filer).get(
        reverse("admin:reports_annualreport_change", args=[report.pk])
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "审核流转与意见" in text and "请补充表四数据" in text
    # The history names the field and statuses in words, not as codes.
    assert "状态：审核中 → 退回修改" in text and "status：" not in text


def test_a_filer_cannot_review_and_illegal_moves_are_refused(people):
    report = people.own
    _set_status(report, Status.SUBMITTED)
    _act(_client(people.filer), "accept_reports", report)
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    _set_status(report, Status.ACCEPTED)
    page = _act(_client(people.reviewer), "start_review", report)
    assert "不能改为" in page
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED


def test_an_accepted_report_is_read_only_and_superseded_by_a_new_revision(people):
    report = people.own
    _set_status(report, Status.ACCEPTED)
    url = reverse("admin:reports_annualreport_change", args=[report.pk])
    client = _client(people.reviewer)
    page = client.get(url).content.decode()
    assert 'name="_save"' not in page  # view only
    before = Table3Row.objects.get(report=report, row_key="new_received").total
    client.post(url, {"cell__table3__new_received__total": "999", "title": "改"})
    assert Table3Row.objects.get(report=report, row_key="new_received").total == before
    _act(client, "new_revision", report)
    report.refresh_from_db()
    revision = AnnualReport.objects.get(
        agency=report.agency, report_year=report.report_year, is_current=True
    )
    assert (report.status, report.is_current) == (Status.ACCEPTED, False)
    assert (revision.status, revision.revision) == (Status.DRAFT, report.revision + 1)
    assert (
        Table3Row.objects.get(report=revision, row_key="new_received").total == before
    )
    assert ChangeRecord.objects.filter(report=revision, action="revised").exists()
    # Both revisions stay on the list: each page says which one it is, and which counts.
    assert "生效中；第 2 版正在修改（草稿）" in client.get(url).content.decode()
    current = reverse("admin:reports_annualreport_change", args=[revision.pk])
    assert "第 2 版：草稿，现行版本，尚未生效" in client.get(current).content.decode()


def test_the_reason_page_names_the_revision(people):
    report = people.own
    _set_status(report, Status.ACCEPTED)
    _act(_client(people.filer), "new_revision", report)
    revision = AnnualReport.objects.get(
        agency=report.agency, report_year=report.report_year, is_current=True
    )
    _set_status(revision, Status.IN_REVIEW)
    page = _act(_client(people.reviewer), "return_reports", revision)
    assert f"{report.agency.name} 2024年度 第 2 版（审核中）" in page


def test_withdrawn_reports_leave_the_list_but_are_never_deleted(people):
    report = people.own
    client = _client(people.admin)
    page = _act(client, "withdraw_reports", report, apply="1", reason="重复报送")
    report.refresh_from_db()
    assert report.withdrawn and report.withdrawn_reason == "重复报送"
    listing = client.get(CHANGELIST, {"q": report.agency.name})
    assert report not in listing.context["cl"].result_list
    listing = client.get(CHANGELIST, {"q": report.agency.name, "withdrawn": "yes"})
    assert report in listing.context["cl"].result_list
    listing = client.get(CHANGELIST, {"q": report.agency.name, "withdrawn": "all"})
    assert report in listing.context["cl"].result_list
    # The filter names what the list shows by default: not "全部" twice.
    listing = client.get(CHANGELIST)
    cl = listing.context["cl"]
    (spec,) = [f for f in cl.filter_specs if isinstance(f, WithdrawnFilter)]
    assert [c["display"] for c in spec.choices(cl)] == [
        "未撤回（默认）",
        "只看已撤回",
        "全部（含已撤回）",
    ]
    assert "未撤回（默认）" in listing.content.decode()
    assert "delete_selected" not in page
    delete_url = reverse("admin:reports_annualreport_delete", args=[report.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert AnnualReport.objects.filter(pk=report.pk).exists()
    assert ChangeRecord.objects.filter(report=report, action="withdrawn").exists()


# --- region scope ----------------------------------------------------------------------------


def _in_huaian() -> set[int]:
    return set(
        AnnualReport.objects.filter(agency__region__path__startswith="/320000/320800/")
        .filter(withdrawn=False)
        .values_list("pk", flat=True)
    )


def test_each_role_lists_exactly_its_scope(people):
    for user, expected in (
        (people.admin, set(AnnualReport.objects.values_list("pk", flat=True))),
        (people.reviewer, _in_huaian()),
        (people.filer, set(people.hongze.reports.values_list("pk", flat=True))),
    ):
        listing = _client(user).get(CHANGELIST, {"withdrawn": "all"})
        shown = {r.pk for r in listing.context["cl"].queryset}
        assert shown == expected, user.username


def test_out_of_scope_ids_cannot_be_read_or_changed(people):
    outside = people.suqian
    assert outside.pk not in _in_huaian()
    for user in (people.reviewer, people.filer):
        client = _client(user)
        url = reverse("admin:reports_annualreport_change", args=[outside.pk])
        page = client.get(url)
        assert page.status_code == 302  # "不存在" and back to the index
        client.post(url, {"title": "越权修改", "expected_version": outside.version})
        _set_status(outside, Status.IN_REVIEW)
        _act(client, "return_reports", outside, apply="1", reason="越权退回")
        _act(client, "accept_reports", outside)
        outside.refresh_from_db()
        assert outside.title != "越权修改" and outside.status == Status.IN_REVIEW
        history = reverse("admin:reports_annualreport_history", args=[outside.pk])
        assert client.get(history).status_code in (302, 403, 404)


def test_findings_agencies_regions_and_history_follow_the_scope(people):
    audit_run(AuditScope(), trigger="测试")
    client = _client(people.reviewer)
    findings = client.get(reverse("admin:reports_finding_changelist"))
    assert findings.status_code == 200
    assert all(
        f.agency.region.path.startswith(people.huaian.path)
        for f in findings.context["cl"].queryset
    )
    outside = Finding.objects.exclude(
        agency__region__path__startswith=people.huaian.path
    ).first()
    page = client.get(reverse("admin:reports_finding_change", args=[outside.pk]))
    assert page.status_code == 302
    agencies = client.get(reverse("admin:agencies_agency_changelist"))
    assert all(
        a.region.path.startswith(people.huaian.path)
        for a in agencies.context["cl"].queryset
    )
    for model, field, term in (
        ("reports.annualreport", "agency", "宿迁"),
        ("agencies.agency", "region", "宿"),
    ):
        app_label, model_name = model.split(".")
        response = client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": app_label,
                "model_name": model_name,
                "field_name": field,
                "term": term,
            },
        )
        assert response.json()["results"] == [], model
    changes = client.get(reverse("admin:reports_changerecord_changelist"))
    assert all(
        c.report.agency.region.path.startswith(people.huaian.path)
        for c in changes.context["cl"].queryset
    )
    assert client.get(reverse("admin:reports_auditrun_changelist")).status_code == 403
    assert (
        _client(people.admin)
        .get(reverse("admin:reports_auditrun_changelist"))
        .status_code
        == 200
    )
    assert AuditRun.objects.exists()


def test_filer_can_edit_own_draft_only(people):
    report = people.own
    _set_status(report, Status.SUBMITTED)
    url = reverse("admin:reports_annualreport_change", args=[report.pk])
    client = _client(people.filer)
    assert 'name="_save"' not in client.get(url).content.decode()
    _set_status(report, Status.DRAFT)
    assert 'name="_save"' in client.get(url).content.decode()


def test_import_preview_refuses_an_agency_outside_the_scope(people, tmp_path, settings):
    import json

    settings.IMPORT_STAGING_ROOT = tmp_path / "staging"
    document = tmp_path / "other.json"
    document.write_text(
        json.dumps(
            {"agency": people.suqian.agency.name, "year": 2025, "format": "2021"},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    client = _client(people.reviewer)
    with document.open("rb") as handle:
        page = client.post(
            reverse("admin:reports_annualreport_import"), {"files": handle}, follow=True
        )
    assert "不在您的管辖范围内" in page.content.decode()


def test_import_preview_offers_creating_an_agency_only_to_who_may(
    people, tmp_path, settings
):
    import json

    settings.IMPORT_STAGING_ROOT = tmp_path / "staging"
    document = tmp_path / "new.json"
    document.write_text(
        json.dumps(
            {"agency": "淮安市新设局", "year": 2024, "format": "2021"},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )

    def preview(user) -> str:
        with document.open("rb") as handle:
            return (
                _client(user)
                .post(
                    reverse("admin:reports_annualreport_import"),
                    {"files": handle},
                    follow=True,
                )
                .content.decode()
            )

    reviewer_page = preview(people.reviewer)
    assert "名录中没有“淮安市新设局”" in reviewer_page
    assert (
        "在名录中新建机关" not in reviewer_page
        and 'value="create"' not in reviewer_page
    )
    assert "请联系省级管理员在名录中新建" in reviewer_page
    assert 'type="hidden" name="r0-0-agency_action" value="existing"' in reviewer_page
    admin_page = preview(people.admin)
    assert "在名录中新建机关" in admin_page and 'value="create"' in admin_page
    assert "请联系省级管理员" not in admin_page


# --- no lost updates and history -------------------------------------------------------------


def _form_data(client: Client, report: AnnualReport) -> dict:
    page = client.get(reverse("admin:reports_annualreport_change", args=[report.pk]))
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def test_the_second_of_two_concurrent_saves_is_refused(people):
    report = people.own
    _set_status(report, Status.IN_REVIEW)
    first, second = _client(people.reviewer), _client(people.admin)
    data_first, data_second = _form_data(first, report), _form_data(second, report)
    url = reverse("admin:reports_annualreport_change", args=[report.pk])
    data_first["title"] = "甲审核员修改的标题"
    assert first.post(url, data_first).status_code == 302
    data_second["title"] = "乙审核员修改的标题"
    data_second["cell__table3__new_received__total"] = "999"
    response = second.post(url, data_second)
    assert response.status_code == 200
    assert (
        "保存失败" in response.content.decode()
        and "huaian" in response.content.decode()
    )
    report.refresh_from_db()
    assert report.title == "甲审核员修改的标题"
    assert Table3Row.objects.get(report=report, row_key="new_received").total != 999


def test_edits_are_recorded_with_before_and_after(people):
    report = people.own
    _set_status(report, Status.IN_REVIEW)
    client = _client(people.reviewer)
    data = _form_data(client, report)
    old_title = report.title
    data["title"] = "新标题"
    data["cell__table3__granted__natural_person"] = "/"
    url = reverse("admin:reports_annualreport_change", args=[report.pk])
    assert client.post(url, data).status_code == 302
    # One save is one history record: the title and the cell together.
    edited = ChangeRecord.objects.get(report=report, action__in=["edited", "cells"])
    assert edited.action == "edited" and edited.user == people.reviewer
    assert edited.changes["title"] == [old_title, "新标题"]
    before, after = edited.changes["table3.granted.natural_person"]
    assert after == "/" and before != "/"
    page = client.get(url).content.decode()
    assert "变更记录" in page and f"标题：{old_title} → 新标题" in page
    assert "表三「（一）予以公开」·自然人：" in page
    assert "table3.granted.natural_person：" not in page


def test_an_import_batch_is_one_traceable_event(people, corpus_dir, tmp_path):
    import io

    from django.core.management import call_command

    from tests.factories import make_agency

    make_agency("夏县卫生健康局")
    make_agency("汉阴县卫生健康局")
    out = io.StringIO()
    call_command(
        "import_reports",
        str(corpus_dir / "seeds/001_523cf04e5fe4e65a.txt"),
        str(corpus_dir / "seeds/000_fa849450c07e0d49.txt"),
        stdout=out,
    )
    batch = out.getvalue().split("批次号 ")[1].split()[0]
    records = ChangeRecord.objects.filter(batch=batch, action="imported")
    assert {r.report.agency.name for r in records} == {
        "夏县卫生健康局",
        "汉阴县卫生健康局",
    }


def test_finding_review_status_changes_are_recorded(people):
    audit_run(AuditScope(), trigger="测试")
    finding = Finding.objects.filter(
        agency__region__path__startswith=people.huaian.path, report__isnull=False
    ).first()
    client = _client(people.reviewer)
    client.post(
        reverse("admin:reports_finding_changelist"),
        {
            "action": "dismiss_findings",
            "_selected_action": [finding.pk],
            "apply": "1",
            "reason": "原文如此",
        },
    )
    record = ChangeRecord.objects.get(report=finding.report, action="finding")
    assert list(record.changes.values()) == [["open", "dismissed"]]
    assert record.user == people.reviewer and record.reason == "原文如此"
    page = client.get(
        reverse("admin:reports_annualreport_change", args=[finding.report.pk])
    ).content.decode()
    assert f"审核发现 #{finding.pk}（{finding.rule}）：待处理 → 已排除" in page


def test_the_overview_follows_the_scope(people):
    url = reverse("admin:overview")
    page = _client(people.reviewer).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "淮安市" in text and "宿迁市" not in text
    outside = _client(people.reviewer).get(url, {"region": "321300"})
    assert "宿迁市" not in outside.content.decode()  # falls back to the reviewer's city
    assert _client(people.filer).get(url).status_code == 403
    assert "宿迁市" in _client(people.admin).get(url).content.decode()


def test_excel_downloads_and_imports_stay_within_the_scope(people):
    client = _client(people.reviewer)
    template = reverse("admin:reports_annualreport_template")
    outside = people.suqian.agency
    response = client.get(template, {"year": 2024, "agency": outside.pk})
    assert response.status_code == 200  # the form again, with the choice refused
    assert "attachment" not in response.get("Content-Disposition", "")
    inside = client.get(template, {"year": 2024, "agency": people.hongze.pk})
    assert "attachment" in inside["Content-Disposition"]
    # A reviewer asking for the whole province gets a summary of their own city only.
    summary = client.post(
        f"{CHANGELIST}?region=320000",
        {"action": "export_summary_xlsx", "_selected_action": [people.own.pk]},
    )
    assert summary.status_code == 200 and "attachment" in summary["Content-Disposition"]
    import io

    from openpyxl import load_workbook

    book = load_workbook(
        io.BytesIO(b"".join(summary.streaming_content)), read_only=True
    )
    names = " ".join(
        str(cell)
        for row in book["报送情况"].iter_rows(values_only=True)
        for cell in row
    )
    assert "淮安市" in names and "宿迁市" not in names and "宿城区" not in names
    filer = _client(people.filer).post(
        CHANGELIST,
        {"action": "export_summary_xlsx", "_selected_action": [people.own.pk]},
        follow=True,
    )
    assert "填报单位不能生成" in filer.content.decode()
    figures_import = reverse("admin:reports_annualreport_import_figures")
    assert client.get(figures_import).status_code == 403

"""Import never walks around the review workflow (issue #15, item 1), through real admin
requests as each role and real runs of import_reports."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from agencies.models import Membership, Region
from agencies.roles import membership_assign
from reports.core.parsed import ParsedReport
from reports.importing.interchange import to_interchange
from reports.models import AnnualReport, ChangeRecord, ReportTransition
from reports.workflow import report_supersede, report_transition
from tests.factories import full_tables, make_agency, make_region

pytestmark = pytest.mark.django_db
Status = AnnualReport.Status
IMPORT_URL = reverse("admin:reports_annualreport_import")
CHANGELIST = reverse("admin:reports_annualreport_changelist")
AGENCY = "测试区卫生健康局"


@pytest.fixture(autouse=True)
def staging_root(settings, tmp_path: Path) -> None:
    settings.IMPORT_STAGING_ROOT = tmp_path / "staging"


@pytest.fixture
def people(django_user_model):
    """A province, a city with its reviewer, and one agency of it with its filer."""
    province = make_region(name="测试省", level=Region.Level.PROVINCE, code="990000")
    city = make_region(name="测试市", parent=province, code="990100")
    agency = make_agency(
        AGENCY, region=make_region(name="测试区", parent=city, code="990102")
    )

    def user(name: str, role: str, **where):
        account = django_user_model.objects.create_user(
            name, password="x-Pass-123", first_name=""
        )
        membership_assign(user=account, role=role, **where)
        return account

    return SimpleNamespace(
        admin=user("prov", Membership.Role.PROVINCE_ADMIN),
        reviewer=user("shenhe", Membership.Role.CITY_REVIEWER, region=city),
        filer=user("tianbao", Membership.Role.AGENCY_FILER, agency=agency),
        agency=agency,
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _document(new_received: int, **meta: str) -> bytes:
    """An interchange JSON report of the agency for 2024; cells 0 but new applications."""
    tables = full_tables("2021")
    for row in ("new_received", "granted", "total_processed"):
        for column in ("natural_person", "total"):
            tables["table3"][row][column].value = new_received
            tables["table3"][row][column].raw = str(new_received)
    parsed = ParsedReport(agency=AGENCY, year=2024, format="2021", tables=tables)
    for key, value in meta.items():
        setattr(parsed, key, value)
    return json.dumps(to_interchange(parsed), ensure_ascii=False).encode()


def _import(client: Client, data: bytes, agency_pk: int) -> tuple[str, str]:
    """Upload, read the preview, confirm; returns (preview page, page after confirm)."""
    response = client.post(IMPORT_URL, {"files": [SimpleUploadedFile("r.json", data)]})
    assert response.status_code == 302, response.content.decode()[:1500]
    token = re.search(r"/import/([A-Za-z0-9_-]+)/$", response["Location"]).group(1)
    url = reverse("admin:reports_annualreport_import_preview", args=[token])
    preview = client.get(url).content.decode()
    fields = {"include": "on", "agency_action": "existing", "year": 2024}
    post = {f"r0-0-{k}": v for k, v in {**fields, "agency": agency_pk}.items()}
    done = client.post(url, {"_confirm": "确认导入", **post}, follow=True)
    return preview, done.content.decode()


def _first(people, status: str) -> AnnualReport:
    """Revision 1 imported by the reviewer, then moved to `status` directly."""
    _import(_client(people.reviewer), _document(3), people.agency.pk)
    report = AnnualReport.objects.get()
    AnnualReport.objects.filter(pk=report.pk).update(status=status)
    report.refresh_from_db()
    return report


def _export() -> list[dict]:
    out = io.StringIO()
    call_command("export_reports", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def _counted_new_received() -> list[int]:
    """本年新收 of the reports that count (what the summary, overview and audit read)."""
    return [r["table3"]["new_received"]["total"] for r in _export()]


# --- a filer over a report under review ---------------------------------------------------


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.IN_REVIEW])
def test_a_filer_cannot_replace_a_report_under_review(people, status):
    first = _first(people, status)
    ReportTransition.objects.create(
        report=first,
        from_status=Status.SUBMITTED,
        to_status=Status.IN_REVIEW,
        user=people.reviewer,
    )
    preview, done = _import(_client(people.filer), _document(5), people.agency.pk)
    label = Status(status).label
    assert f"为“{label}”，由审核员 shenhe 审核，导入不能替换它" in preview
    assert "请联系审核员退回修改后再导入" in preview
    assert "未能保存" in done and "导入不能替换它" in done
    assert list(AnnualReport.objects.values_list("revision", "status")) == [(1, status)]


def test_the_refusal_names_the_city_reviewers_when_nobody_took_it_up(people):
    _first(people, Status.SUBMITTED)
    preview, _ = _import(_client(people.filer), _document(5), people.agency.pk)
    assert "由测试市的审核员（shenhe）审核" in preview


def test_a_reviewer_replaces_a_report_under_review_which_stays_under_review(people):
    _first(people, Status.IN_REVIEW)
    preview, done = _import(_client(people.reviewer), _document(5), people.agency.pk)
    assert "仍为“审核中”" in preview
    assert "新版本 1 份" in done
    current = AnnualReport.objects.get(is_current=True)
    assert (current.revision, current.status, current.in_force) == (
        2,
        Status.IN_REVIEW,
        True,
    )
    assert _counted_new_received() == [5]


def test_a_filer_replaces_a_returned_report(people):
    _first(people, Status.RETURNED)
    _, done = _import(_client(people.filer), _document(5), people.agency.pk)
    assert "新版本 1 份" in done
    assert AnnualReport.objects.get(is_current=True).revision == 2


# --- over an accepted report --------------------------------------------------------------


def test_importing_over_an_accepted_report_starts_a_draft_and_the_accepted_counts(
    people,
):
    accepted = _first(people, Status.ACCEPTED)
    preview, done = _import(_client(people.filer), _document(5), people.agency.pk)
    assert (
        "新版次草稿（第 2 版）；审核通过的第 1 版在新版次审核通过前继续有效" in preview
    )
    assert "新版次草稿 1 份" in done
    draft = AnnualReport.objects.get(is_current=True)
    accepted.refresh_from_db()
    assert (draft.revision, draft.status, draft.in_force) == (2, Status.DRAFT, False)
    assert (accepted.status, accepted.is_current, accepted.in_force) == (
        Status.ACCEPTED,
        False,
        True,
    )
    assert _counted_new_received() == [3]  # the accepted figures still count
    record = ChangeRecord.objects.get(report=draft, action="imported")
    assert "审核通过的第 1 版之后建立新版次（草稿）" in record.reason

    # The successor goes through the workflow; once accepted, it counts instead.
    for status, user in (
        (Status.SUBMITTED, people.filer),
        (Status.IN_REVIEW, people.reviewer),
    ):
        report_transition(report=draft, to_status=status, user=user)
    assert _counted_new_received() == [3]
    client = _client(people.reviewer)
    client.post(
        CHANGELIST,
        {"action": "accept_reports", "_selected_action": [draft.pk]},
        follow=True,
    )
    draft.refresh_from_db()
    accepted.refresh_from_db()
    assert draft.status == Status.ACCEPTED
    assert (draft.in_force, accepted.in_force) == (True, False)
    assert _counted_new_received() == [5]


def test_a_new_revision_by_hand_also_leaves_the_accepted_one_in_force(people):
    accepted = _first(people, Status.ACCEPTED)
    draft = report_supersede(report=accepted, user=people.filer)
    accepted.refresh_from_db()
    assert (draft.in_force, accepted.in_force) == (False, True)
    assert _counted_new_received() == [3]


def test_reimporting_over_a_pending_draft_keeps_the_accepted_in_force(people):
    _first(people, Status.ACCEPTED)
    _import(_client(people.filer), _document(5), people.agency.pk)
    _, done = _import(_client(people.filer), _document(7), people.agency.pk)
    assert "新版本 1 份" in done
    assert list(
        AnnualReport.objects.order_by("revision").values_list(
            "revision", "is_current", "in_force"
        )
    ) == [(1, False, True), (2, False, False), (3, True, False)]
    assert _counted_new_received() == [3]


# --- the command ------------------------------------------------------------------------------


def _run(tmp_path: Path, data: bytes, **options) -> tuple[str, str]:
    path = tmp_path / "r.json"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_reports", str(path), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("dry_run", [False, True])
def test_the_command_does_not_replace_a_report_in_review(people, tmp_path, dry_run):
    _first(people, Status.IN_REVIEW)
    with pytest.raises(CommandError, match="失败 1 个文件"):
        _run(tmp_path, _document(5), dry_run=dry_run)
    assert AnnualReport.objects.count() == 1


def test_the_command_refusal_is_on_stderr(people, tmp_path):
    _first(people, Status.IN_REVIEW)
    err = io.StringIO()
    path = tmp_path / "r.json"
    path.write_bytes(_document(5))
    with pytest.raises(CommandError):
        call_command("import_reports", str(path), stdout=io.StringIO(), stderr=err)
    assert "年报正在审核，不能替换（under_review）" in err.getvalue()
    assert "--allow-replace" in err.getvalue()


def test_allow_replace_replaces_and_is_recorded(people, tmp_path):
    _first(people, Status.IN_REVIEW)
    out, _ = _run(tmp_path, _document(5), allow_replace=True)
    assert "新版次 1 份" in out
    current = AnnualReport.objects.get(is_current=True)
    assert current.revision == 2 and current.in_force
    record = ChangeRecord.objects.get(report=current, action="imported")
    assert "--allow-replace：不经审核流程替换“审核中”的第 1 版" in record.reason


def test_the_command_starts_a_draft_over_an_accepted_report(people, tmp_path):
    _first(people, Status.ACCEPTED)
    out, _ = _run(tmp_path, _document(5))
    assert "新版次草稿 1 份" in out
    assert AnnualReport.objects.get(is_current=True).status == Status.DRAFT
    assert _counted_new_received() == [3]


def test_the_command_still_replaces_a_submitted_report(people, tmp_path):
    _first(people, Status.SUBMITTED)
    out, _ = _run(tmp_path, _document(5))
    assert "新版次 1 份" in out
    assert _counted_new_received() == [5]


# --- a page opened before the report changed --------------------------------------------------


def test_saving_from_a_page_opened_before_acceptance_explains_itself(people):
    report = _first(people, Status.IN_REVIEW)
    url = reverse("admin:reports_annualreport_change", args=[report.pk])
    client = _client(people.reviewer)
    page = client.get(url)
    data = {
        name: page.context["adminform"].form[name].value() or ""
        for name in page.context["adminform"].form.fields
    }
    AnnualReport.objects.filter(pk=report.pk).update(status=Status.ACCEPTED)
    response = client.post(url, {**data, "title": "改"}, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "在您打开页面后已审核通过，不能再修改" in body and "建立新版次" in body
    report.refresh_from_db()
    assert report.title != "改"


def test_a_filer_saving_after_submission_is_told_who_reviews(people):
    report = _first(people, Status.RETURNED)
    url = reverse("admin:reports_annualreport_change", args=[report.pk])
    client = _client(people.filer)
    assert client.get(url).status_code == 200
    AnnualReport.objects.filter(pk=report.pk).update(status=Status.SUBMITTED)
    response = client.post(url, {"title": "改"}, follow=True)
    assert response.status_code == 200
    assert "已变为“已提交”，由测试市的审核员（shenhe）审核" in response.content.decode()

"""Hand edits through the report page: one service, no phantom changes, no duplicate year,
exercised through real admin requests as a city reviewer."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

from agencies.models import Membership, Region
from agencies.roles import membership_assign
from reports.importing.apply import report_year_ensure
from reports.models import AnnualReport, ChangeRecord, ReportYear, Table3Row
from reports.services import report_cells_update
from tests.factories import make_agency, make_region, make_report

pytestmark = pytest.mark.django_db
Status = AnnualReport.Status
ADD_URL = reverse("admin:reports_annualreport_add")


def _change_url(report: AnnualReport) -> str:
    return reverse("admin:reports_annualreport_change", args=[report.pk])


@pytest.fixture
def city(django_user_model) -> SimpleNamespace:
    """A city reviewer, an agency of the city and its 2024 report under review."""
    region = make_region(name="淮安市", level=Region.Level.CITY)
    agency = make_agency("淮安市卫生健康委员会", region=region)
    report = make_report(agency, year=2024, status=Status.IN_REVIEW)
    AnnualReport.objects.filter(pk=report.pk).update(
        overview="第一段：主动公开情况。\n第二段：依申请公开情况。"
    )
    report.refresh_from_db()
    reviewer = django_user_model.objects.create_user("huaian", password="x-Pass-123")
    membership_assign(user=reviewer, role=Membership.Role.CITY_REVIEWER, region=region)
    client = Client()
    client.force_login(reviewer)
    return SimpleNamespace(agency=agency, report=report, client=client, user=reviewer)


def _form_data(client: Client, url: str) -> dict:
    """What the browser posts back for the page as it was drawn (Windows line ends)."""
    form = client.get(url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        if isinstance(value, str):
            value = value.replace("\n", "\r\n")  # as a browser submits a textarea
        data[name] = value
    return data


def test_saving_an_unchanged_page_records_nothing(city):
    url = _change_url(city.report)
    data = _form_data(city.client, url)
    assert "\r\n" in data["overview"]
    assert city.client.post(url, data).status_code == 302
    city.report.refresh_from_db()
    assert city.report.version == 1
    assert city.report.overview == "第一段：主动公开情况。\n第二段：依申请公开情况。"
    assert not ChangeRecord.objects.filter(
        report=city.report, action__in=["edited", "cells"]
    ).exists()
    assert not LogEntry.objects.filter(object_id=str(city.report.pk)).exists()
    page = city.client.get(url).content.decode()
    assert "一、总体情况：" not in page  # the history lists no change


def test_one_save_bumps_the_version_once_and_records_one_change(city):
    url = _change_url(city.report)
    data = _form_data(city.client, url)
    data["title"] = "淮安市卫生健康委员会2024年政府信息公开工作年度报告"
    data["cell__table3__new_received__total"] = "12"
    assert city.client.post(url, data).status_code == 302
    city.report.refresh_from_db()
    assert city.report.version == 2
    (record,) = ChangeRecord.objects.filter(
        report=city.report, action__in=["edited", "cells"]
    )
    assert set(record.changes) == {"title", "table3.new_received.total"}
    assert record.changes["table3.new_received.total"] == ["0", "12"]
    total = Table3Row.objects.get(report=city.report, row_key="new_received").total
    assert total == 12
    # The page the reviewer sees next saves again without a conflict.
    data = _form_data(city.client, url)
    data["problems"] = "无"
    assert city.client.post(url, data).status_code == 302
    city.report.refresh_from_db()
    assert (city.report.version, city.report.problems) == (3, "无")


def test_a_cell_typed_as_stored_is_no_change(city):
    assert (
        report_cells_update(
            report=city.report, changes={"table3.new_received.total": (0, "0")}
        )
        == 0
    )
    city.report.refresh_from_db()
    assert city.report.version == 1
    assert not ChangeRecord.objects.filter(report=city.report, action="cells").exists()


def test_changing_the_year_to_one_the_agency_has_is_a_form_error(city):
    earlier = make_report(city.agency, year=2023, status=Status.SUBMITTED)
    url = _change_url(city.report)
    data = _form_data(city.client, url)
    data["report_year"] = earlier.report_year.pk
    response = city.client.post(url, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "淮安市卫生健康委员会 已有 2023 年度的年报（第 1 版，已提交）" in text
    assert "同一机关同一年度只能有一份年报" in text
    city.report.refresh_from_db()
    assert (city.report.report_year.year, city.report.version) == (2024, 1)


def test_adding_a_duplicate_report_is_a_form_error(city):
    data = {
        "agency": city.agency.pk,
        "report_year": ReportYear.objects.get(year=2024).pk,
        "layout": "2021",
        "title": "重复录入的年报",
    }
    response = city.client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "已有 2024 年度的年报（第 1 版，审核中）" in response.content.decode()
    assert AnnualReport.objects.filter(agency=city.agency).count() == 1


def test_adding_a_report_records_its_creation(city):
    data = {
        "agency": city.agency.pk,
        "report_year": report_year_ensure(2025).pk,
        "layout": "2021",
        "title": "2025年度年报",
        "overview": "第一行\r\n第二行",
    }
    assert city.client.post(ADD_URL, data).status_code == 302
    report = AnnualReport.objects.get(agency=city.agency, report_year__year=2025)
    assert report.overview == "第一行\n第二行"
    assert report.created_by == city.user
    assert ChangeRecord.objects.filter(report=report, action="created").count() == 1

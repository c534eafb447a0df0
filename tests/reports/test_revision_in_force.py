"""Which revision counts (生效版次), shown and used the same way everywhere.

After an accepted 第1版, 建立新版次 makes 第2版: current (the list's default shows it) but
not in force until accepted. The summary, the overview and the pages must all say and use
第1版 meanwhile; every check goes through real admin requests by a city reviewer.
"""

from __future__ import annotations

import io
import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from agencies.models import Membership
from agencies.roles import membership_assign
from reports.models import AnnualReport
from tests.factories import make_agency, make_region, make_report

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:reports_annualreport_changelist")
Status = AnnualReport.Status


def _change_url(report: AnnualReport) -> str:
    return reverse("admin:reports_annualreport_change", args=[report.pk])


@pytest.fixture
def revised(django_user_model) -> SimpleNamespace:
    """Two accepted 2024 reports of one city; the second agency's is revised (第2版, 草稿)."""
    city = make_region(name="示例市")
    steady = make_report(
        make_agency("示例市财政局", region=city), status=Status.ACCEPTED
    )
    first = make_report(
        make_agency("示例市教育局", region=city), status=Status.ACCEPTED
    )
    user = django_user_model.objects.create_user("city", password="x-Pass-123")
    membership_assign(user=user, role=Membership.Role.CITY_REVIEWER, region=city)
    client = Client()
    client.force_login(user)
    response = client.post(
        CHANGELIST,
        {"action": "new_revision", "_selected_action": [first.pk]},
        follow=True,
    )
    assert response.status_code == 200
    first.refresh_from_db()
    second = AnnualReport.objects.get(agency=first.agency, revision=2)
    assert (first.is_current, first.in_force) == (False, True)
    assert (second.is_current, second.in_force, second.status) == (
        True,
        False,
        Status.DRAFT,
    )
    return SimpleNamespace(
        client=client, city=city, steady=steady, first=first, second=second
    )


def _listed(client: Client, **params: str) -> list[int]:
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return sorted(r.pk for r in response.context["cl"].queryset)


# --- finding 3: the summary workbook of a selection -----------------------------------------


def test_the_summary_of_the_listed_reports_counts_the_revision_in_force(revised):
    """Select every row of the default list (第2版 draft among them): the workbook lists
    both agencies, the revised one with its accepted 第1版, not dropped from the totals."""
    shown = _listed(revised.client)
    assert shown == sorted([revised.steady.pk, revised.second.pk])
    response = revised.client.post(
        CHANGELIST, {"action": "export_summary_xlsx", "_selected_action": shown}
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [r for r in workbook["汇总"].iter_rows(min_row=3, values_only=True) if r[0]]
    assert sorted((r[0], r[5]) for r in rows) == [
        ("示例市教育局", "审核通过"),
        ("示例市财政局", "审核通过"),
    ]


def test_the_figures_export_writes_the_current_revision_once(revised):
    """年报主要数字 is the working copy its import writes to: the current revision of each
    listed report, one row per agency and year whichever revision filter is chosen."""
    url = reverse("admin:reports_annualreport_export")
    for revisions in ("", "in_force", "all"):
        query = f"?revisions={revisions}" if revisions else ""
        fields = ("agency", "status")
        response = revised.client.post(
            url + query,
            {
                "format": "1",
                "resource": "0",
                **{f"reportfiguresresource_{n}": "on" for n in fields},
            },
        )
        assert response.status_code == 200, revisions
        rows = list(load_workbook(io.BytesIO(response.content)).active.values)[1:]
        assert sorted(rows) == [("示例市教育局", "草稿"), ("示例市财政局", "审核通过")]


# --- finding 4: the overview's links lead to what it counted --------------------------------


def test_the_revision_filter_offers_the_revisions_in_force(revised):
    client = revised.client
    assert _listed(client, revisions="in_force") == sorted(
        [revised.steady.pk, revised.first.pk]
    )
    # 第1版 is still in force: it is no 旧版次 yet.
    assert _listed(client, revisions="old") == []
    page = client.get(CHANGELIST).content.decode()
    assert "生效版次（汇总、总览采用）" in page


def test_the_overviews_report_counts_lead_to_the_revisions_in_force(revised):
    client = revised.client
    response = client.get(reverse("admin:overview"), {"year": "2024"})
    assert response.status_code == 200
    checked = 0
    for _, cell in response.context["headline"]:
        if cell.url and cell.url.startswith(CHANGELIST):
            assert "revisions=in_force" in cell.url
            listed = client.get(cell.url)
            assert listed.status_code == 200
            rows = {r.pk for r in listed.context["cl"].queryset}
            assert revised.second.pk not in rows
            assert listed.context["cl"].result_count == cell.value, cell
            checked += 1
    assert checked


# --- finding 9: the pages say which revision counts ------------------------------------------


def test_the_list_has_a_column_of_the_revision_in_force(revised):
    page = revised.client.get(CHANGELIST, {"revisions": "all"}).content.decode()
    assert "生效版次</a>" in page and "column-in_force" in page
    cells = re.findall(r'<td class="field-in_force">.*?icon-(yes|no)\.svg', page)
    assert sorted(cells) == ["no", "yes", "yes"]  # 第2版 草稿 is not in force


def test_the_accepted_revision_in_force_is_not_called_superseded(revised):
    client = revised.client
    page = client.get(_change_url(revised.first)).content.decode()
    assert "第 1 版：审核通过，生效中；第 2 版正在修改（草稿）" in page
    assert "已由新版" not in page and "仅供查阅" not in page
    assert (
        'class="readonly"><img src="/static/admin/img/icon-yes.svg"' in page
    )  # 生效版次

    page = client.get(_change_url(revised.second)).content.decode()
    assert "第 2 版：草稿，现行版本，尚未生效" in page
    assert "汇总、总览和审核采用第 1 版（审核通过）" in page

    printed = client.get(
        reverse("admin:reports_annualreport_print", args=[revised.first.pk])
    ).content.decode()
    assert "生效中；第 2 版正在修改" in printed and "已被新版次取代" not in printed

    history = client.get(
        reverse("admin:reports_annualreport_history", args=[revised.first.pk])
    ).content.decode()
    assert "第 1 版（生效中，已有新版次）" in history
    assert "第 2 版（现行，尚未生效）" in history
    assert "第 1 版（旧版次" not in history

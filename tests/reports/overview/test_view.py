"""The 总览 page through real requests: numbers, links that lead to the same counts, scope."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Agency, Region
from reports.audit.runner import AuditScope, audit_run
from reports.fixtures.demo import MISSING
from reports.models import AnnualReport, Finding, Table3Row
from reports.services import report_cells_update
from reports.workflow import report_withdraw
from tests.factories import make_agency, make_region, make_report

pytestmark = pytest.mark.django_db

URL = "/admin/overview/"


def _page(client: Client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def _count_behind(client: Client, url: str) -> int:
    """How many rows the changelist a link opens shows."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["cl"].result_count


class _NumberCells(HTMLParser):
    """Collects the text of number cells and of headline figures, outside and inside links."""

    def __init__(self) -> None:
        super().__init__()
        self.depth_cell = 0
        self.depth_link = 0
        self.unlinked: list[str] = []
        self.linked: list[str] = []

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if (tag == "td" and "num" in classes.split()) or (
            tag == "ul" and "overview-headline" in classes
        ):
            self.depth_cell += 1
        if tag == "a" and self.depth_cell:
            self.depth_link += 1

    def handle_endtag(self, tag):
        if tag == "a" and self.depth_link:
            self.depth_link -= 1
        if tag in ("td", "ul") and self.depth_cell:
            self.depth_cell -= 1

    def handle_data(self, data):
        if self.depth_cell and re.search(r"\d", data):
            (self.linked if self.depth_link else self.unlinked).append(data.strip())


def test_the_admin_index_links_to_the_overview(demo, admin_client_logged_in):
    text = admin_client_logged_in.get(reverse("admin:index")).content.decode()
    assert f'href="{URL}"' in text and "总览" in text


def test_defaults_are_the_latest_year_and_the_whole_tree(demo, admin_client_logged_in):
    response = _page(admin_client_logged_in)
    assert response.context["year"].year == 2024
    assert response.context["region"] is None
    text = response.content.decode()
    assert "2024年度总览" in text and "全部地区" in text


def test_every_number_on_the_page_is_a_link(demo, admin_client_logged_in):
    audit_run(AuditScope(), trigger="测试")
    parser = _NumberCells()
    parser.feed(_page(admin_client_logged_in, region="320000").content.decode())
    assert parser.linked, "no numbers found"
    assert parser.unlinked == []


def test_numbers_lead_to_lists_with_the_same_count(demo, admin_client_logged_in):
    audit_run(AuditScope(), trigger="测试")
    client = admin_client_logged_in
    for params in ({"region": "320000"}, {"region": "320800", "year": "2023"}):
        response = _page(client, **params)
        checked = 0
        for _, cell in response.context["headline"]:
            assert _count_behind(client, cell.url) == cell.value, cell
            checked += 1
        for panel in response.context["panels"]:
            for grid in panel.grids:
                for line in grid.lines:
                    cells = line.cells
                    if panel.key == "trends":
                        cells = cells[:1]  # 年报份数; the other columns are sums
                    for cell in cells:
                        if cell.url and isinstance(cell.value, int):
                            got = _count_behind(client, cell.url)
                            assert got == cell.value, (grid.caption, line.label, cell)
                            checked += 1
        assert checked > 40


def test_missing_and_late_agencies_are_listed_behind_their_numbers(
    demo, admin_client_logged_in
):
    client = admin_client_logged_in
    response = _page(client)
    headline = dict(response.context["headline"])
    missing = client.get(headline["未报送（已过截止日）"].url)
    assert {a.name for a in missing.context["cl"].result_list} == set(MISSING[2024])
    late = client.get(headline["逾期报送"].url)
    assert {r.agency.name for r in late.context["cl"].result_list} == {
        "宿迁市住房和城乡建设局",
        "淮安区人民政府",
    }


def test_choosing_a_city_narrows_every_panel(demo, admin_client_logged_in):
    audit_run(AuditScope(), trigger="测试")
    response = _page(admin_client_logged_in, region="321300")  # 宿迁市
    city = Region.objects.get(code="321300")
    panels = {p.key: p for p in response.context["panels"]}
    places = [line.label for line in panels["coverage"].grids[0].lines]
    assert places[0] == "宿迁市本级" and places[-1] == "合计"
    assert set(places[1:-1]) == set(
        Region.objects.filter(parent=city).values_list("name", flat=True)
    )
    headline = dict(response.context["headline"])
    under = Agency.objects.filter(region__path__startswith=city.path)
    assert headline["应报机关"].value == under.count()
    findings = Finding.objects.filter(
        year=2024,
        status__in=["open", "confirmed"],
        agency__region__path__startswith=city.path,
    )
    assert headline["未了结的错误"].value == findings.filter(severity="error").count()
    trend = panels["trends"].grids[0].lines[-1]  # 2024
    received = Table3Row.objects.filter(
        report__is_current=True,
        report__report_year__year=2024,
        report__agency__region__path__startswith=city.path,
        row_key="new_received",
    )
    assert trend.cells[1].value == sum(r.total or 0 for r in received)
    assert (
        trend.cells[0].value
        == AnnualReport.objects.filter(
            is_current=True, report_year__year=2024, agency__in=under
        ).count()
    )


def test_another_year_shows_that_years_missing_reports(demo, admin_client_logged_in):
    response = _page(admin_client_logged_in, year="2023")
    headline = dict(response.context["headline"])
    assert headline["未报送（已过截止日）"].value == len(MISSING[2023])
    assert _page(admin_client_logged_in, year="1999").context["year"].year == 2024


def test_the_query_count_does_not_grow_with_the_data(db, admin_client_logged_in):
    region = make_region(name="小市")
    make_report(make_agency("小市卫生健康局", region=region), year=2024)
    with CaptureQueriesContext(connection) as small:
        _page(admin_client_logged_in)
    with CaptureQueriesContext(connection) as small_city:
        _page(admin_client_logged_in, region=region.code)
    from django.core.management import call_command

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    audit_run(AuditScope(), trigger="测试")
    with CaptureQueriesContext(connection) as large:
        _page(admin_client_logged_in)
    with CaptureQueriesContext(connection) as large_city:
        _page(admin_client_logged_in, region="320800")
    assert len(small) == len(large) <= 14
    assert len(small_city) == len(large_city) <= 15


def test_charts_are_inline_svg_with_escaped_labels(db, admin_client_logged_in):
    region = make_region(name="<b>测试</b>市")
    make_report(make_agency("局", region=region), year=2024)
    text = _page(admin_client_logged_in, region=region.code).content.decode()
    assert (
        text.count('<svg xmlns="http://www.w3.org/2000/svg" class="overview-chart"')
        == 3
    )
    assert 'role="img"' in text
    assert "<b>测试</b>" not in text
    assert '<title id="chart-applications-title">&lt;b&gt;测试&lt;/b&gt;市' in text


def test_not_yet_due_is_shown_before_the_deadline(db, admin_client_logged_in):
    region = make_region(name="未到期市")
    make_agency("未到期市人民政府", region=region, kind=Agency.Kind.GOVERNMENT)
    make_report(make_agency("未到期市财政局", region=region), year=2099)
    response = _page(admin_client_logged_in, year="2099")
    headline = dict(response.context["headline"])
    assert headline["应报机关"].value == 2
    assert headline["未报送（已过截止日）"].value == 0
    coverage = response.context["panels"][0]
    assert "未到截止日" in coverage.grids[0].columns
    not_due = coverage.grids[0].lines[-1].cells[-1]
    assert not_due.value == 1
    listed = admin_client_logged_in.get(not_due.url).context["cl"].result_list
    assert [a.name for a in listed] == ["未到期市人民政府"]
    assert "尚未到截止日的机关计为“未到截止日”" in response.content.decode()


def test_a_user_without_view_permission_is_refused(db, django_user_model):
    user = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    client = Client()
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert URL not in client.get(reverse("admin:index")).content.decode()


def test_an_anonymous_visitor_is_sent_to_the_login_page(db):
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_overview_is_a_page_of_the_admin_site(db):
    assert URL == reverse("admin:overview")


def test_the_old_address_redirects_with_its_query_string(db, admin_client_logged_in):
    old = "/admin/reports/annualreport/overview/?year=2023&region=320800"
    response = admin_client_logged_in.get(old)
    assert response.status_code == 301
    assert response["Location"] == f"{URL}?year=2023&region=320800"


def test_an_empty_database_says_what_to_do(db, admin_client_logged_in):
    text = _page(admin_client_logged_in).content.decode()
    assert "尚未设置报告年度" in text


def test_trends_follow_a_cell_edit_at_once(demo, admin_client_logged_in):
    client = admin_client_logged_in

    def received_2024(response) -> int:
        return response.context["panels"][-1].grids[0].lines[-1].cells[1].value

    first = _page(client)
    report = AnnualReport.objects.filter(
        is_current=True, report_year__year=2024
    ).first()
    total = report.table3_rows.get(row_key="new_received").total
    report_cells_update(
        report=report,
        changes={"table3.new_received.total": (total + 10, str(total + 10))},
    )
    assert received_2024(_page(client)) == received_2024(first) + 10


def test_a_withdrawn_report_no_longer_counts(demo, admin_client_logged_in, superuser):
    client = admin_client_logged_in

    def received_2024(response) -> int:
        return response.context["panels"][-1].grids[0].lines[-1].cells[1].value

    first = _page(client, year=2024)
    report = AnnualReport.objects.filter(
        is_current=True, report_year__year=2024
    ).first()
    received = report.table3_rows.get(row_key="new_received").total
    report_withdraw(report=report, user=superuser, reason="报错了文件")
    second = _page(client, year=2024)
    assert received_2024(second) == received_2024(first) - received
    before, after = dict(first.context["headline"]), dict(second.context["headline"])
    assert after["已报送"].value == before["已报送"].value - 1

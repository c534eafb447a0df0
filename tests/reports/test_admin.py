"""The admin in Chinese: every page opens, the grid is the paper form, edits keep meaning."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Agency, Region
from reports import schema
from reports.models import AnnualReport, ReportYear, Table3Row, Table4Row
from tests.factories import cell, full_tables, make_agency, make_region, make_report

pytestmark = pytest.mark.django_db


def _change_url(report: AnnualReport) -> str:
    return reverse("admin:reports_annualreport_change", args=[report.pk])


def test_every_changelist_and_change_form_opens_on_the_demo(
    demo, admin_client_logged_in
):
    client = admin_client_logged_in
    models = [AnnualReport, ReportYear, Agency, Region]
    for model in models:
        opts = model._meta
        listing = client.get(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        )
        assert listing.status_code == 200, opts.model_name
        add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        assert add.status_code == 200, opts.model_name
        for obj in model.objects.all()[:25]:
            url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]
            )
            assert client.get(url).status_code == 200, (opts.model_name, obj.pk)
    for report in AnnualReport.objects.filter(layout="2019")[:3]:
        assert client.get(_change_url(report)).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_admin_speaks_chinese(demo, admin_client_logged_in):
    page = admin_client_logged_in.get(reverse("admin:reports_annualreport_changelist"))
    text = page.content.decode()
    assert (
        "年度报告" in text and "本年新收申请" in text and "行政区划（含下级）" in text
    )
    assert 'lang="zh-hans"' in text


def test_report_page_draws_the_2021_form(admin_client_logged_in):
    report = make_report(year=2024)
    text = admin_client_logged_in.get(_change_url(report)).content.decode()
    for label in (
        "三、本年度办理结果",
        "（三）不予公开",
        "申请人情况",
        "法人或其他组织",
        "商业企业",
        "本年制发件数",
        "第二十条第（八）项",
        "本年收费金额（单位：万元）",
        "未经复议直接起诉",
        "3.其他",
        "（七）总计",
    ):
        assert label in text, label
    assert text.count('name="cell__table3__') == 25 * 7
    assert text.count('name="cell__table2__') == 10
    assert text.count('name="cell__table4__') == 15


def test_report_page_draws_the_2019_form(admin_client_logged_in):
    report = make_report(year=2020, layout="2019")
    text = admin_client_logged_in.get(_change_url(report)).content.decode()
    for label in ("其他对外管理服务事项", "本年增/减", "政府集中采购", "采购总金额"):
        assert label in text, label
    assert text.count('name="cell__table3__') == 23 * 7
    assert 'name="cell__table3__other_processing__total"' in text
    assert "other_fee_unpaid" not in text


def test_a_2021_report_with_one_other_row_shows_that_row(admin_client_logged_in):
    tables = full_tables("2021")
    for key in ("other_no_correction", "other_fee_unpaid", "other_other"):
        del tables["table3"][key]
    tables["table3"]["other_processing"] = {"total": cell(2)}
    report = make_report(year=2023, tables=tables)
    text = admin_client_logged_in.get(_change_url(report)).content.decode()
    assert 'name="cell__table3__other_processing__total"' in text
    assert "other_fee_unpaid" not in text


def _input(text: str, path: str) -> str:
    name = "cell__" + path.replace(".", "__")
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', text)
    assert match, path
    return match.group(0)


def test_blank_na_zero_and_missing_look_different(admin_client_logged_in):
    tables = full_tables("2021", fill=0)
    tables["table3"]["granted"]["commercial"] = cell(None, "")
    tables["table3"]["granted"]["research"] = cell(None, "/")
    del tables["table3"]["granted"]["public_interest"]
    report = make_report(tables=tables)
    text = admin_client_logged_in.get(_change_url(report)).content.decode()
    zero = _input(text, "table3.granted.natural_person")
    blank = _input(text, "table3.granted.commercial")
    na = _input(text, "table3.granted.research")
    missing = _input(text, "table3.granted.public_interest")
    assert "cell-zero" in zero and 'value="0"' in zero
    assert "cell-blank" in blank and "value=" not in blank.replace('value=""', "")
    assert "cell-na" in na and 'value="/"' in na
    assert "cell-missing" in missing and 'placeholder="缺"' in missing


def test_uncertain_cells_are_highlighted(admin_client_logged_in):
    report = make_report()
    report.uncertain_cells = ["table4.*.total"]
    report.save()
    text = admin_client_logged_in.get(_change_url(report)).content.decode()
    highlighted = re.findall(
        r'<td class="input uncertain[^"]*" data-path="([^"]+)"', text
    )
    assert sorted(highlighted) == sorted(
        f"table4.{b}.total"
        for b in ("review", "litigation_direct", "litigation_after_review")
    )


def _post_data(client, report: AnnualReport, **cells: str) -> dict:
    """The change form's current values, with some cells retyped."""
    page = client.get(_change_url(report))
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    data.update({"cell__" + k: v for k, v in cells.items()})
    return data


def test_hand_edits_keep_blank_na_and_zero_apart(admin_client_logged_in):
    client = admin_client_logged_in
    report = make_report()
    data = _post_data(
        client,
        report,
        table3__granted__natural_person="12",
        table3__granted__commercial="",
        table3__granted__research="/",
        table4__review__total="１,２０５",
    )
    response = client.post(_change_url(report), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    row = Table3Row.objects.get(report=report, row_key="granted")
    assert (row.natural_person, row.commercial, row.research) == (12, None, None)
    assert (row.raw["commercial"], row.raw["research"]) == ("", "/")
    assert row.public_interest == 0  # untouched
    assert Table4Row.objects.get(report=report, row_key="review").total == 1205


def test_a_typed_cell_in_a_missing_row_creates_the_row(admin_client_logged_in):
    tables = full_tables("2021")
    del tables["table3"]["carried_over"]
    report = make_report(tables=tables)
    data = _post_data(admin_client_logged_in, report, table3__carried_over__total="4")
    assert admin_client_logged_in.post(_change_url(report), data).status_code == 302
    row = Table3Row.objects.get(report=report, row_key="carried_over")
    assert row.total == 4 and row.raw == {"total": "4"}


def test_bad_cell_input_is_refused_with_the_cell_named(admin_client_logged_in):
    report = make_report()
    data = _post_data(admin_client_logged_in, report, table3__granted__total="-5")
    response = admin_client_logged_in.post(_change_url(report), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "表三「（一）予以公开」·总计" in text and "不能为负" in text
    assert Table3Row.objects.get(report=report, row_key="granted").total == 0


# session, user, the report with agency/region/year, its three tables, its findings, its
# workflow transitions, its change history, the selected agency of the autocomplete widget,
# the report years of the year select.
REPORT_PAGE_QUERIES = 11


def test_report_page_costs_constant_queries(
    admin_client_logged_in, django_assert_num_queries
):
    small_tables = {"table3": {"new_received": {"total": cell(1)}}}
    small = make_report(make_agency("小局"), tables=small_tables)
    big = make_report(make_agency("大局"), tables=full_tables("2021", fill=3))
    admin_client_logged_in.get(_change_url(small))  # warms the content-type cache
    for report in (small, big):
        with django_assert_num_queries(REPORT_PAGE_QUERIES):
            assert admin_client_logged_in.get(_change_url(report)).status_code == 200


def test_changelist_costs_constant_queries(admin_client_logged_in):
    url = reverse("admin:reports_annualreport_changelist")
    region = make_region()
    make_report(make_agency("甲", region=region))
    with CaptureQueriesContext(connection) as few:
        admin_client_logged_in.get(url)
    for n in range(20):
        make_report(make_agency(f"局{n}", region=region))
    with CaptureQueriesContext(connection) as many:
        page = admin_client_logged_in.get(url)
    assert page.status_code == 200
    assert len(few.captured_queries) == len(many.captured_queries)


def test_changelist_pages_list_every_report_once_in_order(
    admin_client_logged_in, monkeypatch
):
    """Pages are read ids first (reports/paging.py): together they are the whole list in
    the list's order, for the default order, a column order with ties, and a filter."""
    from django.contrib import admin

    from reports.paging import IdsFirstPaginator

    monkeypatch.setattr(admin.site._registry[AnnualReport], "list_per_page", 4)
    region = make_region()
    for n, year in enumerate(
        [2024, 2024, 2023, 2024, 2022, 2023, 2024, 2023, 2022, 2024]
    ):
        tables = full_tables(schema.layout_for_year(year).value)
        tables["table3"]["new_received"]["total"] = cell(n % 3)  # ties
        make_report(
            make_agency(f"局{n % 5}{n}", region=region), year=year, tables=tables
        )
    withdrawn = AnnualReport.objects.order_by("pk").first()
    AnnualReport.objects.filter(pk=withdrawn.pk).update(withdrawn=True)
    url = reverse("admin:reports_annualreport_changelist")
    live = AnnualReport.objects.filter(withdrawn=False)
    cases = [
        ({}, live.order_by("-report_year__year", "agency__name", "-pk")),
        ({"o": "9"}, live.order_by("total_applications", "-pk")),  # 本年新收 ↑
        (
            {"report_year__id__exact": ReportYear.objects.get(year=2024).pk},
            live.filter(report_year__year=2024).order_by("agency__name", "-pk"),
        ),
    ]
    for params, expected in cases:
        listed, page, pages = [], 1, 1
        while page <= pages:
            response = admin_client_logged_in.get(url, {**params, "p": page})
            assert response.status_code == 200
            pages = response.context["cl"].paginator.num_pages
            assert isinstance(response.context["cl"].paginator, IdsFirstPaginator)
            listed += [r.pk for r in response.context["cl"].result_list]
            page += 1
        assert listed == list(expected.values_list("pk", flat=True)), params
    assert withdrawn.pk not in listed


def test_changelist_shows_application_totals(admin_client_logged_in):
    tables = full_tables("2021")
    tables["table3"]["new_received"]["total"] = cell(321)
    make_report(make_agency("甲局"), tables=tables)
    text = admin_client_logged_in.get(
        reverse("admin:reports_annualreport_changelist")
    ).content
    assert ">321<" in text.decode()


def test_region_filter_takes_the_whole_subtree(admin_client_logged_in):
    province = make_region(name="省", level=Region.Level.PROVINCE, code="320000")
    city = make_region(name="淮安市", parent=province, code="320800")
    county = make_region(
        name="洪泽区", level=Region.Level.COUNTY, parent=city, code="320813"
    )
    other = make_region(name="宿迁市", parent=province, code="321300")
    make_report(make_agency("县局", region=county))
    make_report(make_agency("市局", region=city))
    make_report(make_agency("别市局", region=other))
    url = reverse("admin:reports_annualreport_changelist")
    page = admin_client_logged_in.get(url, {"region": "320800"})
    names = {r.agency.name for r in page.context["cl"].result_list}
    assert names == {"县局", "市局"}
    page = admin_client_logged_in.get(url, {"region": "320000"})
    assert len(page.context["cl"].result_list) == 3


def test_changelist_filters_by_year_status_and_layout(admin_client_logged_in):
    agency = make_agency("甲局")
    make_report(agency, year=2024, status="accepted")
    make_report(agency, year=2020, layout="2019", status="draft")
    url = reverse("admin:reports_annualreport_changelist")
    page = admin_client_logged_in.get(url, {"layout": "2019"})
    assert [r.report_year.year for r in page.context["cl"].result_list] == [2020]
    page = admin_client_logged_in.get(url, {"status": "accepted"})
    assert [r.report_year.year for r in page.context["cl"].result_list] == [2024]
    year_id = ReportYear.objects.get(year=2024).pk
    page = admin_client_logged_in.get(url, {"report_year__id__exact": year_id})
    assert [r.report_year.year for r in page.context["cl"].result_list] == [2024]


def test_search_finds_reports_by_agency_alias(admin_client_logged_in):
    make_report(make_agency("洪泽区人民政府", aliases=("淮安市洪泽区人民政府",)))
    make_report(make_agency("别的局"))
    url = reverse("admin:reports_annualreport_changelist")
    page = admin_client_logged_in.get(url, {"q": "淮安市洪泽区"})
    assert [r.agency.name for r in page.context["cl"].result_list] == ["洪泽区人民政府"]


def test_search_words_all_match_and_an_agency_with_aliases_is_listed_once(
    admin_client_logged_in,
):
    agency = make_agency(
        "洪泽区人民政府", aliases=("洪泽区政府", "淮安市洪泽区人民政府")
    )
    make_report(agency)
    make_report(make_agency("洪泽区财政局"))
    url = reverse("admin:reports_annualreport_changelist")
    page = admin_client_logged_in.get(url, {"q": "洪泽区 政府"})
    listed = [r.agency.name for r in page.context["cl"].result_list]
    assert listed == ["洪泽区人民政府"]  # both aliases match: still one row
    page = admin_client_logged_in.get(url, {"q": "洪泽区 公安局"})
    assert list(page.context["cl"].result_list) == []


@pytest.mark.parametrize(
    ("model", "field", "term", "expected"),
    [
        ("reports.annualreport", "agency", "淮安市洪泽", "洪泽区人民政府"),
        ("agencies.agency", "region", "洪泽", "洪泽区"),
    ],
)
def test_autocomplete_finds_agencies_and_regions(
    admin_client_logged_in, model, field, term, expected
):
    county = make_region(name="洪泽区", level=Region.Level.COUNTY, code="320813")
    make_agency("洪泽区人民政府", region=county, aliases=("淮安市洪泽区人民政府",))
    app_label, model_name = model.split(".")
    response = admin_client_logged_in.get(
        reverse("admin:autocomplete"),
        {
            "app_label": app_label,
            "model_name": model_name,
            "field_name": field,
            "term": term,
        },
    )
    assert response.status_code == 200
    assert [r["text"].split("（")[0] for r in response.json()["results"]] == [expected]

"""400, 403, 404 and 500 pages: Chinese, in the admin's look, with DEBUG off."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.template import loader
from django.test import Client
from django.urls import reverse

from agencies.models import Membership
from agencies.roles import membership_assign
from config import urls
from tests.factories import make_agency, make_report

pytestmark = pytest.mark.django_db
BOOM_URLS = "tests.config.boom_urls"


def _admin_look(page: str) -> None:
    assert 'id="header"' in page and "政府信息公开工作年度报告管理系统" in page
    assert "返回首页" in page


def test_a_missing_page_is_a_chinese_404(admin_client_logged_in):
    assert not settings.DEBUG
    response = admin_client_logged_in.get("/admin/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在（404）" in page and "/admin/no-such-page/" in page
    _admin_look(page)
    assert "Not Found" not in page


def test_a_404_shows_the_projects_own_message(admin_client_logged_in):
    url = reverse("admin:reports_annualreport_import_preview", args=["no-such-batch"])
    response = admin_client_logged_in.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    assert "这批导入不存在，或已确认、已放弃、已过期（24 小时）" in page
    _admin_look(page)


def test_a_403_shows_the_projects_own_message(django_user_model):
    report = make_report(make_agency())  # the overview needs a report year
    user = django_user_model.objects.create_user("filer", password="x-Pass-123")
    membership_assign(
        user=user, role=Membership.Role.AGENCY_FILER, agency=report.agency
    )
    client = Client()
    client.force_login(user)
    response = client.get(reverse("admin:overview"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "无权访问（403）" in page
    assert "总览汇总一个地区的报送和审核情况" in page
    _admin_look(page)
    assert "403 Forbidden" not in page


def test_a_server_error_is_a_chinese_500(settings):
    settings.ROOT_URLCONF = BOOM_URLS
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "系统出错（500）" in page and "错误已记录" in page
    _admin_look(page)
    assert "a bug" not in page and "Server Error" not in page


def test_a_suspicious_request_is_a_chinese_400(settings):
    settings.ROOT_URLCONF = BOOM_URLS
    response = Client().get("/suspicious/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "请求有误（400）" in page and "tampered" not in page


def test_the_500_page_renders_without_a_request_context():
    page = loader.get_template("500.html").render({})
    assert "系统出错（500）" in page and "返回首页" in page
    assert urls.handler500 == "config.views.server_error"


def test_a_stale_csrf_token_is_a_chinese_page(django_user_model):
    """A form left open past a new login posts a token that no longer matches: the page
    says so in Chinese, in the admin's look, not Django's bare English 403."""
    report = make_report(make_agency())
    user = django_user_model.objects.create_superuser("reviewer", password="x-Pass-123")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    url = reverse("admin:reports_annualreport_change", args=[report.pk])
    assert client.get(url).status_code == 200  # sets the CSRF cookie
    response = client.post(
        url, {"csrfmiddlewaretoken": "stale" * 12, "title": "改过的标题"}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "页面已过期，请刷新后重试" in page
    _admin_look(page)
    assert "CSRF verification failed" not in page and "Forbidden" not in page
    report.refresh_from_db()
    assert report.title != "改过的标题"

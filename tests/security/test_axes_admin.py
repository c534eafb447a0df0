"""The login-throttling records (django-axes) in the admin: superusers only, in Chinese."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from agencies.models import Membership
from agencies.roles import membership_assign

pytestmark = pytest.mark.django_db
ATTEMPTS = reverse("admin:axes_accessattempt_changelist")
FAILURES = reverse("admin:axes_accessfailurelog_changelist")
LOGS = reverse("admin:axes_accesslog_changelist")


def _fail_until_locked(username: str) -> None:
    client = Client()
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("admin:login"),
            {"username": username, "password": f"wrong-{i}"},
        )


def test_a_superuser_sees_the_records_in_chinese(admin_client_logged_in):
    _fail_until_locked("someone")
    index = admin_client_logged_in.get(reverse("admin:index")).content.decode()
    assert "登录安全" in index and "登录失败计数" in index and "登录记录" in index
    assert "Axes" not in index and "Access attempts" not in index
    page = admin_client_logged_in.get(ATTEMPTS).content.decode()
    for header in ("尝试时间", "用户名", "IP 地址", "失败次数", "状态", "访问路径"):
        assert header in page, header
    assert "someone" in page and "已锁定" in page
    assert "Attempt Time" not in page and "Locked Out" not in page
    for url in (FAILURES, LOGS):
        assert admin_client_logged_in.get(url).status_code == 200


def test_other_users_never_see_them_even_with_the_permissions(django_user_model):
    user = django_user_model.objects.create_user("prov", password="x-Pass-123")
    membership_assign(user=user, role=Membership.Role.PROVINCE_ADMIN)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="axes")
    )
    client = Client()
    client.force_login(user)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert "登录安全" not in index.content.decode()
    for url in (ATTEMPTS, FAILURES, LOGS):
        assert client.get(url).status_code == 403, url

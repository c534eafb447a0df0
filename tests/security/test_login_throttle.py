"""Login throttling (django-axes) through the real admin login page; password validation."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("admin:login")
INDEX_URL = reverse("admin:index")
USERNAME, PASSWORD = "reviewer", "x-Pass-123"  # tests/conftest.py's superuser


def _login(client: Client, password: str, username: str = USERNAME):
    return client.post(
        LOGIN_URL, {"username": username, "password": password, "next": INDEX_URL}
    )


def _lock_out(client: Client) -> list[int]:
    """Fail as often as the limit allows; the status of each attempt."""
    return [
        _login(client, f"wrong-{i}").status_code
        for i in range(django_settings.AXES_FAILURE_LIMIT)
    ]


def _logged_in(client: Client) -> bool:
    return client.get(INDEX_URL).status_code == 200


def test_repeated_failures_lock_the_account_with_a_chinese_message(superuser):
    client = Client()
    statuses = _lock_out(client)
    # The form says "wrong password" until the limit; the last failure locks.
    assert statuses[:-1] == [200] * (len(statuses) - 1)
    assert statuses[-1] == 429
    locked = _login(client, PASSWORD)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "登录已暂时锁定" in page and "reviewer" in page
    assert f"已达 {django_settings.AXES_FAILURE_LIMIT} 次" in page
    assert "即使输入正确的密码也无法登录" in page
    assert not _logged_in(client)


def test_defaults_are_five_failures_and_fifteen_minutes():
    assert django_settings.AXES_FAILURE_LIMIT == 5
    assert django_settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert django_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_lockout_is_per_username_and_address(superuser):
    _lock_out(Client(REMOTE_ADDR="10.0.0.1"))
    # The same user from another address, and the locked address for another user.
    elsewhere = Client(REMOTE_ADDR="10.0.0.2")
    assert _login(elsewhere, PASSWORD).status_code == 302
    assert _logged_in(elsewhere)
    assert _login(Client(REMOTE_ADDR="10.0.0.1"), "wrong", "other").status_code == 200


def test_an_administrator_reset_unlocks_at_once(superuser):
    client = Client()
    _lock_out(client)
    assert _login(client, PASSWORD).status_code == 429
    assert reset(username=USERNAME) >= 1
    assert _login(client, PASSWORD).status_code == 302
    assert _logged_in(client)


def test_the_lock_ends_after_the_cool_off(superuser, settings):
    client = Client()
    _lock_out(client)
    assert _login(client, PASSWORD).status_code == 429
    # Shortened only now: a cool-off shorter than the attempts would let the first
    # failures expire before the lock.
    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)
    time.sleep(1.2)
    assert _login(client, PASSWORD).status_code == 302
    assert _logged_in(client)
    # A success clears the failures: the next typo does not lock again at once.
    assert not AccessAttempt.objects.filter(username=USERNAME).exists()


def test_weak_passwords_are_refused():
    for weak in ("12345678", "password", "abc"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("梅花-Plum-blossom-2024")

"""Shared fixtures: the corpus folder, logged-in admin clients, the demo province."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """../shared/corpus, or a skip saying why when it is not beside the checkout."""
    if not CORPUS.is_dir():
        pytest.skip(
            f"语料目录 {CORPUS} 不存在（corpus folder absent; tests that read it skip)"
        )
    return CORPUS


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    """Tests hash passwords with MD5: the production hasher (PBKDF2, a million rounds) is
    slow on purpose, a quarter of a CPU second for each user made or login tried, and no
    test is about its strength (Django's advice for test settings)."""
    if not settings.configured:  # run without pytest-django (-p no:django)
        yield
        return
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    ):
        yield


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        "reviewer", "r@example.com", "x-Pass-123"
    )


@pytest.fixture
def admin_client_logged_in(superuser) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def demo(db) -> None:
    """The deterministic demo province, as `make demo` builds it."""
    call_command("seed_demo", stdout=open("/dev/null", "w"))

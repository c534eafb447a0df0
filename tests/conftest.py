"""Shared fixtures: the corpus folder, logged-in admin clients, the demo province."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

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

"""Shared fixtures: the corpus folder, logged-in admin clients, the demo province."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from pytest_django import DjangoDbBlocker

from tests.shared_demo import SharedDemo, seed, shares_demo

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
SHARED_DEMO = pytest.StashKey[SharedDemo]()
SETTING_UP = pytest.StashKey[pytest.Item]()


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


# --- pytest-xdist (make test): modules that build their inputs once run on one worker -----

# Their module fixtures convert documents with LibreOffice, print pages with chromium or
# build large hostile files: on two workers each would be built twice.
ONE_WORKER_MODULES = frozenset(
    {
        "tests/reports/importing/test_pdf_layouts.py",
        "tests/reports/importing/test_pdf_browser.py",
        "tests/security/test_hostile_files.py",
    }
)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """Every other test is scheduled on its own, as pytest-xdist's default does; the
    tests of ONE_WORKER_MODULES go to one worker together. (--dist loadgroup would say
    this with marks, but does not group on pytest 9.2: pytest-xdist issue 1386.)"""
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in ONE_WORKER_MODULES else nodeid

    return Scheduling(config, log)


# --- the demo province, seeded once per session (tests/shared_demo.py) ------------------------


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """The tests that share the demo run first and one after the other, so that one
    seeding serves them all (with pytest-xdist, each worker runs its share of them first
    and seeds once). Before pytest-django's ordering (database tests, transactional ones,
    the rest), whose stable sort keeps them in front."""
    sharing = [item for item in items if shares_demo(item)]
    items[:] = sharing + [item for item in items if not shares_demo(item)]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before the test's fixtures: open the shared demo for a test that asks for it, roll
    it back before any other test (which must see an empty database)."""
    item.config.stash[SETTING_UP] = item
    shared = item.config.stash.get(SHARED_DEMO, None)
    if shared is None:
        return  # not made yet: the `_shared_demo` fixture opens it for its first test
    if shares_demo(item):
        shared.open()
    else:
        shared.close()


@pytest.fixture(scope="session")
def demo_seed() -> Callable[[], None]:
    """What builds the demo: seed_demo (tests/test_shared_demo.py seeds less)."""
    return seed


@pytest.fixture(scope="session")
def _shared_demo(
    request: pytest.FixtureRequest,
    demo_seed: Callable[[], None],
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
) -> Iterator[SharedDemo]:
    """Made for the first test that asks for the demo (session fixtures are set up before
    that test's own transaction begins); rolled back before the test database goes."""
    shared = SharedDemo(django_db_blocker, demo_seed)
    if shares_demo(request.config.stash[SETTING_UP]):
        shared.open()
    request.config.stash[SHARED_DEMO] = shared
    yield shared
    shared.close()
    del request.config.stash[SHARED_DEMO]


@pytest.fixture
def demo(_shared_demo: SharedDemo, db: None) -> None:
    """The deterministic demo province, as `make demo` builds it; what a test changes in
    it is rolled back after the test."""
    if not _shared_demo.is_open:  # a transactional test: seeded for it alone
        _shared_demo.seed()

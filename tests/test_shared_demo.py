"""The shared demo (tests/shared_demo.py) never leaks: seeded once for the tests that ask
for it, whole again for each of them, gone for every other test.

A pytest session of its own runs the tests below with the project's fixtures; its seed makes
one region instead of the whole province (the sharing is under test, not seed_demo).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]

CONFTEST = """
import pytest

pytest_plugins = ["tests.conftest"]
SEEDS = []


@pytest.fixture(scope="session")
def demo_seed():
    from tests.factories import make_region

    def seed():
        SEEDS.append("seeded")
        make_region(name="演示省", code="990000")

    return seed
"""

TESTS = """
import pytest

from agencies.models import Region
from conftest import SEEDS


def names():
    return list(Region.objects.values_list("name", flat=True))


def test_a_test_without_the_demo_sees_an_empty_database(db):
    assert names() == []


def test_a_demo_test_may_delete_the_demo(demo):
    assert names() == ["演示省"]
    Region.objects.all().delete()
    assert names() == []


def test_the_next_demo_test_finds_it_whole(demo):
    assert names() == ["演示省"]


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_seeds_its_own(demo):
    assert names() == ["演示省"]


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_after_it_finds_nothing(transactional_db):
    assert names() == []


def test_seeded_once_shared_and_once_for_the_transactional_test():
    assert SEEDS == ["seeded", "seeded"]
"""


def _own_database(url: str) -> str:
    """DATABASE_URL with a database name of its own: the inner session creates and drops
    test_<name>, which must not be the one this session is using."""
    if not url:
        return url  # SQLite: the test database is in memory
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path + "_shared_demo"))


def test_the_shared_demo_is_rolled_back_for_every_other_test(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(CONFTEST, "utf-8")
    (tmp_path / "test_sharing.py").write_text(TESTS, "utf-8")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")},
        "PYTHONPATH": str(REPO),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": _own_database(os.environ.get("DATABASE_URL", "")),
    }
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-v"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 passed" in result.stdout
    # The tests that share the demo ran first, together.
    order = [
        line.split("::")[1].split()[0]
        for line in result.stdout.splitlines()
        if "::" in line and "PASSED" in line
    ]
    assert order[:2] == [
        "test_a_demo_test_may_delete_the_demo",
        "test_the_next_demo_test_finds_it_whole",
    ]

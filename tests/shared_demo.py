"""The demo province seeded once and shared by the tests that ask for it.

Seeding it (`seed_demo`: ~180 reports and a full audit) takes seconds; some eighty tests want
it. It is seeded inside a transaction that stays open while those tests run: each test's own
transaction (pytest-django's `db`) is then a savepoint within it, and rolls back whatever the
test changed. Before any other test runs, the shared transaction is rolled back too, so no
other test ever sees the province. conftest.py runs the tests that share it one after the
other, so that a session seeds it once (once per xdist worker).

Tests on a transactional database (`transaction=True`, `live_server`) cannot run inside an
open transaction: the `demo` fixture seeds the province for each of them instead.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.transaction import Atomic
from pytest_django import DjangoDbBlocker

DEMO = "demo"


def is_transactional(item: pytest.Item) -> bool:
    """Whether pytest-django gives the test a transactional database (its own rule)."""
    names = getattr(item, "fixturenames", ())
    if "transactional_db" in names or "live_server" in names:
        return True
    if "django_db_reset_sequences" in names:
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    return bool(
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
    )


def shares_demo(item: pytest.Item) -> bool:
    """A test that asks for the demo and runs in a rolled-back transaction."""
    return DEMO in getattr(item, "fixturenames", ()) and not is_transactional(item)


def seed() -> None:
    """The province as `make demo` builds it (regions, agencies, reports, one audit)."""
    call_command("seed_demo", stdout=io.StringIO())


class SharedDemo:
    """The seeded province inside an open transaction on the default database."""

    def __init__(self, blocker: DjangoDbBlocker, seed: Callable[[], None]) -> None:
        self._blocker = blocker
        self.seed = seed
        self._atomic: Atomic | None = None

    @property
    def is_open(self) -> bool:
        return self._atomic is not None

    def open(self) -> None:
        """Seed the province in a new outer transaction, unless one is open already."""
        if self._atomic is not None:
            return
        with self._blocker.unblock():
            atomic = transaction.atomic(using=DEFAULT_DB_ALIAS)
            # Like Django's TestCase atomics: a durable atomic() inside is allowed.
            atomic._from_testcase = True
            atomic.__enter__()
            try:
                self.seed()
            except BaseException:
                self._rollback(atomic)
                raise
        self._atomic = atomic

    def close(self) -> None:
        """Roll the province back: the tests after this one see an empty database."""
        atomic, self._atomic = self._atomic, None
        if atomic is not None:
            with self._blocker.unblock():
                self._rollback(atomic)

    @staticmethod
    def _rollback(atomic: Atomic) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.in_atomic_block:
            transaction.set_rollback(True, using=DEFAULT_DB_ALIAS)
        atomic.__exit__(None, None, None)

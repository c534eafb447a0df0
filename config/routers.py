"""Read-only pages from a PostgreSQL streaming replica (settings: DATABASE_REPLICA_URL).

Only what may lag the primary by a few seconds reads from the replica: the overview page
(总览) and the summary workbook (汇总表, the admin action and `export_summary`). Everything
else stays on the primary: imports (the sha256 duplicate check and the revision number must
see the last commit), audits (they compare findings with what they just saw and write),
report pages and edits (the optimistic lock reads the version it then locks), sessions,
users and login throttling. Settings install the router and the middleware only when a
replica is configured; without one, `replica_reads()` changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
# The data the overview and the summary read; auth, sessions and axes stay on the primary
# (a login just written must be seen by the next request).
REPLICA_APPS = frozenset({"agencies", "reports"})
# GET requests to these views read from the replica (the summary action is a POST: it
# says so itself in reports/admin/report_excel.py).
REPLICA_VIEWS = frozenset({"admin:overview"})

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Inside the block, reads of the report data go to the replica (when there is one)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def reading_from_replica() -> bool:
    """Whether reads are routed to the replica here."""
    return _replica_reads.get()


class ReplicaRouter:
    """Routes reads inside replica_reads() to the replica; everything else to default."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if _replica_reads.get() and model._meta.app_label in REPLICA_APPS:
            return REPLICA
        return None

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # The replica holds the primary's rows: an object read there may be related to one
        # read from the primary.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # A replica is read-only and follows the primary's schema through replication.
        return False if db == REPLICA else None


class ReplicaReadsMiddleware:
    """GET requests to the REPLICA_VIEWS read the report data from the replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_replica_token", None)
            if token is not None:
                _replica_reads.reset(token)
                del request._replica_token

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        match = request.resolver_match
        if (
            request.method in {"GET", "HEAD"}
            and match is not None
            and match.view_name in REPLICA_VIEWS
        ):
            request._replica_token = _replica_reads.set(True)

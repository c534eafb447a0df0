"""Recording what changed in a report, by whom and why (read in the admin's 变更记录)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User

from reports.models import AnnualReport, ChangeRecord


def change_record(
    *,
    report: AnnualReport,
    action: str,
    user: User | None,
    changes: dict[str, tuple[Any, Any]] | None = None,
    reason: str = "",
    batch: uuid.UUID | None = None,
) -> ChangeRecord:
    """Store one change event; values are kept as JSON (decimals as strings)."""
    return ChangeRecord.objects.create(
        report=report,
        action=action,
        user=user if user is not None and user.is_authenticated else None,
        changes={key: [_json(a), _json(b)] for key, (a, b) in (changes or {}).items()},
        reason=reason,
        batch=batch,
    )


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value

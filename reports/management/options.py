"""The options several commands share, read one way: --region and --agency."""

from __future__ import annotations

from django.core.management.base import CommandError

from agencies.models import Agency, Region
from agencies.services import AgencyNotFound, agency_find


def region_option(code: str | None) -> Region | None:
    """The region --region names by its division code (None when not given)."""
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise CommandError(f"--region：没有区划代码为 {code} 的区划")
    return region


def agency_option(name: str | None) -> Agency | None:
    """The agency --agency names by its name or an alias (None when not given)."""
    if not name:
        return None
    try:
        return agency_find(name)
    except AgencyNotFound as exc:
        raise CommandError(f"--agency：{exc}") from exc

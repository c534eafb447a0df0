"""Which part of the region tree a user may see on the overview.

The overview asks region_scope_for() once per request and keeps every selectable region and
every number inside the subtree it returns. It follows the user's role (agencies/scope.py):
the province sees everything, a city reviewer their city's subtree; a filer, whose reach is
one agency, not a region, is sent to the report list instead.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied

from agencies.models import Region
from agencies.scope import scope_for


def region_scope_for(user: User | AnonymousUser) -> Region | None:
    """The root of the subtree `user` may see; None means the whole tree."""
    scope = scope_for(user)
    if scope.everything:
        return None
    if scope.region_path is not None:
        return Region.objects.get(path=scope.region_path)
    raise PermissionDenied(
        "总览汇总一个地区的报送和审核情况；填报单位请在“年度报告”中查看本机关的年报"
    )


def within(region: Region, scope: Region | None) -> bool:
    """Whether `region` lies in the subtree of `scope` (everything when scope is None)."""
    return scope is None or region.path.startswith(scope.path)


def region_resolve(code: str | None, scope: Region | None) -> Region | None:
    """The region the page shows: the one asked for if it is in scope, else the scope root.

    A code outside the user's scope (a hand-edited URL, a bookmark from another role) falls
    back to the scope instead of failing, so the page never shows numbers out of scope.
    """
    if code:
        region = Region.objects.filter(code=code).first()
        if region is not None and within(region, scope):
            return region
    return scope

"""Which part of the region tree a user may see on the overview.

Roles arrive in a later issue; until then everyone sees everything. The overview asks
region_scope_for() once per request and keeps every selectable region and every number
inside the subtree it returns, so roles only have to change this one function.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from agencies.models import Region


def region_scope_for(user: AbstractBaseUser | AnonymousUser) -> Region | None:
    """The root of the subtree `user` may see; None means the whole tree."""
    return None


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

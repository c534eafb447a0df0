"""What a user may see: everything, a region's subtree, or one agency.

Every list, page, action, import, export and dashboard narrows its querysets through
`scope_for(user).filter(...)`, so the rule lives in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from agencies.models import Membership


@dataclass(frozen=True)
class Scope:
    """A user's reach; `everything` wins, then a region path, then one agency."""

    everything: bool = False
    region_path: str | None = None
    agency_id: int | None = None

    @property
    def nothing(self) -> bool:
        return (
            not self.everything and self.region_path is None and self.agency_id is None
        )

    def filter(self, qs: QuerySet, agency: str = "agency") -> QuerySet:
        """Narrow a queryset whose rows belong to an agency reached through `agency`.

        `agency` is the lookup path to the Agency ("agency", "report__agency"), or "" when
        the queryset is of agencies themselves.
        """
        if self.everything:
            return qs
        prefix = f"{agency}__" if agency else ""
        if self.region_path is not None:
            return qs.filter(**{f"{prefix}region__path__startswith": self.region_path})
        if self.agency_id is not None:
            return qs.filter(**{agency or "pk": self.agency_id})
        return qs.none()

    def filter_regions(self, qs: QuerySet) -> QuerySet:
        """Narrow a queryset of regions to those the user may see."""
        if self.everything:
            return qs
        if self.region_path is not None:
            return qs.filter(path__startswith=self.region_path)
        if self.agency_id is not None:
            return qs.filter(agencies__pk=self.agency_id)
        return qs.none()


def scope_for(user: User | AnonymousUser) -> Scope:
    """The reach of a user: superusers and province admins see everything."""
    if not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_superuser:
        return Scope(everything=True)
    membership = (
        Membership.objects.filter(user=user).select_related("region").first()
        if not hasattr(user, "_scope_membership")
        else user._scope_membership
    )
    user._scope_membership = (
        membership  # once per request: the user object is per request
    )
    if membership is None:
        return Scope()
    if membership.role == Membership.Role.PROVINCE_ADMIN:
        if membership.region is None:
            return Scope(everything=True)
        return Scope(region_path=membership.region.path)
    if membership.role == Membership.Role.CITY_REVIEWER:
        return Scope(region_path=membership.region.path)
    return Scope(agency_id=membership.agency_id)

"""Giving a user a role: its membership, its permission group, staff access."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction

from agencies.models import Agency, Membership, Region

# Model permissions of each role; the region or agency scope narrows them further.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Membership.Role.PROVINCE_ADMIN: (
        "agencies.view_region",
        "agencies.add_region",
        "agencies.change_region",
        "agencies.view_agency",
        "agencies.add_agency",
        "agencies.change_agency",
        "agencies.view_agencyalias",
        "agencies.add_agencyalias",
        "agencies.change_agencyalias",
        "agencies.view_membership",
        "reports.view_reportyear",
        "reports.add_reportyear",
        "reports.change_reportyear",
        "reports.view_annualreport",
        "reports.add_annualreport",
        "reports.change_annualreport",
        "reports.review_annualreport",
        "reports.view_finding",
        "reports.change_finding",
        "reports.view_auditrun",
        "reports.view_deadlineoverride",
        "reports.add_deadlineoverride",
        "reports.change_deadlineoverride",
        "reports.view_changerecord",
        "reports.view_reporttransition",
    ),
    Membership.Role.CITY_REVIEWER: (
        "agencies.view_region",
        "agencies.view_agency",
        "agencies.view_agencyalias",
        "reports.view_reportyear",
        "reports.view_annualreport",
        "reports.add_annualreport",
        "reports.change_annualreport",
        "reports.review_annualreport",
        "reports.view_finding",
        "reports.change_finding",
        "reports.view_auditrun",
        "reports.view_changerecord",
        "reports.view_reporttransition",
    ),
    Membership.Role.AGENCY_FILER: (
        "agencies.view_agency",
        "reports.view_reportyear",
        "reports.view_annualreport",
        "reports.add_annualreport",
        "reports.change_annualreport",
        "reports.view_finding",
        "reports.view_changerecord",
        "reports.view_reporttransition",
    ),
}


def role_group(role: str) -> Group:
    """The permission group of a role, created or brought up to date."""
    group, _ = Group.objects.get_or_create(name=Membership.Role(role).label)
    wanted = []
    for dotted in ROLE_PERMISSIONS[role]:
        app_label, codename = dotted.split(".")
        wanted.append(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    group.permissions.set(wanted)
    return group


@transaction.atomic
def membership_assign(
    *, user: User, role: str, region: Region | None = None, agency: Agency | None = None
) -> Membership:
    """Make `user` a staff member with exactly this role and scope."""
    membership, _ = Membership.objects.update_or_create(
        user=user, defaults={"role": role, "region": region, "agency": agency}
    )
    labels = [r.label for r in Membership.Role]
    user.groups.remove(*Group.objects.filter(name__in=labels))
    user.groups.add(role_group(role))
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return membership

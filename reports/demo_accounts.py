"""The demo's logins: a superuser and one user of each role, each with a fresh password.

So that `make demo` shows what each role sees: the province its whole province, a city
reviewer one city's subtree, a filer one agency's reports (agencies/roles.py).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from agencies.models import Agency, Membership, Region
from agencies.roles import membership_assign

DEMO_PROVINCE = "320000"  # 江苏省
DEMO_CITY = "320800"  # 淮安市
# Its 2024 report is a draft with seeded findings: the filer has something to correct.
DEMO_FILER_AGENCY = "淮阴区卫生健康局"


@dataclass(frozen=True)
class DemoLogin:
    """One account the demo prints: who it is and what it may see."""

    username: str
    password: str
    role: str
    reach: str


@transaction.atomic
def demo_logins_ensure(username: str) -> list[DemoLogin]:
    """Create (or reset the password of) `username` as a superuser and `username-province`,
    `username-city` and `username-agency` with the three roles; return their logins."""
    province = Region.objects.get(code=DEMO_PROVINCE)
    city = Region.objects.get(code=DEMO_CITY)
    agency = Agency.objects.get(
        name=DEMO_FILER_AGENCY, region__path__startswith=city.path
    )
    logins = [_account(username, "超级管理员", "全部功能", superuser=True)]
    roles = (
        ("province", Membership.Role.PROVINCE_ADMIN, {"region": province}),
        ("city", Membership.Role.CITY_REVIEWER, {"region": city}),
        ("agency", Membership.Role.AGENCY_FILER, {"agency": agency}),
    )
    for suffix, role, where in roles:
        reach = where.get("region") or where["agency"]
        login = _account(f"{username}-{suffix}", role.label, reach.name)
        user = get_user_model().objects.get(username=login.username)
        membership_assign(user=user, role=role, **where)
        logins.append(login)
    return logins


def _account(
    username: str, role: str, reach: str, *, superuser: bool = False
) -> DemoLogin:
    password = secrets.token_urlsafe(9)
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.is_staff = True
    user.is_superuser = superuser
    user.is_active = True
    user.set_password(password)
    user.save()
    return DemoLogin(username, password, role, reach)

"""Reading and writing the agency registry."""

from __future__ import annotations

from django.db.models import Q

from agencies.models import Agency, AgencyAlias, Region


class AgencyNotFound(LookupError):
    """No agency, or more than one, answers to a name."""


def agency_find(name: str) -> Agency:
    """The one agency whose name or alias is `name`; AgencyNotFound if none or several."""
    wanted = name.strip()
    matches = list(
        Agency.objects.filter(Q(name=wanted) | Q(aliases__name=wanted))
        .select_related("region")
        .distinct()[:2]
    )
    if not matches:
        raise AgencyNotFound(f"机关名录中没有“{wanted}”（名称或别名）")
    if len(matches) > 1:
        raise AgencyNotFound(f"“{wanted}”对应多个机关，请用 --agency 指定")
    return matches[0]


def region_upsert(*, code: str, name: str, level: str, parent: Region | None) -> Region:
    """Create or update the region with this division code."""
    region, _ = Region.objects.update_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent}
    )
    return region


def agency_upsert(
    *,
    name: str,
    region: Region,
    kind: str,
    sector: str = "",
    aliases: tuple[str, ...] = (),
) -> Agency:
    """Create or update an agency (unique by region and name) and add its aliases."""
    agency, _ = Agency.objects.update_or_create(
        region=region, name=name, defaults={"kind": kind, "sector": sector}
    )
    for alias in aliases:
        AgencyAlias.objects.get_or_create(agency=agency, name=alias)
    return agency

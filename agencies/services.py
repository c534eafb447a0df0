"""Reading and writing the agency registry."""

from __future__ import annotations

from django.db.models import CharField, F, Q, Value

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


def agency_candidates(name: str, *, limit: int = 8) -> list[Agency]:
    """Agencies a reviewer may mean by `name`: a name or alias that contains it or that it
    contains ("洪泽区人民政府" and "淮安市洪泽区人民政府"), shortest difference first."""
    wanted = name.strip()
    if not wanted:
        return []
    text = Value(wanted, output_field=CharField())
    matches = (
        Agency.objects.annotate(wanted=text)
        .filter(
            Q(name__contains=wanted)
            | Q(aliases__name__contains=wanted)
            | Q(wanted__contains=F("name"))
            | Q(wanted__contains=F("aliases__name"))
        )
        .select_related("region")
        .distinct()
        .order_by("name")[: limit * 4]
    )
    ranked = sorted(matches, key=lambda a: (abs(len(a.name) - len(wanted)), a.name))
    return ranked[:limit]

"""Reading and writing the agency registry."""

from __future__ import annotations

from functools import lru_cache

import opencc
from django.db.models import CharField, F, Q, Value

from agencies.models import Agency, AgencyAlias, Region


class AgencyNotFound(LookupError):
    """No agency, or more than one, answers to a name."""


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def name_spellings(name: str) -> list[str]:
    """A name as printed, and in simplified characters when it was printed in traditional
    ones (a report copied through a site's 繁體 button names 測試縣衛生健康局)."""
    wanted = name.strip()
    simplified = _to_simplified().convert(wanted)
    return [wanted] if simplified == wanted else [wanted, simplified]


def agency_find(name: str) -> Agency:
    """The one agency whose name or alias is `name` (or its simplified spelling);
    AgencyNotFound if none or several."""
    wanted = name.strip()
    spellings = name_spellings(wanted)
    matches = list(
        Agency.objects.filter(Q(name__in=spellings) | Q(aliases__name__in=spellings))
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
    contains ("洪泽区人民政府" and "淮安市洪泽区人民政府"), in the printed and the
    simplified spelling, shortest difference first."""
    wanted = name.strip()
    if not wanted:
        return []
    found: dict[int, Agency] = {}
    for spelling in name_spellings(wanted):
        text = Value(spelling, output_field=CharField())
        matches = (
            Agency.objects.annotate(wanted=text)
            .filter(
                Q(name__contains=spelling)
                | Q(aliases__name__contains=spelling)
                | Q(wanted__contains=F("name"))
                | Q(wanted__contains=F("aliases__name"))
            )
            .select_related("region")
            .distinct()
            .order_by("name")[: limit * 4]
        )
        found.update((a.pk, a) for a in matches)
    ranked = sorted(
        found.values(), key=lambda a: (abs(len(a.name) - len(wanted)), a.name)
    )
    return ranked[:limit]

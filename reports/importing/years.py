"""Which report years an import may be for, and the Chinese refusal for any other."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max

from reports.importing.interchange import MIN_YEAR
from reports.models import ReportYear


def year_range(today: dt.date | None = None) -> tuple[int, int]:
    """The report years the system knows: from the first reports under the Regulations
    (2008) to this year, or to a later year an administrator has already set up."""
    today = today or dt.date.today()
    latest = ReportYear.objects.aggregate(n=Max("year"))["n"]
    return MIN_YEAR, max(today.year, latest or 0)


def year_refusal(year: int | None, today: dt.date | None = None) -> str:
    """Why `year` cannot be imported (in Chinese), or "" when it can."""
    low, high = year_range(today)
    if year is None:
        return "年报缺少年度"
    if not low <= year <= high:
        return f"年度 {year} 不在系统已知的报告年度范围内（{low}–{high} 年度）"
    return ""

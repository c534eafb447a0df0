"""SQL expressions the overview and its changelist filters share, so their counts agree.

The publication deadline depends on the year, the agency's kind and the regional overrides;
reports.audit.facts.Deadlines holds those rules in Python for the audit. Here the same rules
become one CASE expression, so that "late", "missing" and "not yet due" are counted by the
database with GROUP BY instead of one Python decision per agency.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Case,
    CharField,
    DateField,
    Expression,
    F,
    Q,
    Value,
    When,
)
from django.db.models.functions import StrIndex, Substr

from reports.audit.facts import GOVERNMENT_KINDS, Deadlines

ON_TIME = "on_time"
LATE = "late"
UNDATED = "undated"
MISSING = "missing"
NOT_DUE = "not_due"

COVERAGE_LABELS: dict[str, str] = {
    ON_TIME: "按时报送",
    LATE: "逾期报送",
    UNDATED: "已报送、未填发布日期",
    MISSING: "未报送（已过截止日）",
    NOT_DUE: "未报送（未到截止日）",
}
RECEIVED = (ON_TIME, LATE, UNDATED)


def deadline_case(
    deadlines: Deadlines,
    *,
    kind: str,
    path: str,
    year: int | None = None,
    year_field: str = "",
) -> Case:
    """The deadline as SQL: a fixed `year`, or each row's own year read from `year_field`.

    Mirrors Deadlines.for_agency: the most specific override that sets a date for the
    agency's kind wins, then the year's national deadline for the kind.
    """
    government = Q(**{f"{kind}__in": sorted(GOVERNMENT_KINDS)})
    whens: list[When] = []

    def add(condition: Q, on_year: int, date: dt.date | None) -> None:
        if date is None or (year is not None and on_year != year):
            return
        if year is None:
            condition &= Q(**{year_field: on_year})
        whens.append(When(condition, then=Value(date)))

    for prefix, on_year, override in deadlines.overrides:  # longest path first
        inside = Q(**{f"{path}__startswith": prefix})
        add(inside & government, on_year, override.government_deadline)
        add(inside & ~government, on_year, override.department_deadline)
    for on_year, report_year in deadlines.years.items():
        add(government, on_year, report_year.government_deadline)
        add(~government, on_year, report_year.department_deadline)
    return Case(*whens, default=Value(None), output_field=DateField())


def timeliness_case(*, published: str, deadline: str) -> Case:
    """on_time / late / undated for a received report (published after deadline = late)."""
    return Case(
        When(**{f"{published}__isnull": True}, then=Value(UNDATED)),
        When(**{f"{published}__gt": F(deadline)}, then=Value(LATE)),
        default=Value(ON_TIME),
        output_field=CharField(),
    )


def coverage_case(
    *, report_id: str, published: str, deadline: str, today: dt.date
) -> Case:
    """An agency's standing for the year: one of COVERAGE_LABELS' keys.

    No report is "missing" only once the deadline has passed (as the missing-report audit
    rule says); before that it is "not yet due".
    """
    return Case(
        When(
            **{f"{report_id}__isnull": True, f"{deadline}__lt": today},
            then=Value(MISSING),
        ),
        When(**{f"{report_id}__isnull": True}, then=Value(NOT_DUE)),
        When(**{f"{published}__isnull": True}, then=Value(UNDATED)),
        When(**{f"{published}__gt": F(deadline)}, then=Value(LATE)),
        default=Value(ON_TIME),
        output_field=CharField(),
    )


def active_in(year: int | Expression | F, prefix: str = "") -> Q:
    """Agencies due to report for `year` (Agency.is_active_in, as a filter)."""
    return (
        Q(**{f"{prefix}active_from__isnull": True})
        | Q(**{f"{prefix}active_from__lte": year})
    ) & (
        Q(**{f"{prefix}active_until__isnull": True})
        | Q(**{f"{prefix}active_until__gte": year})
    )


def child_path(path: str, parent_path: str) -> Substr:
    """The path of the child of `parent_path` a row's region lies in (or the parent's own).

    "/320000/320800/320813/" under "/320000/" gives "/320000/320800/"; a row of the parent
    region itself gives "/320000/". Cut at the next "/" rather than at a fixed length, so
    6-digit and 9-digit codes side by side are both right.
    """
    n = len(parent_path)
    rest = Substr(path, n + 1)
    return Substr(path, 1, Value(n) + StrIndex(rest, Value("/")))

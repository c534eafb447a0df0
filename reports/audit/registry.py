"""The rule registry: `@rule(id, severity, title)` on each rule function, and running them.

A rule is one function in one module of reports/audit/rules/. Its decorator gives its id, its
severity and its Chinese title, once: the catalogue the admin, the commands and the exports
show is this registry, and the severity of every issue is stamped from it when the rules
run (a rule body never writes a severity). A per-report rule takes ReportFacts; a
whole-scope rule (`scope=True`) takes the scope's reports, the agencies due and today's date.
Where one pass over a report finds several rules (blank, "/" and invalid cells), the
function carries one decorator per rule it finds and runs once for all of them.

Rules of one report share work (the Reader of its tables, its sentences) through `shared`:
made once per report while run_report_rules runs, afresh when a rule is called on its own.
Import the catalogue from reports.audit.rules, which imports every rule module.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator, Sequence, Set
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from reports.audit.base import AgencyDue, Issue, ReportFacts, Severity

Check = Callable[..., Any]
F = TypeVar("F", bound=Check)


@dataclass(frozen=True)
class Rule:
    """A registered rule: its id, severity, Chinese title and the function that finds it."""

    id: str
    severity: Severity
    title: str
    check: Check
    scope: bool = False  # a whole-scope rule (across reports), not a per-report one


# Rule id -> Rule, in the order the rule modules register them.
CATALOGUE: dict[str, Rule] = {}
# Each function with the ids it finds (a function may find several), in the same order.
_CHECKS: dict[Check, list[str]] = {}


class RuleError(RuntimeError):
    """A rule registered twice or wrongly, or an issue of a rule its function did not declare."""


def rule(
    id: str, severity: Severity, title: str, *, scope: bool = False
) -> Callable[[F], F]:
    """Register the decorated function as the one that finds rule `id`."""

    def register(check: F) -> F:
        if id in CATALOGUE:
            raise RuleError(f"审核规则 {id} 重复登记（{check.__qualname__}）")
        if not isinstance(severity, Severity) or not title.strip():
            raise RuleError(f"审核规则 {id} 须有严重程度和中文名称")
        ids = _CHECKS.setdefault(check, [])
        if ids and CATALOGUE[ids[0]].scope != scope:
            raise RuleError(f"{check.__qualname__} 不能同时是单份年报和跨年报的规则")
        # Stacked decorators apply bottom-up: put this id before the function's others,
        # so that the catalogue lists them as written.
        later = [CATALOGUE.pop(other) for other in ids]
        CATALOGUE[id] = Rule(id, severity, title, check, scope)
        CATALOGUE.update((r.id, r) for r in later)
        ids.insert(0, id)
        return check

    return register


def rule_title(rule_id: str) -> str:
    """The Chinese title of a rule id ("" for an id the catalogue no longer has)."""
    found = CATALOGUE.get(rule_id)
    return found.title if found is not None else ""


def rule_label(rule_id: str) -> str:
    """A rule id with its title, as lists and exports show it: "late 逾期发布年度报告"."""
    title = rule_title(rule_id)
    return f"{rule_id} {title}" if title else rule_id


def ids_of(check: Check) -> tuple[str, ...]:
    """The rule ids a registered function finds."""
    return tuple(_CHECKS[check])


def scope_rule_ids() -> list[str]:
    """The whole-scope rules: a run over chosen reports cannot judge them."""
    return [r.id for r in CATALOGUE.values() if r.scope]


# --- running ----------------------------------------------------------------------------------

_SHARED: ContextVar[dict[tuple[int, str], Any] | None] = ContextVar(
    "audit_shared", default=None
)
T = TypeVar("T")


@contextmanager
def sharing() -> Iterator[None]:
    """Within the block, `shared` work is made once per report and key."""
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def shared(facts: object, key: str, make: Callable[[], T]) -> T:
    """Work several rules need for one report (its Reader, its sentences), made once."""
    cache = _SHARED.get()
    if cache is None:
        return make()
    # The facts outlive the block (the caller holds them), so their id is not reused.
    slot = (id(facts), key)
    if slot not in cache:
        cache[slot] = made = make()
        return made
    value: T = cache[slot]
    return value


def _stamp(issue: Issue, ids: list[str]) -> Issue:
    if issue.rule not in ids:
        raise RuleError(f"审核规则函数给出了未登记在其名下的规则 {issue.rule}")
    return dataclasses.replace(issue, severity=CATALOGUE[issue.rule].severity)


def run_report_rules(facts: ReportFacts, only: Set[str] | None = None) -> list[Issue]:
    """Every per-report rule (or those in `only`) on one report, severities stamped."""
    issues: list[Issue] = []
    with sharing():
        for check, ids in _CHECKS.items():
            if CATALOGUE[ids[0]].scope or (only is not None and only.isdisjoint(ids)):
                continue
            for issue in check(facts):
                stamped = _stamp(issue, ids)
                if only is None or issue.rule in only:
                    issues.append(stamped)
    return issues


def run_scope_rules(
    reports: Sequence[ReportFacts],
    due: Sequence[AgencyDue],
    today: dt.date,
    only: Set[str] | None = None,
) -> list[tuple[int | None, int, Issue]]:
    """Every whole-scope rule (or those in `only`): (report id or None, agency id, issue)."""
    out: list[tuple[int | None, int, Issue]] = []
    for check, ids in _CHECKS.items():
        if not CATALOGUE[ids[0]].scope or (only is not None and only.isdisjoint(ids)):
            continue
        for report_id, agency_id, issue in check(reports, due, today):
            stamped = _stamp(issue, ids)
            if only is None or issue.rule in only:
                out.append((report_id, agency_id, stamped))
    return out

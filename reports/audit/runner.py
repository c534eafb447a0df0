"""Run the rule catalogue over a scope and persist what it finds as Findings.

A finding's fingerprint (rule, key, agency, year) makes a re-run update it instead of adding
a duplicate, so a reviewer's decision (confirmed, dismissed with a reason) survives. A finding
in the scope that the run no longer sees is closed as fixed, never deleted; one that comes
back is reopened. Runs never overlap: the database admits one running AuditRun at a time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import multiprocessing
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from itertools import repeat

from django.contrib.auth.models import User
from django.db import IntegrityError, connections, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from agencies.models import Agency, Region
from reports.audit.base import SEVERITY_RANK, Issue, ReportFacts
from reports.audit.facts import (
    Deadlines,
    agencies_due,
    iter_facts_for_ids,
    report_ids_in_order,
)
from reports.audit.review import ACTIVE, WITHDRAWN_REASON, findings_history
from reports.audit.rules import (
    copying,
    run_report_rules,
    run_scope_rules,
    scope_rule_ids,
)
from reports.models import (
    AnnualReport,
    AuditRun,
    Finding,
    ReportYear,
    audited_report_q,
    revision_fingerprint,
)

# A run still marked running after this long died without cleaning up (killed, power cut).
STALE_RUN = dt.timedelta(hours=6)
# Below this, starting worker processes costs more than it saves.
PARALLEL_FROM = 2000


class AuditAlreadyRunning(RuntimeError):
    """Another audit run holds the lock."""


@dataclass
class AuditScope:
    """What a run covers; empty fields mean everything."""

    year: int | None = None
    region: Region | None = None
    agency: Agency | None = None
    rules: frozenset[str] | None = None
    report_ids: tuple[int, ...] | None = None

    def reports(self) -> QuerySet[AnnualReport]:
        # The revisions in force, and a revision awaiting review after an accepted one
        # (audited on its own; see _observe). A withdrawn report is not on file: its
        # findings close, and missing-report sees the agency without one.
        qs = AnnualReport.objects.filter(audited_report_q())
        if self.year is not None:
            qs = qs.filter(report_year__year=self.year)
        if self.region is not None:
            qs = qs.filter(agency__region__path__startswith=self.region.path)
        if self.agency is not None:
            qs = qs.filter(agency=self.agency)
        if self.report_ids is not None:
            qs = qs.filter(pk__in=self.report_ids)
        return qs

    def agencies(self) -> QuerySet[Agency]:
        qs = Agency.objects.all()
        if self.region is not None:
            qs = qs.filter(region__path__startswith=self.region.path)
        if self.agency is not None:
            qs = qs.filter(pk=self.agency.pk)
        return qs

    def years(self) -> list[int]:
        if self.year is not None:
            return [self.year]
        return sorted(ReportYear.objects.values_list("year", flat=True))

    def findings(self) -> QuerySet[Finding]:
        """The existing findings this run is responsible for (and may close)."""
        qs = Finding.objects.all()
        if self.year is not None:
            qs = qs.filter(year=self.year)
        if self.region is not None:
            qs = qs.filter(agency__region__path__startswith=self.region.path)
        if self.agency is not None:
            qs = qs.filter(agency=self.agency)
        if self.rules is not None:
            qs = qs.filter(rule__in=self.rules)
        if self.report_ids is not None:
            qs = qs.filter(report_id__in=self.report_ids)
        return qs

    def describe(self) -> dict[str, object]:
        return {
            "year": self.year,
            "region": self.region.code if self.region else None,
            "agency": self.agency.name if self.agency else None,
            "rules": sorted(self.rules) if self.rules else None,
            "reports": len(self.report_ids) if self.report_ids is not None else None,
        }


@dataclass
class Observed:
    """An issue seen in this run, located."""

    fingerprint: str
    report_id: int | None
    agency_id: int
    year: int
    issue: Issue


def fingerprint(rule: str, key: str, agency_id: int, year: int) -> str:
    """Stable across runs and revisions of a report: rule, key, agency and year."""
    return hashlib.sha256(f"{rule}|{key}|{agency_id}|{year}".encode()).hexdigest()


def audit_run(
    scope: AuditScope,
    *,
    trigger: str,
    user: User | None = None,
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int = 1,
) -> AuditRun:
    """Audit the scope, persist findings, and return the finished run record.

    With `workers` > 1 the per-report rules run in that many forked processes, each with its
    own database connection (not inside a transaction the caller holds open).
    """
    run = _start(scope, trigger, user)
    started = time.perf_counter()
    try:
        observed, checked = _observe(
            scope, today or timezone.localdate(), progress, workers
        )
        opened, fixed = _persist(run, scope, observed)
        run.status = AuditRun.Status.DONE
        run.reports_checked = checked
        run.counts = dict(Counter(_severity(o.issue) for o in observed))
        run.opened, run.fixed = opened, fixed
    except Exception as exc:
        run.status = AuditRun.Status.FAILED
        run.error = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        run.finished_at = timezone.now()
        run.duration_seconds = round(time.perf_counter() - started, 3)
        run.save()
    return run


def _start(scope: AuditScope, trigger: str, user: User | None) -> AuditRun:
    for attempt in range(2):
        try:
            with transaction.atomic():
                return AuditRun.objects.create(
                    trigger=trigger, started_by=user, scope=scope.describe()
                )
        except IntegrityError:
            running = AuditRun.objects.filter(status=AuditRun.Status.RUNNING).first()
            if (
                attempt == 0
                and running is not None
                and timezone.now() - running.started_at > STALE_RUN
            ):
                running.status = AuditRun.Status.FAILED
                running.error = "长时间未结束，视为已中断"
                running.finished_at = timezone.now()
                running.save()
                continue
            if running is None:  # it ended between our insert and this read
                raise AuditAlreadyRunning("另一次审核刚刚结束，请稍后再试") from None
            since = timezone.localtime(running.started_at)
            raise AuditAlreadyRunning(
                f"另一次审核正在运行（#{running.pk}，开始于 {since:%Y-%m-%d %H:%M}），"
                "请稍后再试"
            ) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _observe(
    scope: AuditScope,
    today: dt.date,
    progress: Callable[[int], None] | None,
    workers: int = 1,
) -> tuple[list[Observed], int]:
    deadlines = Deadlines.load()
    reports = scope.reports()
    ids = report_ids_in_order(reports)
    # Revisions awaiting review after an accepted one: their per-report findings are their
    # own (the fingerprint names the revision, so the revision in force keeps its
    # findings), and the cross-report rules see only the revision in force.
    pending = dict(reports.filter(in_force=False).values_list("pk", "revision"))
    if workers > 1 and len(ids) >= PARALLEL_FROM:
        parts = _parts(ids, workers)
        # Forked children must open their own connections, never share the parent's.
        connections.close_all()
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as executor:
            results = list(
                executor.map(
                    _observe_ids,
                    parts,
                    repeat(scope.rules),
                    repeat(deadlines),
                    repeat(pending),
                )
            )
        if progress is not None:
            progress(len(ids))
    else:
        results = [_observe_ids(ids, scope.rules, deadlines, pending, progress)]
    observed = [o for part, _ in results for o in part]
    light = [f for _, part in results for f in part if f.report_id not in pending]
    if scope.report_ids is None:
        due = agencies_due(scope.agencies(), scope.years(), deadlines)
        years = {f.report_id: f.year for f in light}
        for report_id, agency_id, issue in run_scope_rules(
            light, due, today, scope.rules
        ):
            observed.append(
                _locate(issue, report_id, agency_id, _year_of(report_id, years, issue))
            )
    return observed, len(light) + len(pending)


def _observe_ids(
    ids: list[int],
    rules: frozenset[str] | None,
    deadlines: Deadlines,
    pending: dict[int, int],
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Observed], list[ReportFacts]]:
    """Run the per-report rules on these reports (in this process or a worker)."""
    observed: list[Observed] = []
    light: list[ReportFacts] = []
    for facts in iter_facts_for_ids(ids, deadlines, pending=pending):
        revision = pending.get(facts.report_id)
        for issue in run_report_rules(facts, rules):
            seen = _locate(issue, facts.report_id, facts.agency_id, facts.year)
            if revision is not None:
                seen.fingerprint = revision_fingerprint(seen.fingerprint, revision)
            observed.append(seen)
        # Cross-report rules need the narrative's clauses, not the tables or the text:
        # keep memory flat and the hand-over from worker processes small.
        copying.clauses(facts)
        light.append(
            dataclasses.replace(
                facts, tables={}, previous=None, raw_text="", sections={}
            )
        )
        if progress is not None:
            progress(len(light))
    return observed, light


def _parts(ids: list[int], count: int) -> list[list[int]]:
    """Contiguous slices, so each worker keeps most agencies' years together."""
    size = -(-len(ids) // count)
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _year_of(report_id: int | None, years: dict[int, int], issue: Issue) -> int:
    if report_id is not None:
        return years[report_id]
    if issue.year is None:
        raise ValueError(f"规则 {issue.rule} 的发现既无年报也无年度")
    return issue.year


def _locate(issue: Issue, report_id: int | None, agency_id: int, year: int) -> Observed:
    return Observed(
        fingerprint(issue.rule, issue.key, agency_id, year),
        report_id,
        agency_id,
        year,
        issue,
    )


def _persist(
    run: AuditRun, scope: AuditScope, observed: list[Observed]
) -> tuple[int, int]:
    """Create, update, reopen and close findings; returns (newly opened, closed as fixed)."""
    now = timezone.now()
    by_print = {o.fingerprint: o for o in observed}
    opened = fixed = 0
    with transaction.atomic():
        existing = {
            f.fingerprint: f
            for f in Finding.objects.filter(
                fingerprint__in=list(by_print)
            ).select_for_update()
        }
        to_create, to_update, unchanged = [], [], []
        reopened: list[tuple[int, str, int | None, str]] = []
        for print_, seen in by_print.items():
            finding = existing.get(print_)
            values = _finding_values(seen)
            if finding is None:
                to_create.append(
                    Finding(
                        fingerprint=print_, last_seen_at=now, last_run=run, **values
                    )
                )
                opened += 1
                continue
            if finding.status == Finding.Status.FIXED:  # the cause came back
                reopened.append(
                    (finding.pk, finding.status, finding.report_id, finding.rule)
                )
                finding.status, finding.fixed_at, finding.reason = (
                    Finding.Status.OPEN,
                    None,
                    "",
                )
                opened += 1
            elif all(getattr(finding, f) == v for f, v in values.items()):
                # Most findings of a nightly run are the same as last night's: one
                # UPDATE marks them all seen instead of rewriting every column.
                unchanged.append(finding.pk)
                continue
            for field, value in values.items():
                setattr(finding, field, value)
            finding.last_seen_at, finding.last_run = now, run
            to_update.append(finding)
        Finding.objects.bulk_create(to_create, batch_size=1000)
        Finding.objects.bulk_update(to_update, _UPDATED_FIELDS, batch_size=1000)
        for start in range(0, len(unchanged), 10000):
            Finding.objects.filter(pk__in=unchanged[start : start + 10000]).update(
                last_seen_at=now, last_run=run
            )
        gone = (
            scope.findings()
            .filter(status__in=ACTIVE)
            .exclude(fingerprint__in=list(by_print))
        )
        if scope.report_ids is not None:
            # A run on chosen reports cannot judge cross-report rules.
            gone = gone.exclude(rule__in=scope_rule_ids())
        closing = list(
            gone.values_list("pk", "status", "report_id", "rule", "report__withdrawn")
        )
        fixed = gone.update(status=Finding.Status.FIXED, fixed_at=now, last_run=run)
        for withdrawn, reason in ((False, "原因已消失"), (True, WITHDRAWN_REASON)):
            findings_history(
                [c[:4] for c in closing if bool(c[4]) is withdrawn],
                Finding.Status.FIXED,
                user=None,
                reason=f"审核 #{run.pk}：{reason}",
            )
        findings_history(
            reopened,
            Finding.Status.OPEN,
            user=None,
            reason=f"审核 #{run.pk}：问题再次出现",
        )
    return opened, fixed


_UPDATED_FIELDS = [
    "rule",
    "severity",
    "message",
    "cells",
    "evidence",
    "report",
    "agency",
    "year",
    "last_seen_at",
    "last_run",
    "status",
    "fixed_at",
    "reason",
]


def _finding_values(seen: Observed) -> dict[str, object]:
    """The columns a run writes for what it saw (besides when and by which run)."""
    issue = seen.issue
    return {
        "rule": issue.rule,
        "severity": _severity(issue),
        "message": issue.message,
        "cells": [
            {"path": c.path, "value": _json_value(c.value), "raw": c.raw}
            for c in issue.cells
        ],
        "evidence": issue.evidence,
        "report_id": seen.report_id,
        "agency_id": seen.agency_id,
        "year": seen.year,
    }


def _severity(issue: Issue) -> str:
    """The severity the registry stamped on the issue (run_*_rules stamp every one)."""
    if issue.severity is None:
        raise ValueError(f"规则 {issue.rule} 的发现没有严重程度")
    return issue.severity.value


def _json_value(value: int | Decimal | None) -> int | str | None:
    """A cell value as JSON keeps it exactly: integers as numbers, decimals as text."""
    return value if value is None or isinstance(value, int) else str(value)


def open_findings(scope: AuditScope, minimum: str) -> QuerySet[Finding]:
    """Open or confirmed findings of the scope at or above a severity."""
    severities = [
        s for s, rank in SEVERITY_RANK.items() if rank >= SEVERITY_RANK[minimum]
    ]
    return scope.findings().filter(
        Q(status=Finding.Status.OPEN) | Q(status=Finding.Status.CONFIRMED),
        severity__in=severities,
    )

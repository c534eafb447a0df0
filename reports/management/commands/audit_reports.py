"""python manage.py audit_reports: run the consistency audit (fit for cron)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.audit.rules import CATALOGUE, rule_title
from reports.audit.runner import (
    AuditAlreadyRunning,
    AuditScope,
    audit_run,
    open_findings,
)
from reports.core.issues import SEVERITY_LABELS, SEVERITY_RANK
from reports.management.options import agency_option, region_option
from reports.management.progress import Progress


class Command(BaseCommand):
    help = (
        "审核年报的一致性（勾稽关系、跨年衔接、版式、正文与表格、发布时间、收费、抄袭等），"
        "保存审核发现；已确认或已排除的发现在下次审核时保留其处理状态。"
        "有待处理的发现达到 --fail-on 级别时以状态 1 退出，便于定时任务报警。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="只审核这一年度")
        parser.add_argument("--region", help="只审核这一区划（含下级），填区划代码")
        parser.add_argument("--agency", help="只审核这一机关（名称或别名）")
        parser.add_argument(
            "--rule",
            action="append",
            choices=sorted(CATALOGUE),
            help="只运行这条规则（可重复）",
        )
        parser.add_argument(
            "--format", choices=["text", "json"], default="text", help="输出格式"
        )
        parser.add_argument(
            "--fail-on",
            choices=["error", "warning", "never"],
            default="error",
            help="有待处理的发现达到此级别时退出状态为 1（默认 error；never 从不）",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="并行审核的进程数（默认 1；全量夜间审核建议设为 CPU 核数）",
        )
        parser.add_argument(
            "--trigger", default="命令行", help="记录在审核运行记录中的发起方式"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scope = self._scope(options)
        bar = Progress(scope.reports().count(), self.stderr, label="审核", every=1000)
        try:
            run = audit_run(
                scope,
                trigger=options["trigger"],
                progress=lambda _: bar.step(),
                workers=max(1, options["workers"]),
            )
        except AuditAlreadyRunning as exc:
            raise CommandError(str(exc)) from exc
        remaining = (
            open_findings(scope, options["fail_on"])
            if options["fail_on"] != "never"
            else None
        )
        if options["format"] == "json":
            self._json(run, scope)
        else:
            self._text(run, scope)
        if remaining is not None and remaining.exists():
            self.stderr.write(
                f"仍有 {remaining.count()} 条达到“{SEVERITY_LABELS[options['fail_on']]}”级别的待处理发现"
            )
            sys.exit(1)

    def _scope(self, options: dict[str, Any]) -> AuditScope:
        rules = frozenset(options["rule"]) if options.get("rule") else None
        return AuditScope(
            year=options.get("year"),
            region=region_option(options.get("region")),
            agency=agency_option(options.get("agency")),
            rules=rules,
        )

    def _findings(self, scope: AuditScope):
        return (
            scope.findings()
            .filter(status__in=["open", "confirmed"])
            .select_related("agency", "agency__region")
            .order_by("agency__region__code", "agency__name", "year", "rule")
        )

    def _text(self, run, scope: AuditScope) -> None:
        findings = list(self._findings(scope))
        by_rule = Counter((f.rule, f.severity) for f in findings)
        by_region = Counter(f.agency.region.name for f in findings)
        self.stdout.write(
            f"审核 #{run.pk} 完成：{run.reports_checked} 份年报，用时 {run.duration_seconds:.1f} 秒；"
            f"新发现 {run.opened} 条，已消除 {run.fixed} 条"
        )
        self.stdout.write(f"\n待处理的发现（共 {len(findings)} 条），按规则：")
        for (rule, severity), count in sorted(
            by_rule.items(), key=lambda i: (-SEVERITY_RANK[i[0][1]], i[0][0])
        ):
            title = CATALOGUE[rule].title if rule in CATALOGUE else rule
            self.stdout.write(
                f"  {SEVERITY_LABELS[severity]:<4} {rule:<24} {count:>6}  {title}"
            )
        self.stdout.write("\n按区划：")
        for region, count in sorted(by_region.items(), key=lambda i: -i[1]):
            self.stdout.write(f"  {region:<16} {count:>6}")

    def _json(self, run, scope: AuditScope) -> None:
        data = {
            "run": {
                "id": run.pk,
                "status": run.status,
                "trigger": run.trigger,
                "scope": run.scope,
                "reports_checked": run.reports_checked,
                "counts": run.counts,
                "opened": run.opened,
                "fixed": run.fixed,
                "duration_seconds": run.duration_seconds,
            },
            "findings": [
                {
                    "rule": f.rule,
                    "rule_title": rule_title(f.rule),
                    "severity": f.severity,
                    "status": f.status,
                    "agency": f.agency.name,
                    "region": f.agency.region.code,
                    "year": f.year,
                    "message": f.message,
                    "cells": f.cells,
                    "evidence": f.evidence,
                }
                for f in self._findings(scope)
            ],
        }
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))

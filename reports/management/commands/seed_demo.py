"""python manage.py seed_demo: a deterministic demo province for trying the system."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Count, Q

from agencies.models import Agency, AgencyAlias, Membership, Region
from agencies.services import agency_upsert, region_upsert
from reports.audit.runner import AuditAlreadyRunning, AuditScope, audit_run
from reports.core.issues import SEVERITY_LABELS
from reports.fixtures.demo import (
    DEMO_ANOMALIES,
    REGIONS,
    YEARS,
    demo_agencies,
    demo_reports,
)
from reports.fixtures.demo_accounts import DEMO_PROVINCE, demo_logins_ensure
from reports.importing.apply import report_apply, report_year_ensure
from reports.models import UNRESOLVED_FINDING, AnnualReport, DeadlineOverride, Finding


class Command(BaseCommand):
    help = (
        "生成演示数据：一个省的若干市、县区，约 60 个机关，2020（2019 版式）、2023、2024 年度"
        "的年报，含若干刻意设置的不一致之处，并对演示省运行一次完整审核。重复运行不会重复"
        "生成。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="先删除已有的演示数据（演示省下的全部年报与机关）",
        )
        parser.add_argument(
            "--login",
            metavar="USERNAME",
            help=(
                "同时创建（或重置密码）账号并打印密码：USERNAME 为超级管理员，"
                "USERNAME-province 省级管理员（江苏省），USERNAME-city 市级审核员（淮安市），"
                "USERNAME-agency 填报单位（淮阴区卫生健康局）"
            ),
        )
        parser.add_argument(
            "--address",
            default="127.0.0.1:8000",
            metavar="HOST:PORT",
            help="打印的登录地址所用的主机和端口（make demo 传入它运行服务的 HOST:PORT）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        exists = Region.objects.filter(code=DEMO_PROVINCE).exists()
        if exists and options["reset"]:
            self._reset()
            exists = False
        if exists:
            self.stdout.write("演示数据已存在，未重复生成（如需重建请加 --reset）。")
        else:
            self._seed()
        # Every run, so that findings, overview and report pages agree on first login
        # (a re-run keeps reviewers' decisions: findings are matched by fingerprint).
        self._audit()
        if options.get("login") is not None:
            self._login(options["login"], options["address"])

    @transaction.atomic
    def _seed(self) -> None:
        regions: dict[str, Region] = {}
        for spec in REGIONS:
            regions[spec.code] = region_upsert(
                code=spec.code,
                name=spec.name,
                level=spec.level,
                parent=regions.get(spec.parent),
            )
        agencies = {
            spec.name: agency_upsert(
                name=spec.name,
                region=regions[spec.region],
                kind=spec.kind,
                sector=spec.sector,
                aliases=spec.aliases,
            )
            for spec in demo_agencies()
        }
        # A report year is a collection campaign: the demo collects only the years it fills,
        # so the missing-report audit speaks of agencies that really did not report.
        for year in YEARS:
            report_year_ensure(year)
        reports = demo_reports()
        for index, (owner, parsed, status) in enumerate(reports, start=1):
            report_apply(parsed, agency=agencies[owner.name], status=status)
            if index % 25 == 0 or index == len(reports):
                self.stdout.write(f"  已生成 {index}/{len(reports)} 份年报")
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据已生成：{len(regions)} 个区划，{len(agencies)} 个机关，"
                f"{len(reports)} 份年报（{'、'.join(str(y) for y in YEARS)} 年度），"
                f"其中 {len(DEMO_ANOMALIES)} 处刻意设置的问题。"
            )
        )

    @transaction.atomic
    def _reset(self) -> None:
        province = Region.objects.get(code=DEMO_PROVINCE)
        under = province.path
        # Roles point at demo regions and agencies (protected): the users stay, roleless.
        Membership.objects.filter(
            Q(region__path__startswith=under)
            | Q(agency__region__path__startswith=under)
        ).delete()
        Finding.objects.filter(agency__region__path__startswith=under).delete()
        DeadlineOverride.objects.filter(region__path__startswith=under).delete()
        AnnualReport.objects.filter(agency__region__path__startswith=under).delete()
        AgencyAlias.objects.filter(agency__region__path__startswith=under).delete()
        Agency.objects.filter(region__path__startswith=under).delete()
        # Children before parents: the tree is protected against orphaning.
        for region in Region.objects.filter(path__startswith=under).order_by("-path"):
            region.delete()
        self.stdout.write("已删除原有演示数据。")

    def _audit(self) -> None:
        province = Region.objects.get(code=DEMO_PROVINCE)
        try:
            run = audit_run(AuditScope(region=province), trigger="演示数据")
        except AuditAlreadyRunning as exc:
            self.stderr.write(f"未审核演示数据：{exc}")
            return
        by_severity = dict(
            Finding.objects.filter(
                agency__region__path__startswith=province.path,
                status__in=UNRESOLVED_FINDING,
            )
            .values_list("severity")
            .annotate(n=Count("pk"))
            .order_by()
        )
        counts = "，".join(
            f"{label} {by_severity.get(key, 0)} 条"
            for key, label in SEVERITY_LABELS.items()
        )
        self.stdout.write(
            f"已审核演示数据：{run.reports_checked} 份年报，未了结的审核发现 {counts}。"
        )

    def _login(self, username: str, address: str) -> None:
        if not username.strip():
            raise CommandError("--login 需要用户名")
        logins = demo_logins_ensure(username.strip())
        lines = [f"登录地址：http://{address}/admin/"]
        lines += [
            f"  用户名：{login.username}  密码：{login.password}"
            f"  （{login.role}：{login.reach}）"
            for login in logins
        ]
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))

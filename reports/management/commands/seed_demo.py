"""python manage.py seed_demo: a deterministic demo province for trying the system."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from agencies.models import Agency, AgencyAlias, Region
from agencies.services import agency_upsert, region_upsert
from reports.demo import DEMO_ANOMALIES, REGIONS, YEARS, demo_agencies, demo_reports
from reports.importing.apply import report_apply, report_year_ensure
from reports.models import AnnualReport, DeadlineOverride, Finding

DEMO_PROVINCE = "320000"


class Command(BaseCommand):
    help = (
        "生成演示数据：一个省的若干市、县区，约 60 个机关，2020（2019 版式）、2023、2024 年度"
        "的年报，含若干刻意设置的不一致之处。重复运行不会重复生成。"
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
            help="同时创建（或重置密码）一个超级管理员账号，并打印其密码",
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
        if options.get("login"):
            self._login(options["login"])

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
        for index, (spec, parsed, status) in enumerate(reports, start=1):
            report_apply(parsed, agency=agencies[spec.name], status=status)
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
        Finding.objects.filter(agency__region__path__startswith=under).delete()
        DeadlineOverride.objects.filter(region__path__startswith=under).delete()
        AnnualReport.objects.filter(agency__region__path__startswith=under).delete()
        AgencyAlias.objects.filter(agency__region__path__startswith=under).delete()
        Agency.objects.filter(region__path__startswith=under).delete()
        # Children before parents: the tree is protected against orphaning.
        for region in Region.objects.filter(path__startswith=under).order_by("-path"):
            region.delete()
        self.stdout.write("已删除原有演示数据。")

    def _login(self, username: str) -> None:
        if not username.strip():
            raise CommandError("--login 需要用户名")
        password = secrets.token_urlsafe(9)
        user_model = get_user_model()
        user, _ = user_model.objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"登录地址：http://127.0.0.1:8000/admin/  用户名：{username}  密码：{password}"
            )
        )

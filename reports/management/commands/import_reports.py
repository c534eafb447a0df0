"""python manage.py import_reports PATH...: load reports into the database."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from agencies.models import Agency
from agencies.services import AgencyNotFound, agency_find
from reports.importing.apply import report_apply
from reports.importing.parsed import ParsedReport
from reports.importing.sources import SourceError, expand_paths, read_source
from reports.models import AnnualReport

ACTION_LABELS = {
    "created": "新建",
    "revised": "新版次",
    "skipped": "跳过（同一文件已导入）",
}


class Command(BaseCommand):
    help = (
        "导入年报文件（目前为规范中的交换 JSON：单个对象或列表）。先检查全部文件，"
        "任何一个有错则一条也不保存，并以非零状态退出。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths", nargs="+", help="文件或文件夹（文件夹内按扩展名查找）"
        )
        parser.add_argument(
            "--agency", help="指定机关（名称或别名），覆盖文件中的机关名称"
        )
        parser.add_argument("--year", type=int, help="指定年度，覆盖文件中的年度")
        parser.add_argument(
            "--status",
            choices=AnnualReport.Status.values,
            default=AnnualReport.Status.SUBMITTED,
            help="导入后的审核状态（默认 submitted 已提交）",
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查，不保存")

    def handle(self, *args: Any, **options: Any) -> None:
        planned, errors = self._read_all(options)
        if errors:
            for error in errors:
                self.stderr.write(f"错误：{error}")
            raise CommandError(f"{len(errors)} 个错误，未保存任何年报")
        if options["dry_run"]:
            self.stdout.write(f"检查通过：{len(planned)} 份年报（--dry-run，未保存）")
            return
        counts = {"created": 0, "revised": 0, "skipped": 0}
        with transaction.atomic():
            for index, (name, report, agency) in enumerate(planned, start=1):
                result = report_apply(report, agency=agency, status=options["status"])
                counts[result.action] += 1
                self.stdout.write(
                    f"[{index}/{len(planned)}] {name}：{agency.name} {report.year}年度 "
                    f"{ACTION_LABELS[result.action]}"
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"完成：新建 {counts['created']} 份，新版次 {counts['revised']} 份，"
                f"跳过 {counts['skipped']} 份"
            )
        )

    def _read_all(
        self, options: dict[str, Any]
    ) -> tuple[list[tuple[str, ParsedReport, Agency]], list[str]]:
        """Parse every file and resolve every agency before anything is written."""
        planned: list[tuple[str, ParsedReport, Agency]] = []
        errors: list[str] = []
        override: Agency | None = None
        if options.get("agency"):
            try:
                override = agency_find(options["agency"])
            except AgencyNotFound as exc:
                raise CommandError(f"--agency：{exc}") from exc
        try:
            paths = list(expand_paths(options["paths"]))
        except SourceError as exc:
            raise CommandError(str(exc)) from exc
        if not paths:
            raise CommandError("没有找到可导入的文件")
        for path in paths:
            try:
                source = read_source(path, max_bytes=settings.IMPORT_MAX_BYTES)
            except SourceError as exc:
                errors.append(str(exc))
                continue
            for report in source.reports:
                if options.get("year"):
                    report.year = options["year"]
                try:
                    agency = override or agency_find(report.agency)
                except AgencyNotFound as exc:
                    errors.append(f"{path.name}：agency：{exc}")
                    continue
                planned.append((path.name, report, agency))
        return planned, errors

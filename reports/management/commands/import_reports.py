"""python manage.py import_reports PATH...: load report documents into the database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from agencies.models import Agency
from agencies.services import AgencyNotFound, agency_find
from reports.core.parsed import ParsedReport
from reports.importing import errors
from reports.importing.apply import ImportBlocked, report_apply
from reports.importing.intake.sources import (
    SourceDocument,
    SourceError,
    expand_paths,
    read_path,
)
from reports.importing.plan import current_report, import_plan
from reports.importing.years import year_refusal
from reports.management.options import agency_option
from reports.management.progress import Progress
from reports.models import AnnualReport, ChangeRecord

ACTION_LABELS = {
    "created": "新建",
    "revised": "新版次",
    "drafted": "新版次草稿",
    "skipped": "跳过（同一文件已导入）",
    "checked": "检查通过（未保存）",
    "failed": "失败",
}


@dataclass
class ResultLine:
    """One line of the result table: what happened to one report of one document."""

    document: str
    agency: str
    year: int | None
    action: str
    detail: str = ""


class Command(BaseCommand):
    help = (
        "导入年报文件：PDF、Word(DOCX、DOC)、WPS(WPS、ET)、RTF、OpenDocument(ODT、ODS)、"
        "Excel(XLSX、XLS)、网页(HTML)、网页存档(MHT/MHTML)、文本(TXT)、交换 JSON，以及这些文件的 zip 压缩包"
        "（DOC、XLS、WPS、ET、RTF、ODT、ODS 由本机的 LibreOffice 转换后读取）；"
        "可给文件夹。每个文件单独原子保存：出错的文件一条也不保存，其余照常导入；"
        "有文件失败时以非零状态退出。同一文件（SHA-256 相同）再次导入会跳过；"
        "同一机关同一年度的新文件成为新版次，旧版次保留；但“审核中”的年报不被替换，"
        "“审核通过”的年报之后建立新版次草稿（审核通过的版次在新版次审核通过前继续有效）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="文件、文件夹或 zip 压缩包")
        parser.add_argument(
            "--agency", help="指定机关（名称或别名），覆盖文件中识别的机关"
        )
        parser.add_argument("--year", type=int, help="指定年度，覆盖文件中识别的年度")
        parser.add_argument(
            "--status",
            choices=AnnualReport.Status.values,
            default=AnnualReport.Status.SUBMITTED,
            help="导入后的审核状态（默认 submitted 已提交）",
        )
        parser.add_argument(
            "--workers", type=int, default=1, help="并行解析的进程数（默认 1）"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="只解析和检查，不保存"
        )
        parser.add_argument(
            "--allow-replace",
            action="store_true",
            help="（仅限管理员）不经审核流程，直接以新文件替换“审核中”“审核通过”的年报；"
            "每次替换都记入该年报的变更记录",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # One run is one traceable import event in every report's history.
        self.batch = ChangeRecord.new_batch()
        # A wrong --year fails every report: say so before parsing anything.
        if options.get("year") is not None and (
            refusal := year_refusal(options["year"])
        ):
            raise CommandError(f"--year：{refusal}")
        override = agency_option(options.get("agency"))
        try:
            paths = list(expand_paths(options["paths"]))
        except SourceError as exc:
            raise CommandError(str(exc)) from exc
        if not paths:
            raise CommandError("没有找到可导入的文件")
        workers = max(1, options["workers"])
        progress = Progress(len(paths), self.stderr, label="导入")
        outcomes: list[ResultLine] = []
        for path, documents in zip(paths, self._parse(paths, workers), strict=True):
            for document in documents:
                outcomes.extend(self._save(document, override, options))
            progress.step(path.name)
        self._report(outcomes)

    def _parse(self, paths: list[Path], workers: int) -> Iterator[list[SourceDocument]]:
        """Documents per path, in order; parsing (CPU-bound, no database) runs in processes."""
        read = partial(read_path, max_bytes=settings.IMPORT_MAX_BYTES)
        if workers == 1:
            return map(read, paths)
        return _parse_in_processes(read, paths, workers)

    def _save(
        self, document: SourceDocument, override: Agency | None, options: dict[str, Any]
    ) -> list[ResultLine]:
        """Save one document's reports atomically: all of them, or none and why."""
        if document.error is not None:
            error = document.error
            return [
                ResultLine(
                    document.name,
                    "",
                    None,
                    "failed",
                    f"{errors.label(error.code)}：{error.detail}",
                )
            ]
        planned = []
        for report in document.reports:
            if options.get("year"):
                report.year = options["year"]
            if refusal := year_refusal(report.year):
                detail = f"{errors.label(errors.INVALID_YEAR)}：{refusal}（可用 --year 指定）"
                return [
                    ResultLine(
                        document.name, report.agency, report.year, "failed", detail
                    )
                ]
            try:
                planned.append((report, override or agency_find(report.agency)))
            except AgencyNotFound as exc:
                detail = (
                    f"{errors.label(errors.UNKNOWN_AGENCY)}：{exc}"
                    "（可用 --agency 指定，或先在机关名录中添加）"
                )
                return [
                    ResultLine(
                        document.name, report.agency, report.year, "failed", detail
                    )
                ]
        if options["dry_run"]:
            return [self._check(document, r, a, options) for r, a in planned]
        outcomes = []
        try:
            with transaction.atomic():
                for report, agency in planned:
                    result = report_apply(
                        report,
                        agency=agency,
                        status=options["status"],
                        batch=self.batch,
                        replace=options.get("allow_replace", False),
                    )
                    outcomes.append(
                        ResultLine(
                            document.name,
                            agency.name,
                            report.year,
                            result.action,
                            _warning_count(report),
                        )
                    )
        except ImportBlocked as exc:
            detail = f"{errors.label(exc.code)}：{exc}"
            return [ResultLine(document.name, "", None, "failed", detail)]
        return outcomes

    def _check(
        self,
        document: SourceDocument,
        report: ParsedReport,
        agency: Agency,
        options: dict[str, Any],
    ) -> ResultLine:
        """--dry-run: what saving would do, refusals included, without saving."""
        assert report.year is not None  # year_refusal turned a missing year away
        plan = import_plan(
            current=current_report(agency, report.year),
            sha256=report.source.sha256,
            user=None,
            replace=options.get("allow_replace", False),
        )
        if plan.action == "refused":
            detail = f"{errors.label(errors.UNDER_REVIEW)}：{plan.label}"
            return ResultLine(document.name, agency.name, report.year, "failed", detail)
        detail = "；".join(filter(None, [plan.label, _warning_count(report)]))
        return ResultLine(document.name, agency.name, report.year, "checked", detail)

    def _report(self, outcomes: list[ResultLine]) -> None:
        """A table of results per file, a summary, and a non-zero exit if a file failed."""
        self.stdout.write(f"{'文件':<30} {'机关':<20} {'年度':<6} {'结果':<12} 说明")
        for o in outcomes:
            line = f"{o.document:<30} {o.agency:<20} {o.year or '':<6} {ACTION_LABELS[o.action]:<12} {o.detail}"
            if o.action == "failed":
                self.stderr.write(f"错误：{o.document}：{o.detail}")
            self.stdout.write(line)
        counts = {
            key: sum(1 for o in outcomes if o.action == key) for key in ACTION_LABELS
        }
        summary = (
            f"完成：新建 {counts['created']} 份，新版次 {counts['revised']} 份，"
            f"新版次草稿 {counts['drafted']} 份，"
            f"跳过 {counts['skipped']} 份，失败 {counts['failed']} 个文件"
        )
        if counts["checked"]:
            summary += f"，检查通过 {counts['checked']} 份（--dry-run，未保存）"
        summary += f"。批次号 {self.batch}"
        if counts["failed"]:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))


def _parse_in_processes(
    read: Callable[[Path], list[SourceDocument]], paths: list[Path], workers: int
) -> Iterator[list[SourceDocument]]:
    with ProcessPoolExecutor(max_workers=workers) as executor:
        yield from executor.map(read, paths, chunksize=1)


def _warning_count(report) -> str:
    return f"{len(report.warnings)} 条提示" if report.warnings else ""

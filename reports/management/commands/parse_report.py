"""python manage.py parse_report FILE: the interchange JSON of one document, no database."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports import schema
from reports.core.parsed import ParsedReport, value_to_json
from reports.importing import errors
from reports.importing.errors import ImportRefused
from reports.importing.intake.sandbox import run_isolated
from reports.importing.interchange import to_interchange
from reports.importing.pipeline import parse_file


class Command(BaseCommand):
    help = (
        "解析一个年报文件并输出规范中的交换 JSON（另附 warnings 提示、cells 原文与页码、raw_text），"
        "不读写数据库。文件被拒绝时在标准错误输出原因并以非零状态退出。"
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            help="PDF、Word（DOCX、DOC）、WPS（WPS、ET）、RTF、OpenDocument（ODT、ODS）、"
            "Excel（XLSX、XLS）、HTML、TXT（UTF-8、GBK、UTF-16）或交换 JSON 文件；"
            "DOC、XLS、WPS、ET、RTF、ODT、ODS 需本机装有 LibreOffice（设置 IMPORT_SOFFICE）",
        )
        parser.add_argument(
            "--format",
            choices=["json", "text"],
            default="json",
            help="json（默认）或便于阅读的 text",
        )
        parser.add_argument(
            "--no-raw-text", action="store_true", help="JSON 中不附原文全文"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if path.is_dir():
            raise CommandError(
                f"“{path}”是文件夹：parse_report 一次解析一个文件；"
                "导入整个文件夹请用 import_reports"
            )
        if not path.exists():
            raise CommandError(f"文件“{path}”不存在")
        try:
            report = _parse(path, max_bytes=settings.IMPORT_MAX_BYTES)
        except ImportRefused as exc:
            raise CommandError(
                f"{path.name}：{errors.label(exc.code)}：{exc.message}"
            ) from exc
        if options["no_raw_text"]:
            report.raw_text = ""
        if options["format"] == "json":
            sys.stdout.write(
                json.dumps(to_interchange(report), ensure_ascii=False, indent=1)
            )
            sys.stdout.write("\n")
        else:
            self.stdout.write(describe(report))


def _parse(path: Path, *, max_bytes: int) -> ParsedReport:
    """parse_file in a child under the settings' limits; it checks the size first."""
    return run_isolated(parse_file, path, name=path.name, max_bytes=max_bytes)


def describe(report: ParsedReport) -> str:
    """A reviewer-readable account of what was read, table by table."""
    lines = [
        f"文件：{report.source.name}（{report.source.kind_label}）",
        f"机关：{report.agency or '（未识别）'}　年度：{report.year or '（未识别）'}"
        f"　版式：{schema.LAYOUT_LABELS.get(report.format, report.format)}",
    ]
    uncertain = set(report.uncertain_paths())
    for table in schema.TABLE_KEYS:
        lines.append(f"\n{schema.TABLE_LABELS[table]}")
        for row_key, cells in report.tables.get(table, {}).items():
            shown = []
            for column, cell in cells.items():
                value = value_to_json(cell.value)
                text = (
                    "空"
                    if value is None and not cell.raw
                    else (cell.raw if value is None else value)
                )
                mark = (
                    "?" if schema.cell_path(table, row_key, column) in uncertain else ""
                )
                shown.append(f"{column}={text}{mark}")
            lines.append(f"  {row_key}: {' '.join(shown) or '（本行无可确定的数值）'}")
    lines.append(f"\n提示 {len(report.warnings)} 条：")
    for warning in report.warnings:
        page = f"第{warning.page}页 " if warning.page else ""
        lines.append(f"  [{warning.code}] {warning.where} {page}{warning.message}")
    return "\n".join(lines)

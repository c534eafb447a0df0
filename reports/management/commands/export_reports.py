"""python manage.py export_reports --format json: reports as interchange JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.exporting.json import reports_to_json
from reports.management.options import region_option
from reports.selectors import reports_in_scope


class Command(BaseCommand):
    help = "把年报导出为规范中的交换 JSON 数组（默认输出到标准输出）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format", choices=["json"], default="json", help="输出格式（目前为 json）"
        )
        parser.add_argument("--year", type=int, help="只导出这一年度")
        parser.add_argument(
            "--region", help="只导出这一区划（含下级）的机关，填区划代码"
        )
        parser.add_argument(
            "--output",
            help="写入此文件（所在文件夹须已存在，不会自动建立）；不填则输出到标准输出",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = _output_path(options.get("output"))
        region = region_option(options.get("region"))
        reports = reports_in_scope(year=options.get("year"), region=region)
        data = list(reports_to_json(reports.iterator(chunk_size=500)))
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if output is not None:
            try:
                output.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"--output：无法写入“{output}”：{exc}") from exc
            self.stderr.write(f"已导出 {len(data)} 份年报到 {output}")
        else:
            self.stdout.write(text, ending="")


def _output_path(value: str | None) -> Path | None:
    """The --output file, checked before any work: its folder must exist (a mistyped path
    is an error, not a new folder), and it must not be a folder itself."""
    if not value:
        return None
    path = Path(value)
    if path.is_dir():
        raise CommandError(
            f"--output：“{path}”是文件夹，请给出文件名，如 {path / '年报.json'}"
        )
    folder = path.parent
    if not folder.is_dir():
        raise CommandError(
            f"--output：文件夹“{folder}”不存在；请先建立该文件夹，或换一个已有的文件夹"
        )
    return path

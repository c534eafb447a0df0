"""python manage.py export_reports --format json: reports as interchange JSON."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies.models import Region
from reports.exporting.json import reports_to_json
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
        parser.add_argument("--output", help="写入此文件；不填则输出到标准输出")

    def handle(self, *args: Any, **options: Any) -> None:
        region = None
        if options.get("region"):
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(
                    f"--region：没有区划代码为 {options['region']} 的区划"
                )
        reports = reports_in_scope(year=options.get("year"), region=region)
        data = list(reports_to_json(reports.iterator(chunk_size=500)))
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if options.get("output"):
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text)
            sys.stderr.write(f"已导出 {len(data)} 份年报到 {options['output']}\n")
        else:
            self.stdout.write(text, ending="")

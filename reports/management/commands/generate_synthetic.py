"""python manage.py generate_synthetic --reports N --years 2019-2025: scale-test data."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from agencies.models import Agency, Region
from reports.fixtures.synthetic import draw, plan
from reports.importing.apply import build_rows, money_unit, report_year_ensure
from reports.management.progress import Progress
from reports.models import AnnualReport, ChangeRecord, Finding
from reports.models.sections import ROW_MODELS
from reports.totals import totals_of

BATCH = 2000
SYNTHETIC_PREFIX = "9"  # the division codes of the synthetic tree


class Command(BaseCommand):
    help = (
        "生成用于规模测试的合成数据：全国式的区划树（代码以 9 开头，不与真实代码冲突）、"
        "各类机关、各年度按对应版式填写的年报（数字分布贴近实际，并含一定比例的不一致）。"
        "使用批量写入。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reports", type=int, required=True, help="年报份数")
        parser.add_argument(
            "--years", default="2019-2025", help="年度范围，如 2019-2025（默认）"
        )
        parser.add_argument(
            "--seed", type=int, default=20250101, help="随机种子（默认固定）"
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="先删除已有的合成数据（代码以 9 开头的区划）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        years = _years(options["years"])
        if options["reports"] < 1:
            raise CommandError("--reports 至少为 1")
        synthetic = Region.objects.filter(code__startswith=SYNTHETIC_PREFIX)
        if synthetic.exists():
            if not options["reset"]:
                raise CommandError("已有合成数据；如需重建请加 --reset")
            self._reset()
        started = time.perf_counter()
        layout = plan(options["reports"], years)
        regions = self._regions(layout)
        agencies = self._agencies(layout, regions)
        report_years = {year: report_year_ensure(year) for year in years}
        progress = Progress(options["reports"], self.stderr, label="生成", every=BATCH)
        batch: list = []
        made = 0
        for item in draw(layout, options["reports"], options["seed"]):
            batch.append(item)
            if len(batch) == BATCH:
                made += self._write(batch, agencies, report_years)
                for _ in batch:
                    progress.step()
                batch = []
        made += self._write(batch, agencies, report_years)
        for _ in batch:
            progress.step()
        if connection.vendor == "postgresql":
            # Fresh planner statistics and visibility map, as autovacuum gives a real
            # database in time (index-only counts need the latter). VACUUM cannot run in a
            # transaction (a test's): there, statistics only.
            vacuum = "" if connection.in_atomic_block else "VACUUM "
            with connection.cursor() as cursor:
                cursor.execute(f"{vacuum}ANALYZE")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成 {len(regions)} 个区划、{len(agencies)} 个机关、{made} 份年报"
                f"（{years[0]}–{years[-1]} 年度），用时 {elapsed:.0f} 秒"
            )
        )

    def _regions(self, layout) -> dict[str, Region]:
        regions: dict[str, Region] = {}
        # Parents come before children in the plan: paths can be built as they go.
        for level in ("province", "city", "county", "township"):
            rows = []
            for spec in layout.regions:
                if spec.level != level:
                    continue
                parent = regions.get(spec.parent)
                path = f"{parent.path if parent else '/'}{spec.code}/"
                rows.append(
                    Region(
                        code=spec.code,
                        name=spec.name,
                        level=level,
                        parent=parent,
                        path=path,
                    )
                )
            for region in Region.objects.bulk_create(rows, batch_size=5000):
                regions[region.code] = region
        return regions

    def _agencies(self, layout, regions: dict[str, Region]) -> dict[str, Agency]:
        rows = [
            Agency(name=a.name, region=regions[a.region], kind=a.kind, sector=a.sector)
            for a in layout.agencies
        ]
        return {a.name: a for a in Agency.objects.bulk_create(rows, batch_size=5000)}

    @transaction.atomic
    def _write(
        self, batch: list, agencies: dict[str, Agency], report_years: dict
    ) -> int:
        reports = []
        for spec, parsed, status in batch:
            reports.append(
                AnnualReport(
                    agency=agencies[spec.name],
                    report_year=report_years[parsed.year],
                    layout=parsed.format,
                    status=status,
                    title=parsed.title,
                    publication_date=parsed.publication_date or None,
                    source_url=parsed.source_url,
                    overview=parsed.sections.get("overview", ""),
                    problems=parsed.sections.get("problems", ""),
                    other_matters=parsed.sections.get("other_matters", ""),
                    source_kind="synthetic",
                    # Worked out from the cells now rather than by an UPDATE of every
                    # new report once its rows are in (35 s of 300 at 100,000 reports).
                    **totals_of(parsed.tables),
                )
            )
        AnnualReport.objects.bulk_create(reports, batch_size=BATCH)
        pairs = [
            (report, parsed)
            for report, (_, parsed, _) in zip(reports, batch, strict=True)
        ]
        for table, model in ROW_MODELS.items():
            if connection.vendor == "postgresql":
                _copy_rows(model, table, pairs)
            else:
                rows = [row for r, p in pairs for row in build_rows(model, r, table, p)]
                model.objects.bulk_create(rows, batch_size=5000)
        return len(reports)

    @transaction.atomic
    def _reset(self) -> None:
        under = {"agency__region__code__startswith": SYNTHETIC_PREFIX}
        Finding.objects.filter(**under).delete()
        ChangeRecord.objects.filter(
            report__agency__region__code__startswith="9"
        ).delete()
        AnnualReport.objects.filter(**under).delete()
        Agency.objects.filter(region__code__startswith=SYNTHETIC_PREFIX).delete()
        for level in ("township", "county", "city", "province"):
            Region.objects.filter(
                code__startswith=SYNTHETIC_PREFIX, level=level
            ).delete()
        self.stdout.write("已删除原有合成数据。")


def _copy_rows(model, table: str, pairs: list) -> None:
    """Stream one table's rows with COPY: the bulk of the data, and far faster than
    bulk_create's per-value escaping. Values come straight from the parsed cells."""
    columns = model.VALUE_COLUMNS
    money = table == "table2"
    names = ["report_id", "row_key", "raw", "provenance", *columns]
    if money:
        names.append("amount_unit")
    sql = f"COPY {model._meta.db_table} ({', '.join(names)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for report, parsed in pairs:
            for row_key, cells in parsed.tables.get(table, {}).items():
                raw = {column: cell.raw for column, cell in cells.items()}
                values = [cells[c].value if c in cells else None for c in columns]
                record = [
                    report.pk,
                    row_key,
                    json.dumps(raw, ensure_ascii=False),
                    "{}",
                    *values,
                ]
                if money:
                    unit = cells["amount"].unit if "amount" in cells else ""
                    record.append(money_unit(row_key, parsed.format, unit))
                copy.write_row(record)


def _years(text: str) -> list[int]:
    try:
        first, _, last = text.partition("-")
        years = list(range(int(first), int(last or first) + 1))
    except ValueError as exc:
        raise CommandError(f"--years 应写成 2019-2025 或 2024：{text}") from exc
    if not years or years[0] < 2008 or years[-1] > 2100:
        raise CommandError(f"--years 超出范围：{text}")
    return years

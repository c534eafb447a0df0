"""The three statistical tables of a report, one database row per table row.

Each value column is nullable: None with raw text "" is a blank cell, None with "/" is "not
applicable", and a column absent from `raw` was not in the source at all (missing). `raw`
maps column key -> the text printed (None where the source gave only a value, as JSON does);
`provenance` maps column key -> {"page", "bbox", "note", "unit"} as the importer found it.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import ClassVar, Self

from django.db import models
from django.db.models import Q

from reports import schema
from reports.models.reports import AnnualReport


def _nonnegative(model: str, columns: Iterable[str]) -> list[models.CheckConstraint]:
    """One named constraint per count column: the form forbids negative counts."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{col}__gte": 0}) | Q(**{f"{col}__isnull": True}),
            name=f"reports_{model}_{col}_nonnegative",
        )
        for col in columns
    ]


def _row_choices(*tables: schema.Table) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for table in tables:
        for row in table.rows:
            seen.setdefault(row.key, row.label)
    return list(seen.items())


class SectionRow(models.Model):
    """What every table row has: its report, its key, and per-cell raw text and provenance."""

    VALUE_COLUMNS: tuple[str, ...] = ()

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="+")
    row_key = models.CharField("行", max_length=40)
    raw = models.JSONField("原文", default=dict, blank=True)
    provenance = models.JSONField("来源位置", default=dict, blank=True)

    # Each concrete table model has Django's default manager; declared for the type
    # checker, which sees none on an abstract model.
    objects: ClassVar[models.Manager[Self]]

    class Meta:
        abstract = True

    def value(self, column: str) -> int | Decimal | None:
        return getattr(self, column)

    def has_cell(self, column: str) -> bool:
        """Whether the source contained this cell (blank and "/" count; missing does not)."""
        return column in self.raw


class Table2Row(SectionRow):
    """A row of table 二 (主动公开政府信息情况), in either layout."""

    VALUE_COLUMNS = schema.TABLE2_VALUE_COLUMNS

    report = models.ForeignKey(
        AnnualReport,
        on_delete=models.CASCADE,
        related_name="table2_rows",
        verbose_name="年报",
    )
    row_key = models.CharField(
        "行",
        max_length=40,
        choices=_row_choices(schema.TABLE2_2021, schema.TABLE2_2019),
    )
    issued = models.IntegerField("本年制发件数", null=True, blank=True)
    repealed = models.IntegerField("本年废止件数", null=True, blank=True)
    in_force = models.IntegerField("现行有效件数", null=True, blank=True)
    decisions = models.IntegerField("处理决定数量", null=True, blank=True)
    amount = models.DecimalField(
        "金额", max_digits=20, decimal_places=4, null=True, blank=True
    )
    amount_unit = models.CharField(
        "金额单位",
        max_length=4,
        blank=True,
        choices=[(u, u) for u in schema.MONEY_UNITS],
    )
    new_made = models.IntegerField("本年新制作数量", null=True, blank=True)
    new_published = models.IntegerField("本年新公开数量", null=True, blank=True)
    total_published = models.IntegerField("对外公开总数量", null=True, blank=True)
    previous_items = models.IntegerField("上一年项目数量", null=True, blank=True)
    change = models.IntegerField("本年增/减", null=True, blank=True)
    projects = models.IntegerField("采购项目数量", null=True, blank=True)

    class Meta:
        verbose_name = "表二行"
        verbose_name_plural = "表二"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "row_key"], name="reports_table2row_unique_row"
            ),
            *_nonnegative(
                "table2row",
                [c for c in schema.TABLE2_VALUE_COLUMNS if c != "change"],
            ),
        ]

    def __str__(self) -> str:
        return self.get_row_key_display()


class Table3Row(SectionRow):
    """A row of table 三 (收到和处理政府信息公开申请情况): seven applicant columns."""

    VALUE_COLUMNS = tuple(c.key for c in schema.TABLE3_COLUMNS)

    report = models.ForeignKey(
        AnnualReport,
        on_delete=models.CASCADE,
        related_name="table3_rows",
        verbose_name="年报",
    )
    row_key = models.CharField(
        "行",
        max_length=40,
        choices=_row_choices(schema.TABLE3_2021, schema.TABLE3_2019),
    )
    natural_person = models.IntegerField("自然人", null=True, blank=True)
    commercial = models.IntegerField("商业企业", null=True, blank=True)
    research = models.IntegerField("科研机构", null=True, blank=True)
    public_interest = models.IntegerField("社会公益组织", null=True, blank=True)
    legal_service = models.IntegerField("法律服务机构", null=True, blank=True)
    other_org = models.IntegerField("其他", null=True, blank=True)
    total = models.IntegerField("总计", null=True, blank=True)

    class Meta:
        verbose_name = "表三行"
        verbose_name_plural = "表三"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "row_key"], name="reports_table3row_unique_row"
            ),
            *_nonnegative("table3row", [c.key for c in schema.TABLE3_COLUMNS]),
        ]
        indexes = [
            # Changelist totals and summaries: one row key across many reports.
            models.Index(
                fields=["row_key", "report"], name="reports_table3row_key_report"
            ),
        ]

    def __str__(self) -> str:
        return self.get_row_key_display()


class Table4Row(SectionRow):
    """A block of table 四 (行政复议、行政诉讼): five result columns."""

    VALUE_COLUMNS = tuple(c.key for c in schema.TABLE4_COLUMNS)

    report = models.ForeignKey(
        AnnualReport,
        on_delete=models.CASCADE,
        related_name="table4_rows",
        verbose_name="年报",
    )
    row_key = models.CharField(
        "栏目", max_length=40, choices=_row_choices(schema.TABLE4)
    )
    upheld = models.IntegerField("结果维持", null=True, blank=True)
    corrected = models.IntegerField("结果纠正", null=True, blank=True)
    other = models.IntegerField("其他结果", null=True, blank=True)
    pending = models.IntegerField("尚未审结", null=True, blank=True)
    total = models.IntegerField("总计", null=True, blank=True)

    class Meta:
        verbose_name = "表四栏目"
        verbose_name_plural = "表四"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "row_key"], name="reports_table4row_unique_row"
            ),
            *_nonnegative("table4row", [c.key for c in schema.TABLE4_COLUMNS]),
        ]

    def __str__(self) -> str:
        return self.get_row_key_display()


ROW_MODELS: dict[str, type[SectionRow]] = {
    "table2": Table2Row,
    "table3": Table3Row,
    "table4": Table4Row,
}

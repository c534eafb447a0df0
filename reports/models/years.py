"""Report years: which layout applies and when reports are due."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

from reports import schema


class ReportYear(models.Model):
    """A report year, the table layout that applies to it and its publication deadlines."""

    class Layout(models.TextChoices):
        Y2019 = schema.Layout.Y2019, schema.LAYOUT_LABELS[schema.Layout.Y2019]
        Y2021 = schema.Layout.Y2021, schema.LAYOUT_LABELS[schema.Layout.Y2021]

    year = models.PositiveSmallIntegerField("年度", unique=True)
    layout = models.CharField("适用表格版式", max_length=4, choices=Layout.choices)
    department_deadline = models.DateField(
        "部门报送截止日", help_text="政府部门：次年1月31日前"
    )
    government_deadline = models.DateField(
        "政府报送截止日", help_text="各级人民政府：次年3月31日前"
    )

    class Meta:
        verbose_name = "报告年度"
        verbose_name_plural = "报告年度"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2008) & Q(year__lte=2100),
                name="reports_reportyear_year_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年度"

    @classmethod
    def defaults_for(cls, year: int) -> dict[str, object]:
        """The national defaults for a year: its layout and the two statutory deadlines."""
        return {
            "layout": schema.layout_for_year(year).value,
            "department_deadline": dt.date(year + 1, 1, 31),
            "government_deadline": dt.date(year + 1, 3, 31),
        }

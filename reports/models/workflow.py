"""The review workflow's transitions and the change history of reports."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from reports.models.reports import AnnualReport


class ReportTransition(models.Model):
    """One move of a report through the workflow: who, when, from what to what, and why."""

    report = models.ForeignKey(
        AnnualReport,
        verbose_name="年报",
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    from_status = models.CharField(
        "原状态", max_length=12, choices=AnnualReport.Status.choices
    )
    to_status = models.CharField(
        "新状态", max_length=12, choices=AnnualReport.Status.choices
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    reason = models.TextField("意见或理由", blank=True)

    class Meta:
        verbose_name = "审核流转"
        verbose_name_plural = "审核流转"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class ChangeRecord(models.Model):
    """One recorded change to a report: its fields, cells, status, findings or an import."""

    class Action(models.TextChoices):
        IMPORTED = "imported", "导入"
        CREATED = "created", "新建"
        EDITED = "edited", "修改"
        CELLS = "cells", "修改表格"
        STATUS = "status", "状态流转"
        FINDING = "finding", "审核发现处理"
        WITHDRAWN = "withdrawn", "撤回"
        REVISED = "revised", "新版次"

    report = models.ForeignKey(
        AnnualReport,
        verbose_name="年报",
        # The admin never deletes reports (they are withdrawn); only developer tools
        # that clear whole data sets do, and then the history goes with them.
        on_delete=models.CASCADE,
        related_name="changes",
    )
    action = models.CharField("操作", max_length=12, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    # {"field or cell path": [before, after]}; for findings {"finding id": [before, after]}.
    changes = models.JSONField("变更内容", default=dict, blank=True)
    reason = models.TextField("原因", blank=True)
    batch = models.UUIDField("批次", null=True, blank=True, default=None)

    class Meta:
        verbose_name = "变更记录"
        verbose_name_plural = "变更记录"
        ordering = ["-at", "-pk"]
        indexes = [
            # Report page: the history of one report, newest first.
            models.Index(fields=["report", "-at"], name="reports_change_report_at"),
            # Tracing an import batch: every report it touched.
            models.Index(fields=["batch"], name="reports_change_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"

    @staticmethod
    def new_batch() -> uuid.UUID:
        return uuid.uuid4()

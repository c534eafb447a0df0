"""Audit runs and their findings, whose review status survives the next run."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from agencies.models import Agency, Region
from reports.core.issues import SEVERITY_LABELS
from reports.core.issues import Severity as RuleSeverity
from reports.models.reports import AnnualReport
from reports.models.years import ReportYear


class AuditRun(models.Model):
    """One run of the audit: its scope, who or what started it, and what it found."""

    class Status(models.TextChoices):
        RUNNING = "running", "运行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    trigger = models.CharField(
        "发起方式", max_length=40, help_text="命令行、定时任务或后台"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    scope = models.JSONField("范围", default=dict, blank=True)
    reports_checked = models.PositiveIntegerField("审核年报数", default=0)
    counts = models.JSONField("按严重程度计数", default=dict, blank=True)
    opened = models.PositiveIntegerField("新发现", default=0)
    fixed = models.PositiveIntegerField("已消除", default=0)
    duration_seconds = models.FloatField("用时（秒）", null=True, blank=True)
    error = models.TextField("错误信息", blank=True)

    class Meta:
        verbose_name = "审核运行记录"
        verbose_name_plural = "审核运行记录"
        ordering = ["-started_at"]
        constraints = [
            # Two runs never overlap: the database admits one running run at a time.
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="running"),
                name="reports_auditrun_one_running",
            ),
        ]

    def __str__(self) -> str:
        return f"审核 #{self.pk}（{self.get_status_display()}）"


class Finding(models.Model):
    """One problem an audit rule found in a report (or an agency's missing report)."""

    class Severity(models.TextChoices):
        ERROR = RuleSeverity.ERROR, SEVERITY_LABELS[RuleSeverity.ERROR]
        WARNING = RuleSeverity.WARNING, SEVERITY_LABELS[RuleSeverity.WARNING]
        INFO = RuleSeverity.INFO, SEVERITY_LABELS[RuleSeverity.INFO]

    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        CONFIRMED = "confirmed", "已确认"
        DISMISSED = "dismissed", "已排除"
        FIXED = "fixed", "已消除"

    rule = models.CharField("规则", max_length=40)
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices)
    message = models.TextField("说明")
    cells = models.JSONField("涉及单元格", default=list, blank=True)
    evidence = models.TextField("原文依据", blank=True)
    report = models.ForeignKey(
        AnnualReport,
        verbose_name="年报",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="findings",
    )
    agency = models.ForeignKey(
        Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="findings"
    )
    year = models.PositiveSmallIntegerField("年度")
    # sha256 hex of (rule, key, agency, year); a revision awaiting review adds "|第N版".
    fingerprint = models.CharField("指纹", max_length=80, unique=True)
    status = models.CharField(
        "处理状态", max_length=10, choices=Status.choices, default=Status.OPEN
    )
    reason = models.TextField("处理理由", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("处理时间", null=True, blank=True)
    first_seen_at = models.DateTimeField("首次发现", auto_now_add=True)
    last_seen_at = models.DateTimeField("最近发现", null=True, blank=True)
    fixed_at = models.DateTimeField("消除时间", null=True, blank=True)
    last_run = models.ForeignKey(
        AuditRun,
        verbose_name="最近一次审核",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "审核发现"
        verbose_name_plural = "审核发现"
        ordering = ["-year", "agency__name", "rule"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="dismissed") | ~Q(reason=""),
                name="reports_finding_dismissal_has_reason",
                violation_error_code="reason_required",
                violation_error_message="排除发现必须填写理由（为什么这不是问题）。",
            ),
        ]
        indexes = [
            # Findings list: open findings of a year, filtered by severity and rule.
            models.Index(
                fields=["year", "status", "severity"], name="reports_finding_triage"
            ),
            # Report page: the findings of one report.
            models.Index(fields=["report", "status"], name="reports_finding_report"),
            # Re-runs close what they no longer see, within the run's scope.
            models.Index(fields=["agency", "year"], name="reports_finding_agency_year"),
        ]

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message[:40]}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.CONFIRMED)


# Findings still to deal with: 待处理 and 已确认 (a confirmed problem is a real one). The
# overview, the report list, the approval gate and the demo all count these.
UNRESOLVED_FINDING = (Finding.Status.OPEN, Finding.Status.CONFIRMED)


class DeadlineOverride(models.Model):
    """A region's own publication deadlines for a year (applies to its whole subtree)."""

    region = models.ForeignKey(
        Region, verbose_name="区划", on_delete=models.PROTECT, related_name="+"
    )
    report_year = models.ForeignKey(
        ReportYear, verbose_name="年度", on_delete=models.PROTECT, related_name="+"
    )
    department_deadline = models.DateField("部门报送截止日", null=True, blank=True)
    government_deadline = models.DateField("政府报送截止日", null=True, blank=True)

    class Meta:
        verbose_name = "地区截止日"
        verbose_name_plural = "地区截止日"
        constraints = [
            models.UniqueConstraint(
                fields=["region", "report_year"], name="reports_deadlineoverride_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region.name} {self.report_year.year}年度截止日"


def revision_fingerprint(base: str, revision: int) -> str:
    """The fingerprint of a finding of revision N awaiting review: the base one (the
    agency's year) with the revision named, so that the revision in force keeps its own."""
    return f"{base}|第{revision}版"


def base_fingerprint(fingerprint: str) -> str:
    """The agency's-year fingerprint of a finding, without any revision named."""
    return fingerprint.split("|", 1)[0]

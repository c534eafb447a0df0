"""The annual report of one agency for one year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from agencies.models import Agency
from reports.models.years import ReportYear


def live_report_q(prefix: str = "") -> Q:
    """The reports on file: the revision in force, not withdrawn. `prefix` reaches reports
    through a relation ("report__" from a table row, "reports__" from an agency)."""
    return Q(**{f"{prefix}in_force": True, f"{prefix}withdrawn": False})


def audited_report_q(prefix: str = "") -> Q:
    """The reports the audit checks: those on file, and a revision awaiting review that
    follows an accepted one (current, not yet in force), so that its reviewer sees its
    findings before accepting it."""
    pending = Q(
        **{f"{prefix}is_current": True, f"{prefix}in_force": False},
        **{f"{prefix}withdrawn": False},
    )
    return live_report_q(prefix) | pending


class AnnualReport(models.Model):
    """One agency's report for one year (one revision of it; the current one is live)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已提交"
        IN_REVIEW = "in_review", "审核中"
        RETURNED = "returned", "退回修改"
        ACCEPTED = "accepted", "审核通过"

    agency = models.ForeignKey(
        Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="reports"
    )
    report_year = models.ForeignKey(
        ReportYear,
        verbose_name="年度",
        on_delete=models.PROTECT,
        related_name="reports",
    )
    layout = models.CharField(
        "实际使用版式",
        max_length=4,
        choices=ReportYear.Layout.choices,
        help_text="文件实际采用的表格版式，可能与年度适用版式不同",
    )
    revision = models.PositiveSmallIntegerField("版次", default=1)
    is_current = models.BooleanField("现行版次", default=True)
    # The newest revision is the one being worked on (is_current); the one that counts in
    # the summary, the overview and the audit is the revision in force: an accepted
    # revision stays in force until a successor is accepted (reports.importing.apply).
    in_force = models.BooleanField(
        "生效版次",
        default=True,
        help_text="汇总、总览和审核采用的版次：审核通过的版次在新版次审核通过前一直有效",
    )
    title = models.CharField("标题", max_length=300, blank=True)
    publication_date = models.DateField("发布日期", null=True, blank=True)
    source_url = models.URLField("来源网址", max_length=500, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    overview = models.TextField("一、总体情况", blank=True)
    problems = models.TextField("五、存在的主要问题及改进情况", blank=True)
    other_matters = models.TextField("六、其他需要报告的事项", blank=True)
    raw_text = models.TextField("原文文本", blank=True)
    source_name = models.CharField("来源文件", max_length=255, blank=True)
    source_kind = models.CharField("文件类型", max_length=10, blank=True)
    source_sha256 = models.CharField("文件指纹（SHA-256）", max_length=64, blank=True)
    uncertain_cells = models.JSONField(
        "存疑单元格",
        default=list,
        blank=True,
        help_text="单元格路径，如 table3.granted.total",
    )
    import_warnings = models.JSONField("导入提示", default=list, blank=True)
    source_notes = models.JSONField("来源备注", default=list, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(
        "版本号", default=1, help_text="每次保存加一；两人同时修改时，后保存者被拒绝"
    )
    withdrawn = models.BooleanField("已撤回", default=False)
    withdrawn_reason = models.TextField("撤回原因", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # Totals of table 三 and 四 kept on the report for the overview's trends: derived
    # from the table rows by reports.totals.totals_refresh, never typed in.
    total_applications = models.PositiveIntegerField(
        "本年新收申请", null=True, blank=True, editable=False
    )
    total_granted = models.PositiveIntegerField(
        "予以公开", null=True, blank=True, editable=False
    )
    total_partially_granted = models.PositiveIntegerField(
        "部分公开", null=True, blank=True, editable=False
    )
    total_withheld = models.PositiveIntegerField(
        "不予公开", null=True, blank=True, editable=False
    )
    total_unavailable = models.PositiveIntegerField(
        "无法提供", null=True, blank=True, editable=False
    )
    total_not_processed = models.PositiveIntegerField(
        "不予处理", null=True, blank=True, editable=False
    )
    total_other = models.PositiveIntegerField(
        "其他处理", null=True, blank=True, editable=False
    )
    total_review = models.PositiveIntegerField(
        "行政复议总计", null=True, blank=True, editable=False
    )
    total_litigation_direct = models.PositiveIntegerField(
        "行政诉讼（直接起诉）总计", null=True, blank=True, editable=False
    )
    total_litigation_after_review = models.PositiveIntegerField(
        "行政诉讼（复议后起诉）总计", null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
        permissions = [("review_annualreport", "可以审核年报（受理、退回、通过）")]
        ordering = ["-report_year__year", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "report_year"],
                condition=Q(is_current=True),
                name="reports_annualreport_one_current_per_agency_year",
            ),
            models.UniqueConstraint(
                fields=["agency", "report_year"],
                condition=Q(in_force=True),
                name="reports_annualreport_one_in_force_per_agency_year",
            ),
            models.UniqueConstraint(
                fields=["agency", "report_year", "revision"],
                name="reports_annualreport_unique_revision",
            ),
            models.CheckConstraint(
                condition=Q(revision__gte=1),
                name="reports_annualreport_revision_positive",
            ),
        ]
        indexes = [
            # Changelist and exports: reports of a year, filtered by status.
            models.Index(
                fields=["report_year", "status"], name="reports_report_year_status"
            ),
            # Changelist of live reports: the count and a page's ids, read from the index
            # alone, by year then agency (reports/paging.py).
            models.Index(
                fields=["report_year", "agency", "id"],
                condition=Q(withdrawn=False),
                name="reports_report_live_ids",
            ),
            # 总览 (overview): the live current report of each agency for a year, read from
            # the index alone (coverage, status counts); see reports/overview/selectors.py.
            models.Index(
                fields=[
                    "report_year",
                    "agency",
                    "id",
                    "status",
                    "publication_date",
                    "updated_at",
                ],
                condition=live_report_q(),
                name="reports_report_current_cover",
            ),
            # 总览 trends: the stored totals of each year's live reports, summed from the
            # index alone (reports/totals.py).
            models.Index(
                fields=[
                    "report_year",
                    "agency",
                    "total_applications",
                    "total_granted",
                    "total_partially_granted",
                    "total_withheld",
                    "total_unavailable",
                    "total_not_processed",
                    "total_other",
                    "total_review",
                    "total_litigation_direct",
                    "total_litigation_after_review",
                ],
                condition=live_report_q(),
                name="reports_report_live_totals",
            ),
            # Import: "the same file twice is skipped" looks reports up by file hash.
            models.Index(fields=["source_sha256"], name="reports_report_sha256_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.agency.name} {self.report_year.year}年度报告"

    @property
    def year(self) -> int:
        return self.report_year.year

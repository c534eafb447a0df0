"""The report list's filters (revision, withdrawn, open findings) and its findings column.

The list shows the current revision of each report unless asked for the revisions in force
(what the overview counts and links to) or for all: an old revision beside its successor
reads as a second report of the same agency and year. Open findings (待处理 or 已确认, as
the overview counts them) are counted by a subquery per column, read from the (report,
status) index: two more columns in the list's one query, no N+1.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.contrib import admin
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html_join

from reports.core.issues import SEVERITY_LABELS
from reports.models import UNRESOLVED_FINDING, AnnualReport, Finding

if TYPE_CHECKING:
    from django.contrib.admin.filters import _ListFilterChoices
    from django.contrib.admin.views.main import ChangeList

# The severities the list counts, and the annotation each count is read from.
COUNTED = (("error", "open_errors"), ("warning", "open_warnings"))


def _unresolved(severity: str) -> QuerySet[Finding]:
    return Finding.objects.filter(
        report=OuterRef("pk"), status__in=UNRESOLVED_FINDING, severity=severity
    )


def with_open_findings(qs: QuerySet[AnnualReport]) -> QuerySet[AnnualReport]:
    """Annotate `open_errors` and `open_warnings`: the report's unresolved findings."""
    counts = {}
    for severity, name in COUNTED:
        count = (
            _unresolved(severity)
            .order_by()
            .values("report")
            .annotate(n=Count("pk"))
            .values("n")
        )
        counts[name] = Coalesce(Subquery(count, output_field=IntegerField()), 0)
    return qs.annotate(**counts)


class RevisionFilter(admin.SimpleListFilter):
    """Current revisions unless asked: the revisions in force (生效版次, what the summary,
    the overview and the audit count), all revisions, or the superseded ones alone.

    After an accepted 第1版 a new 第2版 is current but not in force: the default shows
    第2版, 生效版次 shows 第1版, and 第1版 is no 旧版次 while it is still in force."""

    title = "版次"
    parameter_name = "revisions"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[str, str]]:
        return [
            ("in_force", "生效版次（汇总、总览采用）"),
            ("all", "全部版次（含旧版次）"),
            ("old", "只看已取代的旧版次"),
        ]

    def choices(self, changelist: ChangeList) -> Iterator[_ListFilterChoices]:
        choices = super().choices(changelist)
        # Without a choice the list shows current revisions: say so, not Django's "全部".
        yield {**next(choices), "display": "现行版次（默认）"}
        yield from choices

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "all":
            return queryset
        if self.value() == "in_force":
            return queryset.filter(in_force=True)
        if self.value() == "old":
            return queryset.filter(is_current=False, in_force=False)
        return queryset.filter(is_current=True)


class OpenFindingsFilter(admin.SimpleListFilter):
    """Reports with unresolved 错误 or 警告 findings (or with neither)."""

    title = "未了结的审核发现"
    parameter_name = "findings"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[str, str]]:
        return [
            ("error", "有错误"),
            ("warning", "有警告"),
            ("any", "有错误或警告"),
            ("none", "无错误、无警告"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        errors, warnings = (Exists(_unresolved(s)) for s, _ in COUNTED)
        if self.value() == "error":
            return queryset.filter(errors)
        if self.value() == "warning":
            return queryset.filter(warnings)
        if self.value() == "any":
            return queryset.filter(errors | warnings)
        if self.value() == "none":
            return queryset.exclude(errors).exclude(warnings)
        return queryset


class ReportListColumnsMixin:
    """The report list's 未了结发现 column (the queryset must be `with_open_findings`)."""

    @admin.display(description="未了结发现", ordering="-open_errors")
    def open_findings_display(self, obj: AnnualReport) -> str:
        counts = [(severity, getattr(obj, name, 0) or 0) for severity, name in COUNTED]
        if not any(n for _, n in counts):
            return "无"
        base = reverse("admin:reports_finding_changelist")
        return format_html_join(
            " ",
            '<a class="finding-count sev-{}" href="{}">{} {}</a>',
            (
                (
                    severity,
                    f"{base}?"
                    + urlencode(
                        {
                            "report__id__exact": obj.pk,
                            "unresolved": 1,
                            "severity__exact": severity,
                        }
                    ),
                    SEVERITY_LABELS[severity],
                    n,
                )
                for severity, n in counts
                if n
            ),
        )


class WithdrawnFilter(admin.SimpleListFilter):
    """Withdrawn reports leave the list unless asked for; they are never deleted."""

    title = "撤回"
    parameter_name = "withdrawn"

    def lookups(self, request, model_admin) -> list[tuple[str, str]]:
        return [("yes", "只看已撤回"), ("all", "全部（含已撤回）")]

    def choices(self, changelist: ChangeList) -> Iterator[_ListFilterChoices]:
        choices = super().choices(changelist)
        # Without a choice the list hides withdrawn reports: say so, not Django's "全部".
        yield {**next(choices), "display": "未撤回（默认）"}
        yield from choices

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(withdrawn=True)
        if self.value() == "all":
            return queryset
        return queryset.filter(withdrawn=False)

"""The report's 历史 page: its 变更记录 (ChangeRecord), not Django's own admin log.

Every change to a report is recorded by the services (imports, cell edits, workflow moves,
findings), so Django's LogEntry table knows almost none of them and its history page said
there was no history beside a report page that listed five changes. The records are put
into the words of the form here, for this page and for the report page's own history list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from agencies.admin.mixin_base import AdminMixinBase
from reports import schema
from reports.models import AnnualReport, ChangeRecord, Finding
from reports.revision_state import revision_label

HISTORY_PER_PAGE = 100
Status = AnnualReport.Status
# Keys of the changes findings_history records: "审核发现 #<id>（<rule>）".
FINDING_CHANGE_PREFIX = "审核发现"


@dataclass(frozen=True)
class ChangeLine:
    """One changed field, cell or finding of a history record, named in Chinese."""

    label: str
    before: Any
    after: Any


@dataclass(frozen=True)
class HistoryEntry:
    """A history record and its changes as the report page lists them."""

    record: ChangeRecord
    lines: list[ChangeLine]


def history_entries(
    records: list[ChangeRecord], layout: str = schema.Layout.Y2021
) -> list[HistoryEntry]:
    """The report's change records with field names, cell paths and status codes put
    into the words of the form (状态：已提交 → 退回修改, not status: submitted → returned)."""
    return [
        HistoryEntry(
            record,
            [
                ChangeLine(
                    change_label(key, layout),
                    change_value(key, pair[0]),
                    change_value(key, pair[1]),
                )
                for key, pair in record.changes.items()
            ],
        )
        for record in records
    ]


def change_label(key: str, layout: str) -> str:
    """A history key in words: a report field's label, a cell's name, or the key."""
    parts = key.split(".")
    if len(parts) == 3 and parts[0] in schema.TABLE_LABELS:
        return schema.cell_label(*parts, layout)
    try:
        return str(AnnualReport._meta.get_field(key).verbose_name)
    except FieldDoesNotExist:
        return key


def change_value(key: str, value: Any) -> Any:
    """A recorded value in words: status codes by their label, yes/no for flags."""
    if isinstance(value, bool):
        return "是" if value else "否"
    labels: dict[str, str] = {}
    if key == "status":
        labels = dict(Status.choices)
    elif key == "layout":
        labels = schema.LAYOUT_LABELS
    elif key.startswith(FINDING_CHANGE_PREFIX):
        labels = dict(Finding.Status.choices)
    return labels.get(value, value) if isinstance(value, str) else value


class ReportHistoryMixin(AdminMixinBase):
    """history_view for AnnualReportAdmin: the revision's records, newest first, and
    links to the other revisions of the same agency and year."""

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        model_admin: admin.ModelAdmin = self
        # The plain lookup (in the user's scope), without the report page's prefetches.
        report = admin.ModelAdmin.get_object(model_admin, request, unquote(object_id))
        if report is None:
            return model_admin._get_obj_does_not_exist_redirect(
                request, model_admin.opts, object_id
            )
        if not model_admin.has_view_or_change_permission(request, report):
            raise PermissionDenied
        records = report.changes.select_related("user")
        paginator = model_admin.get_paginator(request, records, HISTORY_PER_PAGE)
        page = paginator.get_page(request.GET.get(PAGE_VAR, 1))
        revisions = (
            model_admin.get_queryset(request)
            .filter(agency_id=report.agency_id, report_year_id=report.report_year_id)
            .exclude(pk=report.pk)
            .order_by("-revision")
            .select_related(None)
            .only("pk", "revision", "is_current", "in_force", "withdrawn")
        )
        context = {
            **model_admin.admin_site.each_context(request),
            "title": f"变更记录：{report}",
            "subtitle": None,
            "object": report,
            "opts": model_admin.opts,
            "module_name": str(model_admin.opts.verbose_name_plural),
            "preserved_filters": model_admin.get_preserved_filters(request),
            "history": history_entries(list(page), report.layout),
            "page_obj": page,
            "page_range": paginator.get_elided_page_range(page.number),
            "page_var": PAGE_VAR,
            "pagination_required": paginator.num_pages > 1,
            "revision": revision_label(report),
            "revisions": [(r.pk, revision_label(r)) for r in revisions],
            **(extra_context or {}),
        }
        request.current_app = model_admin.admin_site.name
        return TemplateResponse(
            request, "admin/reports/annualreport/object_history.html", context
        )

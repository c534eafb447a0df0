"""A report form posted from a page opened before the report became read-only.

Between opening a report and saving it, a colleague may accept, withdraw or supersede it,
or the filer's report may be taken up for review. Django answers such a post with a bare
403; the reviewer gets instead what changed and what to do, and the page again, read-only.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from agencies.admin.mixin_base import AdminMixinBase
from reports.importing.plan import UNDER_REVIEW, reviewed_by
from reports.models import AnnualReport


class StalePostMixin(AdminMixinBase):
    """For AnnualReportAdmin: a post the report no longer accepts is explained, not 403."""

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        if request.method == "POST" and object_id is not None:
            report = self.get_object(request, unquote(object_id))
            if (
                report is not None
                and self.has_view_permission(request, report)
                and not self.has_change_permission(request, report)
            ):
                messages.error(request, stale_message(report))
                return HttpResponseRedirect(request.get_full_path())
        return super().changeform_view(request, object_id, form_url, extra_context)


def stale_message(report: AnnualReport) -> str:
    """Why the report can no longer be changed from this page, and what to do."""
    head = f"没有保存：{report.agency.name} {report.report_year.year} 年度报告（第 {report.revision} 版）"
    if report.withdrawn:
        return f"{head}已被撤回，不能再修改。"
    if not report.is_current:
        return f"{head}已有更新的版次，旧版次不能修改；请打开现行版次。"
    if report.status == AnnualReport.Status.ACCEPTED:
        return (
            f"{head}在您打开页面后已审核通过，不能再修改；"
            "如需修改，请在列表中对它执行“建立新版次”。"
        )
    if report.status in UNDER_REVIEW:
        return (
            f"{head}在您打开页面后已变为“{report.get_status_display()}”，"
            f"{reviewed_by(report)}；需审核员退回修改后才能再修改。"
        )
    return f"{head}当前状态为“{report.get_status_display()}”，您不能修改。"

"""The admin page 导入年报: upload files, preview each parsed report, confirm or discard.

Nothing reaches the database before confirmation: the parsed reports wait on disk
(reports.importing.intake.staging) under a random token that only their uploader can open.
Confirming saves each chosen report through report_apply, one transaction per report.
"""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import DatabaseError, transaction
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    QueryDict,
)
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from agencies.models import Agency
from agencies.scope import Scope, scope_for
from agencies.services import agency_upsert
from reports.admin.import_forms import ReportChoiceForm, UploadForm
from reports.admin.import_preview import (
    PreviewDocument,
    PreviewItem,
    carried_over,
    guess_kind,
    match_agency,
    preview_grid,
    preview_outcome,
    warning_views,
)
from reports.audit.preview import issues_before_saving
from reports.core.parsed import ParsedReport
from reports.importing import errors
from reports.importing.apply import ApplyResult, report_apply
from reports.importing.intake import staging
from reports.importing.intake.sources import SourceDocument, SourceError, read_bytes
from reports.models import ChangeRecord

OUTCOME_LABELS: dict[str, str] = {
    "created": "新建年报",
    "revised": "新版本",
    "drafted": "新版次草稿（审核通过的版次继续有效）",
    "skipped": "跳过（同一文件已导入）",
}
# A pasted text is staged as this .txt document (the name shown in the preview and history).
PASTE_NAME = "粘贴文本.txt"


def staging_root() -> Path:
    """Where batches wait for confirmation (a private folder, never served as media)."""
    return Path(settings.IMPORT_STAGING_ROOT)


# --- views ------------------------------------------------------------------------------------


class ReportImportViews:
    """The import pages of AnnualReportAdmin: upload, preview (and confirm), discard;
    AnnualReportAdmin.get_urls routes them."""

    def __init__(self, model_admin: admin.ModelAdmin) -> None:
        self.model_admin = model_admin
        self.admin_site = model_admin.admin_site
        self.opts = model_admin.model._meta

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """The upload form; a valid upload is parsed, staged, and shown as a preview."""
        self._require_add(request)
        max_bytes = settings.IMPORT_MAX_BYTES
        paste_max = paste_limit(max_bytes)
        if request.method == "POST":
            form = UploadForm(request.POST, request.FILES, max_bytes=paste_max)
        else:
            form = UploadForm(max_bytes=paste_max)
        if form.is_bound and form.is_valid():
            root = staging_root()
            # Batches nobody confirmed or discarded do not pile up.
            staging.batch_purge(root)
            uploads = list(form.cleaned_data["files"])
            if form.cleaned_data["text"]:
                uploads.append(paste_upload(form.cleaned_data["text"]))
            documents: list[SourceDocument] = []
            for upload in uploads:
                documents.extend(_read_upload(upload, max_bytes))
            token = staging.batch_write(root, documents, user_id=request.user.pk)
            return HttpResponseRedirect(self._url("import_preview", token))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "导入年报",
            "form": form,
            "max_mb": max_bytes / (1024 * 1024),
            "paste_max_mb": paste_max / (1024 * 1024),
            "paste_name": PASTE_NAME,
        }
        return TemplateResponse(
            request, "admin/reports/annualreport/import_form.html", context
        )

    def preview_view(self, request: HttpRequest, token: str) -> HttpResponse:
        """GET shows the batch; POST refreshes it with the choices made, or confirms it."""
        self._require_add(request)
        try:
            batch = self._batch(request, token)
        except Http404:
            if request.method != "POST":
                raise
            # A second click on 确认导入, or a preview left open: say what happened.
            messages.warning(
                request,
                "这批导入已确认、已放弃或已过期（24 小时），本次没有再保存任何内容；"
                "已导入的年报在下面的列表中，如需再导入请重新上传。",
            )
            return HttpResponseRedirect(self._url("changelist"))
        data = request.POST if request.method == "POST" else None
        documents = self._documents(request, batch, data)
        items = [item for document in documents for item in document.items]
        if request.method == "POST" and "_confirm" in request.POST:
            valid = all(item.form.is_valid() for item in items)
            chosen = [i for i in items if valid and i.form.cleaned_data["include"]]
            if not items:
                messages.error(request, "这批文件中没有可以导入的年报。")
            elif not valid:
                messages.error(request, "请先改正下面标出的错误；尚未保存任何内容。")
            elif not chosen:
                messages.warning(request, "没有勾选要导入的年报；尚未保存任何内容。")
            else:
                return self._confirm(request, batch, chosen)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "导入年报：核对预览",
            "token": token,
            "documents": documents,
            "importable": len(items),
            "refused": sum(1 for d in documents if d.error_code),
            "media": self._media(items),
        }
        return TemplateResponse(
            request, "admin/reports/annualreport/import_preview.html", context
        )

    def discard_view(self, request: HttpRequest, token: str) -> HttpResponse:
        """Delete the staged batch; nothing is written to the database."""
        self._require_add(request)
        if request.method != "POST":
            return HttpResponseRedirect(self._url("import_preview", token))
        self._batch(request, token)  # only the uploader may discard it
        staging.batch_delete(staging_root(), token)
        messages.info(request, "已放弃本次导入，没有保存任何内容。")
        return HttpResponseRedirect(self._url("changelist"))

    # --- confirmation ---------------------------------------------------------------------

    def _confirm(
        self, request: HttpRequest, batch: staging.Batch, items: list[PreviewItem]
    ) -> HttpResponse:
        saved: list[ApplyResult] = []
        skipped: list[ApplyResult] = []
        event = ChangeRecord.new_batch()  # one confirmation, one traceable import event
        for item in items:
            data = item.form.cleaned_data
            item.report.year = data["year"]
            # Set on the preview (or carried there from the current revision); left
            # empty, report_apply keeps the current revision's.
            if data.get("publication_date"):
                item.report.publication_date = data["publication_date"].isoformat()
            if data.get("source_url"):
                item.report.source_url = data["source_url"]
            try:
                # One report, one transaction: a failure leaves neither half a report
                # nor an agency created only for it.
                with transaction.atomic():
                    agency, agency_created = self._agency_for(data)
                    result = report_apply(
                        item.report, agency=agency, user=request.user, batch=event
                    )
            except (DatabaseError, ValueError) as exc:
                messages.error(
                    request,
                    format_html(
                        "“{}”未能保存，其余文件不受影响：{}", item.document, exc
                    ),
                )
                continue
            if agency_created:
                self.model_admin.log_addition(
                    request, agency, f"导入年报“{item.document}”时新建"
                )
            if result.action == "skipped":
                skipped.append(result)
                continue
            self.model_admin.log_addition(
                request,
                result.report,
                f"从文件“{item.document}”导入（{OUTCOME_LABELS[result.action]}）",
            )
            saved.append(result)
        staging.batch_delete(staging_root(), batch.token)
        self._report_done(request, saved, skipped)
        return HttpResponseRedirect(self._url("changelist"))

    def _agency_for(self, data: dict) -> tuple[Agency, bool]:
        if data["agency_action"] != ReportChoiceForm.CREATE:
            return data["agency"], False
        name = data["new_name"].strip()
        region = data["new_region"]
        existed = Agency.objects.filter(region=region, name=name).exists()
        agency = agency_upsert(name=name, region=region, kind=data["new_kind"])
        return agency, not existed

    def _report_done(
        self,
        request: HttpRequest,
        saved: list[ApplyResult],
        skipped: list[ApplyResult],
    ) -> None:
        created = sum(1 for r in saved if r.action == "created")
        drafted = sum(1 for r in saved if r.action == "drafted")
        revised = len(saved) - created - drafted
        # Only what happened: "新建年报 0 份" makes a reader look for what went missing.
        parts = [
            f"新建年报 {created} 份" if created else "",
            f"新版本 {revised} 份（原版本保留为旧版本）" if revised else "",
            f"新版次草稿 {drafted} 份（审核通过的版次在新版次审核通过前继续有效）"
            if drafted
            else "",
            f"跳过 {len(skipped)} 份（同一文件已导入）" if skipped else "",
        ]
        summary = "导入完成：" + "，".join(part for part in parts if part)
        links = format_html_join(
            "、",
            '<a href="{}">{} {} 年（第 {} 版）</a>',
            (
                (
                    self._url("change", r.report.pk),
                    r.report.agency.name,
                    r.report.report_year.year,
                    r.report.revision,
                )
                for r in saved + skipped
            ),
        )
        if saved or skipped:
            messages.success(request, format_html("{}：{}。", summary, links))
        if saved:
            # The preview showed what the audit will find; the report page lists findings
            # only once an audit has run over the saved report.
            messages.info(
                request,
                "审核发现要在审核运行后才列在年报页面：可等定时审核，"
                "或在列表中勾选年报后执行“对所选年报运行审核”。",
            )
        else:
            messages.warning(request, "没有保存任何年报。")

    # --- building the preview -------------------------------------------------------------

    def _documents(
        self, request: HttpRequest, batch: staging.Batch, data: QueryDict | None
    ) -> list[PreviewDocument]:
        can_create = request.user.has_perm("agencies.add_agency")
        scope = scope_for(request.user)
        documents = []
        for d, staged in enumerate(batch.documents):
            document = PreviewDocument(
                name=staged.name,
                error_code=staged.error_code,
                error_detail=staged.error_detail,
            )
            for r, parsed in enumerate(staged.reports):
                item = self._item(
                    f"{d}-{r}",
                    staged.name,
                    parsed,
                    data,
                    can_create,
                    scope,
                    request.user,
                )
                document.items.append(item)
            documents.append(document)
        return documents

    def _item(
        self,
        key: str,
        document: str,
        parsed: ParsedReport,
        data: QueryDict | None,
        can_create: bool,
        scope: Scope,
        user: User,
    ) -> PreviewItem:
        match, note, candidates = match_agency(parsed.agency, scope)
        create = can_create and match is None and not candidates
        carried = carried_over(parsed, match)
        form = ReportChoiceForm(
            data,
            prefix=f"r{key}",
            initial={
                "include": True,
                "year": parsed.year,
                "agency_action": (
                    ReportChoiceForm.CREATE if create else ReportChoiceForm.EXISTING
                ),
                "agency": match,
                "new_name": parsed.agency,
                "new_kind": guess_kind(parsed.agency),
                "publication_date": parsed.publication_date
                or (carried.publication_date if carried else None),
                "source_url": parsed.source_url
                or (carried.source_url if carried else ""),
            },
            admin_site=self.admin_site,
            can_create_agency=can_create,
            scope=scope,
        )
        warnings = warning_views(parsed)
        item = PreviewItem(
            key=key,
            document=document,
            report=parsed,
            form=form,
            match=match,
            match_note=note,
            candidates=candidates,
            warnings=warnings,
            tables=preview_grid(parsed, warnings),
            carried=carried,
        )
        item.outcome = preview_outcome(item, user)
        if match is not None:
            # What the audit would say once saved (with last year's report of this agency).
            item.findings = issues_before_saving(parsed, match)
        return item

    def _media(self, items: list[PreviewItem]) -> forms.Media:
        return items[0].form.media if items else forms.Media()

    # --- plumbing -------------------------------------------------------------------------

    def _require_add(self, request: HttpRequest) -> None:
        if not self.model_admin.has_add_permission(request):
            raise PermissionDenied

    def _batch(self, request: HttpRequest, token: str) -> staging.Batch:
        try:
            return staging.batch_read(staging_root(), token, user_id=request.user.pk)
        except staging.BatchNotFound as exc:
            raise Http404(
                "这批导入不存在，或已确认、已放弃、已过期（24 小时）"
            ) from exc
        except staging.BatchForbidden as exc:
            raise PermissionDenied("这批导入由其他用户上传，您不能查看") from exc

    def _url(self, name: str, *args: object) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}",
            args=args,
            current_app=self.admin_site.name,
        )


# --- helpers (no request) ---------------------------------------------------------------------


def paste_limit(max_bytes: int) -> int:
    """Bytes a pasted text may have: the import limit, and below the size of a form body
    Django accepts (DATA_UPLOAD_MAX_MEMORY_SIZE), so an oversized paste is a form error
    in Chinese rather than a bare 400 page."""
    body_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if body_limit is None:
        return max_bytes
    return max(0, min(max_bytes, body_limit - 64 * 1024))


def paste_upload(text: str) -> UploadedFile:
    """A pasted text as an uploaded UTF-8 .txt file: it then takes the uploads' path
    (size check, sandboxed parse, staging), and its bytes are the source's fingerprint."""
    return SimpleUploadedFile(
        PASTE_NAME, text.encode("utf-8"), content_type="text/plain; charset=utf-8"
    )


def _read_upload(upload: UploadedFile, max_bytes: int) -> list[SourceDocument]:
    """The documents of one upload; one larger than the limit is refused unread."""
    name = Path(upload.name or "未命名文件").name
    if not upload.size:
        message = f"“{name}”是空文件（0 字节），未读取；请检查文件后重新上传"
        return [
            SourceDocument(name, error=SourceError(name, errors.EMPTY_FILE, message))
        ]
    if upload.size is not None and upload.size > max_bytes:
        message = (
            f"“{name}”有 {upload.size / 1048576:.1f} MB，"
            f"超过导入上限 {max_bytes / 1048576:.1f} MB，未读取"
        )
        error = SourceError(name, errors.FILE_TOO_LARGE, message)
        return [SourceDocument(name, error=error)]
    return read_bytes(upload.read(), name, max_bytes=max_bytes)

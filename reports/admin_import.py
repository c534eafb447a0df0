"""The admin page 导入年报: upload files, preview each parsed report, confirm or discard.

Nothing reaches the database before confirmation: the parsed reports wait on disk
(reports.importing.intake.staging) under a random token that only their uploader can open.
Confirming saves each chosen report through report_apply, one transaction per report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
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
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join

from agencies.models import Agency, Region
from agencies.scope import Scope, scope_for
from agencies.services import (
    AgencyNotFound,
    agency_candidates,
    agency_find,
    agency_upsert,
)
from reports import schema
from reports.audit.base import Issue
from reports.audit.preview import issues_before_saving
from reports.cells import STATE_LABELS, CellState, cell_state, display_text
from reports.grid import GridTable, grids_for
from reports.importing import errors
from reports.importing.apply import ApplyResult, report_apply
from reports.importing.intake import staging
from reports.importing.intake.sources import SourceDocument, SourceError, read_bytes
from reports.importing.interchange import MAX_YEAR, MIN_YEAR
from reports.importing.mapping import identities
from reports.importing.parsed import ParsedReport, ParseWarning
from reports.importing.plan import current_report, import_plan
from reports.importing.years import year_refusal
from reports.models import AnnualReport, ChangeRecord

OUTCOME_LABELS: dict[str, str] = {
    "created": "新建年报",
    "revised": "新版本",
    "drafted": "新版次草稿（审核通过的版次继续有效）",
    "skipped": "跳过（同一文件已导入）",
}
# The refusals' Chinese names (kept in reports.importing.errors).
ERROR_LABELS: dict[str, str] = errors.LABELS
ACCEPTED_SUFFIXES = ".pdf,.docx,.html,.htm,.txt,.json,.zip"
# A pasted text is staged as this .txt document (the name shown in the preview and history).
PASTE_NAME = "粘贴文本.txt"


def staging_root() -> Path:
    """Where batches wait for confirmation (a private folder, never served as media)."""
    return Path(settings.IMPORT_STAGING_ROOT)


# --- forms ------------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the pattern of Django's file-upload documentation)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ACCEPTED_SUFFIXES})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list[UploadedFile]:
        single_file_clean = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        # An empty file is not a form error: it is named in the preview (as refused)
        # while the batch's other files preview as usual.
        cleaned = [
            d
            if isinstance(d, UploadedFile) and not d.size
            else single_file_clean(d, initial)
            for d in items
        ]
        # No file chosen cleans to [] (the form asks for files or a pasted text).
        return [f for f in cleaned if f]


class UploadForm(forms.Form):
    """Files, a pasted text, or both; a pasted text becomes one more .txt document."""

    files = MultipleFileField(
        label="年报文件",
        required=False,
        help_text="可一次选择多个文件：PDF、DOCX、Excel（.xlsx）、网页（HTML）、文本（TXT，"
        "UTF-8、GBK 或 UTF-16 编码均可）、JSON（交换格式），或装有这些文件的 ZIP 压缩包。",
    )
    text = forms.CharField(
        label="粘贴文本",
        required=False,
        strip=False,  # the text is the source document: kept as pasted
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        help_text="从网页或 Word 复制整篇年报（含表格）后粘贴到此处。",
    )

    def __init__(self, *args, max_bytes: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        # A UTF-8 character is at most 3 bytes here (CJK): the browser stops the paste
        # before the request body would pass the limit.
        self.fields["text"].widget.attrs["maxlength"] = str(max_bytes // 3)

    def clean_text(self) -> str:
        text = paste_normalize(self.cleaned_data["text"])
        if not text.strip():
            return ""
        size = len(text.encode("utf-8"))
        if size > self.max_bytes:
            raise ValidationError(
                f"粘贴的文本有 {size / 1048576:.1f} MB，超过导入上限 "
                f"{self.max_bytes / 1048576:.1f} MB，未读取；请分几次粘贴，或保存为文件后上传。"
            )
        return text

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not data.get("files") and not data.get("text"):
            self.add_error(
                "files", "请选择要上传的年报文件，或把年报全文粘贴到“粘贴文本”框中。"
            )
        return data


class ReportChoiceForm(forms.Form):
    """How one parsed report is saved: whether at all, for which year and which agency."""

    EXISTING = "existing"
    CREATE = "create"

    include = forms.BooleanField(label="导入这份年报", required=False, initial=True)
    # The range is checked in clean_year, with a message that gives it.
    year = forms.IntegerField(label="年度", required=False)
    agency_action = forms.ChoiceField(
        label="机关",
        choices=[(EXISTING, "名录中已有的机关"), (CREATE, "在名录中新建机关")],
        widget=forms.RadioSelect,
        initial=EXISTING,
        required=False,
    )
    agency = forms.ModelChoiceField(
        label="选择机关",
        queryset=Agency.objects.select_related("region"),
        required=False,
    )
    new_name = forms.CharField(label="机关名称", max_length=200, required=False)
    new_region = forms.ModelChoiceField(
        label="所属区划", queryset=Region.objects.all(), required=False
    )
    new_kind = forms.ChoiceField(
        label="机关类别",
        choices=[("", "---------"), *Agency.Kind.choices],
        required=False,
    )
    publication_date = forms.DateField(
        label="发布日期",
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d"),
        help_text="格式 2025-01-20；留空则沿用现行版次的发布日期",
    )
    source_url = forms.URLField(
        label="来源网址",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="留空则沿用现行版次的来源网址",
    )

    def __init__(
        self,
        *args,
        admin_site: admin.AdminSite,
        can_create_agency: bool,
        scope: Scope,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.can_create_agency = can_create_agency
        # A posted id outside the user's region or agency fails validation like a bad id.
        self.fields["agency"].queryset = scope.filter(
            self.fields["agency"].queryset, ""
        )
        self.fields["new_region"].queryset = scope.filter_regions(
            self.fields["new_region"].queryset
        )
        # The admin's own autocomplete (select2 + the agency/region admins' search).
        for name, model_field in (
            ("agency", AnnualReport._meta.get_field("agency")),
            ("new_region", Agency._meta.get_field("region")),
        ):
            form_field = self.fields[name]
            form_field.widget = AutocompleteSelect(
                model_field, admin_site, attrs={"data-width": "22em"}
            )
            form_field.widget.choices = form_field.choices
        self.fields["year"].widget.attrs.update({"class": "vIntegerField"})
        self.fields["publication_date"].widget.attrs.update({"class": "vDateField"})
        self.fields["source_url"].widget.attrs.update({"class": "vURLField"})

    def clean_year(self) -> int | None:
        year = self.cleaned_data.get("year")
        if year is not None and (refusal := year_refusal(year)):
            raise ValidationError(refusal)
        return year

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("include"):
            return data
        if data.get("year") is None and "year" not in self.errors:
            self.add_error("year", "请填写年度")
        if data.get("agency_action") == self.CREATE:
            if not self.can_create_agency:
                self.add_error(
                    "agency_action", "您没有新建机关的权限，请选择名录中已有的机关"
                )
            for name in ("new_name", "new_region", "new_kind"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, "新建机关时必填")
        elif not data.get("agency") and "agency" not in self.errors:
            self.add_error("agency", "请选择机关，或改为在名录中新建机关")
        return data


# --- what the preview shows -------------------------------------------------------------------


@dataclass
class WarningView:
    """A warning as the preview lists it: where (in words), which page, identity or not."""

    code: str
    message: str
    where: str
    path: str
    page: int | None
    identity: bool


@dataclass
class Outcome:
    """What confirming would do with a report: created, revised, skipped, or not yet known."""

    action: str
    label: str
    existing: AnnualReport | None = None


@dataclass
class PreviewItem:
    """One parsed report of a document, with its form and the grid to check it against."""

    key: str
    document: str
    report: ParsedReport
    form: ReportChoiceForm
    match: Agency | None
    match_note: str
    candidates: list[Agency]
    warnings: list[WarningView]
    tables: list[GridTable]
    outcome: Outcome = field(default_factory=lambda: Outcome("pending", ""))
    findings: list[Issue] = field(default_factory=list)
    # The current revision whose publication date / source URL fill what the file lacks.
    carried: AnnualReport | None = None

    @property
    def layout_label(self) -> str:
        label = schema.LAYOUT_LABELS.get(self.report.format, self.report.format)
        year = self.report.year
        if year and MIN_YEAR <= year <= MAX_YEAR:
            expected = schema.layout_for_year(year)
            if expected != self.report.format:
                label += f"（{year} 年度应使用{schema.LAYOUT_LABELS[expected]}）"
        return label

    @property
    def identity_warnings(self) -> list[WarningView]:
        return [w for w in self.warnings if w.identity]

    @property
    def other_warnings(self) -> list[WarningView]:
        return [w for w in self.warnings if not w.identity]

    @property
    def uncertain(self) -> list[WarningView]:
        """The cells the importer was unsure of, named like warnings."""
        return [
            WarningView(
                code="uncertain",
                message="读取时无法确定，请对照原文核对",
                where=_where_label(path, self.report.format),
                path=path,
                page=_page_of(self.report, path),
                identity=False,
            )
            for path in self.report.uncertain_paths()
        ]

    @property
    def sections(self) -> list[tuple[str, str]]:
        return [
            (schema.SECTION_HEADINGS[key], self.report.sections[key])
            for key in schema.NARRATIVE_SECTIONS
            if self.report.sections.get(key)
        ]


@dataclass
class PreviewDocument:
    """One uploaded document: refused (code, message) or its parsed reports."""

    name: str
    error_code: str = ""
    error_detail: str = ""
    items: list[PreviewItem] = field(default_factory=list)

    @property
    def error_label(self) -> str:
        """The refusal as people read it: its Chinese name, the code in brackets."""
        return errors.label(self.error_code)


# --- views ------------------------------------------------------------------------------------


class ReportImportViews:
    """The import pages of AnnualReportAdmin: upload, preview (and confirm), discard."""

    def __init__(self, model_admin: admin.ModelAdmin) -> None:
        self.model_admin = model_admin
        self.admin_site = model_admin.admin_site
        self.opts = model_admin.model._meta

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("import/", wrap(self.upload_view), name=f"{prefix}_import"),
            path(
                "import/<str:token>/",
                wrap(self.preview_view),
                name=f"{prefix}_import_preview",
            ),
            path(
                "import/<str:token>/discard/",
                wrap(self.discard_view),
                name=f"{prefix}_import_discard",
            ),
        ]

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
        batch = self._batch(request, token)
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
        user: AbstractBaseUser,
    ) -> PreviewItem:
        match, note, candidates = _match_agency(parsed.agency, scope)
        create = can_create and match is None and not candidates
        carried = _carried_over(parsed, match)
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
        warnings = _warning_views(parsed)
        item = PreviewItem(
            key=key,
            document=document,
            report=parsed,
            form=form,
            match=match,
            match_note=note,
            candidates=candidates,
            warnings=warnings,
            tables=_grid(parsed, warnings),
            carried=carried,
        )
        item.outcome = _outcome(item, user)
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


def paste_normalize(text: str) -> str:
    """A pasted text with LF line endings (browsers send CRLF, old Macs CR); nothing else
    changes, so the same paste always has the same fingerprint."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


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


def _match_agency(name: str, scope: Scope) -> tuple[Agency | None, str, list[Agency]]:
    """The registry's agency for a name (within the user's scope), else why not and the
    names that come close."""
    if not name:
        return None, "文件中没有识别出机关名称", []
    try:
        found = agency_find(name)
    except AgencyNotFound:
        candidates = [a for a in agency_candidates(name) if _reachable(scope, a)]
    else:
        if _reachable(scope, found):
            return found, "", []
        return None, f"“{name}”不在您的管辖范围内，不能为其导入年报", []
    if candidates:
        return None, f"名录中没有唯一对应“{name}”的机关（名称或别名）", candidates
    return None, f"名录中没有“{name}”（名称或别名）", []


def _carried_over(parsed: ParsedReport, agency: Agency | None) -> AnnualReport | None:
    """The current revision a new one would follow, when the file lacks a publication
    date or a source URL that it has (those carry over, as report_apply does)."""
    if agency is None or parsed.year is None or year_refusal(parsed.year):
        return None
    if parsed.publication_date and parsed.source_url:
        return None
    current = current_report(agency, parsed.year)
    if current is None or not (current.publication_date or current.source_url):
        return None
    return current


def _reachable(scope: Scope, agency: Agency) -> bool:
    return scope.filter(Agency.objects.filter(pk=agency.pk), "").exists()


def guess_kind(name: str) -> str:
    """A first guess of an agency's kind from its name, for the create form."""
    if name.endswith(("办公室", "办公厅")) and "人民政府" in name:
        return Agency.Kind.GENERAL_OFFICE
    if name.endswith(("街道办事处", "镇人民政府", "乡人民政府")):
        return Agency.Kind.TOWNSHIP
    if name.endswith("人民政府"):
        return Agency.Kind.GOVERNMENT
    return Agency.Kind.DEPARTMENT if name else ""


def _warning_views(parsed: ParsedReport) -> list[WarningView]:
    """The importer's warnings plus any failing identity it did not report (JSON input)."""
    failing = identities.check(parsed)
    identity_keys = {(w.code, w.where) for w in failing}
    known = {(w.code, w.where) for w in parsed.warnings}
    warnings: list[ParseWarning] = [
        *parsed.warnings,
        *(w for w in failing if (w.code, w.where) not in known),
    ]
    return [
        WarningView(
            code=w.code,
            message=w.message,
            where=_where_label(w.where, parsed.format),
            path=w.where,
            page=w.page if w.page is not None else _page_of(parsed, w.where),
            identity=(w.code, w.where) in identity_keys,
        )
        for w in warnings
    ]


def _where_label(where: str, layout: str) -> str:
    parts = where.split(".")
    if not where or parts[0] not in schema.TABLE_LABELS:
        return where
    table = parts[0]
    if len(parts) == 3:
        return schema.cell_label(table, parts[1], parts[2], layout)
    if len(parts) == 2:
        row = schema.allowed_rows(table, layout).get(parts[1])
        return f"{schema.TABLE_LABELS[table]}「{row.label if row else parts[1]}」"
    return schema.TABLE_LABELS[table]


def _page_of(parsed: ParsedReport, where: str) -> int | None:
    parts = where.split(".")
    if len(parts) != 3:
        return None
    cell = parsed.cell(*parts)
    return cell.page if cell else None


def _grid(parsed: ParsedReport, warnings: list[WarningView]) -> list[GridTable]:
    """The three tables drawn read-only: value, state, highlights and a hover title."""
    one_row_other = schema.OTHER_ONE_ROW in parsed.tables.get("table3", {})
    tables = grids_for(parsed.format, one_row_other=one_row_other)
    uncertain = parsed.uncertain_paths()
    for grid in tables:
        for cell in grid.inputs():
            table, row, column = cell.path.split(".")
            source = parsed.cell(table, row, column)
            value = source.value if source else None
            raw = source.raw if source else None
            state = cell_state(value, raw, present=source is not None)
            cell.state = str(state)
            cell.display = display_text(value, raw) if source else ""
            # A warning names a cell, or a whole row (then every cell of it).
            notes = [
                w
                for w in warnings
                if w.path and (cell.path + ".").startswith(w.path + ".")
            ]
            css = []
            if any(fnmatch(cell.path, pattern) for pattern in uncertain):
                css.append("uncertain")
            if any(w.identity for w in notes):
                css.append("identity-fail")
            elif notes:
                css.append("warned")
            cell.css = " ".join(css)
            parts = [STATE_LABELS[state]]
            if source is not None and state != CellState.MISSING:
                parts.append(f"原文：“{raw}”" if raw is not None else "原文未记录")
            if source is not None and source.page:
                parts.append(f"第 {source.page} 页")
            if source is not None and source.note:
                parts.append(source.note)
            if "uncertain" in css:
                parts.append("存疑，需核对")
            parts += [w.message for w in notes]
            cell.title = "；".join(parts)
    return tables


def _outcome(item: PreviewItem, user: AbstractBaseUser) -> Outcome:
    """What confirming would do, for the agency and year chosen (or found) so far."""
    form = item.form
    if form.is_bound:
        if not form.is_valid():
            return Outcome("pending", "待改正下面标出的错误")
        choice = form.cleaned_data
    else:
        choice = {k: form.get_initial_for_field(f, k) for k, f in form.fields.items()}
    if not choice.get("include"):
        return Outcome("excluded", "不导入")
    year = choice.get("year")
    if choice.get("agency_action") == ReportChoiceForm.CREATE:
        if not choice.get("new_region"):
            return Outcome("pending", "待填写新建机关的所属区划")
        return Outcome("created", "新建年报（同时在名录中新建机关）")
    agency = choice.get("agency")
    if agency is None:
        return Outcome("pending", "待选择机关")
    if year is None:
        return Outcome("pending", "待填写年度")
    if refusal := year_refusal(year):
        return Outcome("pending", refusal)
    plan = import_plan(
        current=current_report(agency, year),
        sha256=item.report.source.sha256,
        user=user,
    )
    return Outcome(plan.action, plan.label, plan.current)

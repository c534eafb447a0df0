"""The forms of the import page: the upload (files or a pasted text) and, per parsed
report, how it is saved (whether, which year, which agency, publication date and URL)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from agencies.models import Agency, Region
from agencies.scope import Scope
from reports.importing.intake.sources import DOCUMENT_SUFFIXES, ZIP_SUFFIXES
from reports.importing.years import year_refusal
from reports.models import AnnualReport

# What the file picker offers: exactly what the folder and zip intake reads.
ACCEPTED_SUFFIXES = ",".join(sorted(DOCUMENT_SUFFIXES | ZIP_SUFFIXES))


def paste_normalize(text: str) -> str:
    """A pasted text with LF line endings (browsers send CRLF, old Macs CR); nothing else
    changes, so the same paste always has the same fingerprint."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
        help_text="可一次选择多个文件：PDF、Word（.docx、.doc）、WPS（.wps、.et）、RTF、"
        "OpenDocument（.odt、.ods）、Excel（.xlsx、.xls）、网页（HTML）、"
        "网页存档（.mht/.mhtml，浏览器“另存为单个文件”）、文本（TXT，"
        "UTF-8、GBK 或 UTF-16 编码均可）、JSON（交换格式），或装有这些文件的 ZIP 压缩包。"
        ".doc、.xls、.wps、.et、.rtf、.odt、.ods 由服务器上的 LibreOffice 转换后读取。",
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
            raise ValidationError(
                "请选择要上传的年报文件，或把年报全文粘贴到“粘贴文本”框中。"
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

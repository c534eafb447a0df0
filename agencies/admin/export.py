"""django-import-export's export, in Chinese: field names, file names and sheet names.

Every admin that exports (行政区划, 机关, 年报主要数字) mixes this in, so the export page lists
the columns by their Chinese headers and the file is called e.g. 年报主要数字-2024.xlsx.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from import_export.forms import SelectableFieldsExportForm


class ChineseExportForm(SelectableFieldsExportForm):
    """The export page's column checkboxes labelled by the file's own (Chinese) headers."""

    def _get_field_label(self, resource: Any, field_name: str) -> str:
        # Columns added in a resource's __init__ (the key figures) exist on instances only.
        field = resource().fields.get(field_name)
        return field.column_name if field is not None else field_name


class ChineseExportMixin:
    """File names from `export_name` and the years exported (or today's date)."""

    export_form_class = ChineseExportForm
    export_name = "导出"
    # A queryset lookup giving the report year of each row; None: name by today's date.
    export_year_lookup: str | None = None

    def get_export_filename(
        self, request: HttpRequest, queryset: QuerySet, file_format: Any
    ) -> str:
        return f"{self.export_name}-{self.export_suffix(queryset)}.{file_format.get_extension()}"

    def _do_file_export(
        self, file_format: Any, request: HttpRequest, queryset: QuerySet, **kwargs: Any
    ) -> HttpResponse:
        response = super()._do_file_export(file_format, request, queryset, **kwargs)
        # import-export writes filename="…" raw, which Django sends MIME-encoded
        # (=?utf-8?b?…?=); filename*=UTF-8'' is what browsers read for Chinese names.
        name = self.get_export_filename(request, queryset, file_format)
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response

    def export_suffix(self, queryset: QuerySet) -> str:
        if self.export_year_lookup is None:
            return timezone.localdate().isoformat()
        years = sorted(
            set(queryset.values_list(self.export_year_lookup, flat=True).distinct())
        )
        if not years:
            return timezone.localdate().isoformat()
        return str(years[0]) if len(years) == 1 else f"{years[0]}至{years[-1]}"

"""The agency registry in and out of CSV and Excel (django-import-export), by natural keys.

Regions are identified by their division code, agencies by (region code, name); database
ids never appear in a file, so a registry exported from one system imports into another.
Columns are in Chinese; a row that names an unknown region or kind is refused with a
message saying which, and nothing is written before the admin's confirmation.
"""

from __future__ import annotations

from typing import Any

import tablib
from django.db import transaction
from import_export import fields, resources, widgets

from agencies.models import Agency, AgencyAlias, Region

ALIAS_SEPARATOR = "；"


class RegionCodeWidget(widgets.ForeignKeyWidget):
    """A region by its division code; an unknown code is a row error in Chinese."""

    def __init__(self) -> None:
        super().__init__(Region, field="code")

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Region | None:
        code = _text(value)
        if not code:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise ValueError(f"区划代码 {code} 不存在（请先导入行政区划）")
        return region


class ChoiceLabelWidget(widgets.Widget):
    """A choice written as its Chinese label; the stored value is accepted too."""

    def __init__(self, choices: list[tuple[str, str]], what: str) -> None:
        super().__init__()
        self.by_label = {label: value for value, label in choices}
        self.labels = dict(choices)
        self.what = what

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        text = _text(value)
        if text in self.labels:
            return text
        if text in self.by_label:
            return self.by_label[text]
        allowed = "、".join(self.by_label)
        raise ValueError(f"{self.what}“{text}”不在可选范围内（{allowed}）")

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return self.labels.get(value, value or "")


class OptionalTextWidget(widgets.Widget):
    """Text that is NULL in the database when absent (统一社会信用代码)."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str | None:
        return _text(value) or None

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value or ""


class YearWidget(widgets.IntegerWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        text = _text(value)
        if not text:
            return None
        try:
            return int(float(text))
        except ValueError as exc:
            raise ValueError(f"年度“{text}”应为四位数字") from exc


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel gives 320800 back as 320800.0
    return str(value).strip()


def formula_escaped(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, made inert; other values as they are.

    django-import-export's own escaping (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT) turns
    every cell into text, numbers and blanks too ("None"); this touches text only.
    """
    if isinstance(value, str) and value.startswith("="):
        return value.replace("=", "", 1)
    return value


class SheetExportMixin:
    """An export with a Chinese sheet name; numbers stay numbers, blanks stay empty."""

    sheet_title = ""

    def export(self, *args: Any, **kwargs: Any) -> tablib.Dataset:
        dataset = super().export(*args, **kwargs)
        rows = [[formula_escaped(v) for v in row] for row in dataset]
        out = tablib.Dataset(*rows, headers=dataset.headers)
        out.title = self.sheet_title
        return out


class RegionResource(SheetExportMixin, resources.ModelResource):
    """Regions by code, each with its parent's code (parents come first in the file)."""

    sheet_title = "行政区划"

    code = fields.Field(attribute="code", column_name="区划代码")
    name = fields.Field(attribute="name", column_name="名称")
    level = fields.Field(
        attribute="level",
        column_name="层级",
        widget=ChoiceLabelWidget(Region.Level.choices, "层级"),
    )
    parent = fields.Field(
        attribute="parent", column_name="上级区划代码", widget=RegionCodeWidget()
    )

    class Meta:
        model = Region
        import_id_fields = ("code",)
        fields = ("code", "name", "level", "parent")
        export_order = ("code", "name", "level", "parent")
        skip_unchanged = True
        report_skipped = True

    def get_export_queryset(self, request: Any = None) -> Any:
        return Region.objects.select_related("parent").order_by("path")

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        # Codes typed into Excel come back as numbers.
        row["区划代码"] = _text(row.get("区划代码"))


class AgencyResource(SheetExportMixin, resources.ModelResource):
    """Agencies by (region code, name), with their aliases in one cell."""

    sheet_title = "机关名录"

    region = fields.Field(
        attribute="region", column_name="区划代码", widget=RegionCodeWidget()
    )
    name = fields.Field(attribute="name", column_name="机关名称")
    kind = fields.Field(
        attribute="kind",
        column_name="机关类别",
        widget=ChoiceLabelWidget(Agency.Kind.choices, "机关类别"),
    )
    sector = fields.Field(attribute="sector", column_name="领域")
    credit_code = fields.Field(
        attribute="credit_code",
        column_name="统一社会信用代码",
        widget=OptionalTextWidget(),
    )
    active_from = fields.Field(
        attribute="active_from", column_name="起始年度", widget=YearWidget()
    )
    active_until = fields.Field(
        attribute="active_until", column_name="终止年度", widget=YearWidget()
    )
    aliases = fields.Field(column_name=f"别名（以“{ALIAS_SEPARATOR}”分隔）")

    class Meta:
        model = Agency
        import_id_fields = ("region", "name")
        fields = (
            "region",
            "name",
            "kind",
            "sector",
            "credit_code",
            "active_from",
            "active_until",
            "aliases",
        )
        export_order = fields
        skip_unchanged = True
        report_skipped = True

    def get_export_queryset(self, request: Any = None) -> Any:
        return (
            Agency.objects.select_related("region")
            .prefetch_related("aliases")
            .order_by("region__path", "name")
        )

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        row["区划代码"] = _text(row.get("区划代码"))
        row["机关名称"] = _text(row.get("机关名称"))
        if "领域" in row:
            row["领域"] = _text(row.get("领域"))

    def dehydrate_aliases(self, agency: Agency) -> str:
        return ALIAS_SEPARATOR.join(sorted(a.name for a in agency.aliases.all()))

    def _aliases_in(self, row: Any) -> list[str] | None:
        column = self.fields["aliases"].column_name
        if column not in row:
            return None  # a file without the column leaves aliases alone
        text = _text(row[column]).replace(";", ALIAS_SEPARATOR)
        return sorted({a.strip() for a in text.split(ALIAS_SEPARATOR) if a.strip()})

    def skip_row(
        self,
        instance: Agency,
        original: Agency,
        row: Any,
        import_validation_errors=None,
    ) -> bool:
        wanted = self._aliases_in(row)
        if wanted is not None and original.pk is not None:
            if wanted != sorted(original.aliases.values_list("name", flat=True)):
                return False  # only the aliases changed: still an update
        return super().skip_row(instance, original, row, import_validation_errors)

    def after_save_instance(self, instance: Agency, row: Any, **kwargs: Any) -> None:
        # The file is the registry's word on aliases: add what it lists, drop the rest.
        # A dry run runs inside the import's transaction and is rolled back with it.
        wanted = self._aliases_in(row)
        if wanted is None:
            return
        with transaction.atomic():
            AgencyAlias.objects.filter(agency=instance).exclude(
                name__in=wanted
            ).delete()
            have = set(instance.aliases.values_list("name", flat=True))
            AgencyAlias.objects.bulk_create(
                [AgencyAlias(agency=instance, name=n) for n in wanted if n not in have]
            )

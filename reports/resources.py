"""Flat report figures in and out of CSV and Excel (django-import-export).

One row per current report: agency, region code, year, layout, status, publication date
and the key figures of each table (reports.exporting.summary.selectors.KEY_FIGURES). A row
is matched by natural keys (region code, agency name, year), never by database id. Import
only updates figures of existing reports, through the same service as a hand edit (so "/"
stays "/" and an emptied cell stays blank); it never creates a report, and identification,
status and date columns are read-only. Every row is checked in the dry run and shows its
errors.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from import_export import fields, resources, widgets

from agencies.resources import SheetExportMixin
from reports import schema, selectors
from reports.cell_values import display_text, parse_cell_input
from reports.exporting.summary.selectors import KEY_FIGURES, KeyFigure
from reports.models import AnnualReport
from reports.services import report_cells_update
from reports.workflow import can_edit

FIGURE_PREFIX = "figure_"
NOT_IN_LAYOUT = "本年报的表格版式没有此栏"


def figure_attribute(figure: KeyFigure) -> str:
    return FIGURE_PREFIX + "_".join((figure.table, figure.row, figure.column))


class FigureWidget(widgets.Widget):
    """A figure cell: a number, a not-applicable mark ("/") or empty (blank)."""

    def __init__(self, kind: schema.Kind) -> None:
        super().__init__()
        self.kind = kind

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, float):
            value = repr(value).removesuffix(".0")  # 12.0 from Excel is 12
        text = str(value).strip()
        try:
            parsed = parse_cell_input(text, self.kind)
        except ValueError as exc:
            raise ValueError(str(exc)) from exc
        return parsed if parsed is not None else text

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return "" if value is None else value


def _shown(value: Any, raw: str | None, present: bool) -> Any:
    """A stored cell as the file shows it: the number, the "/" printed, or empty."""
    if not present or (value is None and not (raw or "").strip()):
        return ""
    if value is None:
        return (raw or "").strip()
    return value


class ReportFiguresResource(SheetExportMixin, resources.ModelResource):
    """Current reports as flat rows of key figures (natural keys, Chinese headers)."""

    sheet_title = "年报主要数字"

    agency = fields.Field(attribute="agency__name", column_name="机关", readonly=True)
    region_code = fields.Field(
        attribute="agency__region__code", column_name="区划代码", readonly=True
    )
    region_name = fields.Field(
        attribute="agency__region__name", column_name="区划", readonly=True
    )
    year = fields.Field(
        attribute="report_year__year",
        column_name="年度",
        readonly=True,
        widget=widgets.IntegerWidget(),  # a number in Excel, not text
    )
    layout = fields.Field(column_name="表格版式", readonly=True)
    status = fields.Field(column_name="状态", readonly=True)
    publication_date = fields.Field(
        attribute="publication_date",
        column_name="发布日期",
        readonly=True,
        widget=widgets.DateWidget("%Y-%m-%d"),
    )

    class Meta:
        model = AnnualReport
        fields = (
            "agency",
            "region_code",
            "region_name",
            "year",
            "layout",
            "status",
            "publication_date",
        )
        skip_unchanged = True
        report_skipped = True
        use_natural_foreign_keys = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for figure in KEY_FIGURES:
            name = figure_attribute(figure)
            self.fields[name] = fields.Field(
                attribute=name,
                column_name=figure.label,
                widget=FigureWidget(figure.kind),
            )

    def get_export_order(self) -> tuple[str, ...]:
        return (*self._meta.fields, *(figure_attribute(f) for f in KEY_FIGURES))

    def get_import_order(self) -> tuple[str, ...]:
        return self.get_export_order()

    def get_queryset(self) -> Any:
        return AnnualReport.objects.filter(is_current=True).select_related(
            "agency", "agency__region", "report_year"
        )

    # --- export -----------------------------------------------------------------------

    def export(self, queryset: Any = None, **kwargs: Any) -> Any:
        """The current revision of each (agency, year) in `queryset` (the list's rows):
        the revision this file's import writes to, with its status. A draft after an
        accepted revision is exported, not the accepted one the summary still counts: the
        file is the working copy, one row per report, so an old revision's row can never
        overwrite the current figures on import."""
        if queryset is not None:
            listed = queryset.filter(
                agency_id=OuterRef("agency_id"),
                report_year_id=OuterRef("report_year_id"),
            )
            queryset = (
                self.get_queryset()
                .filter(Exists(listed))
                .order_by("-report_year__year", "agency__name", "pk")
                # Three prefetches per chunk instead of three queries per report.
                .prefetch_related(*selectors.SECTION_PREFETCH)
            )
        return super().export(queryset, **kwargs)

    def export_resource(
        self, instance: AnnualReport, *args: Any, **kwargs: Any
    ) -> list:
        _load_figures(instance)
        return super().export_resource(instance, *args, **kwargs)

    def dehydrate_layout(self, report: AnnualReport) -> str:
        return schema.LAYOUT_LABELS.get(report.layout, report.layout)

    def dehydrate_status(self, report: AnnualReport) -> str:
        return report.get_status_display()

    # --- import -----------------------------------------------------------------------

    def get_instance(self, instance_loader: Any, row: Any) -> AnnualReport | None:
        code = _text(row.get("区划代码"))
        name = _text(row.get("机关"))
        year = _text(row.get("年度"))
        if not (code and name and year.isdigit()):
            raise ValueError("每行须有“机关”“区划代码”和“年度”（四位数字）")
        report = (
            self.get_queryset()
            .filter(
                agency__region__code=code,
                agency__name=name,
                report_year__year=int(year),
            )
            .first()
        )
        if report is None:
            raise ValueError(
                f"区划 {code} 的“{name}”没有 {year} 年度的年报；"
                "本表只更新已有年报的数字，新的年报请通过“导入年报”导入"
            )
        return report

    def after_init_instance(
        self, instance: AnnualReport, new: bool, row: Any, **kwargs: Any
    ) -> None:
        _load_figures(instance)
        instance._figures_before = {
            figure_attribute(f): getattr(instance, figure_attribute(f))
            for f in KEY_FIGURES
        }

    def import_instance(self, instance: AnnualReport, row: Any, **kwargs: Any) -> None:
        errors: dict[str, Any] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        changes = {}
        for figure in KEY_FIGURES:
            name = figure_attribute(figure)
            if name in errors or figure.label not in row:
                continue
            new = getattr(instance, name)
            old = instance._figures_before[name]
            if _same(new, old):
                continue
            if not figure.in_layout(instance.layout):
                errors[name] = ValidationError(f"{NOT_IN_LAYOUT}，应留空")
                continue
            text = display_text(new, None) if new != "" else ""
            value = new if isinstance(new, int | Decimal) else None
            changes[figure.path] = (value, text)
        refusal = _edit_refusal(kwargs.get("user"), instance) if changes else ""
        if refusal:
            errors["status"] = ValidationError(refusal)
        if errors:
            raise ValidationError(errors)
        instance._figure_changes = changes

    def skip_row(
        self,
        instance: AnnualReport,
        original: AnnualReport,
        row: Any,
        import_validation_errors: Any = None,
    ) -> bool:
        if import_validation_errors:
            return False
        return not getattr(instance, "_figure_changes", None)

    def save_instance(
        self, instance: AnnualReport, is_create: bool, row: Any, **kwargs: Any
    ) -> None:
        # Only figures change, through the hand-edit service; the report row itself is
        # not written here (its status and dates have their own workflow).
        changes = getattr(instance, "_figure_changes", None)
        if changes:
            report_cells_update(
                report=instance, changes=changes, user=kwargs.get("user")
            )


def _edit_refusal(user: User | None, report: AnnualReport) -> str:
    """Why `user` may not change this report's figures ("" if they may): the same rule
    as the report page (reports.workflow.can_edit), in words."""
    if user is not None and can_edit(user, report):
        return ""
    if report.withdrawn:
        return "这份年报已撤回，数字不能再改"
    if not report.is_current:
        return f"这是已被取代的第 {report.revision} 版，数字不能再改；请改现行版次"
    if report.status == AnnualReport.Status.ACCEPTED:
        return (
            "这份年报已审核通过，数字不能再改；如需更正，请在年报列表中对它执行"
            "“建立新版次”，在新版次上修改"
        )
    if user is None:
        return ""
    return (
        f"这份年报为“{report.get_status_display()}”，填报单位不能再改数字；"
        "如需更正，请联系审核员退回修改"
    )


def _load_figures(report: AnnualReport) -> None:
    """Set each key figure on the report as the file shows it (uses prefetched rows)."""
    rows = {
        table: {r.row_key: r for r in getattr(report, f"{table}_rows").all()}
        for table in schema.TABLE_KEYS
    }
    for figure in KEY_FIGURES:
        row = rows[figure.table].get(figure.row)
        present = row is not None and row.has_cell(figure.column)
        value = row.value(figure.column) if row is not None else None
        raw = row.raw.get(figure.column) if present else None
        setattr(report, figure_attribute(figure), _shown(value, raw, present))


def _same(new: Any, old: Any) -> bool:
    if isinstance(new, int | Decimal) and isinstance(old, int | Decimal):
        return Decimal(new) == Decimal(old)
    if isinstance(new, int | Decimal) or isinstance(old, int | Decimal):
        return False
    # Both are text: "" (blank) or a not-applicable mark; any mark equals any other.
    return (new == "") == (old == "")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()

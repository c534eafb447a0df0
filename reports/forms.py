"""The report form of the admin: the report's fields plus one input per table cell."""

from __future__ import annotations

from fnmatch import fnmatch
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from reports import schema
from reports.cell_values import (
    STATE_LABELS,
    CellState,
    cell_state,
    display_text,
    parse_cell_input,
)
from reports.core.issues import SEVERITY_RANK
from reports.editing import EDITABLE_FIELDS, CellChanges, EditConflict, report_lock
from reports.models import AnnualReport, SectionRow
from reports.paper_form import GridTable, grids_for

FIELD_PREFIX = "cell__"


def field_name(path: str) -> str:
    return FIELD_PREFIX + path.replace(".", "__")


class ReportForm(forms.ModelForm):
    """AnnualReport fields, and for an existing report the grid of its three tables."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    source_url = forms.URLField(
        label="来源网址", max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = AnnualReport
        # What a hand edit may change; the status moves only through the workflow (the
        # admin shows it read-only).
        fields = list(EDITABLE_FIELDS)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.grid_tables: list[GridTable] = []
        self._kinds: dict[str, schema.Kind] = {}
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
            self._add_grid(self.instance)

    def _add_grid(self, report: AnnualReport) -> None:
        rows: dict[str, dict[str, SectionRow]] = {
            "table2": {r.row_key: r for r in report.table2_rows.all()},
            "table3": {r.row_key: r for r in report.table3_rows.all()},
            "table4": {r.row_key: r for r in report.table4_rows.all()},
        }
        one_row_other = schema.OTHER_ONE_ROW in rows["table3"]
        tables = schema.tables_for(report.layout, one_row_other=one_row_other)
        uncertain = list(report.uncertain_cells or [])
        flagged = _flagged_cells(report)
        self.grid_tables = grids_for(report.layout, one_row_other=one_row_other)
        for grid in self.grid_tables:
            for cell in grid.inputs():
                table, row_key, column = cell.path.split(".")
                kind = tables[table].row(row_key).column(column).kind
                self._kinds[cell.path] = kind
                row = rows[table].get(row_key)
                present = row is not None and row.has_cell(column)
                value = row.value(column) if row is not None else None
                raw = row.raw.get(column) if row is not None and present else None
                state = cell_state(value, raw, present=present)
                name = field_name(cell.path)
                self.fields[name] = forms.CharField(
                    required=False,
                    strip=False,
                    label=schema.cell_label(table, row_key, column, report.layout),
                    initial=display_text(value, raw) if present else "",
                    widget=forms.TextInput(
                        attrs={
                            "class": f"cell cell-{state}",
                            "size": 6,
                            "title": _title(state, row, column),
                            "placeholder": "缺" if state == CellState.MISSING else "",
                            "aria-label": schema.cell_label(
                                table, row_key, column, report.layout
                            ),
                        }
                    ),
                )
                cell.state = str(state)
                # For the read-only grid and the print view.
                cell.display = display_text(value, raw) if present else ""
                cell.title = _title(state, row, column)
                if any(fnmatch(cell.path, pattern) for pattern in uncertain):
                    cell.css = "uncertain"
                if cell.path in flagged:
                    cell.css = f"{cell.css} finding-{flagged[cell.path]}".strip()
                cell.field = self[name]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what ModelForm.clean returns
        self._check_version(cleaned.get("expected_version"))
        self._check_unique(cleaned)
        self.cell_changes: CellChanges = {}
        for path, kind in self._kinds.items():
            name = field_name(path)
            if name not in self.changed_data:
                continue
            text = self.data.get(self.add_prefix(name), "")
            try:
                value = parse_cell_input(text, kind)
            except ValueError as exc:
                self.add_error(
                    name, ValidationError(f"{self.fields[name].label}：{exc}")
                )
                continue
            self.cell_changes[path] = (value, text.strip())
        return cleaned

    def _check_version(self, seen: int | None) -> None:
        """No lost updates: lock the row and refuse a save based on an older version.

        The admin validates and saves in one transaction, so the lock holds until the
        editing service has bumped the version.
        """
        if not self.instance.pk:
            return
        try:
            report_lock(pk=self.instance.pk, expected_version=seen or 0)
        except EditConflict as exc:
            raise ValidationError(str(exc), code="conflict") from exc

    def _siblings(self) -> QuerySet[AnnualReport]:
        """The other revisions of this report (same agency and year as stored)."""
        stored = AnnualReport.objects.get(pk=self.instance.pk)
        return AnnualReport.objects.filter(
            agency_id=stored.agency_id, report_year_id=stored.report_year_id
        ).exclude(pk=stored.pk)

    def _check_unique(self, cleaned: dict[str, Any]) -> None:
        """One report per agency and year: name the one already on file, in the form."""
        agency, year = cleaned.get("agency"), cleaned.get("report_year")
        if agency is None or year is None:
            return
        if self.instance.pk and not {"agency", "report_year"} & set(self.changed_data):
            return
        siblings = self._siblings().count() if self.instance.pk else 0
        if siblings:
            # Moving one revision would leave the others without a current one.
            self.add_error(
                "report_year" if "report_year" in self.changed_data else "agency",
                ValidationError(
                    f"这份年报共有 {siblings + 1} 个版次，"
                    "不能只把其中一个版次改到其他机关或年度。"
                    "如机关或年度填错，请撤回这份年报后重新导入或新建。",
                    code="has_revisions",
                ),
            )
            return
        existing = (
            AnnualReport.objects.filter(agency=agency, report_year=year)
            .exclude(pk=self.instance.pk)
            .order_by("-revision")
            .first()
        )
        if existing is None:
            return
        withdrawn = "，已撤回" if existing.withdrawn else ""
        self.add_error(
            "report_year",
            ValidationError(
                f"{agency.name} 已有 {year.year} 年度的年报（第 {existing.revision} 版，"
                f"{existing.get_status_display()}{withdrawn}），同一机关同一年度只能有一份年报。"
                "请在列表中打开那份年报修改，或选择其他年度。",
                code="duplicate",
            ),
        )


def _flagged_cells(report: AnnualReport) -> dict[str, str]:
    """Cell path -> the most severe active finding's severity (findings are prefetched)."""
    rank = SEVERITY_RANK
    flagged: dict[str, str] = {}
    for finding in report.findings.all():
        for cell in finding.cells:
            path = cell.get("path", "")
            if rank.get(finding.severity, 0) > rank.get(flagged.get(path, ""), 0):
                flagged[path] = finding.severity
    return flagged


def _title(state: CellState, row: SectionRow | None, column: str) -> str:
    """Hover text: what the cell is, and where in the source it was read."""
    parts = [STATE_LABELS[state]]
    if row is not None:
        raw = row.raw.get(column)
        if raw is not None and state != CellState.MISSING:
            parts.append(f"原文：“{raw}”")
        where = row.provenance.get(column, {})
        if where.get("page"):
            parts.append(f"第 {where['page']} 页")
        if where.get("note"):
            parts.append(where["note"])
    return "；".join(parts)

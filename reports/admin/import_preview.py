"""What the import preview shows of one parsed report: the agency matched in the
registry, warnings in words, the read-only grid, and what confirming would do."""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatch

from django.contrib.auth.models import User

from agencies.models import Agency
from agencies.scope import Scope
from agencies.services import AgencyNotFound, agency_candidates, agency_find
from reports import schema
from reports.admin.import_forms import ReportChoiceForm
from reports.cell_values import STATE_LABELS, CellState, cell_state, display_text
from reports.core.issues import Issue
from reports.core.parsed import ParsedReport, ParseWarning
from reports.importing import errors
from reports.importing.interchange import MAX_YEAR, MIN_YEAR
from reports.importing.mapping import identity_warnings
from reports.importing.plan import current_report, import_plan
from reports.importing.years import year_refusal
from reports.models import AnnualReport
from reports.paper_form import GridTable, grids_for


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
class PreviewOutcome:
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
    outcome: PreviewOutcome = field(
        default_factory=lambda: PreviewOutcome("pending", "")
    )
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


# --- helpers ------------------------------------------------------------------------------------


def match_agency(name: str, scope: Scope) -> tuple[Agency | None, str, list[Agency]]:
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


def carried_over(parsed: ParsedReport, agency: Agency | None) -> AnnualReport | None:
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


def warning_views(parsed: ParsedReport) -> list[WarningView]:
    """The importer's warnings plus any failing identity it did not report (JSON input)."""
    failing = identity_warnings.check(parsed)
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


def preview_grid(parsed: ParsedReport, warnings: list[WarningView]) -> list[GridTable]:
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


def preview_outcome(item: PreviewItem, user: User) -> PreviewOutcome:
    """What confirming would do, for the agency and year chosen (or found) so far."""
    form = item.form
    if form.is_bound:
        if not form.is_valid():
            return PreviewOutcome("pending", "待改正下面标出的错误")
        choice = form.cleaned_data
    else:
        choice = {k: form.get_initial_for_field(f, k) for k, f in form.fields.items()}
    if not choice.get("include"):
        return PreviewOutcome("excluded", "不导入")
    year = choice.get("year")
    if choice.get("agency_action") == ReportChoiceForm.CREATE:
        if not choice.get("new_region"):
            return PreviewOutcome("pending", "待填写新建机关的所属区划")
        return PreviewOutcome("created", "新建年报（同时在名录中新建机关）")
    agency = choice.get("agency")
    if agency is None:
        return PreviewOutcome("pending", "待选择机关")
    if year is None:
        return PreviewOutcome("pending", "待填写年度")
    if refusal := year_refusal(year):
        return PreviewOutcome("pending", refusal)
    plan = import_plan(
        current=current_report(agency, year),
        sha256=item.report.source.sha256,
        user=user,
    )
    return PreviewOutcome(plan.action, plan.label, plan.current)

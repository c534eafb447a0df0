"""The 总览 admin page: who has not reported, who is late, where the problems are.

Thin: read the year and region from the query string, ask the selectors for each panel,
and lay the numbers out as tables whose every number links to the list it counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.safestring import mark_safe

from agencies.models import Region
from reports.core.issues import SEVERITY_LABELS
from reports.models import AnnualReport, ReportYear
from reports.overview import charts, selectors
from reports.overview import expressions as ex
from reports.overview.links import Links
from reports.overview.scope import region_resolve, region_scope_for
from reports.overview.selectors import Place

INDENT: dict[str, str] = {
    Region.Level.CITY: "　",
    Region.Level.COUNTY: "　　",
    Region.Level.TOWNSHIP: "　　　",
}


# --- what the template lays out -----------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A number and the list behind it (text figures have no URL)."""

    value: int | str
    url: str = ""
    css: str = ""
    note: str = ""


@dataclass(frozen=True)
class Line:
    """A row of a figure table: a region, an agency kind or a year, and its figures."""

    label: str
    cells: list[Figure]
    url: str = ""  # drill-down into this region
    css: str = ""
    hint: str = ""


@dataclass(frozen=True)
class FigureTable:
    """A table of figures with its caption, the head of its label column and its columns
    (not the paper form's grid: that is reports.paper_form)."""

    caption: str
    head: str
    columns: list[str]
    lines: list[Line] = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class Panel:
    """A section of the page: its heading, a note, tables and charts."""

    key: str
    title: str
    grids: list[FigureTable]
    note: str = ""
    charts: list[tuple[str, str]] = field(default_factory=list)


def _count(value: int, url: str, css: str = "", note: str = "") -> Figure:
    # A zero in a warning column is good news: only non-zero ones are highlighted.
    return Figure(value, url, css if value else "", note)


# --- the view -----------------------------------------------------------------------------


def overview_view(site: admin.AdminSite, request: HttpRequest) -> HttpResponse:
    """Coverage, review progress, open findings and trends for a year and region.

    A page of the admin site (config/admin_site.py); whoever may view the reports in the
    admin may view it."""
    if not site.get_model_admin(AnnualReport).has_view_permission(request):
        raise PermissionDenied
    context = {
        **site.each_context(request),
        "title": "总览",
        "opts": AnnualReport._meta,
    }
    years = selectors.report_years()
    if not years:
        return TemplateResponse(request, "admin/reports/overview.html", context)
    year = next((y for y in years if str(y.year) == request.GET.get("year")), years[0])
    scope = region_scope_for(request.user)
    chosen = region_resolve(request.GET.get("region"), scope)
    regions = selectors.region_view(scope=scope, chosen=chosen)
    deadlines = selectors.deadlines_for(years)
    today = timezone.localdate()
    links = Links(year, chosen)

    rows = selectors.standings(
        year=year, regions=regions, deadlines=deadlines, today=today
    )
    coverage = selectors.coverage(rows=rows, regions=regions)
    progress = selectors.review_progress(rows=rows, regions=regions)
    findings = selectors.open_findings(year=year, regions=regions)
    trends = selectors.trends(year=year, regions=regions, collected=years)
    context.update(
        year=year,
        years=years,
        region=chosen,
        scope=scope,
        region_options=[
            (r.code, f"{INDENT.get(r.level, '')}{r.name}") for r in regions.options
        ],
        breadcrumbs=_breadcrumbs(regions, scope, links),
        today=today,
        headline=_headline(coverage.total, progress, findings, links),
        panels=[
            Panel(
                "coverage",
                "报送情况",
                _coverage_grids(coverage, links),
                note=_deadline_note(year, deadlines, today),
            ),
            Panel("progress", "审核进度", [_progress_grid(progress, links)]),
            Panel(
                "findings",
                "审核发现（未了结：待处理或已确认）",
                [_rule_grid(findings, links), _finding_place_grid(findings, links)],
            ),
            Panel(
                "trends",
                "历年趋势",
                [_trend_grid(trends, years, chosen)],
                charts=_trend_charts(trends, years, chosen),
            ),
        ],
    )
    return TemplateResponse(request, "admin/reports/overview.html", context)


def _breadcrumbs(
    regions: selectors.RegionView, scope: Region | None, links: Links
) -> list[tuple[str, str]]:
    crumbs = [] if scope else [("全部地区", links.overview())]
    for region in regions.ancestors:
        if scope is None or region.path.startswith(scope.path):
            crumbs.append((region.name, links.overview(region=region.code)))
    if regions.chosen is not None:
        crumbs.append((regions.chosen.name, ""))
    elif crumbs:
        crumbs[-1] = (crumbs[-1][0], "")
    return crumbs


def _deadline_note(year: ReportYear, deadlines, today) -> str:
    note = (
        f"{year.year}年度报送截止日：政府工作部门等 {year.department_deadline:%Y-%m-%d}，"
        f"各级人民政府、乡镇街道 {year.government_deadline:%Y-%m-%d}"
    )
    if any(y == year.year for _, y, _ in deadlines.overrides):
        note += "（部分地区另定截止日，已按地区计算）"
    if today <= year.government_deadline:
        note += (
            f"。今天 {today:%Y-%m-%d}，尚未到截止日的机关计为“未到截止日”，不算未报送"
        )
    return note + "。"


def _headline(total, progress, findings, links: Links) -> list[tuple[str, Figure]]:
    errors = findings.total.get("error", 0)
    accepted = progress.total.get(AnnualReport.Status.ACCEPTED, 0)
    return [
        ("应报机关", Figure(total.due, links.agencies())),
        (
            "已报送",
            Figure(
                total.received,
                links.reports(timeliness="received"),
                note=f"{total.rate:.0f}%" if total.rate is not None else "",
            ),
        ),
        (
            "逾期报送",
            _count(total.count(ex.LATE), links.reports(timeliness=ex.LATE), "warn"),
        ),
        (
            "未报送（已过截止日）",
            _count(total.count(ex.MISSING), links.agencies(coverage=ex.MISSING), "bad"),
        ),
        (
            "审核通过",
            Figure(accepted, links.reports(status__exact=AnnualReport.Status.ACCEPTED)),
        ),
        (
            "未了结的错误",
            _count(errors, links.findings(severity__exact="error"), "bad"),
        ),
    ]


def _coverage_columns(total: selectors.CoverageRow) -> list[str]:
    """Optional columns only when something is in them (no column of zeros)."""
    keys = [ex.ON_TIME, ex.LATE]
    if total.count(ex.UNDATED):
        keys.append(ex.UNDATED)
    keys.append(ex.MISSING)
    if total.count(ex.NOT_DUE):
        keys.append(ex.NOT_DUE)
    return keys


_COVERAGE_CSS = {ex.LATE: "warn", ex.MISSING: "bad", ex.UNDATED: "warn"}
_COVERAGE_HEADS = {
    ex.ON_TIME: "按时",
    ex.LATE: "逾期",
    ex.UNDATED: "未填发布日期",
    ex.MISSING: "未报送（已过截止日）",
    ex.NOT_DUE: "未到截止日",
}


def _coverage_cells(
    row: selectors.CoverageRow, keys: Sequence[str], place: Place | None, **where
) -> list[Figure]:
    links: Links = where.pop("links")
    kind = where.pop("kind", None)
    agency_kind = {"kind__exact": kind} if kind else {}
    report_kind = {"kind": kind} if kind else {}
    cells = [
        Figure(row.due, links.agencies(place, **agency_kind)),
        Figure(
            row.received,
            links.reports(place, timeliness="received", **report_kind),
            note=f"{row.rate:.0f}%" if row.rate is not None else "",
        ),
    ]
    for key in keys:
        if key in ex.RECEIVED:
            url = links.reports(place, timeliness=key, **report_kind)
        else:
            url = links.agencies(place, coverage=key, **agency_kind)
        cells.append(_count(row.count(key), url, _COVERAGE_CSS.get(key, "")))
    return cells


def _coverage_grids(coverage: selectors.Coverage, links: Links) -> list[FigureTable]:
    keys = _coverage_columns(coverage.total)
    columns = ["应报机关", "已报送（报送率）", *(_COVERAGE_HEADS[k] for k in keys)]
    total = Line(
        "合计", _coverage_cells(coverage.total, keys, None, links=links), css="total"
    )
    by_place = FigureTable(
        "按地区",
        "地区",
        columns,
        [
            Line(
                place.name,
                _coverage_cells(row, keys, place, links=links),
                url="" if place.own else links.overview(region=place.code),
                css="own" if place.own else "",
                hint="" if place.own else "查看下级",
            )
            for place, row in coverage.by_place
        ]
        + [total],
    )
    by_kind = FigureTable(
        "按机关类别",
        "机关类别",
        columns,
        [
            Line(row.label, _coverage_cells(row, keys, None, links=links, kind=row.key))
            for row in coverage.by_kind
        ]
        + [total],
    )
    return [by_place, by_kind]


def _progress_grid(progress: selectors.ReviewProgress, links: Links) -> FigureTable:
    def cells(counts: dict[str, int], place: Place | None) -> list[Figure]:
        return [
            Figure(counts.get(status, 0), links.reports(place, status__exact=status))
            for status, _ in progress.statuses
        ] + [Figure(sum(counts.values()), links.reports(place))]

    return FigureTable(
        "按地区（现行版次年报，按审核状态）",
        "地区",
        [label for _, label in progress.statuses] + ["合计"],
        [
            Line(place.name, cells(counts, place), css="own" if place.own else "")
            for place, counts in progress.by_place
        ]
        + [Line("合计", cells(progress.total, None), css="total")],
    )


def _rule_grid(findings: selectors.OpenFindings, links: Links) -> FigureTable:
    return FigureTable(
        "按规则",
        "规则",
        ["严重程度", "未了结"],
        [
            Line(
                f"{r.rule}　{r.title}",
                [
                    Figure(
                        SEVERITY_LABELS.get(r.severity, r.severity),
                        css=f"sev-{r.severity}",
                    ),
                    Figure(
                        r.count, links.findings(rule=r.rule, severity__exact=r.severity)
                    ),
                ],
            )
            for r in findings.by_rule
        ],
        note=""
        if findings.by_rule
        else "本年度没有未了结的审核发现（若尚未运行审核，请先运行）。",
    )


def _finding_place_grid(findings: selectors.OpenFindings, links: Links) -> FigureTable:
    def cells(counts: dict[str, int], place: Place | None) -> list[Figure]:
        return [
            _count(
                counts.get(s, 0),
                links.findings(place, severity__exact=s),
                "bad" if s == "error" else "",
            )
            for s in selectors.SEVERITIES
        ] + [Figure(sum(counts.values()), links.findings(place))]

    return FigureTable(
        "按地区（错误多的在前）",
        "地区",
        [SEVERITY_LABELS[s] for s in selectors.SEVERITIES] + ["合计"],
        [
            Line(place.name, cells(counts, place), css="own" if place.own else "")
            for place, counts in findings.by_place
        ]
        + [Line("合计", cells(findings.total, None), css="total")],
    )


# --- trends -------------------------------------------------------------------------------


def _year_urls(
    trends: selectors.Trends, years: Sequence[ReportYear], region: Region | None
) -> list[str]:
    by_year = {y.year: y for y in years}
    return [
        Links(by_year[y], region).reports() if y in by_year else ""
        for y in trends.years
    ]


def _trend_charts(
    trends: selectors.Trends, years: Sequence[ReportYear], region: Region | None
) -> list[tuple[str, str]]:
    labels = [f"{y}" for y in trends.years]
    urls = _year_urls(trends, years, region)
    where = region.name if region else "全部地区"
    made = [
        (
            "本年新收政府信息公开申请",
            charts.bar_chart(
                chart_id="chart-applications",
                title=f"{where}历年新收政府信息公开申请数量",
                labels=labels,
                values=trends.applications,
                urls=urls,
            ),
        ),
        (
            "办理结果构成",
            charts.stacked_bar_chart(
                chart_id="chart-outcomes",
                title=f"{where}历年申请办理结果构成",
                labels=labels,
                series=[
                    charts.Series(label, trends.outcomes[key])
                    for key, label in selectors.OUTCOMES
                ],
                urls=urls,
            ),
        ),
        (
            "行政复议、行政诉讼",
            charts.line_chart(
                chart_id="chart-reviews",
                title=f"{where}历年政府信息公开行政复议、行政诉讼案件数",
                labels=labels,
                series=[
                    charts.Series(label, trends.reviews[key])
                    for key, label in selectors.REVIEW_BLOCKS
                ],
                urls=urls,
            ),
        ),
    ]
    # The SVG is built by reports.overview.charts, which escapes every text it writes.
    return [(caption, mark_safe(svg)) for caption, svg in made]


def _or_dash(value: int | None) -> int | str:
    """A sum, or a dash where there is none (never 0 in its place)."""
    return "—" if value is None else value


def _trend_grid(
    trends: selectors.Trends, years: Sequence[ReportYear], region: Region | None
) -> FigureTable:
    urls = _year_urls(trends, years, region)
    series = [
        ("年报份数", trends.reports),
        ("新收申请", trends.applications),
        *((label, trends.outcomes[key]) for key, label in selectors.OUTCOMES),
        ("行政复议", trends.reviews["review"]),
        ("诉讼·直接起诉", trends.reviews["litigation_direct"]),
        ("诉讼·复议后起诉", trends.reviews["litigation_after_review"]),
    ]
    lines = []
    for i, on_year in enumerate(trends.years):
        if trends.reports[i] is None:
            cells = [Figure("—", css="nodata") for _ in series]
            lines.append(Line(f"{on_year}", cells, hint="未设该报告年度"))
        else:
            lines.append(
                Line(
                    f"{on_year}",
                    [Figure(_or_dash(values[i]), urls[i]) for _, values in series],
                )
            )
    return FigureTable(
        "历年数据（表三、表四合计；点击数字查看该年度年报）",
        "年度",
        [label for label, _ in series],
        lines,
        note="“其他处理”含 2019 版的（六）其他处理一行与 2021 版（六）下三行；"
        "“无数据”表示该年度未设报告年度，不是 0。",
    )

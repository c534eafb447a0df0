"""What importing a file for an agency and year would do, under the review workflow.

One rule for the admin's preview, its confirmation and the import command: a new report
is created; the same file again is skipped; over a report under review a filer is refused
(the reviewer decides), over an accepted report a new draft revision is started (as
建立新版次 does) while the accepted one stays in force; anything else is replaced by a new
revision. `replace` (import_reports --allow-replace, administrators) overrides the
workflow and is recorded in the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.contrib.auth.models import User
from django.db.models import Max

from agencies.models import Agency, Membership
from reports.models import AnnualReport, ReportTransition

Status = AnnualReport.Status
Action = Literal["created", "revised", "drafted", "skipped", "refused"]
# Not editable by a filer (reports.workflow.FILER_EDITABLE): the reviewer has the report.
UNDER_REVIEW = frozenset({Status.SUBMITTED, Status.IN_REVIEW})


@dataclass(frozen=True)
class ImportPlan:
    """What saving would do: the action, in words, and the current report it concerns."""

    action: Action
    label: str
    current: AnnualReport | None = None
    status: str = ""  # the new revision's workflow state ("" = as the import asks)
    in_force: bool = True  # whether the new revision counts at once


def current_report(agency: Agency, year: int) -> AnnualReport | None:
    """The current revision of an agency's report for a year, if there is one."""
    return (
        AnnualReport.objects.filter(
            agency=agency, report_year__year=year, is_current=True
        )
        .select_related("agency__region", "report_year")
        .first()
    )


def import_plan(
    *,
    current: AnnualReport | None,
    sha256: str,
    user: User | None,
    replace: bool = False,
) -> ImportPlan:
    """What importing a file (fingerprint `sha256`) over `current` does for `user`
    (None: the import command, run by an administrator)."""
    if current is None:
        return ImportPlan("created", "新建年报")
    if sha256 and current.source_sha256 == sha256:
        return ImportPlan("skipped", "跳过（同一文件已导入）", current)
    number = next_revision(current)
    if replace:
        return ImportPlan(
            "revised",
            f"替换为第 {number} 版（--allow-replace，不经审核流程）",
            current,
            in_force=current.in_force,
        )
    if current.status == Status.ACCEPTED and not current.withdrawn:
        return ImportPlan(
            "drafted",
            f"新版次草稿（第 {number} 版）；审核通过的第 {current.revision} 版"
            "在新版次审核通过前继续有效",
            current,
            status=Status.DRAFT,
            in_force=False,
        )
    if current.status in UNDER_REVIEW and not current.withdrawn:
        refusal = _review_refusal(current, user)
        if refusal:
            return ImportPlan("refused", refusal, current)
        return ImportPlan(
            "revised",
            f"新版本（第 {number} 版；现行第 {current.revision} 版保留为旧版本），"
            f"仍为“{current.get_status_display()}”",
            current,
            status=current.status,
            in_force=current.in_force,
        )
    return ImportPlan(
        "revised",
        f"新版本（第 {number} 版；现行第 {current.revision} 版保留为旧版本）",
        current,
        in_force=current.in_force,
    )


def next_revision(current: AnnualReport) -> int:
    """The number the next revision of this agency's report for the year gets."""
    latest = AnnualReport.objects.filter(
        agency_id=current.agency_id, report_year_id=current.report_year_id
    ).aggregate(n=Max("revision"))["n"]
    return (latest or 0) + 1


def _review_refusal(current: AnnualReport, user: User | None) -> str:
    """Why this importer may not replace a report under review ("" if they may): a
    reviewer may (the new revision keeps the state); a filer never; the command only
    while the report waits to be taken up (已提交)."""
    if user is not None and user.has_perm("reports.review_annualreport"):
        return ""
    if user is None and current.status == Status.SUBMITTED:
        return ""
    state = current.get_status_display()
    advice = (
        "如需更换文件，请联系审核员退回修改后再导入。"
        if user is not None
        else "确需替换时，管理员可加 --allow-replace（记入变更记录）。"
    )
    return (
        f"{current.agency.name} {current.report_year.year} 年度报告"
        f"（第 {current.revision} 版）为“{state}”，{reviewed_by(current)}，"
        f"导入不能替换它。{advice}"
    )


def reviewed_by(report: AnnualReport) -> str:
    """Who reviews the report, in words: the reviewer who took it up, else the
    reviewers whose region holds the agency, else the province."""
    taken = (
        ReportTransition.objects.filter(report=report, to_status=Status.IN_REVIEW)
        .select_related("user")
        .order_by("-at")
        .first()
    )
    if taken is not None and taken.user is not None:
        return f"由审核员 {_person(taken.user)} 审核"
    path = report.agency.region.path
    reviewers = [
        m
        for m in Membership.objects.filter(role=Membership.Role.CITY_REVIEWER)
        .select_related("user", "region")
        .order_by("user__username")
        if m.region is not None and path.startswith(m.region.path)
    ]
    if reviewers:
        names = "、".join(_person(m.user) for m in reviewers[:3])
        region = reviewers[0].region
        assert region is not None  # the list keeps only members with a region
        return f"由{region.name}的审核员（{names}）审核"
    return "由省级管理员审核"


def _person(user: User) -> str:
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or user.get_username()

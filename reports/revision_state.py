"""Which revision of a report counts, in words a reviewer reads on the page and the print.

Two flags tell a revision's place: `is_current` (the newest, the one being worked on) and
`in_force` (生效版次: the one the summary, the overview and the audit use). After an
accepted 第1版, a new 第2版 is current but not in force until it is accepted; meanwhile
第1版 is still in force and must not read as superseded.
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.models import AnnualReport


@dataclass(frozen=True)
class RevisionNote:
    """The banner of one revision; `superseded` marks a revision kept only for reference."""

    text: str
    superseded: bool = False


def revision_state(report: AnnualReport) -> str:
    """Short state: 现行，生效 / 现行，尚未生效 / 生效中（有新版次）/ 旧版次，with 已撤回."""
    if report.is_current:
        state = "现行，生效" if report.in_force else "现行，尚未生效"
    else:
        state = "生效中，已有新版次" if report.in_force else "旧版次，已被取代"
    if report.withdrawn:
        state += "，已撤回"
    return state


def revision_label(report: AnnualReport) -> str:
    """第 2 版（现行，尚未生效）, 第 1 版（生效中，已有新版次）, 第 1 版（旧版次，已被取代）."""
    return f"第 {report.revision} 版（{revision_state(report)}）"


def revision_note(report: AnnualReport) -> RevisionNote | None:
    """The banner above a revision's page: which revision counts, and which is being worked
    on; None for a lone first revision (nothing to tell)."""
    if report.revision == 1 and report.is_current and report.in_force:
        return None  # a later revision would be the current one: this one has none
    siblings = list(
        AnnualReport.objects.filter(
            agency_id=report.agency_id, report_year_id=report.report_year_id
        )
        .exclude(pk=report.pk)
        .only("pk", "revision", "status", "is_current", "in_force")
    )
    current = next((r for r in siblings if r.is_current), None)
    in_force = next((r for r in siblings if r.in_force), None)
    head = f"第 {report.revision} 版：{report.get_status_display()}"
    if report.in_force and report.is_current:
        if not siblings:
            return None
        return RevisionNote(f"{head}，现行版本，生效中（此前的版次保留为旧版次）。")
    if report.in_force:
        tail = (
            f"；第 {current.revision} 版正在修改（{current.get_status_display()}），"
            "审核通过后取代本版"
            if current is not None
            else ""
        )
        return RevisionNote(f"{head}，生效中{tail}。")
    if report.is_current:
        tail = (
            f"；审核通过前，汇总、总览和审核采用第 {in_force.revision} 版"
            f"（{in_force.get_status_display()}）"
            if in_force is not None
            else ""
        )
        return RevisionNote(f"{head}，现行版本，尚未生效{tail}。")
    counts = f"，生效版次为第 {in_force.revision} 版" if in_force is not None else ""
    return RevisionNote(
        f"第 {report.revision} 版：已由新版次取代{counts}，仅供查阅。", superseded=True
    )

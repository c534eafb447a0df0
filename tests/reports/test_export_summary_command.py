"""export_summary (command) and the admin action: the same workbook, errors in Chinese."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from reports.exporting.summary.workbook import SUMMARY_SHEETS
from reports.models import AnnualReport

pytestmark = pytest.mark.django_db


def test_command_writes_the_workbook_for_a_region(demo, tmp_path: Path) -> None:
    output = tmp_path / "汇总.xlsx"
    err = io.StringIO()
    call_command(
        "export_summary", year=2024, region="320800", output=str(output), stderr=err
    )
    workbook = load_workbook(output)
    assert workbook.sheetnames == list(SUMMARY_SHEETS)
    listed = [
        r for r in workbook["汇总"].iter_rows(min_row=3, values_only=True) if r[0]
    ]
    expected = AnnualReport.objects.filter(
        is_current=True,
        report_year__year=2024,
        agency__region__path__startswith="/320000/320800/",
    ).count()
    assert len(listed) == expected > 0
    assert all(str(r[1]).startswith("3208") for r in listed)


def test_command_filters_by_status(demo, tmp_path: Path) -> None:
    output = tmp_path / "s.xlsx"
    call_command(
        "export_summary",
        year=2024,
        status="accepted",
        output=str(output),
        stderr=io.StringIO(),
    )
    listed = [
        r
        for r in load_workbook(output)["汇总"].iter_rows(min_row=3, values_only=True)
        if r[0]
    ]
    assert {r[5] for r in listed} <= {"审核通过"}
    assert (
        len(listed)
        == AnnualReport.objects.filter(
            is_current=True, report_year__year=2024, status="accepted"
        ).count()
    )


def test_unknown_region_is_a_chinese_error(demo, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="没有区划代码为 999999 的区划"):
        call_command(
            "export_summary",
            year=2024,
            region="999999",
            output=str(tmp_path / "x.xlsx"),
        )


def test_output_must_be_xlsx(demo, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="xlsx"):
        call_command("export_summary", year=2024, output=str(tmp_path / "x.csv"))


def test_admin_action_returns_the_workbook(demo, admin_client_logged_in) -> None:
    chosen = list(
        AnnualReport.objects.filter(report_year__year=2024, is_current=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:5]
    )
    response = admin_client_logged_in.post(
        reverse("admin:reports_annualreport_changelist"),
        {"action": "export_summary_xlsx", "_selected_action": chosen},
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    listed = [
        r for r in workbook["汇总"].iter_rows(min_row=3, values_only=True) if r[0]
    ]
    assert len(listed) == 5
    assert "后台所选 5 份年报" in str(workbook["说明"]["B3"].value)


def test_admin_action_refuses_mixed_years(demo, admin_client_logged_in) -> None:
    chosen = [
        AnnualReport.objects.filter(report_year__year=year).values_list(
            "pk", flat=True
        )[0]
        for year in (2023, 2024)
    ]
    response = admin_client_logged_in.post(
        reverse("admin:reports_annualreport_changelist"),
        {"action": "export_summary_xlsx", "_selected_action": chosen},
        follow=True,
    )
    assert "请只选择同一年度的年报" in response.content.decode()

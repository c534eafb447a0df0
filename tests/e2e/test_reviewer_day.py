"""A city reviewer's whole day in a real browser, and a scanned PDF refused at import.

The day: log in, import the published 洪泽区 2023 PDF, read its preview, confirm, audit it,
see the findings on the report page, return it with a reason, let the agency read the
reason and resubmit, accept it, export the summary workbook and open the overview.
"""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from PIL import Image, ImageDraw

from agencies.models import Agency, Membership, Region
from reports.importing import errors
from reports.models import AnnualReport
from tests.e2e.conftest import (
    CHANGELIST,
    Steps,
    find_report,
    login,
    logout,
    messages,
    open_report,
    run_action,
    user_with_role,
)

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

# Collected by every `pytest` run: without Playwright installed this module skips.
expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e

REAL_PDF = "real/hzq2023_working.pdf"
REASON = "表四行政复议、复议后起诉的总计与各项之和不符，请核对原文后修改并重新提交。"


def _truth(document: Path) -> dict:
    return json.loads(document.with_name(document.name + ".truth.json").read_text())


def _cell(page: Page, path: str) -> Locator:
    """A read-only or editable grid cell by its path (table.row.column)."""
    return page.locator(f"td[data-path='{path}']")


def _status_of(page: Page, report_pk: int) -> str:
    """The status column of one report on the list."""
    row = page.locator(f"tr:has(input.action-select[value='{report_pk}'])")
    return row.locator("td.field-status").inner_text().strip()


def _scanned_pdf() -> bytes:
    """An image-only PDF: a ruled table drawn as pixels, no text layer at all."""
    image = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(image)
    for y in range(300, 1500, 60):
        draw.line([(100, y), (1140, y)], fill="black", width=2)
    for x in (100, 500, 700, 900, 1140):
        draw.line([(x, 300), (x, 1440)], fill="black", width=2)
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=150)
    return buffer.getvalue()


def test_reviewer_day(corpus_dir: Path, page: Page, steps: Steps) -> None:
    call_command("seed_demo", stdout=io.StringIO())
    agency = Agency.objects.get(name="洪泽区人民政府")
    user_with_role(
        "shenhe",
        Membership.Role.CITY_REVIEWER,
        region=Region.objects.get(code="320800"),
    )
    user_with_role("hongze", Membership.Role.AGENCY_FILER, agency=agency)
    document = corpus_dir / REAL_PDF
    truth = _truth(document)

    # Log in through the real form.
    page.goto("/admin/")
    steps.shot(page, "login")
    login(page, "shenhe")
    expect(page.locator(".overview-card")).to_contain_text("总览")
    steps.shot(page, "index")

    # Upload the published PDF.
    page.goto(CHANGELIST)
    page.click("text=导入年报")
    expect(page.locator("h1")).to_have_text("导入年报")
    page.set_input_files("input[type=file]", str(document))
    steps.shot(page, "import-form")
    with page.expect_navigation():
        page.click("input[type=submit][value='上传并预览']")

    # The preview: agency found (the demo holds its 2023 report as typed in and accepted,
    # so the published PDF becomes a draft revision 2 while revision 1 stays in force),
    # grid as printed, failing identities listed.
    expect(page.locator("h2.document-name")).to_contain_text(document.name)
    expect(page.locator(".match-ok")).to_contain_text("洪泽区人民政府")
    expect(page.locator(".outcome")).to_contain_text("新版次草稿（第 2 版）")
    # A city reviewer may not add agencies: the preview does not offer it.
    expect(page.get_by_text("在名录中新建机关")).to_have_count(0)
    new_received = truth["table3"]["new_received"]["total"]
    expect(_cell(page, "table3.new_received.total")).to_have_text(str(new_received))
    upheld = truth["table4"]["review"]["upheld"]
    expect(_cell(page, "table4.review.upheld")).to_have_text(str(upheld))
    expect(_cell(page, "table4.review.total")).to_have_class(
        re.compile("identity-fail")
    )
    identity_rows = page.locator(".import-checks tr.identity")
    expect(identity_rows).to_have_count(2)
    expect(identity_rows.first).to_contain_text("总计印为 0")
    expect(page.locator(".import-findings")).to_contain_text("T4-total")
    steps.shot(page, "preview")

    # Confirm: saved as the agency's new revision, linked from the message.
    with page.expect_navigation():
        page.click("input[name=_confirm]")
    expect(page.locator("ul.messagelist li.success")).to_contain_text("新版次草稿 1 份")
    steps.shot(page, "imported")
    link = page.locator("ul.messagelist li.success a").first
    report_pk = int(re.search(r"/(\d+)/change/", link.get_attribute("href"))[1])
    report = AnnualReport.objects.get(pk=report_pk)
    assert (report.agency, report.report_year.year, report.revision) == (
        agency,
        2023,
        2,
    )

    # Audit it from the list, then open it: findings listed, their cells outlined.
    find_report(page, "洪泽区人民政府")
    run_action(page, report_pk, "run_audit")
    assert "已审核 1 份年报" in messages(page)
    steps.shot(page, "audited")
    open_report(page, report_pk)
    expect(page.locator(".report-revision")).to_contain_text("第 2 版：")
    expect(page.locator(".report-revision")).to_contain_text("现行版本")
    findings = page.locator("#findings")
    expect(findings).to_contain_text("T4-total")
    expect(findings).to_contain_text("总计印为 0")
    expect(_cell(page, "table4.review.total")).to_have_class(
        re.compile("finding-error")
    )
    expect(_cell(page, "table4.litigation_after_review.total")).to_have_class(
        re.compile("finding-error")
    )
    steps.shot(page, "report-findings")

    # Submit the draft for the agency, then return it with a reason.
    find_report(page, "洪泽区人民政府")
    run_action(page, report_pk, "submit_reports")
    assert "已提交 1 份年报" in messages(page)
    run_action(page, report_pk, "return_reports")
    expect(page.locator("h1")).to_contain_text("退回修改")
    page.fill("textarea[name=reason]", REASON)
    steps.shot(page, "return-reason")
    with page.expect_navigation():
        page.click("input[type=submit].default")
    assert "已退回修改 1 份年报" in messages(page)
    assert _status_of(page, report_pk) == "退回修改"
    steps.shot(page, "returned")
    logout(page)

    # The agency reads the reason on its report and submits again.
    login(page, "hongze")
    page.goto(CHANGELIST)
    open_report(page, report_pk)
    transitions = page.locator("#transitions")
    expect(transitions).to_contain_text(REASON)
    expect(transitions).to_contain_text("退回修改")
    expect(page.locator("#history")).to_contain_text("状态：已提交 → 退回修改")
    steps.shot(page, "agency-sees-reason")
    page.goto(CHANGELIST)
    run_action(page, report_pk, "submit_reports")
    assert "已提交 1 份年报" in messages(page)
    steps.shot(page, "agency-resubmitted")
    logout(page)

    # The reviewer takes it up again and accepts it.
    login(page, "shenhe")
    find_report(page, "洪泽区人民政府")
    run_action(page, report_pk, "start_review")
    assert "已受理 1 份年报" in messages(page)
    run_action(page, report_pk, "accept_reports")
    # Its errors are still open: the action lists them and wants a confirmed reason.
    expect(page.locator(".approve-errors")).to_contain_text("尚有未处理的错误")
    page.check("input[name=confirm]")
    page.fill("textarea[name=reason]", "已与填报单位核实，原文如此")
    steps.shot(page, "accept-with-errors")
    with page.expect_navigation():
        page.click("input[type=submit].default")
    assert "已审核通过 1 份年报" in messages(page)
    assert _status_of(page, report_pk) == "审核通过"
    steps.shot(page, "accepted")
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.ACCEPTED

    # Export the summary workbook of this report and read it back.
    with page.expect_download() as download_info:
        run_action(page, report_pk, "export_summary_xlsx", loads=False)
    download = download_info.value
    assert download.suggested_filename == "年报汇总表_2023年度.xlsx"
    saved = steps.folder / download.suggested_filename
    download.save_as(saved)
    steps.shot(page, "exported")
    sheet = load_workbook(saved)["汇总"]
    heads = [str(h or "") for h in next(sheet.iter_rows(min_row=2, values_only=True))]
    rows = [r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0]]
    assert [r[0] for r in rows] == ["洪泽区人民政府"]
    line = dict(zip(heads, rows[0], strict=True))
    assert line["状态"] == "审核通过"
    assert line[_head(heads, "新收", "总计")] == new_received
    fees = Decimal(truth["table2"]["fees"]["amount"])
    assert Decimal(str(line[_head(heads, "行政事业性收费", "金额")])) == fees
    assert line[_head(heads, "行政复议", "总计")] == truth["table4"]["review"]["total"]

    # The overview, from the admin index, for the year of this report: charts drawn,
    # the report's open errors counted.
    page.goto("/admin/")
    with page.expect_navigation():
        page.click(".overview-card a")
    page.select_option("select[name=year]", "2023")
    with page.expect_navigation():
        page.click("form.overview-select button[type=submit]")
    expect(page.locator("h1")).to_contain_text("2023年度总览")
    charts = page.locator("figure svg")
    assert charts.count() >= 2
    expect(charts.first).to_be_visible()
    expect(page.locator("#content")).to_contain_text("T4-total")
    steps.shot(page, "overview")


def _head(heads: list[str], row: str, column: str) -> str:
    """The one 汇总 column whose two-line heading names this row and column."""
    found = [h for h in heads if row in h.split("\n")[0] and column in h]
    assert len(found) == 1, (row, column, heads)
    return found[0]


def test_scanned_pdf_is_refused_with_a_clear_message(
    page: Page, steps: Steps, tmp_path: Path
) -> None:
    user_with_role("sheng", Membership.Role.PROVINCE_ADMIN)
    scan = tmp_path / "扫描件年报.pdf"
    scan.write_bytes(_scanned_pdf())

    login(page, "sheng")
    page.goto(f"{CHANGELIST}import/")
    page.set_input_files("input[type=file]", str(scan))
    steps.shot(page, "import-form")
    with page.expect_navigation():
        page.click("input[type=submit][value='上传并预览']")

    refusal = page.locator(".refusal")
    expect(refusal).to_contain_text("no_text_layer")
    expect(refusal).to_contain_text(errors.LABELS[errors.NO_TEXT_LAYER])
    expect(refusal).to_contain_text("扫描件")
    intro = page.locator(".import-intro")
    expect(intro).to_contain_text("1 个文件无法读取")
    expect(intro).to_contain_text("所有文件都无法读取")
    expect(page.locator("input[name=_confirm]")).to_have_count(0)
    steps.shot(page, "refused")

    with page.expect_navigation():
        page.click("button.discard")
    assert "已放弃本次导入" in messages(page)
    assert not AnnualReport.objects.exists()
    steps.shot(page, "discarded")

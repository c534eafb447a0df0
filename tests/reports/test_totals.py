"""The totals stored on each report (reports/totals.py) follow its table rows on every path
that writes them: import, hand edit, new revision, synthetic data and the migration."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from reports import schema
from reports.importing.apply import copy_as_new_revision
from reports.models import AnnualReport, ReportYear
from reports.services import report_cells_update
from reports.totals import TOTAL_FIELDS, totals_of, totals_refresh
from tests.factories import cell, full_tables, make_report

pytestmark = pytest.mark.django_db


def _from_rows(report: AnnualReport) -> dict[str, int | None]:
    """The totals worked out in Python from the stored rows (the reference)."""
    rows = {
        "table3": {r.row_key: r.total for r in report.table3_rows.all()},
        "table4": {r.row_key: r.total for r in report.table4_rows.all()},
    }
    out: dict[str, int | None] = {}
    for field, (table, keys) in TOTAL_FIELDS.items():
        numbers = [rows[table][k] for k in keys if rows[table].get(k) is not None]
        out[field] = sum(numbers) if numbers else None
    return out


def _stored(report: AnnualReport) -> dict[str, int | None]:
    report.refresh_from_db()
    return {field: getattr(report, field) for field in TOTAL_FIELDS}


def _tables() -> dict:
    tables = full_tables("2021", fill=1)
    tables["table3"]["new_received"]["total"] = cell(40)
    tables["table3"]["granted"]["total"] = cell(12)
    tables["table3"]["withheld_state_secret"]["total"] = cell(2)
    tables["table3"]["withheld_third_party"]["total"] = cell(None, "")
    tables["table4"]["review"]["total"] = cell(None, "/")
    tables["table4"]["litigation_direct"]["total"] = cell(3)
    return tables


def test_an_import_stores_the_totals_of_its_rows():
    report = make_report(year=2024, tables=_tables())
    stored = _stored(report)
    assert stored == _from_rows(report)
    assert stored["total_applications"] == 40
    assert stored["total_granted"] == 12
    # Eight 不予公开 rows: 2 + a blank + six rows holding 1.
    assert stored["total_withheld"] == 2 + 6
    assert stored["total_review"] is None  # "/" is not 0
    assert stored["total_litigation_direct"] == 3


def test_totals_worked_out_from_the_cells_equal_those_of_the_rows():
    """totals_of (bulk writers, before the rows exist) sums as totals_refresh does."""
    tables = _tables()
    del tables["table3"]["other_fee_unpaid"]  # a missing row is not 0 either
    tables["table4"]["litigation_after_review"]["total"] = cell(None, "")
    report = make_report(year=2024, tables=tables)
    from_cells = totals_of(tables)
    assert from_cells == _stored(report) == _from_rows(report)
    assert from_cells["total_review"] is None
    assert from_cells["total_litigation_after_review"] is None
    assert totals_of({}) == dict.fromkeys(TOTAL_FIELDS)


def test_a_hand_edit_updates_the_totals():
    report = make_report(year=2024, tables=_tables())
    report_cells_update(
        report=report,
        changes={
            "table3.granted.total": (20, "20"),
            "table4.review.total": (4, "4"),
        },
    )
    stored = _stored(report)
    assert stored == _from_rows(report)
    assert stored["total_granted"] == 20 and stored["total_review"] == 4


def test_a_new_revision_carries_the_same_totals():
    report = make_report(year=2024, tables=_tables())
    revised = copy_as_new_revision(report, user=None)
    assert _stored(revised) == _stored(report) == _from_rows(revised)


def test_a_report_without_table_four_has_no_review_totals():
    tables = _tables()
    del tables["table4"]
    report = make_report(year=2024, tables=tables)
    stored = _stored(report)
    assert stored["total_review"] is None
    assert stored["total_litigation_direct"] is None
    assert stored["total_applications"] == 40


def test_refresh_repairs_totals_changed_behind_its_back():
    report = make_report(year=2024, tables=_tables())
    AnnualReport.objects.filter(pk=report.pk).update(total_granted=999)
    assert totals_refresh([report.pk]) == 1
    assert _stored(report)["total_granted"] == 12


def test_synthetic_reports_store_their_totals():
    call_command(
        "generate_synthetic",
        reports=40,
        years="2020-2022",
        seed=7,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    reports = list(AnnualReport.objects.prefetch_related("table3_rows", "table4_rows"))
    assert len(reports) == 40
    assert {r.report_year.year for r in reports} == {2020, 2021, 2022}
    for report in reports:
        assert report.layout == schema.layout_for_year(report.report_year.year).value
        assert _stored(report) == _from_rows(report), report.pk
    assert any(r.total_applications for r in reports)
    assert set(ReportYear.objects.values_list("year", flat=True)) >= {2020, 2021, 2022}


def test_the_migration_fills_the_totals_of_stored_reports():
    """0005 works the totals out for reports stored before it (a snapshot of the mapping)."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("reports.migrations.0005_report_totals")
    assert migration._TOTALS == {
        field: ("Table3Row" if table == "table3" else "Table4Row", rows)
        for field, (table, rows) in TOTAL_FIELDS.items()
    }
    report = make_report(year=2024, tables=_tables())
    AnnualReport.objects.update(**dict.fromkeys(TOTAL_FIELDS))
    migration.fill_totals(apps, None)
    assert _stored(report) == _from_rows(report)

"""The audit's fast fact loader reads exactly what the stored report holds.

iter_facts_for_ids folds rows into JSON in the database and shares equal cells; the ORM path
(facts_for_report, used where one report is audited) is the reference it must agree with,
on both databases, for numbers, blanks, "/", unreadable text, money and missing cells.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from reports.audit.facts import Deadlines, facts_for_report, iter_facts_for_ids
from reports.models import AnnualReport
from reports.selectors import SECTION_PREFETCH
from tests.factories import cell, full_tables, make_agency, make_report

pytestmark = pytest.mark.django_db


def _odd_tables(layout: str) -> dict:
    tables = full_tables(layout, fill=3)
    tables["table3"]["new_received"]["total"] = cell(None, "")
    tables["table3"]["granted"]["natural_person"] = cell(None, "/")
    tables["table3"]["granted"]["total"] = cell(None, "约五件")
    tables["table3"]["carried_over"]["research"] = cell(12, "１２")
    del tables["table3"]["carried_forward"]["commercial"]
    del tables["table4"]["review"]
    if layout == "2021":  # a whole amount: JSON would make it an int
        tables["table2"]["fees"]["amount"] = cell(Decimal("3"), "3")
    else:
        tables["table2"]["procurement"]["amount"] = cell(Decimal("12.5"), "12.5")
    return tables


@pytest.mark.parametrize("year", [2020, 2024])
def test_fast_loader_matches_the_stored_report(year):
    agency = make_agency()
    layout = "2019" if year < 2021 else "2021"
    tables = _odd_tables(layout)
    report = make_report(agency, year=year, tables=tables)
    other = make_report(agency, year=year - 1)
    deadlines = Deadlines.load()

    fast = {
        f.report_id: f for f in iter_facts_for_ids([other.pk, report.pk], deadlines)
    }
    stored = AnnualReport.objects.prefetch_related(*SECTION_PREFETCH).get(pk=report.pk)
    reference = facts_for_report(stored, deadlines)

    assert fast[report.pk].tables == reference.tables
    loaded = fast[report.pk].tables
    assert loaded["table3"]["new_received"]["total"].raw == ""
    assert loaded["table3"]["granted"]["natural_person"].raw == "/"
    assert loaded["table3"]["granted"]["total"].value is None
    assert loaded["table3"]["carried_over"]["research"].value == 12
    assert "commercial" not in loaded["table3"]["carried_forward"]
    assert "review" not in loaded["table4"]
    row, amount = ("fees", 3) if layout == "2021" else ("procurement", Decimal("12.5"))
    money = loaded["table2"][row]["amount"].value
    assert isinstance(money, Decimal) and money == amount
    # An integer cell and a money cell holding the same number stay distinct types.
    assert isinstance(loaded["table3"]["granted"]["research"].value, int)

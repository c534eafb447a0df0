"""What the system guarantees is a database constraint, and each one holds."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from reports.importing.apply import report_year_ensure
from reports.models import AnnualReport, ReportYear, Table2Row, Table3Row, Table4Row
from tests.factories import make_agency, make_report

pytestmark = pytest.mark.django_db


def _new_report(agency, year=2024, **kwargs):
    return AnnualReport.objects.create(
        agency=agency, report_year=report_year_ensure(year), layout="2021", **kwargs
    )


def test_one_current_report_per_agency_and_year():
    agency = make_agency()
    _new_report(agency)
    with pytest.raises(IntegrityError), transaction.atomic():
        _new_report(agency)


def test_an_old_revision_may_stand_beside_the_current_one():
    agency = make_agency()
    _new_report(agency, is_current=False, in_force=False, revision=1)
    _new_report(agency, revision=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        _new_report(agency, is_current=False, in_force=False, revision=2)


def test_one_revision_in_force_per_agency_and_year():
    """An accepted revision and its draft successor: only one of them counts."""
    agency = make_agency()
    _new_report(agency, is_current=False, revision=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        _new_report(agency, revision=2)


@pytest.mark.parametrize(
    ("model", "row_key", "column"),
    [
        (Table3Row, "granted", "natural_person"),
        (Table3Row, "granted", "total"),
        (Table4Row, "review", "pending"),
        (Table2Row, "regulations", "issued"),
        (Table2Row, "fees", "amount"),
    ],
)
def test_counts_cannot_be_negative(model, row_key, column):
    report = _new_report(make_agency())
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(report=report, row_key=row_key, **{column: -1})


def test_2019_change_may_be_negative():
    report = _new_report(make_agency(), year=2020)
    row = Table2Row.objects.create(report=report, row_key="licensing", change=-3)
    assert row.change == -3


def test_one_row_per_key_per_report():
    report = _new_report(make_agency())
    Table3Row.objects.create(report=report, row_key="granted")
    with pytest.raises(IntegrityError), transaction.atomic():
        Table3Row.objects.create(report=report, row_key="granted")


def test_report_year_defaults_follow_the_national_rules():
    year = report_year_ensure(2020)
    assert year.layout == "2019"
    assert year.department_deadline.isoformat() == "2021-01-31"
    assert year.government_deadline.isoformat() == "2021-03-31"
    assert report_year_ensure(2023).layout == "2021"


def test_report_year_must_be_plausible():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportYear.objects.create(year=1999, **ReportYear.defaults_for(1999))


def test_deleting_a_report_deletes_its_rows_but_agencies_are_protected():
    report = make_report()
    assert Table3Row.objects.filter(report=report).count() == 25
    with pytest.raises(ProtectedError):
        report.agency.delete()
    report.delete()
    assert Table3Row.objects.count() == 0


def test_revision_starts_at_one():
    with pytest.raises(IntegrityError), transaction.atomic():
        _new_report(make_agency(), revision=0)

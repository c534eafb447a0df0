"""The interchange JSON reader refuses what the spec does not allow, naming the key."""

import copy
from decimal import Decimal

import pytest

from reports.importing.interchange import (
    InterchangeError,
    from_interchange,
    to_interchange,
)

GOOD = {
    "agency": "洪泽区人民政府",
    "year": 2023,
    "format": "2021",
    "table2": {
        "fees": {"amount": "7730.28"},
        "regulations": {"issued": 0, "repealed": None},
    },
    "table3": {"new_received": {"natural_person": 21, "total": 21}, "granted": {}},
    "table4": {"review": {"upheld": 10, "total": 0}},
}


def _with(path: str, value):
    data = copy.deepcopy(GOOD)
    node = data
    keys = path.split(".")
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value
    return data


def test_a_good_report_round_trips():
    report = from_interchange(GOOD)
    assert report.tables["table2"]["fees"]["amount"].value == Decimal("7730.28")
    out = to_interchange(report, with_warnings=False)
    for key in ("agency", "year", "format", "table2", "table3", "table4"):
        assert out[key] == GOOD[key]


def test_null_is_kept_as_null_and_empty_row_as_empty_row():
    out = to_interchange(from_interchange(GOOD))
    assert out["table2"]["regulations"]["repealed"] is None
    assert out["table3"]["granted"] == {}


@pytest.mark.parametrize(
    ("path", "value", "key"),
    [
        (
            "table3.new_received.natural_person",
            "21",
            "table3.new_received.natural_person",
        ),
        (
            "table3.new_received.natural_person",
            2.5,
            "table3.new_received.natural_person",
        ),
        (
            "table3.new_received.natural_person",
            True,
            "table3.new_received.natural_person",
        ),
        (
            "table3.new_received.natural_person",
            -1,
            "table3.new_received.natural_person",
        ),
        ("table2.fees.amount", 12.5, "table2.fees.amount"),
        ("table2.fees.amount", "12,5", "table2.fees.amount"),
        ("table3.no_such_row", {}, "table3.no_such_row"),
        ("table3.granted.no_such_column", 1, "table3.granted.no_such_column"),
        ("year", "2023", "year"),
        ("format", "2020", "format"),
        ("agency", "", "agency"),
        ("surprise", 1, "surprise"),
        ("table2.other_services", {"decisions": 1}, "table2.other_services"),
    ],
)
def test_wrong_values_are_refused_with_the_key(path, value, key):
    with pytest.raises(InterchangeError) as caught:
        from_interchange(_with(path, value))
    assert caught.value.key == key
    assert key in str(caught.value)


def test_signed_change_may_be_negative_in_2019():
    data = {
        "agency": "甲",
        "year": 2020,
        "format": "2019",
        "table2": {"fees": {"change": -2}},
    }
    assert from_interchange(data).tables["table2"]["fees"]["change"].value == -2


def test_other_processing_cannot_be_one_row_and_three():
    data = _with("table3.other_processing", {"total": 1})
    data["table3"]["other_other"] = {"total": 1}
    with pytest.raises(InterchangeError) as caught:
        from_interchange(data)
    assert "other_other" in caught.value.key


def test_expect_error_truth_is_not_a_report():
    with pytest.raises(InterchangeError):
        from_interchange({"expect_error": "no_text_layer"})


def test_cell_provenance_round_trips():
    data = _with("cells", {"table3.new_received.total": {"raw": "21件", "page": 3}})
    out = to_interchange(from_interchange(data))
    assert out["cells"]["table3.new_received.total"] == {"raw": "21件", "page": 3}


def test_provenance_for_a_cell_not_in_the_tables_is_refused():
    data = _with("cells", {"table3.carried_over.total": {"raw": "0"}})
    with pytest.raises(InterchangeError) as caught:
        from_interchange(data)
    assert caught.value.key == "cells.table3.carried_over.total"

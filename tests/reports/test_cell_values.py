"""Blank, "/" and 0 are three different facts; hand entry keeps them apart."""

from decimal import Decimal

import pytest

from reports import schema
from reports.cell_values import CellState, cell_state, display_text, parse_cell_input


def test_blank_cell_is_not_zero():
    assert parse_cell_input("", schema.Kind.COUNT) is None
    assert parse_cell_input("  ", schema.Kind.COUNT) is None
    assert parse_cell_input("0", schema.Kind.COUNT) == 0


@pytest.mark.parametrize("text", ["/", "／", "—", "-", "无"])
def test_not_applicable_texts_are_null(text):
    assert parse_cell_input(text, schema.Kind.COUNT) is None
    assert cell_state(None, text, present=True) is CellState.NOT_APPLICABLE


def test_states_tell_blank_na_zero_number_and_missing_apart():
    assert cell_state(None, "", present=True) is CellState.BLANK
    assert cell_state(None, None, present=True) is CellState.BLANK
    assert cell_state(None, "/", present=True) is CellState.NOT_APPLICABLE
    assert cell_state(0, "0", present=True) is CellState.ZERO
    assert cell_state(7, "7", present=True) is CellState.NUMBER
    assert cell_state(None, None, present=False) is CellState.MISSING


def test_full_width_digits_and_thousands_separators_are_read():
    assert parse_cell_input("１２３", schema.Kind.COUNT) == 123
    assert parse_cell_input("1,046", schema.Kind.COUNT) == 1046


def test_money_is_decimal_not_float():
    value = parse_cell_input("7730.28", schema.Kind.MONEY)
    assert value == Decimal("7730.28") and isinstance(value, Decimal)


@pytest.mark.parametrize("text", ["abc", "1.5", "-3", "12件x"])
def test_unreadable_or_negative_counts_are_refused(text):
    with pytest.raises(ValueError):
        parse_cell_input(text, schema.Kind.COUNT)


def test_signed_change_accepts_negative():
    assert parse_cell_input("-3", schema.Kind.SIGNED) == -3


def test_display_keeps_the_printed_text():
    assert display_text(None, "/") == "/"
    assert display_text(5, None) == "5"
    assert display_text(Decimal("12.5000"), None) == "12.5"

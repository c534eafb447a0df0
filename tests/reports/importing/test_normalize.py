"""Normalisation: printed text -> matchable text and cell values."""

from __future__ import annotations

from decimal import Decimal

from reports.importing.normalize import clean_cell, compact, read_value


def test_blank_cell_is_not_zero() -> None:
    value = read_value("  ")
    assert value.number is None
    assert value.is_blank


def test_slash_is_not_applicable_with_raw_text_kept() -> None:
    for text in ("/", "／", "—", "——", "-", "无"):
        value = read_value(text)
        assert value.number is None, text
        assert value.raw == text
        assert not value.is_blank


def test_full_width_digits_are_read() -> None:
    assert read_value("１２３").number == 123


def test_thousands_separator_is_read() -> None:
    assert read_value("1,046").number == 1046
    assert read_value("１，０４６").number == 1046


def test_unit_suffix_is_dropped_and_money_unit_kept() -> None:
    assert read_value("21件").number == 21
    money = read_value("251000元")
    assert money.number == 251000
    assert money.unit == "元"
    assert read_value("7730.28").number == Decimal("7730.28")


def test_signed_change_keeps_its_sign() -> None:
    assert read_value("-3").number == -3
    assert read_value("+2").number == 2


def test_typeset_minus_signs_are_read_as_minus() -> None:
    # Word's autocorrect: U+2212 minus, en dash, small and full-width hyphen-minus
    for printed in ("\u2212632", "\u2013632", "\ufe63632", "\uff0d632", "-632"):
        value = read_value(printed)
        assert (value.number, value.raw) == (-632, printed)
    for alone in ("\u2212", "\u2013", "\ufe63", "\u2014"):
        value = read_value(alone)
        assert value.is_value and value.number is None and value.raw == alone


def test_label_text_is_not_a_value() -> None:
    assert not read_value("规章").is_value
    assert not read_value("2023年").is_value


def test_compact_joins_wrapped_cells_and_unifies_brackets() -> None:
    assert compact("（二）部分公开（区分处理的，只计这一情\n形， 不计其他情形）") == (
        "(二)部分公开(区分处理的,只计这一情形,不计其他情形)"
    )


def test_converter_bookmark_noise_is_removed() -> None:
    assert (
        compact("[bookmark: _GoBack]二、主动公开政府信息情况")
        == "二、主动公开政府信息情况"
    )
    assert clean_cell("\u200b 规章 \n\n 0 ") == "规章\n0"

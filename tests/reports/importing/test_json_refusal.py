"""A file that is not JSON gets one refusal, whether it holds one report or a list."""

from __future__ import annotations

import pytest

from reports.importing.errors import ImportRefused
from reports.importing.intake.sources import read_json_list
from reports.importing.pipeline import parse_bytes


def test_a_broken_single_report_names_the_line_and_column() -> None:
    with pytest.raises(ImportRefused) as info:
        parse_bytes(b'{"agency": "x",\n "year": }', "r.json")
    assert info.value.code == "corrupt_file"
    assert info.value.message == "“r.json”不是有效的 JSON（第 2 行第 10 列）"


def test_a_broken_list_of_reports_is_refused_with_the_same_message() -> None:
    with pytest.raises(ImportRefused) as info:
        read_json_list(b'[{"agency": "x",\n "year": }]', "list.json")
    assert info.value.code == "corrupt_file"
    assert info.value.message == "“list.json”不是有效的 JSON（第 2 行第 10 列）"

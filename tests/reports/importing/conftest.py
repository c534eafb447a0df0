"""Fixtures for the importer tests: the shared corpus (skipped when absent) and helpers.

These tests are pure: no database, no Django settings (run them with `-p no:django`).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from reports.core.parsed import ParsedReport, value_to_json

REPO = Path(__file__).resolve().parents[3]
CORPUS = REPO / ".." / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The sibling shared/corpus folder, or a skip that says why."""
    if not CORPUS.is_dir():
        pytest.skip(
            f"corpus folder {CORPUS.resolve()} is absent; real-document tests skip"
        )
    return CORPUS.resolve()


def truth_of(document: Path) -> dict[str, Any]:
    return json.loads(
        document.with_name(document.name + ".truth.json").read_text("utf-8")
    )


def value(report: ParsedReport, table: str, row: str, column: str) -> object:
    """A cell's value as the interchange JSON writes it; KeyError when it is absent."""
    cell = report.tables[table][row][column]
    return value_to_json(cell.value)


def same(a: object, b: object) -> bool:
    """Numbers and decimal strings compare by value, as the corpus scorer does."""
    if a is None or b is None:
        return a is b
    return Decimal(str(a)) == Decimal(str(b))

"""Issue 14's hidden test set: every truth rendered in every variant must be read right.

The criterion is the product rule: every cell correct, or every wrong or missing cell
flagged (in `uncertain`, or a warning whose `where` names the cell or its row), no invented
cell, and no refusal. Scored in strict mode: an identity check's warning flags no cell. Variants the importer cannot read yet are strict xfails with the
reason, so a fix turns them into failures until the marker is removed.
Run the matrix for the whole picture: python -m tests.reports.importing.variants -v
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any

import pytest

from reports import schema

from . import documents, form
from .compare import compare
from .matrix import score
from .render import BY_NAME, VARIANTS

TRUTHS = documents.load()
# Truths whose rendering adds no structure the others lack (2021 seeds of zeros like 000,
# 洪泽区 2024 like 2023) stay in the matrix but not in the test, to keep it under a minute.
REDUNDANT = ("corpus/000_*", "corpus/001_*", "corpus/004_*", "corpus/hzq2024*")
TESTED = [d for d in TRUTHS if not any(fnmatch.fnmatch(d, g) for g in REDUNDANT)]


@dataclass(frozen=True)
class Known:
    """Cases that fail today: variant and document globs, minus documents that pass."""

    variants: tuple[str, ...]
    reason: str
    documents: tuple[str, ...] = ("*",)
    passing: tuple[str, ...] = ()

    def covers(self, variant: str, document: str) -> bool:
        def hit(name: str, globs: tuple[str, ...]) -> bool:
            return any(fnmatch.fnmatch(name, g) for g in globs)

        return (
            hit(variant, self.variants)
            and hit(document, self.documents)
            and not hit(document, self.passing)
        )


# Variants that do not read yet, with why: strict, so a fix must remove its entry.
KNOWN: tuple[Known, ...] = ()


def known_failure(variant: str, document: str) -> str | None:
    return next((k.reason for k in KNOWN if k.covers(variant, document)), None)


def _cases() -> list[Any]:
    cases = []
    for variant in VARIANTS:
        for document in TESTED:
            reason = known_failure(variant.name, document)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            cases.append(
                pytest.param(
                    variant.name, document, marks=marks, id=f"{variant.name}:{document}"
                )
            )
    if not documents.shared_present():
        cases.append(pytest.param("tsv", "", id="shared-absent"))
    return cases


@pytest.mark.parametrize(("variant", "document"), _cases())
def test_variant_is_read_or_flagged(variant: str, document: str) -> None:
    if not document:
        pytest.skip(
            f"{documents.SHARED} is absent; only the synthetic 2019 report runs"
        )
    result = score(BY_NAME[variant], document, TRUTHS[document], strict=True)
    assert not result.refused, result.refused
    unflagged = [d for d in result.diffs if not d.flagged]
    assert unflagged == [], f"{len(unflagged)} unflagged, first: {unflagged[:3]}"


@pytest.mark.parametrize("document", list(TRUTHS))
def test_form_rows_cover_the_table_width(document: str) -> None:
    """The renderers' model: every <tr>'s spans tile the table exactly (no hole, no overlap)."""
    for table in form.build(TRUTHS[document]).tables():
        covered = [[0] * table.width for _ in table.trs]
        for tr, corners in zip(table.trs, form.positions(table), strict=True):
            for span, (r, c) in zip(tr, corners, strict=True):
                for dr in range(span.rows):
                    for dc in range(span.cols):
                        covered[r + dr][c + dc] += 1
        assert all(n == 1 for row in covered for n in row), table.key


@pytest.mark.parametrize("layout", list(schema.Layout))
def test_synthetic_reports_use_every_key_and_satisfy_the_identities(
    layout: schema.Layout,
) -> None:
    truth = documents.synthetic(layout)
    for key, table in schema.tables_for(layout).items():
        assert list(truth[key]) == list(table.row_keys)
    t3 = {
        r: {c: v or 0 for c, v in cells.items()} for r, cells in truth["table3"].items()
    }
    for column in (*schema.TABLE3_PARTS, "total"):
        assert (
            t3["new_received"][column] + t3["carried_over"][column]
            == t3["total_processed"][column] + t3["carried_forward"][column]
        )
    for cells in t3.values():
        assert cells["total"] == sum(cells[c] for c in schema.TABLE3_PARTS)
    for cells in truth["table4"].values():
        assert cells["total"] == sum(cells[c] or 0 for c in schema.TABLE4_PARTS)
    results = [
        v
        for r, cells in t3.items()
        if r.startswith(("granted", "withheld"))
        for v in cells.values()
    ]
    assert (
        len(set(results)) > len(results) // 2
    )  # distinct enough to show a misplaced cell


def test_compare_counts_silent_errors_like_the_corpus_scorer() -> None:
    truth = {
        "year": 2024,
        "format": "2021",
        "table3": {"granted": {"total": 5, "natural_person": None}},
        "table4": {"review": {"total": 1}},
    }
    out = {
        "year": 2024,
        "format": "2021",
        "table3": {"granted": {"total": 6, "natural_person": 0}},
        "table4": {},
        "warnings": [{"code": "x", "message": "m", "where": "table4"}],
    }
    result = compare(truth, out)
    assert (result.correct, result.wrong, result.silent, result.missing) == (2, 2, 2, 1)
    assert result.unflagged_missing == 1  # a whole-table warning names no row
    out["warnings"].append({"code": "y", "message": "m", "where": "table3.granted"})
    out["uncertain"] = ["table4.review.*"]
    result = compare(truth, out)
    assert (result.silent, result.unflagged_missing) == (0, 0)
    assert result.honest and not result.perfect


def test_strict_compare_does_not_count_identity_warnings_as_flags() -> None:
    truth = {"table3": {"granted": {"total": 5}}}
    out = {
        "table3": {"granted": {"total": 6}},
        "warnings": [
            {"code": "T3-row-total", "message": "m", "where": "table3.granted.total"}
        ],
    }
    assert compare(truth, out).silent == 0
    assert compare(truth, out, strict=True).silent == 1
    out["warnings"].append(
        {"code": "cell_unreadable", "message": "m", "where": "table3.granted"}
    )
    assert compare(truth, out, strict=True).silent == 0

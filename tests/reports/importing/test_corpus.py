"""Every corpus document against its truth, cell by cell (what score.py measures)."""

from __future__ import annotations

import fnmatch
from pathlib import Path

import pytest

from reports.importing.errors import ImportRefused
from reports.importing.interchange import to_interchange
from reports.importing.pipeline import parse_file

from .conftest import CORPUS, same, truth_of

DOCUMENTS = (
    sorted(
        p for p in CORPUS.glob("*/*") if p.suffix in (".pdf", ".docx", ".txt", ".html")
    )
    if CORPUS.is_dir()
    else []
)


@pytest.mark.parametrize(
    "document", DOCUMENTS or [None], ids=lambda p: p.name if p else "absent"
)
def test_document_matches_its_truth(document: Path | None, corpus: Path) -> None:
    assert document is not None
    truth = truth_of(document)
    if "expect_error" in truth:
        with pytest.raises(ImportRefused) as info:
            parse_file(document)
        assert info.value.code == truth["expect_error"]
        return
    output = to_interchange(parse_file(document))
    assert (output["year"], output["format"]) == (truth["year"], truth["format"])
    uncertain = truth.get("uncertain", [])
    differences = []
    for table in ("table2", "table3", "table4"):
        for row, cells in truth.get(table, {}).items():
            for column, expected in cells.items():
                path = f"{table}.{row}.{column}"
                if any(fnmatch.fnmatch(path, u) for u in uncertain):
                    continue
                got = output[table].get(row, {}).get(column, "<missing>")
                if got == "<missing>" or not same(got, expected):
                    differences.append((path, expected, got))
        for row in output[table]:
            if row not in truth.get(table, {}):
                extra = {c: v for c, v in output[table][row].items() if v is not None}
                if extra:
                    differences.append((f"{table}.{row}", "<absent>", extra))
    assert differences == []
    if uncertain:
        flagged = set(output.get("uncertain", []))
        assert {u for u in uncertain if "*" not in u} <= flagged

"""No false findings on the consistent corpus (seeds and real), with its prose."""

from __future__ import annotations

from pathlib import Path

import pytest

from reports.audit.base import Severity
from reports.audit.rules import run_report_rules
from tests.reports.audit.builders import CORPUS, corpus_facts, corpus_truths

pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"语料目录 {CORPUS} 不存在（corpus folder absent)"
)

# What a reviewer must be told about each document (errors and warnings).
EXPECTED: dict[str, set[tuple[str, str]]] = {
    "hzq2023_working.pdf.truth.json": {
        ("T4-total", "review"),
        ("T4-total", "litigation_after_review"),
    },
}
# Seed 002 is truncated: its text jumps from table 二 into table 三's last rows, so the
# heading 三、收到和处理政府信息公开申请情况 is really not in the document.
EXPECTED_WITH_TEXT: dict[str, set[tuple[str, str]]] = {
    "002_871b3160cb0e6f38.txt.truth.json": {("section-missing", "table3")},
}


def serious(path: Path, *, with_text: bool) -> set[tuple[str, str]]:
    issues = run_report_rules(corpus_facts(path, with_text=with_text))
    return {(i.rule, i.key) for i in issues if i.severity != Severity.INFO}


@pytest.mark.parametrize("path", corpus_truths(), ids=lambda p: p.name)
@pytest.mark.parametrize("with_text", [False, True], ids=["tables", "with-text"])
def test_only_the_expected_findings(path: Path, with_text: bool) -> None:
    expected = set(EXPECTED.get(path.name, set()))
    if with_text:
        expected |= EXPECTED_WITH_TEXT.get(path.name, set())
    assert serious(path, with_text=with_text) == expected


def test_hongze_2023_table_four_message_names_the_cells() -> None:
    path = CORPUS / "real" / "hzq2023_working.pdf.truth.json"
    issues = [i for i in run_report_rules(corpus_facts(path)) if i.rule == "T4-total"]
    review = next(i for i in issues if i.key == "review")
    assert (
        "表四「行政复议·行政复议」·总计印为 0" in review.message
        or "行政复议" in review.message
    )
    assert "11" in review.message
    assert {c.path for c in review.cells} >= {
        "table4.review.total",
        "table4.review.upheld",
    }


def test_seed_003_blank_rows_are_reported_as_info_only() -> None:
    path = CORPUS / "seeds" / "003_3e7ce50622823025.txt.truth.json"
    issues = run_report_rules(corpus_facts(path, with_text=False))
    assert {i.rule for i in issues} <= {"blank-cells", "na-cells", "heading-variant"}
    assert any(i.rule == "blank-cells" and i.key == "table3" for i in issues)


def test_real_reports_print_official_headings() -> None:
    for name in ("hzq2023_working.pdf.truth.json", "hzq2024_working.pdf.truth.json"):
        issues = run_report_rules(corpus_facts(CORPUS / "real" / name))
        assert not [i for i in issues if i.rule == "section-missing"]

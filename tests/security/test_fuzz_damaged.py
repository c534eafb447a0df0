"""Damaged copies of the corpus (bytes flipped, zeroed, inserted, duplicated, the file cut)
parsed through the real sandboxed path with the real limits, from a fixed seed.

No copy may crash the parser (程序出错) or run into the sandbox's limits; every refusal has
its code and names the file; a recovered report may miss cells, but never gives a wrong
cell as certain (the corpus scorer's rule). bench/fuzz_bench.py runs the larger fuzz and
prints the recovered share per kind (docs/benchmarks.md).
"""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from bench import damage
from reports.importing import errors
from reports.importing.intake import sandbox

COPIES = 300
SEED = 16


@pytest.fixture(scope="module")
def outcomes(corpus_dir: Path) -> list[damage.Outcome]:
    scorer = damage.load_scorer(corpus_dir)
    limits = sandbox.Limits.from_settings()
    made = damage.copies(corpus_dir, COPIES, SEED, {"pdf", "docx", "txt"})
    # two at a time: each parse is a child process; the threads only wait for them
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda c: damage.judge(c, scorer, limits), made))


def test_no_damaged_copy_crashes_the_parser(outcomes):
    crashed = [(o.copy.name, o.message) for o in outcomes if o.status == "error"]
    assert not crashed


def test_no_damaged_copy_runs_into_the_limits(outcomes):
    stopped = [o.copy.name for o in outcomes if o.status == "limit"]
    assert len(stopped) <= 1, stopped


def test_every_refusal_has_its_code_and_names_the_file(outcomes):
    for outcome in outcomes:
        if outcome.status == "refused":
            assert outcome.code in errors.CODES
            assert outcome.copy.name in outcome.message, outcome.message


def test_no_wrong_cell_is_certain(outcomes):
    silent = {o.copy.name: o.silent for o in outcomes if o.silent}
    assert not silent


def test_damaged_files_are_mostly_recovered(outcomes):
    shares = damage.summary(outcomes)
    assert shares["docx"]["recovered_share"] >= 0.8, shares
    assert shares["pdf"]["recovered_share"] >= 0.5, shares
    # a few bytes that are not valid text never refuse a text (charsets.py)
    assert shares["txt"]["recovered_share"] >= 0.9, shares
    assert sum(o.exact for o in outcomes) >= COPIES // 2


def test_parse_report_prints_only_the_message_on_stderr(corpus_dir, tmp_path, capfd):
    """The command's stderr carries the refusal or nothing: no log lines, no traceback,
    also from the parse's child process (captured at the file descriptor)."""
    pdf = (corpus_dir / "generated" / "report_full.pdf").read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(pdf[: len(pdf) // 2])  # refused: the page tree is in the lost half
    mended = tmp_path / "mended.pdf"
    mended.write_bytes(pdf[: pdf.rfind(b"\nxref") + 100])  # read after its repair
    flipped = bytearray(pdf)
    flipped[len(pdf) // 3] ^= 0xFF  # a font program: read, pdfminer logs its loss
    (tmp_path / "flipped.pdf").write_bytes(bytes(flipped))
    with pytest.raises(CommandError) as caught:
        call_command("parse_report", str(cut), stdout=io.StringIO())
    assert "corrupt_file" in str(caught.value)
    for name in ("mended.pdf", "flipped.pdf"):
        call_command("parse_report", str(tmp_path / name), stdout=io.StringIO())
    err = capfd.readouterr().err
    assert "Traceback" not in err and "WARNING" not in err and "INFO" not in err, err

"""Damaged copies of the corpus documents, parsed as an import would parse them, and judged.

Shared by the fuzz test (tests/security/test_fuzz_damaged.py, a few hundred copies) and
bench/fuzz_bench.py (a larger run that prints the recovered share per kind). A copy is one
document with one kind of damage at a random place, from a fixed seed:

- flip: 1 to 8 bytes XORed with a random non-zero byte;
- zero: a run of 1 to 64 bytes set to 0;
- insert: 1 to 64 random bytes inserted;
- duplicate: a run of 1 to 256 bytes repeated in place;
- cut: the file ends at a random point (an interrupted download).

Each copy goes through `sandbox.parse_isolated` with the real limits, and its outcome is
judged with the corpus scorer's own rule (../shared/corpus/score.py, imported from there):
a recovered report may miss cells, but a cell that differs from the truth must be marked
uncertain or named by a warning's `where`. A text file whose damage still decodes is a
different, valid text (a digit flipped to another digit reads as printed): no importer can
tell, so such copies are parsed but not compared (`undetectable`).
"""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from reports.importing import errors
from reports.importing.errors import ImportRefused
from reports.importing.intake import sandbox
from reports.importing.interchange import to_interchange

DAMAGES = ("flip", "zero", "insert", "duplicate", "cut")
KINDS = {".pdf": "pdf", ".docx": "docx", ".txt": "txt"}
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Copy:
    """One damaged copy: which document, what damage, where, and its bytes."""

    source: Path
    kind: str
    damage: str
    offset: int
    data: bytes

    @property
    def name(self) -> str:
        return f"{self.source.stem}.{self.damage}@{self.offset}{self.source.suffix}"


@dataclass
class Outcome:
    """What the import made of one copy."""

    copy: Copy
    status: str  # recovered | refused | limit | error
    code: str = ""
    message: str = ""
    wrong: int = 0
    silent: list[str] = field(default_factory=list)
    exact: bool = False
    undetectable: bool = False


def documents(corpus: Path) -> list[Path]:
    """The corpus documents that have a truth, of the kinds damaged here."""
    return sorted(
        p
        for p in corpus.rglob("*")
        if p.suffix in KINDS
        and p.is_file()
        and p.with_name(p.name + ".truth.json").is_file()
    )


def damaged(data: bytes, damage: str, rng: random.Random) -> tuple[int, bytes]:
    """`data` with one damage of the given kind at a random place; (offset, bytes)."""
    size = len(data)
    at = rng.randrange(1, size)
    if damage == "flip":
        out = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            out[rng.randrange(at, min(size, at + 64))] ^= rng.randint(1, 255)
        return at, bytes(out)
    if damage == "zero":
        run = rng.randint(1, 64)
        return at, data[:at] + bytes(min(run, size - at)) + data[at + run :]
    if damage == "insert":
        run = rng.randint(1, 64)
        return at, data[:at] + rng.randbytes(run) + data[at:]
    if damage == "duplicate":
        run = rng.randint(1, 256)
        return at, data[: at + run] + data[at : at + run] + data[at + run :]
    if damage == "cut":
        return at, data[:at]
    raise ValueError(damage)


def copies(corpus: Path, count: int, seed: int, kinds: set[str]) -> list[Copy]:
    """`count` damaged copies, the documents and damages in turn, from a fixed seed."""
    rng = random.Random(seed)
    sources = [p for p in documents(corpus) if KINDS[p.suffix] in kinds]
    made: list[Copy] = []
    contents = {p: p.read_bytes() for p in sources}
    for index in range(count):
        source = sources[index % len(sources)]
        damage = DAMAGES[(index // len(sources)) % len(DAMAGES)]
        offset, data = damaged(contents[source], damage, rng)
        made.append(Copy(source, KINDS[source.suffix], damage, offset, data))
    return made


def load_scorer(corpus: Path) -> ModuleType:
    """../shared/corpus/score.py, imported from where it lives (it is not copied here)."""
    spec = importlib.util.spec_from_file_location("corpus_score", corpus / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("corpus_score", module)
    spec.loader.exec_module(module)
    return module


def judge(copy: Copy, scorer: ModuleType, limits: sandbox.Limits | None) -> Outcome:
    """Parse one copy in the sandbox and compare what was read with the truth."""
    try:
        report = sandbox.parse_isolated(
            copy.data, copy.name, max_bytes=MAX_BYTES, limits=limits
        )
    except ImportRefused as exc:
        status = "limit" if exc.code == errors.RESOURCE_LIMIT else "refused"
        if "程序出错" in exc.message:
            status = "error"
        return Outcome(copy, status, exc.code, exc.message)
    truth_path = copy.source.with_name(copy.source.name + ".truth.json")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    outcome = Outcome(copy, "recovered")
    if "expect_error" in truth:
        return outcome
    outcome.undetectable = (copy.kind == "txt" and _still_text(copy)) or (
        copy.kind == "pdf" and _in_plain_syntax(copy)
    )
    result = scorer.DocResult(name=copy.name, path=str(copy.source))
    scorer.compare(truth, to_interchange(report), result)
    outcome.wrong = result.wrong
    outcome.exact = result.wrong == 0 and result.missing == 0
    if not outcome.undetectable:
        out = to_interchange(report)
        outcome.silent = [
            d.path
            for d in result.diffs
            if d.kind == "wrong" and not scorer.flagged(d.path, out)
        ]
    return outcome


def _in_plain_syntax(copy: Copy) -> bool:
    """Whether a flip or zeroing in a PDF touched bytes outside any stream's data.

    Dictionaries, arrays and the xref table are plain text without a checksum: a digit
    changed in a font's width array is a valid, other file (its glyphs are placed
    elsewhere). Bytes inserted or removed there move the objects after them, which the
    xref table shows (pdf_xref); a change inside compressed stream data fails its check.
    """
    if copy.damage not in ("flip", "zero"):
        return False
    original = copy.source.read_bytes()
    for at in range(copy.offset, min(len(original), copy.offset + 64)):
        opened = original.rfind(b"stream", 0, at)
        closed = original.rfind(b"endstream", 0, at)
        if opened < 0 or opened == closed + 3:  # the last keyword was "endstream"
            return True
    return False


def _still_text(copy: Copy) -> bool:
    """Whether the damaged text still decodes as the original did (a valid, other text)."""
    original = copy.source.read_bytes()
    for encoding in ("utf-8", "gb18030", "utf-16"):
        try:
            original.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            copy.data.decode(encoding)
        except UnicodeDecodeError:
            return False
        return True
    return False


def summary(outcomes: list[Outcome]) -> dict[str, Any]:
    """Counts per kind and status, and the recovered share per kind."""
    table: dict[str, Counter[str]] = {}
    for outcome in outcomes:
        counts = table.setdefault(outcome.copy.kind, Counter())
        counts["copies"] += 1
        counts[outcome.status] += 1
        counts["exact"] += outcome.exact
        counts["silent"] += bool(outcome.silent)
    result: dict[str, Any] = {}
    for kind, counts in sorted(table.items()):
        result[kind] = dict(counts)
        result[kind]["recovered_share"] = round(
            counts["recovered"] / counts["copies"], 3
        )
    return result

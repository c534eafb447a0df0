"""Time our PDF parse against a bare pdfplumber `extract_tables()` over the same pages.

    python bench/parse_bench.py [CORPUS_DIR] [--repeat N]

For every PDF in the corpus (default: ../shared/corpus next to the repository) it prints the
best-of-N wall time of `reports.importing.pipeline.parse_bytes` (extraction, mapping and
checks) and of `pdfplumber.open(...).pages[i].extract_tables()` for all pages, and their
ratio. Our target: ratio below 1.25 and under 0.5 s for a typical 5-page report. Skips
cleanly, saying why, when the corpus is absent.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402

from reports.importing.errors import ImportRefused  # noqa: E402
from reports.importing.pipeline import parse_bytes  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def bare_tables(data: bytes) -> None:
    """What pdfplumber alone does to find and read every page's tables."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.close()


def ours(data: bytes, name: str) -> str:
    try:
        parse_bytes(data, name)
    except ImportRefused as exc:
        return exc.code
    return ""


def best_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per document (best kept)"
    )
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(
            f"skipped: corpus folder {args.corpus} is absent (see shared/corpus/README.md)"
        )
        return 0
    pdfs = sorted(args.corpus.rglob("*.pdf"))
    if not pdfs:
        print(f"skipped: no PDF under {args.corpus}")
        return 0
    print(f"{'document':48} {'pages':>5} {'ours s':>8} {'bare s':>8} {'ratio':>6}")
    total_ours = total_bare = 0.0
    typical: dict[str, float] = {}
    for path in pdfs:
        data = path.read_bytes()
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
        refused = ours(data, path.name)
        t_ours = best_of(args.repeat, lambda d=data, n=path.name: ours(d, n))
        t_bare = best_of(args.repeat, lambda d=data: bare_tables(d))
        total_ours += t_ours
        total_bare += t_bare
        name = str(path.relative_to(args.corpus))
        if 4 <= pages <= 6 and not refused:
            typical[name] = t_ours
        note = f"  (refused: {refused})" if refused else ""
        print(
            f"{name:48} {pages:5d} {t_ours:8.3f} {t_bare:8.3f} {t_ours / t_bare:6.2f}{note}"
        )
    print(
        f"{'total':48} {'':5} {total_ours:8.3f} {total_bare:8.3f} {total_ours / total_bare:6.2f}"
    )
    result = {
        "documents": len(pdfs),
        "repeat": args.repeat,
        # A typical report: 4-6 pages, not refused; each one's best time, and the slowest.
        "parse_typical_s": {name: round(t, 3) for name, t in typical.items()},
        "parse_typical_max_s": round(max(typical.values()), 3) if typical else None,
        "parse_ours_total_s": round(total_ours, 3),
        "parse_bare_total_s": round(total_bare, 3),
        "parse_ratio": round(total_ours / total_bare, 3),
    }
    print("RESULT " + json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

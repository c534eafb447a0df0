"""What parsing in the sandbox's child process costs, per document.

    python bench/sandbox_bench.py [CORPUS_DIR] [--repeat N]

With Django set up (as in the admin and the commands, so the forked child is as large as a
real one), it prints for every corpus document the best-of-N wall time of
`pipeline.parse_bytes` in this process and of `sandbox.parse_isolated`, and their
difference; then the cost of an isolated call that does no work (fork, limits, pipe,
pickle, reap). Skips cleanly, saying why, when the corpus is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from reports.importing.errors import ImportRefused  # noqa: E402
from reports.importing.intake import sandbox  # noqa: E402
from reports.importing.pipeline import parse_bytes  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
MAX_BYTES = 20 * 1024 * 1024


def best_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            work()
        except ImportRefused:
            pass
        times.append(time.perf_counter() - start)
    return min(times)


def nothing() -> None:
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3, help="runs (best kept)")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"skipped: corpus folder {args.corpus} is absent")
        return 0
    documents = sorted(
        p
        for p in args.corpus.rglob("*")
        if p.suffix in {".pdf", ".docx", ".html", ".txt"} and p.is_file()
    )
    print(f"{'document':48} {'in-process s':>12} {'isolated s':>10} {'extra ms':>8}")
    extras = []
    for path in documents:
        data = path.read_bytes()
        inline = best_of(args.repeat, lambda d=data, n=path.name: parse_bytes(d, n))
        isolated = best_of(
            args.repeat,
            lambda d=data, n=path.name: sandbox.parse_isolated(
                d, n, max_bytes=MAX_BYTES
            ),
        )
        extras.append((isolated - inline) * 1000)
        name = str(path.relative_to(args.corpus))
        print(f"{name:48} {inline:12.3f} {isolated:10.3f} {extras[-1]:8.1f}")
    empty = [
        best_of(1, lambda: sandbox.run_isolated(nothing, name="-")) * 1000
        for _ in range(20)
    ]
    print(
        f"\nextra per document: median {statistics.median(extras):.1f} ms, "
        f"max {max(extras):.1f} ms over {len(extras)} documents"
    )
    print(
        f"isolated call doing nothing: median {statistics.median(empty):.1f} ms "
        f"(fork, limits, pipe, pickle, reap)"
    )
    result = {
        "documents": len(extras),
        "sandbox_extra_median_ms": round(statistics.median(extras), 1),
        "sandbox_extra_max_ms": round(max(extras), 1),
        "sandbox_empty_call_ms": round(statistics.median(empty), 1),
    }
    print("RESULT " + json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

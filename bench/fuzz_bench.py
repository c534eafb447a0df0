"""The larger fuzz: damaged copies of the corpus, parsed in the sandbox, judged by kind.

    python bench/fuzz_bench.py [CORPUS_DIR] [--copies N] [--seed S] [--workers W]

Prints one line per copy (status, code, wrong and silent cells) as it goes, then per kind:
copies, recovered, exact, refused, stopped by a limit, crashed, and copies with a silent
wrong cell; the recovered share goes into docs/benchmarks.md by hand. Exits 1 when a copy
crashed or gave a wrong cell as certain. Skips cleanly, saying why, when the corpus is
absent. The damage is described in bench/damage.py.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from bench import damage  # noqa: E402
from reports.importing.intake import sandbox  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--copies", type=int, default=400, help="damaged copies")
    parser.add_argument("--seed", type=int, default=2026, help="random seed")
    parser.add_argument("--workers", type=int, default=2, help="parses at a time")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"skipped: corpus folder {args.corpus} is absent")
        return 0
    scorer = damage.load_scorer(args.corpus)
    limits = sandbox.Limits.from_settings()
    made = damage.copies(args.corpus, args.copies, args.seed, {"pdf", "docx", "txt"})
    start = time.perf_counter()
    outcomes = []
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        jobs = pool.map(lambda c: damage.judge(c, scorer, limits), made)
        for index, outcome in enumerate(jobs, start=1):
            outcomes.append(outcome)
            print(
                f"[{index}/{len(made)}] {outcome.copy.name:52} {outcome.status:9} "
                f"{outcome.code:18} wrong={outcome.wrong} silent={len(outcome.silent)}"
                + (" (undetectable)" if outcome.undetectable else ""),
                flush=True,
            )
    summary = damage.summary(outcomes)
    print(
        f"\n{'kind':6} {'copies':>6} {'recovered':>9} {'share':>6} {'exact':>6}"
        f" {'refused':>7} {'limit':>5} {'error':>5} {'silent':>6}"
    )
    for kind, row in summary.items():
        print(
            f"{kind:6} {row['copies']:6} {row.get('recovered', 0):9} "
            f"{row['recovered_share']:6.1%} {row.get('exact', 0):6} "
            f"{row.get('refused', 0):7} {row.get('limit', 0):5} {row.get('error', 0):5}"
            f" {row.get('silent', 0):6}"
        )
    elapsed = time.perf_counter() - start
    print(f"{len(made)} copies in {elapsed:.0f} s")
    print("RESULT " + json.dumps({"fuzz": summary, "seconds": round(elapsed, 1)}))
    bad = [o for o in outcomes if o.status == "error" or o.silent]
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Parse every variant of every document and print the variant x document matrix.

usage: python -m tests.reports.importing.variants [-v] [--json] [--strict] [--variant GLOB]
       [--doc GLOB]

A matrix cell is `ok` (every cell correct), `flag` (not all correct, but every wrong or
missing cell flagged), `REF` (refused or crashed) or `correct/total` with `wN` (wrong),
`sN` (silent), `mN` (missing cells nothing flags) and `xN` (extra cells). With --strict a
warning of the identity checks flags no cell (compare.py): only uncertain marks and the
importer's own warnings naming the cell or its row do.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import sys
import time
from collections.abc import Iterable
from typing import Any

from reports.importing.errors import ImportRefused
from reports.importing.interchange import to_interchange
from reports.importing.pipeline import parse_bytes

from . import documents
from .compare import Score, compare, refused
from .render import VARIANTS, Variant


def stem(document: str) -> str:
    return document.replace("/", "-")


def score(
    variant: Variant, document: str, truth: dict[str, Any], strict: bool = False
) -> Score:
    """Render one variant, parse it as an upload would be, and score it."""
    data, name = variant(truth, stem(document))
    try:
        report = parse_bytes(data, name)
    except ImportRefused as exc:
        return refused(truth, str(exc))
    except Exception as exc:  # a crash is reported in the matrix, not raised
        return refused(truth, f"crash {type(exc).__name__}: {exc}")
    return compare(truth, to_interchange(report), strict)


def label(result: Score) -> str:
    if result.refused:
        return "REF"
    if result.perfect:
        return "ok"
    if result.honest:
        return "flag"
    parts = [f"{result.correct}/{result.total}"]
    for tag, n in (
        ("w", result.wrong),
        ("s", result.silent),
        ("m", result.unflagged_missing),
        ("x", result.extra),
    ):
        if n:
            parts.append(f"{tag}{n}")
    return " ".join(parts)


def run(
    variants: Iterable[Variant], docs: dict[str, dict[str, Any]], strict: bool = False
) -> dict[str, dict[str, Score]]:
    return {
        v.name: {d: score(v, d, t, strict) for d, t in docs.items()} for v in variants
    }


def short(document: str) -> str:
    name = document.rsplit("/", 1)[-1]
    return name.replace("report_", "").replace("_working", "")[:8]


def print_matrix(
    results: dict[str, dict[str, Score]], verbose: bool, summary: bool = False
) -> None:
    docs = [] if summary else list(next(iter(results.values()), {}))
    width = max(len(v) for v in results)
    heads = [short(d) for d in docs]
    cols = [
        max(len(h), *(len(label(row[d])) for row in results.values()), 0)
        for h, d in zip(heads, docs, strict=True)
    ]
    print(
        f"{'variant':{width}}  {'cells':>13} {'wrong':>5} {'silent':>6} {'unflag':>6} "
        f"{'honest':>7}  "
        + "  ".join(h.ljust(c) for h, c in zip(heads, cols, strict=True))
    )
    for name, row in results.items():
        total = sum(s.total for s in row.values())
        correct = sum(s.correct for s in row.values())
        wrong = sum(s.wrong for s in row.values())
        silent = sum(s.silent for s in row.values())
        unflag = sum(s.unflagged_missing for s in row.values())
        honest = sum(s.honest for s in row.values())
        cells = "  ".join(
            label(row[d]).ljust(c) for d, c in zip(docs, cols, strict=True)
        )
        print(
            f"{name:{width}}  {f'{correct}/{total}':>13} {wrong:>5} {silent:>6} "
            f"{unflag:>6} {f'{honest}/{len(row)}':>7}  {cells}"
        )
    if verbose:
        print()
        for name, row in results.items():
            _print_first_problem(name, row)


def _print_first_problem(name: str, row: dict[str, Score]) -> None:
    """The first problem of a variant (refusal, or first unflagged/imperfect cell)."""
    bad = [(d, s) for d, s in row.items() if not s.perfect]
    if not bad:
        return
    document, result = next(((d, s) for d, s in bad if not s.honest), bad[0])
    problem = result.first_problem() or next(iter(result.diffs), None)
    what = result.refused or (
        f"{problem.kind} {problem.path}: truth {problem.truth!r}, output {problem.output!r}"
        f"{' (flagged)' if problem.flagged else ''}"
        if problem
        else ""
    )
    print(f"{name} ({len(bad)} docs) e.g. {document}: {what[:200]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", action="append", default=[], metavar="GLOB")
    parser.add_argument("--doc", action="append", default=[], metavar="GLOB")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="first problem of each"
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--strict", action="store_true", help="identity warnings flag no cell"
    )
    parser.add_argument(
        "--failing", action="store_true", help="only variants not read right everywhere"
    )
    parser.add_argument(
        "--summary", action="store_true", help="no per-document columns"
    )
    args = parser.parse_args(argv)
    if not documents.shared_present():
        print(
            "note: ../shared is absent; only the synthetic 2019 report is used",
            file=sys.stderr,
        )
    docs = {
        d: t
        for d, t in documents.load().items()
        if not args.doc or any(fnmatch.fnmatch(d, g) for g in args.doc)
    }
    variants = [
        v
        for v in VARIANTS
        if not args.variant or any(fnmatch.fnmatch(v.name, g) for g in args.variant)
    ]
    start = time.monotonic()
    results = run(variants, docs, args.strict)
    if args.failing:
        results = {
            v: row
            for v, row in results.items()
            if not all(s.perfect for s in row.values())
        }
    if args.json:
        payload = {
            v: {
                d: {
                    k: getattr(s, k)
                    for k in (
                        "correct",
                        "total",
                        "wrong",
                        "missing",
                        "extra",
                        "silent",
                        "unflagged_missing",
                        "refused",
                    )
                }
                for d, s in row.items()
            }
            for v, row in results.items()
        }
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        if results:
            print_matrix(results, args.verbose, args.summary)
        print(
            f"\n{len(variants)} variants × {len(docs)} documents in {time.monotonic() - start:.1f} s"
        )
    return 0

"""A parse against its truth, cell by cell, with the rules of ../shared/corpus/score.py.

Every truth cell (table2/3/4 row.column, plus year and format) is correct, wrong or missing;
cells in the truth's `uncertain` list are skipped. A wrong cell is *silent* unless the output
points a reviewer at it: the cell is in the output's `uncertain` list, or a warning's `where`
is the cell path or its row path (a warning about a whole table does not count). Beyond the
scorer, a missing cell is also counted as unflagged when nothing names it or its row, and
non-null cells the truth does not have are `extra`.

In strict mode a warning of the identity checks (spec §6: "T3-balance", …) does not flag a
cell: it says that some number of an equation is off, not that this one was misread, and a
misplaced value that happens to break an identity must still be caught by the importer itself.
Only uncertain marks and the importer's own warnings naming the cell or its row count.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from reports import schema
from reports.core.identities import IDENTITY_RULES

TOP_FIELDS = ("year", "format")


@dataclass
class Diff:
    path: str
    kind: str  # wrong | missing | extra
    truth: Any = None
    output: Any = None
    flagged: bool = False


@dataclass
class Score:
    """The counts of one parse; `refused` holds the refusal message when there was none."""

    correct: int = 0
    total: int = 0
    wrong: int = 0
    missing: int = 0
    extra: int = 0
    silent: int = 0
    unflagged_missing: int = 0
    refused: str = ""
    diffs: list[Diff] = field(default_factory=list)

    @property
    def perfect(self) -> bool:
        return self.correct == self.total and self.extra == 0 and not self.refused

    @property
    def honest(self) -> bool:
        """Every cell correct, or every wrong or missing cell flagged; nothing invented."""
        return (
            not self.refused
            and self.silent == 0
            and self.unflagged_missing == 0
            and self.extra == 0
        )

    def first_problem(self) -> Diff | None:
        """The first wrong or missing cell nothing flags (else the first extra cell)."""
        for diff in self.diffs:
            if diff.kind in ("wrong", "missing") and not diff.flagged:
                return diff
        return next((d for d in self.diffs if d.kind == "extra"), None)


def same(truth: Any, out: Any) -> bool:
    """Numbers and decimal strings compare by value; null equals only null."""
    if truth is None or out is None:
        return truth is None and out is None
    try:
        return Decimal(str(truth).strip()) == Decimal(str(out).strip())
    except InvalidOperation:
        return str(truth).strip() == str(out).strip()


def is_uncertain(path: str, patterns: list[str]) -> bool:
    return any(p == path or fnmatch.fnmatchcase(path, p) for p in patterns)


def is_flagged(path: str, out: dict[str, Any], strict: bool = False) -> bool:
    """Whether the output names the cell as uncertain, or a warning names it or its row
    (in strict mode, a warning other than an identity check's)."""
    marks = out.get("uncertain") or []
    if any(isinstance(m, str) and fnmatch.fnmatchcase(path, m) for m in marks):
        return True
    cell = (out.get("cells") or {}).get(path)
    if isinstance(cell, dict) and cell.get("uncertain"):
        return True
    row = path.rsplit(".", 1)[0]
    return any(
        isinstance(w, dict)
        and w.get("where") in (path, row)
        and not (strict and w.get("code") in IDENTITY_RULES)
        for w in out.get("warnings") or []
    )


def compare(truth: dict[str, Any], out: dict[str, Any], strict: bool = False) -> Score:
    """Score one interchange-JSON output against its truth (`strict`: see the module)."""
    score = Score()
    uncertain = [u for u in truth.get("uncertain", []) if isinstance(u, str)]
    for key in TOP_FIELDS:
        if key not in truth:
            continue
        score.total += 1
        if key not in out:
            _add(
                score,
                Diff(key, "missing", truth[key], None, is_flagged(key, out, strict)),
            )
        elif str(truth[key]).strip() == str(out[key]).strip():
            score.correct += 1
        else:
            # score.py's code flags year/format only by a warning whose where is the key
            _add(
                score,
                Diff(key, "wrong", truth[key], out[key], is_flagged(key, out, strict)),
            )
    for table in schema.TABLE_KEYS:
        truth_rows = truth.get(table) if isinstance(truth.get(table), dict) else {}
        out_rows = out.get(table) if isinstance(out.get(table), dict) else {}
        for row, cells in truth_rows.items():
            if not isinstance(cells, dict):
                continue
            out_row = out_rows.get(row) if isinstance(out_rows.get(row), dict) else None
            for column, expected in cells.items():
                path = schema.cell_path(table, row, column)
                if is_uncertain(path, uncertain):
                    continue
                score.total += 1
                if out_row is None or column not in out_row:
                    _add(
                        score,
                        Diff(
                            path,
                            "missing",
                            expected,
                            None,
                            is_flagged(path, out, strict),
                        ),
                    )
                elif same(expected, out_row[column]):
                    score.correct += 1
                else:
                    got = out_row[column]
                    _add(
                        score,
                        Diff(
                            path, "wrong", expected, got, is_flagged(path, out, strict)
                        ),
                    )
        for row, cells in out_rows.items():
            truth_row = (
                truth_rows.get(row) if isinstance(truth_rows.get(row), dict) else {}
            )
            for column, got in (cells or {}).items():
                path = schema.cell_path(table, row, column)
                if got is None or column in truth_row or is_uncertain(path, uncertain):
                    continue
                _add(score, Diff(path, "extra", None, got))
    return score


def _add(score: Score, diff: Diff) -> None:
    score.diffs.append(diff)
    if diff.kind == "wrong":
        score.wrong += 1
        score.silent += not diff.flagged
    elif diff.kind == "missing":
        score.missing += 1
        score.unflagged_missing += not diff.flagged
    else:
        score.extra += 1


def refused(truth: dict[str, Any], message: str) -> Score:
    """A refused parse: every truth cell is missing, none flagged."""
    score = compare(truth, {}, strict=True)
    score.refused = message
    return score

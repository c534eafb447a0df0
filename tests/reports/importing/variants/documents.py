"""The truths the variants are rendered from: the corpus, the real pages and a 2019 report.

Every `*.truth.json` of ../shared/corpus and ../shared/real-pages that has tables (not an
`expect_error` one) is used once: truths with identical content (a PDF and the DOCX of the
same generated report) are one document. Two synthetic truths built from reports/schema.py
(2019 layout, beyond real page 016, and 2021) add distinct values that satisfy the identities.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reports import schema

REPO = Path(__file__).resolve().parents[4]
SHARED = (REPO / ".." / "shared").resolve()
FOLDERS = (SHARED / "corpus", SHARED / "real-pages")
TRUTH_SUFFIX = ".truth.json"
SCORED_KEYS = ("year", "format", *schema.TABLE_KEYS, "uncertain")


def shared_present() -> bool:
    return all(folder.is_dir() for folder in FOLDERS)


def load() -> dict[str, dict[str, Any]]:
    """Document id -> truth, in a stable order; the synthetic reports always come last."""
    documents: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    for folder in FOLDERS:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*" + TRUTH_SUFFIX), key=_shortest_first):
            truth = json.loads(path.read_text("utf-8"))
            if "expect_error" in truth or not any(
                truth.get(t) for t in schema.TABLE_KEYS
            ):
                continue
            key = json.dumps({k: truth.get(k) for k in SCORED_KEYS}, sort_keys=True)
            if key in seen:
                continue
            seen.add(key)
            name = path.name[: -len(TRUTH_SUFFIX)]
            documents[f"{folder.name}/{Path(name).stem}"] = truth
    documents["synthetic/y2019"] = synthetic(schema.Layout.Y2019)
    documents["synthetic/y2021"] = synthetic(schema.Layout.Y2021)
    return documents


def _shortest_first(path: Path) -> tuple[str, int, str]:
    """Folder order, then the shortest name, so report_full names the generated twins."""
    return (str(path.parent), len(path.name), path.name)


def synthetic(layout: schema.Layout) -> dict[str, Any]:
    """A report of the layout with distinct values (a negative 本年增/减, counts over 1000,
    a six-digit money amount) that satisfy the identities of spec §6, so that identity
    warnings do not flag every row and a misread cell stands out as silent."""
    tables = schema.tables_for(layout)
    table2: dict[str, dict[str, Any]] = {}
    for i, row in enumerate(tables["table2"].rows, start=1):
        cells: dict[str, Any] = {}
        for j, column in enumerate(row.columns, start=1):
            value: Any = 600 + 10 * i + j
            if column.kind == schema.Kind.SIGNED and i % 2:
                value = -value
            if column.kind == schema.Kind.MONEY:
                value = f"{value * 1000}.25"
            cells[column.key] = value
        table2[row.key] = cells
    # The 2021 report leaves a column blank in tables 三 and 四 (null, never 0).
    blank = {"research", "other"} if layout == schema.Layout.Y2021 else set()
    table3 = _consistent_table3(tables["table3"], blank)
    table4 = {}
    for i, row in enumerate(tables["table4"].rows):
        parts = {key: 1800 + 5 * i + j for j, key in enumerate(schema.TABLE4_PARTS)}
        total = sum(v for k, v in parts.items() if k not in blank)
        table4[row.key] = {**_blanked(parts, blank), "total": total}
    return {
        "agency": "示例市交通运输局"
        if layout == schema.Layout.Y2019
        else "示例区司法局",
        "year": 2020 if layout == schema.Layout.Y2019 else 2023,
        "format": layout.value,
        "table2": table2,
        "table3": table3,
        "table4": table4,
    }


def _blanked(cells: dict[str, int], blank: set[str]) -> dict[str, int | None]:
    return {k: None if k in blank else v for k, v in cells.items()}


def _consistent_table3(
    table: schema.Table, blank: set[str]
) -> dict[str, dict[str, int | None]]:
    """Result rows 1, 2, 3…; （七）总计 their sum; 本年新收 balances the columns; 总计 adds."""
    parts = [c for c in schema.TABLE3_PARTS if c not in blank]
    rows: dict[str, dict[str, int]] = {}
    edges = ("new_received", "carried_over", "total_processed", "carried_forward")
    results = [key for key in table.row_keys if key not in edges]
    for k, key in enumerate(results):
        rows[key] = {c: 6 * k + j + 1 for j, c in enumerate(parts)}
    processed = {c: sum(rows[key][c] for key in results) for c in parts}
    forward = {c: 200 + j for j, c in enumerate(parts)}
    over = {c: 300 + j for j, c in enumerate(parts)}
    rows["total_processed"] = processed
    rows["carried_forward"] = forward
    rows["carried_over"] = over
    rows["new_received"] = {c: processed[c] + forward[c] - over[c] for c in parts}
    return {
        r.key: {
            **{c: rows[r.key].get(c) for c in schema.TABLE3_PARTS},
            "total": sum(rows[r.key].values()),
        }
        for r in table.rows
    }

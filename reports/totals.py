"""Per-report totals the overview's trends sum, stored on the report itself.

The trends chart sums applications received, the outcomes and the table 四 totals per year:
at 100,000 reports, summing the table rows reads ~2.5 million rows (seconds), while the same
figures kept on the report are a few columns of 100,000 rows (milliseconds). They are
derived data: `totals_refresh` works them out from the table rows in one UPDATE, and every
path that writes table rows calls it (import, new revision, hand edits); the bulk writer of
synthetic data sets them from the parsed cells with `totals_of`, the same sums in Python.
tests/reports/test_totals.py checks each path against the rows.

A total is the sum of the rows' 总计 column over the rows present; None when the report has
none of those rows or none of them has a number (not 0: a blank is not a zero).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from reports import schema
from reports.models import AnnualReport, Table3Row, Table4Row

# Table 三 result rows by outcome (spec §3); the 2019 `other_processing` row and the 2021
# other_* rows are both 其他处理.
OUTCOMES: tuple[tuple[str, str], ...] = (
    ("granted", "予以公开"),
    ("partially_granted", "部分公开"),
    ("withheld", "不予公开"),
    ("unavailable", "无法提供"),
    ("not_processed", "不予处理"),
    ("other", "其他处理"),
)
REVIEW_BLOCKS: tuple[tuple[str, str], ...] = (
    ("review", "行政复议"),
    ("litigation_direct", "行政诉讼（未经复议直接起诉）"),
    ("litigation_after_review", "行政诉讼（复议后起诉）"),
)


def _outcome_of(row_key: str) -> str | None:
    if row_key in ("granted", "partially_granted"):
        return row_key
    for prefix in ("withheld", "unavailable", "not_processed", "other"):
        if row_key.startswith(prefix + "_"):
            return prefix
    return None


OUTCOME_ROWS: dict[str, str] = {
    row.key: outcome
    for table in (schema.TABLE3_2021, schema.TABLE3_2019)
    for row in table.rows
    if (outcome := _outcome_of(row.key)) is not None
}

# Stored field -> (table, the rows whose 总计 it sums).
TOTAL_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "total_applications": ("table3", ("new_received",)),
    **{
        f"total_{outcome}": (
            "table3",
            tuple(sorted(r for r, o in OUTCOME_ROWS.items() if o == outcome)),
        )
        for outcome, _ in OUTCOMES
    },
    **{f"total_{block}": ("table4", (block,)) for block, _ in REVIEW_BLOCKS},
}

_ROW_MODELS = {"table3": Table3Row, "table4": Table4Row}


def _summed(table: str, rows: tuple[str, ...]) -> Subquery:
    """The sum of the rows' 总计 for the outer report (NULL when no row has a number)."""
    model = _ROW_MODELS[table]
    return Subquery(
        model.objects.filter(report=OuterRef("pk"), row_key__in=rows)
        .values("report")
        .annotate(s=Sum("total"))
        .values("s"),
        output_field=IntegerField(),
    )


def totals_refresh(report_ids: Iterable[int]) -> int:
    """Work out the stored totals of these reports from their table rows; returns how many
    reports were updated. Call it after writing table rows, inside the same transaction."""
    ids = list(report_ids)
    updated = 0
    for start in range(0, len(ids), 5000):
        updated += AnnualReport.objects.filter(pk__in=ids[start : start + 5000]).update(
            **{
                field: _summed(table, rows)
                for field, (table, rows) in TOTAL_FIELDS.items()
            }
        )
    return updated


def totals_of(
    tables: Mapping[str, Mapping[str, Mapping[str, Any]]],
) -> dict[str, int | None]:
    """The stored totals of a report about to be written, from its parsed tables.

    The same sums as `totals_refresh` (each field's rows' 总计, None where no row has a
    number), worked out before the rows exist: bulk writers (generate_synthetic) set them
    on the new reports instead of updating 100,000 rows afterwards. `tables` maps table ->
    row key -> column -> cell (anything with a `.value`).
    """
    out: dict[str, int | None] = {}
    for field, (table, rows) in TOTAL_FIELDS.items():
        present = tables.get(table, {})
        numbers = [
            cell.value
            for row in rows
            if (cell := present.get(row, {}).get("total")) is not None
            and cell.value is not None
        ]
        out[field] = sum(numbers) if numbers else None
    return out


def totals_sums() -> dict[str, Coalesce]:
    """Aggregates summing the stored totals over a report queryset (0 where none)."""
    return {
        field: Coalesce(Sum(field), 0, output_field=IntegerField())
        for field in TOTAL_FIELDS
    }

"""The layout of a report (2019 or 2021 form), from table 二's words and table 三's rows."""

from __future__ import annotations

from reports import schema
from reports.core.parsed import ParsedReport, ParseWarning
from reports.importing import labels
from reports.importing.mapping.stream import (
    RowRead,
)
from reports.importing.mapping.walk import Walk


def detect_layout(
    reads: dict[str, list[RowRead]], walk: Walk, year: int | None, report: ParsedReport
) -> str:
    words = " ".join(walk.readers["table2"].header_text)
    words += " ".join(r.label for r in reads["table2"])
    prose_keys = {p[0] for r in reads["table2"] if r.prose for p in r.prose.pairs}
    t2019 = bool(labels.TABLE2_2019_WORDS.search(words) or prose_keys & _T2_2019_ONLY)
    t2021 = bool(labels.TABLE2_2021_WORDS.search(words) or prose_keys & _T2_2021_ONLY)
    t3_keys = {r.key for r in reads["table3"]}
    if t2019 and not t2021 and t3_keys & set(schema.OTHER_2021_ROWS):
        # table 二's words say 2019, table 三's rows exist only in 2021: the rows win
        # (table 二's values are then uncertain: values.foreign_columns)
        layout = schema.Layout.Y2021
        report.warnings.append(
            ParseWarning(
                "layout_mixed",
                "表二的表头是 2019 版表格的列名，而表三印有 2021 版表格才有的行，"
                "按 2021 版表格读取，表二中列名不符的数值均标为存疑，请核对",
                "format",
            )
        )
    elif t2019 and not t2021:
        layout = schema.Layout.Y2019
    elif t2021 and not t2019:
        layout = schema.Layout.Y2021
    elif t3_keys & set(schema.OTHER_2021_ROWS):
        layout = schema.Layout.Y2021
    elif year is not None:
        layout = schema.layout_for_year(year)
    else:
        layout = schema.Layout.Y2021
    if year is not None and layout != schema.layout_for_year(year):
        report.warnings.append(
            ParseWarning(
                "layout_year_mismatch",
                f"{year} 年度的年报应使用 {schema.LAYOUT_LABELS[schema.layout_for_year(year)]}"
                f"表格，而本文件使用 {schema.LAYOUT_LABELS[layout]}",
                "table2",
            )
        )
    return str(layout)


_T2_2019_ONLY = frozenset(
    {
        "new_made",
        "new_published",
        "total_published",
        "previous_items",
        "change",
        "projects",
    }
)
_T2_2021_ONLY = frozenset({"issued", "repealed", "in_force"})

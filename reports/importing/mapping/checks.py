"""Checks on the mapped tables: rows missing or left without values, headers read only by
closeness, the （六）其他处理 group, title and agency.
"""

from __future__ import annotations

from reports import schema
from reports.core.parsed import ParsedReport, ParseWarning
from reports.importing import labels
from reports.importing.mapping import columns as header_columns
from reports.importing.mapping import metadata
from reports.importing.mapping.tables import row_name
from reports.importing.mapping.walk import TABLES, Walk
from reports.importing.normalize import compact


def warn_fuzzy_headers(table: str, walk: Walk, report: ParsedReport) -> None:
    """A header text taken for a column only by closeness is reported, naming the column."""
    reader = walk.readers[table]
    names = {
        c.key: c.label
        for c in (
            *schema.TABLE3_COLUMNS,
            *schema.TABLE4_COLUMNS,
            *(
                c
                for t in (schema.TABLE2_2019, schema.TABLE2_2021)
                for r in t.rows
                for c in r.columns
            ),
        )
    }
    for words, key in header_columns.fuzzy_columns(reader.headers, reader.text_header):
        report.warnings.append(
            ParseWarning(
                "header_fuzzy",
                f"{schema.TABLE_LABELS[table]}的表头“{words[:20]}”与标准列名不完全相同，"
                f"按「{names.get(key, key)}」列读取，请核对该列的数值",
                table,
            )
        )


def flag_valueless(table: str, report: ParsedReport, layout: str) -> None:
    """Rows that printed no value in a table where some numbers found no row: those
    numbers may be theirs (a label cut so that its first part names nothing), so the
    blank cells of every such row are uncertain, and a warning names the row."""
    for key, cells in report.tables.get(table, {}).items():
        if key == schema.OTHER_ONE_ROW or not cells:
            continue
        if any(c.value is not None or (c.raw or "").strip() for c in cells.values()):
            continue
        report.flag_row_uncertain(table, key)
        report.warnings.append(
            ParseWarning(
                "row_without_values",
                f"{schema.TABLE_LABELS[table]}的{row_name(table, key, layout)}行没有读到数值，"
                "而本表另有找不到行名的数值，可能属于这一行，请对照原文核对",
                f"{table}.{key}",
            )
        )


def drop_group_other(report: ParsedReport) -> None:
    """（六）其他处理 printed as a group heading over the three 2021 rows is not a row."""
    rows = report.tables.get("table3", {})
    if schema.OTHER_ONE_ROW not in rows:
        return
    cells = rows[schema.OTHER_ONE_ROW]
    has_parts = any(k in rows for k in schema.OTHER_2021_ROWS)
    if has_parts and all(
        c.value is None and not (c.raw or "").strip() for c in cells.values()
    ):
        del rows[schema.OTHER_ONE_ROW]
    elif has_parts:
        report.warnings.append(
            ParseWarning(
                "other_rows_mixed",
                "表三同时印有“（六）其他处理”一行的数值和其下的三个分项",
                "table3.other_processing",
            )
        )
        # the group's values may be those of a part whose own label named nothing
        flag_valueless_parts(report)
    elif report.format == schema.Layout.Y2021:
        report.warnings.append(
            ParseWarning(
                "other_one_row",
                "表三的“（六）其他处理”印为一行（2021 版表格应分为三个分项），按一行记录",
                "table3.other_processing",
            )
        )


def flag_valueless_parts(report: ParsedReport) -> None:
    rows = report.tables["table3"]
    for key in schema.OTHER_2021_ROWS:
        cells = rows.get(key) or {}
        if any(c.value is not None or (c.raw or "").strip() for c in cells.values()):
            continue
        report.flag_row_uncertain("table3", key)
        if cells:
            report.warnings.append(
                ParseWarning(
                    "row_without_values",
                    f"表三的“{labels.row_label('table3', key)}”行没有读到数值，"
                    "而“（六）其他处理”一行印有数值，可能是本行的，请对照原文核对",
                    f"table3.{key}",
                )
            )


def warn_absent(report: ParsedReport, walk: Walk) -> None:
    one_row = schema.OTHER_ONE_ROW in report.tables.get("table3", {})
    tables = schema.tables_for(report.format, one_row_other=one_row)
    for table in TABLES:
        found = report.tables.get(table, {})
        label = schema.TABLE_LABELS[table]
        if not found:
            where = (
                "未找到标题和表格"
                if table not in walk.headings
                else "有标题但未读出表格"
            )
            report.warnings.append(
                ParseWarning(
                    "table_missing", f"{label}{where}，其数值按缺失（非 0）处理", table
                )
            )
            continue
        missing = [r.key for r in tables[table].rows if r.key not in found]
        if 0 < len(missing) and (
            len(missing) <= _MISSING_NAMED or table in walk.orphaned
        ):
            # numbers that found no row may be a missing row's: each is named
            # A few rows: each warning names its row, so the grid marks where to look.
            for key in missing:
                name = row_name(table, key, report.format)
                report.warnings.append(
                    ParseWarning(
                        "rows_missing",
                        f"{label}缺少 {name} 行：文件中没有读到这一行（或其行名无法识别），"
                        "按缺失（非 0）处理，请核对原文",
                        f"{table}.{key}",
                    )
                )
        elif missing:
            # Many rows: the document stops or skips a block (truncated, cut excerpt).
            names = "、".join(row_name(table, k, report.format) for k in missing)
            report.warnings.append(
                ParseWarning(
                    "rows_missing",
                    f"{label}缺少 {len(missing)} 行：{names}。文件中没有这些行，按缺失（非 0）处理",
                    table,
                )
            )


# Up to this many missing rows of a table are warned about one by one.
_MISSING_NAMED = 3


def warn_meta(meta: metadata.Metadata, report: ParsedReport) -> None:
    if meta.year is None:
        report.warnings.append(
            ParseWarning("year_unknown", "无法从标题或正文确定报告年度")
        )
    if not meta.agency:
        report.warnings.append(
            ParseWarning("agency_unknown", "无法从标题或正文确定机关名称")
        )
    elif meta.from_body:
        report.warnings.append(
            ParseWarning(
                "title_missing",
                f"未找到标题，机关名称“{meta.agency}”和年度 {meta.year} 取自正文，请核对",
            )
        )
    for key, variants in schema.SECTION_HEADING_VARIANTS.items():
        heading = compact(meta.headings.get(key, ""))
        if heading and any(compact(v) in heading for v in variants):
            report.warnings.append(
                ParseWarning(
                    "heading_variant",
                    f"章节标题“{meta.headings[key]}”与标准格式“{schema.SECTION_HEADINGS[key]}”不同",
                    key,
                )
            )

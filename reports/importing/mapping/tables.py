"""A table's rows read into cells: columns, precedence of two reads of a row, warnings.

Each RowRead is attributed to its columns (values.py) once the layout is known; what cannot
be read with certainty is kept uncertain, with a warning naming table, row and column.
"""

from __future__ import annotations

from collections.abc import Callable

from reports import schema
from reports.core.parsed import ParsedCell, ParsedReport, ParseWarning
from reports.importing import labels
from reports.importing.mapping import columns as header_columns
from reports.importing.mapping import damage, prose
from reports.importing.mapping import values as cell_values
from reports.importing.mapping.stream import (
    RowRead,
    has_numbers,
)
from reports.importing.mapping.walk import Walk


def _columns_for(
    table: str, row_key: str, layout: str
) -> tuple[tuple[str, schema.Column], ...]:
    if table == "table4":
        return tuple(
            (f"{block}.{c.key}", c)
            for block in labels.TABLE4_BLOCKS
            for c in schema.TABLE4_COLUMNS
        )
    row = schema.allowed_rows(table, layout).get(row_key)
    if row is None:
        return ()
    return tuple((c.key, c) for c in row.columns)


def text_order_of(
    table: str, walk: Walk, report: ParsedReport
) -> tuple[str, ...] | None:
    """Table 三's columns in the order its text header prints them, when that is not the
    form's order (a reviewer is told: the values were read in the header's order)."""
    if table != "table3":
        return None
    order = header_columns.text_order(walk.readers[table].text_header)
    canonical = tuple(c.key for c in schema.TABLE3_COLUMNS)
    if order is None or order == canonical:
        return None
    if order == header_columns.UNKNOWN_ORDER:
        report.warnings.append(
            ParseWarning(
                "column_order",
                "表三的表头列顺序与标准表格不同，且有列名无法识别，"
                "各行数值所在的列无法确定，均标为存疑，请对照原文核对",
                table,
            )
        )
        return order
    label = {c.key: c.label for c in schema.TABLE3_COLUMNS}
    names = "、".join(label[k] for k in order)
    report.warnings.append(
        ParseWarning(
            "column_order",
            f"表三的表头列顺序与标准表格不同（{names}），各行数值已按表头的顺序读取，请核对",
            table,
        )
    )
    return order


def table_cells(
    table: str,
    reads: list[RowRead],
    layout: str,
    report: ParsedReport,
    order: tuple[str, ...] | None = None,
) -> dict[str, dict[str, ParsedCell]]:
    rows: dict[str, dict[str, ParsedCell]] = {}
    unprinted: list[str] = []
    for read in sorted(reads, key=_precedence(reads)):
        assert read.key is not None
        columns = _columns_for(table, read.key, layout)
        if not columns:
            report.warnings.append(
                ParseWarning(
                    "row_not_in_layout",
                    f"{schema.TABLE_LABELS[table]}的“{read.label[:30]}”行不属于"
                    f"{schema.LAYOUT_LABELS[layout]}表格，未采用",
                    f"{table}.{read.key}",
                    read.page,
                )
            )
            continue
        if read.prose is not None:
            resolved = _resolve_prose(read.prose, columns)
            if read.noted:
                _note_only(resolved, columns)
        else:
            resolved = cell_values.resolve(read, columns, order)
        if table == "table4":
            if damage.suspect(read):
                block = read.key if read.key != "data" else ""
                keys = [k for k, _ in columns if k.startswith(block)]
                damage.flag(report, table, read, resolved.cells, keys)
            _split_table4(resolved, rows, report, read)
            continue
        if read.key in rows and read.match is not None:
            _warn_label(report, table, read, layout, taken=False)
            continue
        if read.key in rows:
            report.warnings.append(
                ParseWarning(
                    "duplicate_row",
                    f"{schema.TABLE_LABELS[table]}的“{read.label[:30]}”行出现了两次，采用第一次",
                    f"{table}.{read.key}",
                    read.page,
                )
            )
            continue
        if read.match is not None:
            _warn_label(report, table, read, layout, taken=True)
            if read.match.how == "ambiguous":
                resolved.uncertain.extend(
                    key for key, _ in columns if key not in resolved.uncertain
                )
        if damage.suspect(read):
            damage.flag(report, table, read, resolved.cells, [k for k, _ in columns])
        rows[read.key] = resolved.cells
        _record(report, table, read.key, resolved, read)
        if resolved.unprinted and read.key != schema.OTHER_ONE_ROW:
            unprinted.append(read.key)
    if unprinted and table == "table3":
        names = "、".join(row_name(table, k, layout) for k in unprinted[:8])
        more = f"等 {len(unprinted)} 行" if len(unprinted) > 8 else ""
        report.warnings.append(
            ParseWarning(
                "blank_rows",
                f"{schema.TABLE_LABELS[table]}的 {names}{more} 没有印出任何数值，按空白（非 0）记录",
                table,
            )
        )
    printed = dict.fromkeys([*(r.key for r in reads), *rows])  # rows in printed order
    return {key: rows[key] for key in printed if key in rows}


def _precedence(reads: list[RowRead]) -> Callable[[RowRead], int]:
    """Which of two reads of one row is kept: a row named by a keyword before a close
    match, unless it prints nothing where the close match prints values (a label's tail on
    a line of its own after the row: "2.其他法律行 61 62 …" / "政法规禁止公开").
    """
    printed = {r.key for r in reads if r.match is not None and has_numbers(r.values)}

    def rank(read: RowRead) -> int:
        # a row read from damaged text (U+FFFD) gives way to a clean read of the same row
        later = 3 if damage.suspect(read) else 0
        if read.match is not None:
            return later + 1
        return later + (
            2 if read.key in printed and not has_numbers(read.values) else 0
        )

    return rank


def _warn_label(
    report: ParsedReport, table: str, read: RowRead, layout: str, *, taken: bool
) -> None:
    """Say which row a label that no keyword named was read as, and how sure that is."""
    match = read.match
    assert match is not None and read.key is not None
    label = schema.TABLE_LABELS[table]
    name = row_name(table, read.key, layout)
    start = f"{label}的行名“{read.label[:30]}”与标准行名不完全相同，最接近{name}"
    start += f"（相似度 {match.score:.2f}）"
    if not taken:
        message = f"{start}，但该行已另有印出，本行数值未采用"
        code = "label_fuzzy"
    elif match.how == "ambiguous":
        others = "、".join(
            f"{row_name(table, k, layout)}（{s:.2f}）" for k, s in match.alternatives
        )
        near = f"，与{others}也相近" if others else ""
        message = f"{start}{near}，暂按该行记录，本行数值均标为存疑"
        code = "label_ambiguous"
    else:
        message = f"{start}，按该行读取，请核对"
        code = "label_fuzzy"
    report.warnings.append(
        ParseWarning(code, message, f"{table}.{read.key}", read.page)
    )


def row_name(table: str, key: str, layout: str) -> str:
    row = schema.allowed_rows(table, layout).get(key)
    if row is None:
        return key
    return f"「{row.short_label or row.label}」"


def _record(
    report: ParsedReport,
    table: str,
    row_key: str,
    resolved: cell_values.Resolved,
    read: RowRead,
) -> None:
    for column in resolved.uncertain:
        report.flag_uncertain(schema.cell_path(table, row_key, column))
    for problem in dict.fromkeys(resolved.problems):
        report.warnings.append(
            ParseWarning(
                "cell_unreadable",
                f"{schema.TABLE_LABELS[table]}「{read.label[:30] or row_key}」：{problem}",
                f"{table}.{row_key}",
                read.page,
            )
        )


def _split_table4(
    resolved: cell_values.Resolved,
    rows: dict[str, dict[str, ParsedCell]],
    report: ParsedReport,
    read: RowRead,
) -> None:
    row_key = read.key
    assert row_key is not None  # table_cells reads only rows it has named
    prose_block = row_key if row_key != "data" else None
    for block in labels.TABLE4_BLOCKS:
        if prose_block and block != prose_block:
            continue
        rows.setdefault(block, {})
    for key, cell in resolved.cells.items():
        block, column = key.split(".", 1) if "." in key else (row_key, key)
        rows.setdefault(block, {})[column] = cell
    uncertain = []
    for key in resolved.uncertain:
        block, column = key.split(".", 1) if "." in key else (row_key, key)
        uncertain.append(f"{block}.{column}")
    for path in uncertain:
        report.flag_uncertain(f"table4.{path}")
    for problem in dict.fromkeys(resolved.problems):
        report.warnings.append(
            ParseWarning("cell_unreadable", f"表四：{problem}", "table4", read.page)
        )


def _note_only(
    resolved: cell_values.Resolved, columns: tuple[tuple[str, schema.Column], ...]
) -> None:
    """A row given only by a sentence beside a table: kept, every cell uncertain."""
    for cell in resolved.cells.values():
        cell.uncertain = True
    resolved.uncertain = [key for key, _ in columns]
    resolved.problems.append(
        "本行未在表格中读到，数值取自表格旁的文字说明，均标为存疑，请对照原文核对"
    )


def _resolve_prose(
    row: prose.ProseRow, columns: tuple[tuple[str, schema.Column], ...]
) -> cell_values.Resolved:
    result = cell_values.Resolved()
    wanted = dict(columns)
    block = row.key
    for column_key, number, cell in row.pairs:
        key = column_key if column_key in wanted else f"{block}.{column_key}"
        if key not in wanted:
            result.problems.append(f"“{number}”所在的列不属于本行，未采用")
            continue
        parsed, problem = cell_values.to_parsed(cell, wanted[key])
        if problem:
            result.problems.append(problem)
        result.cells[key] = parsed
    for text in row.unknown:
        result.problems.append(f"无法识别“{text}”所指的列，未采用")
    return result

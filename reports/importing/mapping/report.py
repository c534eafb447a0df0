"""Map a Grid to the canonical report: sections, layout, rows, columns, values, warnings.

The walk over the grid's rows follows the section headings; rows of tables 二, 三 and 四 go to
a TableReader each (stream.py); the rows found are then attributed to columns (cells.py) once
the layout is known. What cannot be read with certainty is left out or flagged, with a
warning in Chinese naming table, row and column; identities are checked last.
"""

from __future__ import annotations

from collections.abc import Callable

from reports import schema
from reports.importing import labels
from reports.importing.errors import NOT_ANNUAL_REPORT, ImportRefused
from reports.importing.extract.rows import Grid, Row
from reports.importing.mapping import columns as header_columns
from reports.importing.mapping import identities, metadata, prose
from reports.importing.mapping import values as cell_values
from reports.importing.mapping.stream import (
    RowRead,
    TableReader,
    has_numbers,
    split_row,
)
from reports.importing.normalize import compact, read_value
from reports.importing.parsed import ParsedCell, ParsedReport, ParseWarning

TABLES = schema.TABLE_KEYS


def map_grid(grid: Grid) -> ParsedReport:
    """Read a Grid into a ParsedReport, or refuse a document that is not an annual report."""
    walk = _Walk()
    for row in grid.rows:
        walk.feed(row)
    meta = metadata.read(grid.text, grid.title)
    report = ParsedReport(agency=meta.agency, year=meta.year, format="")
    report.title = meta.title
    report.publication_date = meta.published
    # The document's running text is kept with the report: reviewers check against it.
    report.raw_text = grid.text
    report.sections = {k: v for k, v in meta.sections.items() if v}
    reads = {t: walk.finish(t) for t in TABLES}
    report.warnings.extend(walk.warnings)  # after finish(): it adds the orphan values
    if not any(reads.values()) and not walk.headings:
        raise ImportRefused(
            NOT_ANNUAL_REPORT,
            "文件中既没有年报的章节标题（如“二、主动公开政府信息情况”），"
            "也没有可识别的表二、表三、表四，不像是政府信息公开工作年度报告",
        )
    layout = _layout(reads, walk, meta.year, report)
    report.format = layout
    for table in TABLES:
        order = _text_order(table, walk, report)
        report.tables[table] = _table_cells(table, reads[table], layout, report, order)
    _drop_group_other(report)
    _warn_absent(report, walk)
    _warn_meta(meta, report)
    report.warnings.extend(identities.check(report))
    for note in grid.notes:
        report.warnings.append(ParseWarning("extract_note", note))
    return report


class _Walk:
    """Follows headings through the rows and feeds each table's reader."""

    def __init__(self) -> None:
        self.section: str | None = None
        self.headings: dict[str, str] = {}
        self.readers = {t: TableReader(t) for t in TABLES}
        self.rows: dict[str, list[Row]] = {t: [] for t in TABLES}
        self.warnings: list[ParseWarning] = []

    def feed(self, row: Row) -> None:
        fragments, values = split_row(row)
        numbers = has_numbers(values)
        text = compact(row.text)
        if not numbers and text:
            key = labels.section_of(text)
            if key:
                self._enter(key, row.text)
                return
        if self.section not in TABLES:
            return
        label = "".join(compact(c.text) for c in fragments)
        if self.section == "table2" and numbers and label:
            if labels.first_match(labels.TABLE3_ROWS, label) and not labels.first_match(
                labels.TABLE2_ROWS, label
            ):
                self._jump("table3", row)
        if self.section in ("table2", "table3") and labels.TABLE4_HEADER.search(text):
            self._jump("table4", row)
        assert self.section is not None
        self.rows[self.section].append(row)

    def _enter(self, key: str, heading: str) -> None:
        self.section = key
        self.headings.setdefault(key, heading.strip())

    def _jump(self, table: str, row: Row) -> None:
        """Rows of a later table appear without its heading (a truncated document)."""
        self.warnings.append(
            ParseWarning(
                "heading_missing",
                f"未见{schema.TABLE_LABELS[table]}的标题，但"
                + (f"第 {row.page} 页起" if row.page else "")
                + f"出现了{schema.TABLE_LABELS[table]}的内容，文件可能不完整",
                table,
                row.page,
            )
        )
        self.section = table

    def finish(self, table: str) -> list[RowRead]:
        rows = self.rows[table]
        if prose.looks_like_prose(rows):
            return [_prose_read(table, p) for p in prose.parse(table, rows)]
        reader = self.readers[table]
        for row in rows:
            reader.feed(row)
        found = reader.finish()
        for orphan in reader.orphans:
            if not any(read_value(c.text).number is not None for c in orphan.cells):
                continue  # only "无" or "/" (a vertical "（四）无法提供"): no number lost
            shown = " ".join(c.text for c in orphan.cells if c.text)[:60]
            self.warnings.append(
                ParseWarning(
                    "orphan_values",
                    f"{schema.TABLE_LABELS[table]}中有一行数值（{shown}）找不到对应的行名，未采用",
                    table,
                    orphan.page,
                )
            )
        return found


def _prose_read(table: str, row: prose.ProseRow) -> RowRead:
    return RowRead(table, row.key, row.label, [], None, True, None, prose=row)


# --- layout -------------------------------------------------------------------------------


def _layout(
    reads: dict[str, list[RowRead]], walk: _Walk, year: int | None, report: ParsedReport
) -> str:
    words = " ".join(walk.readers["table2"].header_text)
    words += " ".join(r.label for r in reads["table2"])
    prose_keys = {p[0] for r in reads["table2"] if r.prose for p in r.prose.pairs}
    t2019 = bool(labels.TABLE2_2019_WORDS.search(words) or prose_keys & _T2_2019_ONLY)
    t2021 = bool(labels.TABLE2_2021_WORDS.search(words) or prose_keys & _T2_2021_ONLY)
    t3_keys = {r.key for r in reads["table3"]}
    if t2019 and not t2021:
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


# --- cells --------------------------------------------------------------------------------


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


def _text_order(
    table: str, walk: _Walk, report: ParsedReport
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


def _table_cells(
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
        else:
            resolved = cell_values.resolve(read, columns, order)
        if table == "table4":
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
        rows[read.key] = resolved.cells
        _record(report, table, read.key, resolved, read)
        if resolved.unprinted and read.key != schema.OTHER_ONE_ROW:
            unprinted.append(read.key)
    if unprinted and table == "table3":
        names = "、".join(_row_name(table, k, layout) for k in unprinted[:8])
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
        if read.match is not None:
            return 1
        return 2 if read.key in printed and not has_numbers(read.values) else 0

    return rank


def _warn_label(
    report: ParsedReport, table: str, read: RowRead, layout: str, *, taken: bool
) -> None:
    """Say which row a label that no keyword named was read as, and how sure that is."""
    match = read.match
    assert match is not None and read.key is not None
    label = schema.TABLE_LABELS[table]
    name = _row_name(table, read.key, layout)
    start = f"{label}的行名“{read.label[:30]}”与标准行名不完全相同，最接近{name}"
    start += f"（相似度 {match.score:.2f}）"
    if not taken:
        message = f"{start}，但该行已另有印出，本行数值未采用"
        code = "label_fuzzy"
    elif match.how == "ambiguous":
        others = "、".join(
            f"{_row_name(table, k, layout)}（{s:.2f}）" for k, s in match.alternatives
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


def _row_name(table: str, key: str, layout: str) -> str:
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
        path = schema.cell_path(table, row_key, column)
        if path not in report.uncertain:
            report.uncertain.append(path)
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
    prose_block = read.key if read.key != "data" else None
    for block in labels.TABLE4_BLOCKS:
        if prose_block and block != prose_block:
            continue
        rows.setdefault(block, {})
    for key, cell in resolved.cells.items():
        block, column = key.split(".", 1) if "." in key else (read.key, key)
        rows.setdefault(block, {})[column] = cell
    uncertain = []
    for key in resolved.uncertain:
        block, column = key.split(".", 1) if "." in key else (read.key, key)
        uncertain.append(f"{block}.{column}")
    for path in uncertain:
        full = f"table4.{path}"
        if full not in report.uncertain:
            report.uncertain.append(full)
    for problem in dict.fromkeys(resolved.problems):
        report.warnings.append(
            ParseWarning("cell_unreadable", f"表四：{problem}", "table4", read.page)
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


# --- checks -------------------------------------------------------------------------------


def _drop_group_other(report: ParsedReport) -> None:
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
    elif report.format == schema.Layout.Y2021:
        report.warnings.append(
            ParseWarning(
                "other_one_row",
                "表三的“（六）其他处理”印为一行（2021 版表格应分为三个分项），按一行记录",
                "table3.other_processing",
            )
        )


def _warn_absent(report: ParsedReport, walk: _Walk) -> None:
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
        if 0 < len(missing) <= _MISSING_NAMED:
            # A few rows: each warning names its row, so the grid marks where to look.
            for key in missing:
                name = _row_name(table, key, report.format)
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
            names = "、".join(_row_name(table, k, report.format) for k in missing)
            report.warnings.append(
                ParseWarning(
                    "rows_missing",
                    f"{label}缺少 {len(missing)} 行：{names}。文件中没有这些行，按缺失（非 0）处理",
                    table,
                )
            )


# Up to this many missing rows of a table are warned about one by one.
_MISSING_NAMED = 3


def _warn_meta(meta: metadata.Metadata, report: ParsedReport) -> None:
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

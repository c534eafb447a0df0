"""Map a Grid to the canonical report: sections, layout, rows, columns, values, warnings.

The walk over the grid's rows follows the section headings (walk.py); the layout is read
from the tables' words and rows (layout.py); the rows found are then attributed to columns
(tables.py); what cannot be read with certainty is left out or flagged, with a warning in
Chinese naming table, row and column (checks.py); identities are checked last.
"""

from __future__ import annotations

from reports.core.parsed import ParsedReport, ParseWarning
from reports.importing.errors import NOT_ANNUAL_REPORT, ImportRefused
from reports.importing.extract.rows import Grid
from reports.importing.mapping import (
    damage,
    damaged_region,
    identity_warnings,
    metadata,
)
from reports.importing.mapping.checks import (
    drop_group_other,
    flag_valueless,
    warn_absent,
    warn_fuzzy_headers,
    warn_meta,
)
from reports.importing.mapping.layout import detect_layout
from reports.importing.mapping.tables import table_cells, text_order_of
from reports.importing.mapping.walk import TABLES, Walk


def map_grid(grid: Grid) -> ParsedReport:
    """Read a Grid into a ParsedReport, or refuse a document that is not an annual report.

    A damaged file's grid says where its damage begins: what was read from there on is
    uncertain (damaged_region.py).
    """
    report = _map(grid)
    damaged_region.mark(report, grid, _map)
    return report


def _map(grid: Grid) -> ParsedReport:
    walk = Walk()
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
    layout = detect_layout(reads, walk, meta.year, report)
    report.format = layout
    for table in TABLES:
        order = text_order_of(table, walk, report)
        report.tables[table] = table_cells(table, reads[table], layout, report, order)
        if table in walk.orphaned:
            flag_valueless(table, report, layout)
    for table in TABLES:
        warn_fuzzy_headers(table, walk, report)
    drop_group_other(report)
    warn_absent(report, walk)
    warn_meta(meta, report)
    damage.flag_meta(meta, grid.text, report)
    damage.flag_blank_rows(grid, report)
    report.warnings.extend(identity_warnings.check(report))
    for note in grid.notes:
        report.warnings.append(ParseWarning("extract_note", note))
    return report

"""A published workbook's Grid (extract/xlsx.py) mapped like every other source's, then
the cells read from faulty workbook cells (formulas saved without a value, error values,
hidden digits) marked uncertain, each with a warning naming sheet and cell.
"""

from __future__ import annotations

from reports import schema
from reports.core.parsed import ParsedReport, ParseWarning
from reports.importing import errors
from reports.importing.errors import ImportRefused
from reports.importing.extract.xlsx import MAX_FAULTS_SHOWN, Published
from reports.importing.mapping import identity_warnings
from reports.importing.mapping.report import map_grid


def map_published(book: Published) -> ParsedReport:
    """The report of a published workbook, mapped like every other source's Grid.

    A workbook with no report in it is refused as such, with a pointer to the template,
    which is what someone filling in their own spreadsheet most likely wants.
    """
    try:
        report = map_grid(book.grid)
    except ImportRefused as exc:
        if exc.code != errors.NOT_ANNUAL_REPORT:
            raise
        raise ImportRefused(
            exc.code,
            f"{exc.message}。如需填写年报，请在“年度报告 → 下载填报模板”下载模板填写后再导入",
        ) from exc
    return with_faults(report, book.faults)


def with_faults(report: ParsedReport, faults: dict[str, str]) -> ParsedReport:
    """Mark the cells read from faulty workbook cells uncertain, each with a warning.

    The identities are checked again afterwards: an uncertain cell skips them, where
    the mapping counted it as blank.
    """
    hits = [
        (schema.cell_path(table, row_key, column), cell, faults[cell.note])
        for table, rows in report.tables.items()
        for row_key, cells in rows.items()
        for column, cell in cells.items()
        if cell.note in faults
    ]
    if hits:
        stale = identity_warnings.check(report)
        report.warnings = [w for w in report.warnings if w not in stale]
    for path, cell, reason in hits:
        report.flag_uncertain(path, cell)
        report.warnings.append(
            ParseWarning(
                "cell_unreadable",
                f"{schema.TABLE_LABELS[path.split('.')[0]]}的 {cell.note} {reason}，"
                "数值存疑，请核对",
                path,
            )
        )
    if hits:
        report.warnings.extend(identity_warnings.check(report))
    placed = {cell.note for _, cell, _ in hits}
    rest = [f"{ref} {why}" for ref, why in faults.items() if ref not in placed]
    if rest:
        more = f"等 {len(rest)} 处" if len(rest) > MAX_FAULTS_SHOWN else ""
        report.warnings.append(
            ParseWarning(
                "extract_note",
                "工作簿中以下单元格的值无法按原样读取（不在表格数值中）："
                + "；".join(rest[:MAX_FAULTS_SHOWN])
                + more,
            )
        )
    return report

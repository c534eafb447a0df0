"""Rows read from damaged text: never a number taken silently beside a damaged byte.

Bytes that were not valid in a text's encoding reach mapping as U+FFFD
(intake/charsets.py), and the extractors mark the cells read from a line holding one
(for HTML, every row of a table from the first damaged row on: a damaged tag shifts the
cells after it). A row with such a cell, label, header or sentence may have lost a digit,
a separator or a word of its label, so every cell read from it is uncertain, with a
warning naming the row; so is a row that printed nothing in a damaged text (its
numbers may be what was damaged). A text cell of a table row that looks like a number
damaged into other valid text ("0a0") flags its row the same way. The year and agency
read from a damaged title, or from the body of a damaged text without one, are flagged.
"""

from __future__ import annotations

import re

from reports import schema
from reports.core.parsed import ParsedCell, ParsedReport, ParseWarning
from reports.importing.extract.rows import Cell, Grid
from reports.importing.mapping import metadata
from reports.importing.mapping.reads import RowRead
from reports.importing.normalize import compact

MARK = "\ufffd"


def garbled(fragments: list[Cell]) -> list[str]:
    """A row's text cells that look like a number damaged into other valid text ("0a0",
    "&2.50", "51 /p>"): digits, no ideograph, not a list ordinal. No encoding shows such
    damage, but no label is written that way either."""
    return [cell.text for cell in fragments if _garbled(compact(cell.text))]


def _garbled(flat: str) -> bool:
    return (
        any(ch.isdigit() for ch in flat)
        and not _IDEOGRAPH.search(flat)
        and not _ORDINAL.match(flat)
    )


_IDEOGRAPH = re.compile("[\u3400-\u9fff]")
_ORDINAL = re.compile(r"^[（(]?\d{1,2}[)）.、．]?$")


def suspect(read: RowRead) -> bool:
    """Whether no number of the row may be taken as certain: damaged, or garbled."""
    return is_damaged(read) or bool(read.garbled)


def is_damaged(read: RowRead) -> bool:
    """Whether the row was read from damaged text: its label, a cell of its row, its
    header or its sentence."""
    if read.damaged or MARK in read.label:
        return True
    if any(cell.damaged or MARK in cell.text for cell in read.values):
        return True
    if read.header is not None and read.header.damaged:
        return True
    return read.prose is not None and read.prose.damaged


def flag(
    report: ParsedReport,
    table: str,
    read: RowRead,
    cells: dict[str, ParsedCell],
    keys: list[str],
) -> None:
    """Mark `keys` of a damaged row uncertain and say so, naming the row (or table 四's
    blocks, whose row keys its one data row holds)."""
    row_key = read.key
    assert row_key is not None  # table_cells reads only rows it has named
    for key in keys:
        path = f"{table}.{key}" if table == "table4" else f"{table}.{row_key}.{key}"
        report.flag_uncertain(path, cells.get(key))
    rows = (
        sorted({key.split(".", 1)[0] for key in keys})
        if table == "table4"
        else [row_key]
    )
    shown = f"{schema.TABLE_LABELS[table]}「{read.label[:30] or '数值行'}」"
    if is_damaged(read):
        code = "damaged_row"
        what = f"读自已损坏的文字（无法识别的字节显示为“{MARK}”，或文件在此中断）"
    else:
        code = "garbled_value"
        what = f"中的“{'”“'.join(read.garbled)[:40]}”不是可识别的数值（文件可能已损坏）"
    for row in rows:
        report.warnings.append(
            ParseWarning(
                code,
                f"{shown}{what}，本行数值均标为存疑，请对照原文核对",
                f"{table}.{row}",
                read.page,
            )
        )


def flag_blank_rows(grid: Grid, report: ParsedReport) -> None:
    """In a damaged text, a row that prints no value at all may have lost its values to
    the damage (its line of numbers damaged, joined to a heading, or cut away): its
    cells are uncertain. Blank rows are rare, so this costs a reviewer little."""
    if MARK not in grid.text and not any(
        cell.damaged for row in grid.rows for cell in row.cells
    ):
        return
    for table, rows in report.tables.items():
        for key, cells in rows.items():
            if not cells or any(c.value is not None or c.raw for c in cells.values()):
                continue
            report.flag_row_uncertain(table, key)
            report.warnings.append(
                ParseWarning(
                    "damaged_blank_row",
                    f"{schema.TABLE_LABELS[table]}的{_row_name(table, key, report.format)}"
                    "没有读到任何数值，而文件中有"
                    f"无法识别的字节（显示为“{MARK}”），其数值可能已随之丢失，"
                    "均标为存疑，请对照原文核对",
                    f"{table}.{key}",
                )
            )


def _row_name(table: str, key: str, layout: str) -> str:
    row = schema.allowed_rows(table, layout).get(key)
    return f"「{row.short_label or row.label}」行" if row is not None else f"“{key}”行"


def flag_meta(meta: metadata.Metadata, text: str, report: ParsedReport) -> None:
    """A year and agency read from a damaged title, or from a damaged text's body."""
    if MARK not in text:
        return
    if MARK in meta.title or meta.from_body or meta.year is None:
        report.warnings.append(
            ParseWarning(
                "damaged_title",
                "标题或正文中有无法识别的字节（显示为“"
                f"{MARK}”），年度（{meta.year or '未识别'}）和机关名称"
                f"（{meta.agency or '未识别'}）可能读错，请对照原文核对",
                "year",
            )
        )

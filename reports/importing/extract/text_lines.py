"""Text lines told apart by their delimiters, and the cells of one line.

A line is blank, plain, a section heading, tab-separated, a drawn rule, bars only, a row
between bars, or one cell ended or opened by a bar (see `Kind`); `bar_cells`, `tab_cells`
and `line_row` give the cells of a line of each way of writing.
"""

from __future__ import annotations

import csv
import re
from enum import Enum

from reports.importing import labels
from reports.importing.extract.rows import Cell, Row
from reports.importing.normalize import compact, read_value

# Vertical bars that web pages, terminals and box drawings use between cells.
BARS = str.maketrans(dict.fromkeys("｜│┃║¦", "|"))
SPACES = " \t\u3000"
# A rule line: Markdown "|---|:--:|", "+----+----+", "├──┼──┤", "=====".
_RULE_CHARS = re.compile(r"^[\s|+:\-=─━═┼╋╬├┤┌┐└┘┬┴┣┫┳┻┏┓┗┛╠╣╦╩╔╗╚╝]+$")
_RULE_MARK = re.compile(r"[─━═┼╋╬├┤┌┐└┘┬┴┣┫┳┻┏┓┗┛╠╣╦╩╔╗╚╝+]|-{2,}|={2,}")


class Kind(Enum):
    """What one text line is, for finding tables drawn with bars."""

    BLANK = "blank"
    PLAIN = "plain"  # no delimiter: a cell's text inside a run of cells, else a line
    HEADING = "heading"  # a section heading: never part of a table
    TAB = "tab"
    RULE = "rule"  # a drawn line between rows
    BARS = "bars"  # bars only: between cells, or the end of a row
    ROW = "row"  # a whole row: two or more cells between bars
    CELL_END = "cell_end"  # "text |": a cell ended by its bar
    CELL_START = "cell_start"  # "| text": a bar, then a cell


def kind_of(line: str) -> Kind:
    """Classify one line by the delimiters it uses."""
    stripped = line.translate(BARS).strip(SPACES)
    if not stripped:
        return Kind.BLANK
    if "|" in stripped or _RULE_CHARS.match(stripped):
        if _RULE_CHARS.match(stripped) and _RULE_MARK.search(stripped):
            return Kind.RULE
        if "|" in stripped:
            return _bar_kind(stripped)
    body = line[1:] if line.startswith("\t") else line
    if "\t" in body.strip("\t") or (line.startswith("\t") and "\t" in body):
        return Kind.TAB
    heading = labels.section_of(compact(stripped))
    if body.rstrip(" ").endswith("\t") and not heading:
        # "上年结转\t\t\t": a label whose value cells are blank, unless the line
        # already prints its values between spaces ("规章 0 0 0\t")
        if len(line_row(stripped).cells) == 1:
            return Kind.TAB
    if heading:
        return Kind.HEADING
    return Kind.PLAIN


def _bar_kind(stripped: str) -> Kind:
    parts = stripped.split("|")
    filled = [p for p in parts if p.strip(SPACES)]
    if not filled:
        return Kind.BARS
    if len(filled) >= 2:
        return Kind.ROW
    lead, trail = stripped.startswith("|"), stripped.endswith("|")
    if lead and trail:
        return Kind.ROW  # "| 申请人情况 |": a row of one cell
    if lead:
        return Kind.CELL_START
    # "text |" or "text ||" ends a cell; "text | |" is a row with a blank cell
    tail = stripped[len(parts[0]) :]
    if re.search(r"\|[ \u3000]+\|", tail):
        return Kind.ROW
    return Kind.CELL_END


def bar_cells(line: str) -> list[str]:
    """The cells of a row written with bars between them.

    Bars at either end are frames, not cells. When the row writes its separators with
    spaces ("a | b"), an empty cell written without any ("||") is padding and is dropped;
    a blank cell is written with a space ("| |"). Empty cells before the first label are
    a blank group column.
    """
    stripped = line.translate(BARS).strip(SPACES)
    parts = stripped.split("|")
    if stripped.startswith("|"):
        parts = parts[1:]
    if stripped.endswith("|") and parts:
        parts = parts[:-1]
    spaced = any(p.strip(SPACES) and p != p.strip(SPACES) for p in parts)
    if spaced:
        parts = [p for p in parts if p]
    cells = [p.strip(SPACES) for p in parts]
    first_label = next(
        (i for i, c in enumerate(cells) if not read_value(c).is_value), None
    )
    if first_label is not None:
        cells = [c for i, c in enumerate(cells) if i >= first_label or c]
    return cells


def cells_of(line: str, kind: Kind) -> list[str]:
    if kind is Kind.ROW:
        return bar_cells(line)
    return tab_cells(line[1:] if line.startswith("\t") else line)


def tab_cells(line: str) -> list[str]:
    """The cells of a tab-separated row; a quoted cell may hold tabs, breaks and "" quotes."""
    if '"' not in line:
        return line.split("\t")
    try:
        rows = list(csv.reader([line], delimiter="\t", quotechar='"', strict=False))
    except csv.Error:  # a line break outside the quotes (a quote lost to damage)
        return line.split("\t")
    return rows[0] if rows else []


def line_row(line: str) -> Row:
    """A text line: its trailing number-like tokens are values, the rest is label."""
    tokens = line.split()
    split = len(tokens)
    while (
        split > 0
        and read_value(tokens[split - 1]).raw
        and read_value(tokens[split - 1]).is_value
    ):
        split -= 1
    cells: list[Cell] = []
    label = " ".join(tokens[:split])
    if label:
        cells.append(Cell(label))
    cells.extend(Cell(t) for t in tokens[split:])
    return Row(cells, complete=False)

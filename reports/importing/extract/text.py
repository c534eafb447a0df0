"""Plain text into a Grid, in every layout that text copies of reports come in.

* pdfminer-like lines: "规章 0 0 0", labels wrapped over several lines, values on a line of
  their own, a vertical group label one character per line;
* one cell per line (DOCX -> text): each cell on a line starting with a tab, rows separated
  by blank lines, a cell's own line breaks continue without a tab;
* tab-separated and pipe-separated rows;
* prose sentences (handled by mapping, the lines are passed through).

Text has no pages or positions, so its cells carry neither: mapping attributes their values
by order, and only when a row prints one value per column.
"""

from __future__ import annotations

import re

from reports.importing import labels
from reports.importing.grid import Cell, Grid, Row
from reports.importing.normalize import clean_cell, compact, nfkc, read_value

_PIPE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")


def extract(text: str) -> Grid:
    """A Grid of the text's rows, with the whole text as running text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    grid = Grid(kind="text", text=nfkc(text), pages=0)
    block: list[str] | None = None

    def close_block() -> None:
        nonlocal block
        if block is not None:
            grid.rows.append(Row([Cell(clean_cell(c)) for c in block], complete=True))
        block = None

    for line in text.split("\n"):
        stripped = line.strip(" \u3000\t")
        body = line[1:] if line.startswith("\t") else line
        if "\t" in body.strip("\t") or (line.startswith("\t") and "\t" in body):
            close_block()
            _add_cells(grid, body.split("\t"))
        elif line.count("|") >= 2 and stripped.startswith("|"):
            close_block()
            if not _PIPE_SEPARATOR.match(stripped):
                _add_cells(grid, stripped.strip("|").split("|"))
        elif line.startswith("\t"):
            if block is None:
                block = []
            block.append(body)
        elif not stripped:
            close_block()
        elif block is not None and not labels.section_of(compact(stripped)):
            block[-1] = f"{block[-1]}\n{stripped}" if block else stripped
        else:
            close_block()
            grid.rows.append(_line_row(stripped))
    close_block()
    return grid


def _add_cells(grid: Grid, parts: list[str]) -> None:
    cells = [Cell(clean_cell(p)) for p in parts]
    if any(c.text for c in cells):
        grid.rows.append(Row(cells, complete=True))


def _line_row(line: str) -> Row:
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

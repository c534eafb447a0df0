"""Plain text into a Grid, whatever the text uses between cells.

Text copies of reports come in these layouts, told apart line by line:

* pdfminer-like lines: "规章 0 0 0" (or runs of spaces, U+3000), labels wrapped over
  several lines, values on a line of their own, a vertical group label one character per line;
* one cell per line (DOCX -> text): each cell on a line starting with a tab, rows separated
  by blank lines, a cell's own line breaks continue without a tab;
* one table row per line with a delimiter between cells: tab, or a vertical bar ("|", "｜",
  "│"), with or without bars at either end, Markdown separator rows and box-drawing rules;
* one cell per line from a flattened web-page table: a bar alone on the line between cells
  (no row ends), or every cell line ending in " |" with a line of bars ending each row;
* prose sentences (handled by mapping, the lines are passed through).

A row whose label cell holds a line break comes out over several lines: Excel quotes such
a cell, a framed row ("| … |") runs until its closing bar, and a label cut after its
ordinal ("三、本年" / "度办理结果 | …") is joined to the row that continues it.

Text has no pages, and mostly no positions: mapping attributes values by order, and only
when a row prints one value per column. Text aligned in columns by spaces (pdftotext
-layout) is the exception: `aligned.py` gives its cells their columns. A row's label that
ends on a line of its own after its values ("1.屬於\t51…" / "國家祕密") is joined back. Runs of bars with nothing between
them ("||||") are the flattener's padding for cells it dropped, never blank cells of their
own, so a row that lost its blanks prints too few values and is flagged, not shifted.
"""

from __future__ import annotations

from reports.importing.extract import aligned
from reports.importing.extract.rows import Cell, Grid, Row, mark_damaged
from reports.importing.extract.text_joins import (
    join_framed,
    join_quoted,
    join_tails,
    join_wrapped,
)
from reports.importing.extract.text_lines import (
    SPACES,
    Kind,
    bar_cells,
    kind_of,
    line_row,
    tab_cells,
)
from reports.importing.extract.text_runs import find_runs, run_rows
from reports.importing.normalize import clean_cell, nfkc

__all__ = ["Kind", "bar_cells", "extract", "kind_of", "tab_cells"]


def extract(text: str) -> Grid:
    """A Grid of the text's rows, with the whole text as running text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    grid = Grid(kind="text", text=nfkc(text), pages=0)
    lines = join_tails(join_wrapped(join_framed(join_quoted(text.split("\n")))))
    kinds = [kind_of(line) for line in lines]
    runs = {run.start: run for run in find_runs(kinds)}
    plain = [
        k in (Kind.PLAIN, Kind.BLANK) and not ln.startswith("\t")
        for ln, k in zip(lines, kinds, strict=True)
    ]
    positioned = aligned.positioned_rows(lines, plain)
    block: list[str] | None = None

    def close_block() -> None:
        nonlocal block
        if block is not None:
            grid.rows.append(Row([Cell(clean_cell(c)) for c in block], complete=True))
        block = None

    index = 0
    while index < len(lines):
        run = runs.get(index)
        if run is not None:
            close_block()
            grid.rows.extend(
                run_rows(
                    lines[run.start : run.end],
                    kinds[run.start : run.end],
                    run.terminated,
                )
            )
            index = run.end
            continue
        line, kind = lines[index], kinds[index]
        index += 1
        stripped = line.strip(SPACES)
        body = line[1:] if line.startswith("\t") else line
        if kind is Kind.RULE:
            close_block()
        elif kind is Kind.ROW:
            close_block()
            _add_cells(grid, bar_cells(line))
        elif kind is Kind.TAB:
            close_block()
            _add_cells(grid, tab_cells(body))
        elif line.startswith("\t"):
            if block is None:
                block = []
            block.append(body)
        elif not stripped:
            close_block()
        elif block is not None and kind is not Kind.HEADING:
            block[-1] = f"{block[-1]}\n{stripped}" if block else stripped
        else:
            close_block()
            grid.rows.append(positioned.get(index - 1) or line_row(stripped))
    close_block()
    mark_damaged(grid.rows)
    return grid


# --- rows ---------------------------------------------------------------------------------


def _add_cells(grid: Grid, parts: list[str]) -> None:
    cells = [Cell(clean_cell(p)) for p in parts]
    if any(c.text for c in cells):
        grid.rows.append(Row(cells, complete=True))

"""Text writers: a form as the text that browsers, converters and PDF tools produce.

Tab-separated (a browser's or Excel's copy), `|`-delimited rows and one cell per line (pages
flattened by collectors), Markdown, runs of spaces (pdftotext), tab-indented cells (DOCX
saved as text) and pdfminer-like text boxes. Each returns the whole document as a string.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from . import form as f

RowWriter = Callable[[list[str]], str]


def text_document(
    form: f.Form,
    write: RowWriter,
    *,
    cells: str = "td",
    furniture: tuple[str, ...] = ("— 3 —",),
    repeat_header: bool = False,
    separator_after: Callable[[f.FormTable], str | None] | None = None,
) -> str:
    """The form as lines: titles and paragraphs as they are, each table row by `write`.

    `cells` is "td" (the cells of each <tr>, as a browser copies a table), "grid" (every
    column of the table, spanned positions blank) or "repeat" (grid with row-spanning labels
    repeated on every row). A page break writes `furniture` lines (and the header again).
    """
    lines = list(form.title)
    for block in form.blocks:
        if not isinstance(block, f.FormTable):
            lines.append(block)
            continue
        rows = table_rows(block, cells)
        written = [write(r) for r in rows]
        separator = separator_after(block) if separator_after else None
        for i, line in enumerate(written):
            if i in block.breaks:
                lines.extend(furniture)
                if repeat_header:
                    lines.extend(written[: block.header_rows])
            lines.append(line)
            if i == 0 and separator is not None:
                lines.append(separator)
    return "\n".join(lines) + "\n"


def table_rows(table: f.FormTable, cells: str) -> list[list[str]]:
    if cells == "td":
        return [[s.text for s in tr] for tr in table.trs]
    return f.grid(table, repeat_labels=cells == "repeat")


def tabs(cells: list[str]) -> str:
    return "\t".join(cells)


def excel_tabs(cells: list[str]) -> str:
    """Tab-separated as Excel copies cells: a cell with a line break is double-quoted."""
    return "\t".join(
        '"' + c.replace('"', '""') + '"' if "\n" in c or '"' in c else c for c in cells
    )


def pipes(cells: list[str], *, width: int = 0, border: bool = False) -> str:
    """`a | b | c |` as pages are flattened, padded with bare `|` up to `width` cells."""
    line = " | ".join(cells) + " |"
    pad = width - len(cells)
    if pad > 0:
        line += " " + "|" * pad
    return "| " + line if border else line


def markdown_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("\n", "<br>") or " " for c in cells) + " |"


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def spaced_document(
    form: f.Form, *, aligned: bool, wrap: bool = False, gap: str = "  "
) -> str:
    """Runs of spaces between cells (pdftotext-like): aligned columns keep blank cells as
    wide gaps; unaligned text joins the printed cells with `gap`, so blanks vanish. With
    `wrap`, a cell of several lines spreads its row over that many lines, the one-line
    cells (the values) on the middle line, as pdftotext -layout prints wrapped labels."""
    lines = list(form.title)
    for block in form.blocks:
        if not isinstance(block, f.FormTable):
            lines.append(block)
            continue
        rows = [[c.replace("\n", "") for c in r] for r in table_rows(block, "grid")]
        if wrap:
            lines.extend(_wrapped_lines(table_rows(block, "grid"), block.width))
        elif aligned:
            widths = [
                max(display_width(r[i]) for r in rows) for i in range(block.width)
            ]
            for r in rows:
                padded = [
                    c + " " * (w - display_width(c))
                    for c, w in zip(r, widths, strict=True)
                ]
                lines.append("  ".join(padded).rstrip())
        else:
            lines.extend(gap.join(c for c in r if c) for r in rows)
    return "\n".join(lines) + "\n"


def tab_cells(form: f.Form) -> str:
    """DOCX saved as text: each cell on its own line after a tab, a blank line per row."""
    lines = list(form.title)
    for block in form.blocks:
        if not isinstance(block, f.FormTable):
            lines.append(block)
            continue
        for tr in table_rows(block, "td"):
            lines.extend("\t" + c for c in tr)
            lines.append("")
    return "\n".join(lines) + "\n"


def pdfminer_boxes(form: f.Form) -> str:
    """pdfminer-like text: a row's label lines, then its printed values on one line
    (blank cells print nothing), as text boxes come out of a PDF."""
    lines = list(form.title)
    for block in form.blocks:
        if not isinstance(block, f.FormTable):
            lines.append(block)
            continue
        for tr in block.trs:
            labels = [s.text for s in tr if s.kind != f.VALUE and s.text]
            values = [s.text for s in tr if s.kind == f.VALUE and s.text]
            lines.extend(labels)
            if values:
                lines.append(" ".join(values))
    return "\n".join(lines) + "\n"


def _wrapped_lines(rows: list[list[str]], width: int) -> list[str]:
    pieces = [[c.split("\n") for c in r] for r in rows]
    widths = [max(display_width(p) for r in pieces for p in r[i]) for i in range(width)]
    out = []
    for r in pieces:
        height = max(len(c) for c in r)
        for k in range(height):
            texts = []
            for cell, w in zip(r, widths, strict=True):
                start = (height - len(cell)) // 2
                text = cell[k - start] if start <= k < start + len(cell) else ""
                texts.append(text + " " * (w - display_width(text)))
            out.append("  ".join(texts).rstrip())
    return out


def cell_per_line(form: f.Form) -> str:
    """One cell per line with `|` alone on the line between cells (a flattened page)."""
    lines = list(form.title)
    for block in form.blocks:
        if not isinstance(block, f.FormTable):
            lines.append(block)
            continue
        cells = [
            ("— 3 —\n" if i in block.breaks and j == 0 else "") + span.text
            for i, tr in enumerate(block.trs)
            for j, span in enumerate(tr)
        ]
        lines.append("\n|\n".join(cells))
    return "\n".join(lines) + "\n"


def pipe_rows(form: f.Form, *, border: bool = False, pad: bool = True) -> str:
    lines = list(form.title)
    for block in form.blocks:
        if not isinstance(block, f.FormTable):
            lines.append(block)
            continue
        for i, tr in enumerate(table_rows(block, "td")):
            if i in block.breaks:
                lines.append("— 3 —")
            lines.append(pipes(tr, width=block.width if pad else 0, border=border))
    return "\n".join(lines) + "\n"


def markdown_document(form: f.Form) -> str:
    def separator(table: f.FormTable) -> str:
        return "|" + "---|" * table.width

    return text_document(form, markdown_row, cells="grid", separator_after=separator)

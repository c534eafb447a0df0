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

import csv
import re
from dataclasses import dataclass
from enum import Enum

from reports.importing import labels
from reports.importing.extract import aligned
from reports.importing.extract.rows import Cell, Grid, Row
from reports.importing.normalize import clean_cell, compact, nfkc, read_value

# Vertical bars that web pages, terminals and box drawings use between cells.
_BARS = str.maketrans(dict.fromkeys("｜│┃║¦", "|"))
_SPACES = " \t\u3000"
# A rule line: Markdown "|---|:--:|", "+----+----+", "├──┼──┤", "=====".
_RULE_CHARS = re.compile(r"^[\s|+:\-=─━═┼╋╬├┤┌┐└┘┬┴┣┫┳┻┏┓┗┛╠╣╦╩╔╗╚╝]+$")
_RULE_MARK = re.compile(r"[─━═┼╋╬├┤┌┐└┘┬┴┣┫┳┻┏┓┗┛╠╣╦╩╔╗╚╝+]|-{2,}|={2,}")
# A gap of more plain lines than this between two bar lines ends a run of cells.
_MAX_GAP = 4


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


@dataclass(frozen=True, slots=True)
class _Run:
    """Lines [start, end) that hold one cell per line between bars."""

    start: int
    end: int
    terminated: bool  # cells end with " |" and lines of bars end rows


def extract(text: str) -> Grid:
    """A Grid of the text's rows, with the whole text as running text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    grid = Grid(kind="text", text=nfkc(text), pages=0)
    lines = join_tails(join_wrapped(join_framed(join_quoted(text.split("\n")))))
    kinds = [kind_of(line) for line in lines]
    runs = {run.start: run for run in _runs(kinds)}
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
                _run_rows(
                    lines[run.start : run.end],
                    kinds[run.start : run.end],
                    run.terminated,
                )
            )
            index = run.end
            continue
        line, kind = lines[index], kinds[index]
        index += 1
        stripped = line.strip(_SPACES)
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
            grid.rows.append(positioned.get(index - 1) or _line_row(stripped))
    close_block()
    return grid


# --- lines --------------------------------------------------------------------------------


def kind_of(line: str) -> Kind:
    """Classify one line by the delimiters it uses."""
    stripped = line.translate(_BARS).strip(_SPACES)
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
        if len(_line_row(stripped).cells) == 1:
            return Kind.TAB
    if heading:
        return Kind.HEADING
    return Kind.PLAIN


def _bar_kind(stripped: str) -> Kind:
    parts = stripped.split("|")
    filled = [p for p in parts if p.strip(_SPACES)]
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
    stripped = line.translate(_BARS).strip(_SPACES)
    parts = stripped.split("|")
    if stripped.startswith("|"):
        parts = parts[1:]
    if stripped.endswith("|") and parts:
        parts = parts[:-1]
    spaced = any(p.strip(_SPACES) and p != p.strip(_SPACES) for p in parts)
    if spaced:
        parts = [p for p in parts if p]
    cells = [p.strip(_SPACES) for p in parts]
    first_label = next(
        (i for i, c in enumerate(cells) if not read_value(c).is_value), None
    )
    if first_label is not None:
        cells = [c for i, c in enumerate(cells) if i >= first_label or c]
    return cells


def join_quoted(lines: list[str]) -> list[str]:
    """Lines with a tab-separated cell quoted over line breaks, as Excel copies, joined.

    Excel writes a cell that holds a line break as `"…\n…"`; the lines up to the closing
    quote are one row. Joined only when the result is a tab-separated row.
    """
    joined: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if line.count('"') % 2 and _QUOTE_OPENS.search(line):
            end = index
            while end < len(lines) and end - index < _MAX_QUOTED_LINES:
                end += 1
                logical = "\n".join(lines[index - 1 : end])
                if logical.count('"') % 2 == 0:
                    if "\t" in logical:
                        line, index = logical, end
                    break
        joined.append(line)
    return joined


_QUOTE_OPENS = re.compile(r'(?:^|\t)"')
_MAX_QUOTED_LINES = 8
_FRAGMENT = (
    20  # characters: longer text without delimiters is a sentence, not a label part
)


def join_framed(lines: list[str]) -> list[str]:
    """Framed rows ("| a | b |") whose cells hold line breaks, joined.

    A row that opens with a bar and does not close with one goes on over the next lines
    up to the first line that closes with a bar (and none of them opens a row itself).
    """
    joined: list[str] = []
    index = 0
    while index < len(lines):
        end = _framed_end(lines, index)
        joined.append("\n".join(lines[index : end + 1]))
        index = end + 1
    return joined


def _framed_end(lines: list[str], start: int) -> int:
    """The last line of the framed row opened at `start` (`start` when it is not one)."""
    first = lines[start].translate(_BARS).strip(_SPACES)
    if not first.startswith("|") or first.endswith("|"):
        return start
    for index in range(start + 1, min(start + 1 + _MAX_QUOTED_LINES, len(lines))):
        text = lines[index].translate(_BARS).strip(_SPACES)
        if not text or text.startswith("|") or kind_of(lines[index]) is Kind.HEADING:
            return start
        if text.endswith("|"):
            return index
    return start


def join_wrapped(lines: list[str]) -> list[str]:
    """Rows of a delimited table whose label cell wraps onto the next line, joined.

    A browser copy keeps a cell's line break ("三、本年" / "度办理结果 | （一）" /
    "予以公开 | 31 | …"). A label that opens with an ordinal ("三、", "（一）", "1.") and
    stops before the delimiter or the values is continued by the next delimited line when
    that line's first cell does not open with an ordinal of its own.
    """
    joined: list[str] = []
    for line in lines:
        if joined and _continues(
            joined[-1], line, joined[-2] if len(joined) > 1 else ""
        ):
            joined[-1] = f"{joined[-1]}\n{line}"
        else:
            joined.append(line)
    return joined


def _continues(previous: str, line: str, above: str) -> bool:
    """Whether `line` continues the label that `previous` began (`above` precedes both)."""
    kind = kind_of(line)
    if kind not in (Kind.TAB, Kind.ROW):
        return False
    cells = _cells(line, kind)
    first = next((compact(c) for c in cells if compact(c)), "")
    if not first or labels.ITEM_START.match(first):
        return False
    before = kind_of(previous)
    if before is Kind.PLAIN:
        fragment = compact(previous)
        if not labels.ITEM_START.match(fragment):
            # Without an ordinal, only a short label fragment between two rows of the
            # table, joined to a row with value cells ("行政事" / "业性收费 | 671 | -672").
            if not (
                len(fragment) <= _FRAGMENT
                and len(_line_row(previous).cells) == 1
                and kind_of(above) in (Kind.TAB, Kind.ROW)
                and len(cells) > 1
            ):
                return False
    elif before in (Kind.TAB, Kind.ROW):
        # a row cut inside its last label cell: "度办理结果 | （一）" / "予以公开 | 31 | …"
        last = _cells(previous, before)
        fragment = compact(last[-1]) if last else ""
        if not fragment or not labels.ITEM_START.match(fragment):
            return False
        if any(read_value(c).is_value and compact(c) for c in last):
            return False
    else:
        return False
    return _same_row(fragment, fragment + first)


def _same_row(fragment: str, joined: str) -> bool:
    """Joining does not turn a label that names a row into another row's label.

    "（七）总计" with its blanks trimmed away is a row of its own, not the start of
    the "结转下年度" below it; "一、本年新收政府" + "信息公开申请数量" stays 本年新收.
    """
    for rules in labels.ROW_RULES.values():
        alone = labels.first_match(rules, fragment)
        if alone is not None and labels.first_match(rules, joined) != alone:
            return False
    return True


def join_tails(lines: list[str]) -> list[str]:
    """A delimited row's label continued on the next line, without values, joined.

    A page that wraps a label cell after its first words puts the rest on a line of its
    own after the row ("1.屬於\t51\t52…" / "國家祕密"). The tail is joined into the row's
    label when the joined label names a row, and neither part names another one: a
    label alone naming nothing, or a tail that names the same row ("2.沒有現成信" /
    "息需要另行製作"), is a part of it.
    """
    joined: list[str] = []
    for line in lines:
        previous = joined[-1] if joined else ""
        tailed = _with_tail(previous, line) if previous else None
        if tailed is None:
            joined.append(line)
        else:
            joined[-1] = tailed
    return joined


def _with_tail(row: str, tail: str) -> str | None:
    """`row` with `tail` added to its label, or None when `tail` does not continue it."""
    kind = kind_of(row)
    if (
        kind not in (Kind.TAB, Kind.ROW)
        or '"' in row
        or kind_of(tail) is not Kind.PLAIN
    ):
        return None
    text = compact(tail)
    if (
        not text
        or len(text) > _FRAGMENT
        or labels.ITEM_START.match(text)
        or len(_line_row(tail.strip(_SPACES)).cells) != 1
    ):
        return None
    delimiter = "\t" if kind is Kind.TAB else "|"
    parts = row.split("\t") if kind is Kind.TAB else row.translate(_BARS).split("|")
    cells = _cells(row, kind)
    label = next((i for i, p in enumerate(parts) if compact(p)), None)
    if label is None or read_value(parts[label]).is_value:
        return None
    if not any(read_value(c).number is not None for c in cells):
        return None  # a row with values: a valueless one is a header or a label part
    fragment = compact(parts[label])
    named = _rows_named(fragment + text)
    alone, tail_names = _rows_named(fragment), _rows_named(text)
    if not named or tail_names not in (set(), named):
        return None  # the tail names another row: a row of its own
    if alone and alone != tail_names:
        return None  # the row is named already, and the line is no part of its name
    kept = parts[label].rstrip(_SPACES)
    parts[label] = kept + tail.strip(_SPACES) + parts[label][len(kept) :]
    return delimiter.join(parts)


def _rows_named(label: str) -> set[str]:
    """The rows (of any table) that a label names by keyword."""
    found = (labels.first_match(rules, label) for rules in labels.ROW_RULES.values())
    return {key for key in found if key}


def _cells(line: str, kind: Kind) -> list[str]:
    if kind is Kind.ROW:
        return bar_cells(line)
    return tab_cells(line[1:] if line.startswith("\t") else line)


def tab_cells(line: str) -> list[str]:
    """The cells of a tab-separated row; a quoted cell may hold tabs, breaks and "" quotes."""
    if '"' not in line:
        return line.split("\t")
    rows = list(csv.reader([line], delimiter="\t", quotechar='"', strict=False))
    return rows[0] if rows else []


# --- runs of one cell per line --------------------------------------------------------------

_BAR_LINES = (Kind.BARS, Kind.CELL_END, Kind.CELL_START)


def _runs(kinds: list[Kind]) -> list[_Run]:
    """The stretches of lines that hold a table as one cell per line between bars."""
    runs: list[_Run] = []
    index, taken = 0, 0
    while index < len(kinds):
        if kinds[index] not in _BAR_LINES:
            index += 1
            continue
        first = last = index
        gap = 0
        probe = index + 1
        while probe < len(kinds):
            kind = kinds[probe]
            if kind in _BAR_LINES:
                last, gap = probe, 0
            elif kind is Kind.PLAIN:
                gap += 1
                if gap > _MAX_GAP:
                    break
            elif kind is not Kind.BLANK:
                break
            probe += 1
        window = kinds[first : last + 1]
        ended = window.count(Kind.CELL_END)
        terminated = ended > 0 and ended >= window.count(Kind.PLAIN)
        start, end = first, last + 1
        if not terminated:
            # a bar between cells: the line before the first bar and after the last are cells
            if start - 1 >= taken and kinds[start - 1] is Kind.PLAIN:
                start -= 1
            if end < len(kinds) and kinds[end] is Kind.PLAIN:
                end += 1
        runs.append(_Run(start, end, terminated))
        index = taken = end
    return runs


def _run_rows(lines: list[str], kinds: list[Kind], terminated: bool) -> list[Row]:
    rows = (
        _terminated_rows(lines, kinds) if terminated else _separated_rows(lines, kinds)
    )
    result: list[Row] = []
    for cells in rows:
        for part in _split_at_labels(cells, every_label=not terminated):
            if any(compact(c) for c in part):
                result.append(Row([Cell(clean_cell(c)) for c in part], complete=True))
    return result


def _terminated_rows(lines: list[str], kinds: list[Kind]) -> list[list[str]]:
    """Cells end with " |"; a line of bars ends the row (its bars pad dropped cells)."""
    rows: list[list[str]] = []
    cells: list[str] = []
    pending: list[str] = []
    for line, kind in zip(lines, kinds, strict=True):
        text = line.translate(_BARS).strip(_SPACES)
        if kind is Kind.CELL_END:
            cells.append("\n".join([*pending, text.rstrip("|" + _SPACES)]))
            pending = []
        elif kind in (Kind.BARS, Kind.CELL_START):
            if pending:
                cells.append("\n".join(pending))
            rows.append(cells)
            cells = []
            pending = [text.lstrip("|" + _SPACES)] if kind is Kind.CELL_START else []
        elif kind is Kind.PLAIN:
            pending.append(text)
    if pending:
        cells.append("\n".join(pending))
    rows.append(cells)
    return rows


def _separated_rows(lines: list[str], kinds: list[Kind]) -> list[list[str]]:
    """A bar alone between cells and no row ends: one list of every cell."""
    cells: list[str] = []
    pending: list[str] = []
    opened = False
    for line, kind in zip(lines, kinds, strict=True):
        text = line.translate(_BARS).strip(_SPACES)
        if kind in (Kind.BARS, Kind.CELL_START, Kind.CELL_END):
            if kind is Kind.CELL_END:
                pending.append(text.rstrip("|" + _SPACES))
            if pending or opened:
                cells.append("\n".join(pending))  # nothing between two bars: blank
            opened = True
            pending = [text.lstrip("|" + _SPACES)] if kind is Kind.CELL_START else []
        elif kind is Kind.PLAIN:
            pending.append(text)
    if pending:
        cells.append("\n".join(pending))
    return [cells]


def _split_at_labels(cells: list[str], *, every_label: bool) -> list[list[str]]:
    """Rows out of a run of cells: a label after values starts the next row.

    Without row ends (`every_label`) each label starts a row, so header cells, a group
    label and the row label stand alone and a row's values follow its own label.
    """
    rows: list[list[str]] = []
    current: list[str] = []
    valued = False
    for cell in cells:
        label = not read_value(cell).is_value
        if label and current and (valued or every_label):
            rows.append(current)
            current, valued = [], False
        current.append(cell)
        valued = valued or not label
    if current:
        rows.append(current)
    return rows


# --- rows ---------------------------------------------------------------------------------


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

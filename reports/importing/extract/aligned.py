"""Horizontal positions for plain text whose table rows are aligned in columns by spaces.

`pdftotext -layout`, a PDF viewer's copy or a hand-aligned file prints each table row on one
line, each cell under its header by runs of spaces; a blank cell is just more spaces and the
header spreads over several lines. Such text is given positions like a borderless PDF's
words: each cell carries its columns in `Cell.x0/x1`, so mapping places a value under the
header column it sits under instead of counting values.

Columns are counted two ways, as the text may have been laid out: by display width (an East
Asian wide character takes two, as editors and terminals show it) or one per character (as
pdftotext places characters on its grid); a section takes the way its values line up under.

Positions are given only to a section (between two section headings) that really is aligned:
several value lines whose every value sits under exactly one header column. A value that
sits under no header column or under two is left without a position, so its row is read by
order, which flags the row unless it prints one value per column.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reports.importing import labels
from reports.importing.extract.rows import Cell, Row
from reports.importing.normalize import clean_cell, compact, read_value

Width = Callable[[str], int]

_OVERLAP = 0.3  # share of the narrower extent two header cells must share to stack
_MIN_LINED = 3  # values lined up that a section needs before its positions are trusted
_MIN_SHARE = 0.5  # share of the placed values that must line up
_TOKEN = re.compile(r"\S+")


def display_width(char: str) -> int:
    """Columns a character takes on screen: two for East Asian wide and full-width ones."""
    if unicodedata.category(char) in ("Cc", "Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def char_width(char: str) -> int:
    """One column per character, as pdftotext -layout places them."""
    return 0 if unicodedata.category(char) in ("Cc", "Cf") else 1


WIDTHS: tuple[Callable[[str], int], ...] = (display_width, char_width)


@dataclass(frozen=True, slots=True)
class Token:
    """A cell of a line: its text, its columns [x0, x1), the spaces before it and
    whether it is a value."""

    text: str
    x0: int
    x1: int
    gap: int
    value: bool

    def lines_up(self, other: Token) -> bool:
        """The same left or right edge (or centre, for two values) after a different
        run of spaces.

        Text that only separates cells by spaces puts the same spaces before every cell,
        so its cells never line up this way; aligned text pads each cell to its column.
        """
        centred = (
            self.value
            and other.value
            and abs(self.x0 + self.x1 - other.x0 - other.x1) <= 1
        )
        same = self.x0 == other.x0 or self.x1 == other.x1 or centred
        return same and self.gap != other.gap


@dataclass(slots=True)
class _Stack:
    """Header cells printed above one another: one header column."""

    x0: int  # the extent of the narrowest cell, where mapping will look for values
    x1: int
    cells: list[Token] = field(default_factory=list)

    @property
    def lo(self) -> int:
        return min(t.x0 for t in self.cells)

    @property
    def hi(self) -> int:
        return max(t.x1 for t in self.cells)


def tokens(line: str, width: Width) -> list[Token]:
    """The line's cells with their columns; its trailing number-like tokens are values.

    Label words one space apart are one cell ("4.无正当理由大量反复 申请"), unless both
    are single characters; values are always cells of their own.
    """
    words: list[tuple[str, int, int]] = []
    column = 0
    last = 0
    for match in _TOKEN.finditer(line):
        column += sum(width(ch) for ch in line[last : match.start()])
        start = column
        column += sum(width(ch) for ch in match.group())
        last = match.end()
        words.append((match.group(), start, column))
    split = len(words)
    while split > 0:
        value = read_value(words[split - 1][0])
        if not (value.raw and value.is_value):
            break
        split -= 1
    out: list[Token] = []
    for index, (text, x0, x1) in enumerate(words):
        is_value = index >= split
        end = out[-1].x1 if out else 0
        joins = out and not is_value and not out[-1].value and x0 - end <= 1
        # single characters one space apart are columns of vertical text ("其 尚")
        if joins and not (len(text) == 1 and len(out[-1].text) == 1):
            previous = out.pop()
            text = f"{previous.text} {text}"
            out.append(Token(text, previous.x0, x1, previous.gap, False))
            continue
        out.append(Token(text, x0, x1, x0 - end, is_value))
    return out


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    shared = min(a1, b1) - max(a0, b0)
    return shared / max(min(a1 - a0, b1 - b0), 1e-6)


def _stacks(header: Sequence[Token]) -> list[_Stack]:
    """Header cells stacked into columns (narrowest first), as mapping's Header does;
    a cell over several columns is their parent and names none of them."""
    stacks: list[_Stack] = []
    for token in sorted(header, key=lambda t: t.x1 - t.x0):
        hits = [
            s for s in stacks if _overlap(token.x0, token.x1, s.x0, s.x1) > _OVERLAP
        ]
        if len(hits) > 1:
            continue
        if hits:
            hits[0].cells.append(token)
        else:
            stacks.append(_Stack(token.x0, token.x1, [token]))
    return stacks


@dataclass(frozen=True, slots=True)
class _Spot:
    """A value's place: the part of it under its header column, and that column."""

    x0: int
    x1: int
    stack: _Stack
    token: Token
    key: tuple[int, int]


def _place(token: Token, stacks: Sequence[_Stack], key: Key) -> _Spot | None:
    """Where a value goes: under the one header column it sits under, or None.

    The value must reach into that column's own extent and into no other column's cells;
    its position is narrowed to the shared part, so mapping finds the same column.
    """
    touched = [s for s in stacks if min(token.x1, s.hi) > max(token.x0, s.lo)]
    if len(touched) != 1:
        return None
    stack = touched[0]
    x0, x1 = max(token.x0, stack.x0), min(token.x1, stack.x1)
    return _Spot(x0, x1, stack, token, key) if x1 > x0 else None


Key = tuple[int, int]  # a token: its line and its place in the line


@dataclass(slots=True)
class _Reading:
    """A section read with one way of counting columns."""

    lines: list[list[Token]]
    clean: dict[int, list[_Spot]] = field(default_factory=dict)
    lined: set[Key] = field(default_factory=set)  # values that line up with a peer
    columns: int = 0  # header columns with a value that lines up

    def placed(self, index: int) -> list[_Spot] | None:
        """The places of a line's values: clean, and half of them line up."""
        spots = self.clean.get(index)
        if spots and 2 * sum(s.key in self.lined for s in spots) >= len(spots):
            return spots
        return None

    @property
    def evidence(self) -> int:
        """Values that line up, when at least two columns show it."""
        # one column proves nothing: a header written as one cell is over every value
        return len(self.lined) if self.columns > 1 else 0

    @property
    def values(self) -> int:
        return sum(len(spots) for spots in self.clean.values())


def _read(lines: list[list[Token]]) -> _Reading:
    """Where the values go and which of them line up.

    A value line is clean when each value sits under a header column of its own (and
    some value is more than one space from what precedes it). A value
    lines up when it lines up (`Token.lines_up`) with a cell of its column: a header
    cell, or a value of another clean line.
    """
    reading = _Reading(lines)
    header: list[tuple[Key, Token]] = []
    stacks: list[_Stack] = []
    keys: dict[int, Key] = {}  # id(token) -> key
    for index, line in enumerate(lines):
        for place, token in enumerate(line):
            keys[id(token)] = (index, place)
        values = [t for t in line if t.value]
        if not values:
            header.extend(((index, p), t) for p, t in enumerate(line))
            stacks = []
            continue
        if not stacks and header:
            stacks = _stacks([t for _, t in header])
        spots = [_place(v, stacks, keys[id(v)]) for v in values]
        placed = [s for s in spots if s is not None]
        own = len({id(s.stack) for s in placed}) == len(placed) == len(spots)
        # cells one space apart are not laid out in columns, whatever they line up with
        if own and max(v.gap for v in values) > 1:
            reading.clean[index] = placed
    by_column: dict[int, list[Token]] = {}
    for clean in reading.clean.values():
        for spot in clean:
            by_column.setdefault(id(spot.stack), []).append(spot.token)
    columns: set[int] = set()
    for clean in reading.clean.values():
        for spot in clean:
            for peer in [*spot.stack.cells, *by_column[id(spot.stack)]]:
                if peer is not spot.token and spot.token.lines_up(peer):
                    reading.lined.add(spot.key)
                    columns.add(id(spot.stack))
    reading.columns = len(columns)
    return reading


def _shared_edges(lines: Sequence[list[Token]]) -> int:
    """Values that start or end where a value of another line does."""
    starts: dict[int, set[int]] = {}
    ends: dict[int, set[int]] = {}
    for index, line in enumerate(lines):
        for token in line:
            if token.value:
                starts.setdefault(token.x0, set()).add(index)
                ends.setdefault(token.x1, set()).add(index)
    return sum(
        1
        for index, line in enumerate(lines)
        for t in line
        if t.value and (len(starts[t.x0]) > 1 or len(ends[t.x1]) > 1)
    )


def _choose(readings: Sequence[_Reading]) -> _Reading | None:
    """The reading whose values line up from line to line, if it is aligned.

    Counted the wrong way, the values of a line move with the wide characters before
    them, so fewer of them start or end where another line's do.
    """
    best = max(readings, key=lambda r: (_shared_edges(r.lines), r.evidence))
    if best.evidence < max(_MIN_LINED, _MIN_SHARE * best.values):
        return None
    return best


def _sections(texts: Sequence[str], plain: Sequence[bool]) -> list[list[int]]:
    """Runs of plain lines between section headings and delimited lines."""
    sections: list[list[int]] = []
    current: list[int] = []
    for index, (text, ok) in enumerate(zip(texts, plain, strict=True)):
        if not ok:
            if current:
                sections.append(current)
            current = []
            continue
        if text.strip():
            current.append(index)
    if current:
        sections.append(current)
    return sections


def positioned_rows(texts: Sequence[str], plain: Sequence[bool]) -> dict[int, Row]:
    """Rows with positions for the lines of aligned sections, by line index.

    `plain` says which lines may be table text (not headings, not delimited rows).
    """
    rows: dict[int, Row] = {}
    for section in _sections(texts, plain):
        section = [
            i for i in section if not labels.PAGE_NUMBER.match(compact(texts[i]))
        ]
        chosen = _choose(
            [_read([tokens(texts[i], w) for i in section]) for w in WIDTHS]
        )
        if chosen is None:
            continue
        for position, line in enumerate(chosen.lines):
            rows[section[position]] = _row(line, chosen.placed(position))
    return rows


def _row(line: list[Token], spots: list[_Spot] | None) -> Row:
    """A line's cells; the values of a line that is not clean are loose: their positions
    find their row, not their columns (read by order, flagged unless one per column)."""
    cells: list[Cell] = []
    places = iter(spots or [])
    for token in line:
        text = clean_cell(token.text)
        if not token.value:
            cells.append(Cell(text, x0=token.x0, x1=token.x1))
        elif spots:
            spot = next(places)
            cells.append(Cell(text, x0=spot.x0, x1=spot.x1))
        else:
            cells.append(Cell(text, x0=token.x0, x1=token.x1, loose=True))
    return Row(cells, complete=False)

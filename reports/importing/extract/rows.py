"""The Grid: what every extractor returns, whatever the source kind.

A Grid is the document as a sequence of rows in reading order. A table row carries its
cells (with the page, box and a horizontal extent that headers and values share); a line of
running text is a row too. Mapping (labels -> canonical keys) reads only this type, so PDF,
DOCX, HTML and plain text share one mapping.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reports.importing.normalize import read_value

BBox = tuple[float, float, float, float]
DAMAGE = "\ufffd"  # what a byte that was not valid text decodes to (intake/charsets.py)


@dataclass(slots=True)
class Cell:
    """One printed cell: its text and where it was.

    `x0`/`x1` place the cell horizontally in the units of its table (PDF points, or grid
    columns for DOCX/HTML), so a value can be matched to the header above it. They are None
    for text whose columns are unknown (plain text). `ref` names the cell in a source
    without pages (a workbook's "表三!D12"); it becomes the parsed cell's note. A `loose`
    cell's position tells its row (left or right of a label) but not its column: a value
    of aligned text that is not under exactly one header column. A `damaged` cell was read
    from a line holding bytes that were not valid text (U+FFFD): mapping takes no number
    of its row silently.
    """

    text: str
    page: int | None = None
    bbox: BBox | None = None
    x0: float | None = None
    x1: float | None = None
    ref: str = ""
    loose: bool = False
    damaged: bool = False

    @property
    def positioned(self) -> bool:
        return self.x0 is not None and self.x1 is not None

    @property
    def center(self) -> float:
        assert self.x0 is not None and self.x1 is not None
        return (self.x0 + self.x1) / 2


@dataclass(slots=True)
class Row:
    """A row of cells. `complete` is False for a text line that a wrapped label may continue."""

    cells: list[Cell]
    complete: bool = True
    page: int | None = None
    table: int | None = (
        None  # which extracted table the row came from (None: free text)
    )

    @property
    def text(self) -> str:
        return " ".join(c.text for c in self.cells if c.text)


@dataclass(slots=True)
class Damage:
    """Where a damaged file stops being trustworthy, and what was lost.

    Every row from `row` on was read from (or next to) the damaged region: what the
    mapping reads from them is uncertain. `lost` says what was lost and where (page,
    part, byte offset), `marked` which of what was read is uncertain; `page` is the first
    damaged page, when the file has pages.
    """

    row: int
    lost: str
    marked: str
    page: int | None = None

    @property
    def message(self) -> str:
        return f"{self.lost}；{self.marked}，请对照原件核对"


@dataclass(slots=True)
class Grid:
    """A document as rows, plus its running text for the title and narrative sections."""

    kind: str
    rows: list[Row] = field(default_factory=list)
    text: str = ""
    pages: int = 0
    title: str = ""
    notes: list[str] = field(default_factory=list)
    damage: Damage | None = None


def mark_damaged(rows: list[Row]) -> None:
    """Mark every cell of a row that holds U+FFFD (a byte that was not valid text)
    damaged: the damage may have cost any of them a digit or a separator."""
    for row in rows:
        if any(DAMAGE in cell.text for cell in row.cells):
            for cell in row.cells:
                cell.damaged = True


def split_row(row: Row) -> tuple[list[Cell], list[Cell]]:
    """A row's label fragments and value cells (numbers, "/" and empty cells)."""
    fragments: list[Cell] = []
    values: list[Cell] = []
    for cell in row.cells:
        if read_value(cell.text).is_value:
            values.append(cell)
        else:
            fragments.append(cell)
    return fragments, values


def has_numbers(values: list[Cell]) -> bool:
    """Whether any of the value cells prints something (a number or a mark)."""
    return any(read_value(c.text).raw for c in values)

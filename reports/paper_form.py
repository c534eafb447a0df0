"""The paper form's layout of each table, as header and body rows of spanning cells.

Pure Python over reports.schema: the admin's report page, the import preview and the Excel
template all draw the same grid from it, and the template's writer and reader place it on a
sheet the same way (`place_grid`). Input cells carry their cell path (table.row.column); the
caller attaches values or form fields to them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from reports import schema

# Sub-groups of table 三 that sit inside 三、本年度办理结果.
_T3_SUBGROUPS = (
    schema.WITHHELD_GROUP,
    schema.UNAVAILABLE_GROUP,
    schema.NOT_PROCESSED_GROUP,
    schema.OTHER_GROUP,
)
BALANCE_NOTE = "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和"


@dataclass
class GridCell:
    """A cell of the drawn grid: a label or header, or an input for a data cell."""

    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    path: str = ""  # table.row.column for data cells; empty for labels
    css: str = ""
    vertical: bool = False
    # Filled by the caller: a bound form field, or a read-only display value and state.
    field: object = None
    display: str = ""
    state: str = ""
    title: str = ""

    @property
    def is_input(self) -> bool:
        return bool(self.path)


@dataclass
class GridTable:
    """One table drawn as the form draws it."""

    key: str
    heading: str
    header: list[list[GridCell]] = field(default_factory=list)
    body: list[list[GridCell]] = field(default_factory=list)
    note: str = ""

    def inputs(self) -> Iterable[GridCell]:
        for row in self.header + self.body:
            for cell in row:
                if cell.is_input:
                    yield cell


def grids_for(layout: str, *, one_row_other: bool = False) -> list[GridTable]:
    """The three tables of a layout, drawn like the paper form."""
    tables = schema.tables_for(layout, one_row_other=one_row_other)
    return [table2_grid(tables["table2"]), table3_grid(tables["table3"]), table4_grid()]


def table2_grid(table: schema.Table) -> GridTable:
    """Table 二: one block per 第二十条 item, each with its own column header row."""
    width = max(len(r.columns) for r in table.rows)
    grid = GridTable(key="table2", heading=table.heading)
    blocks: list[tuple[str, list[schema.Row]]] = []
    for row in table.rows:
        if blocks and blocks[-1][0] == row.caption:
            blocks[-1][1].append(row)
        else:
            blocks.append((row.caption, [row]))
    for caption, rows in blocks:
        grid.body.append([GridCell(caption, colspan=width + 1, css="caption")])
        columns = rows[0].columns
        header = [GridCell("信息内容", css="head")]
        header += _spread([GridCell(c.label, css="head") for c in columns], width)
        grid.body.append(header)
        for row in rows:
            cells = [GridCell(row.label, css="label")]
            cells += _spread(
                [
                    GridCell(path=schema.cell_path("table2", row.key, c.key))
                    for c in row.columns
                ],
                width,
            )
            grid.body.append(cells)
    return grid


def _spread(cells: list[GridCell], width: int) -> list[GridCell]:
    """Stretch the last cell so that every block is as wide as the widest."""
    if cells and len(cells) < width:
        cells[-1].colspan += width - len(cells)
    return cells


def table3_grid(table: schema.Table) -> GridTable:
    """Table 三: two-level applicant header, three label columns for the nested groups."""
    cols = schema.TABLE3_COLUMNS
    legal = [c for c in cols if c.group == schema.LEGAL_PERSONS_GROUP]
    grid = GridTable(key="table3", heading=table.heading, note=BALANCE_NOTE)
    grid.header = [
        [
            GridCell(BALANCE_NOTE, colspan=3, rowspan=3, css="head corner"),
            GridCell(schema.APPLICANTS_GROUP, colspan=len(cols), css="head"),
        ],
        [
            GridCell(cols[0].label, rowspan=2, css="head"),
            GridCell(schema.LEGAL_PERSONS_GROUP, colspan=len(legal), css="head"),
            GridCell(cols[-1].label, rowspan=2, css="head"),
        ],
        [GridCell(c.label, css="head") for c in legal],
    ]
    rows = list(table.rows)
    results = [r for r in rows if r.group in (schema.RESULTS_GROUP, *_T3_SUBGROUPS)]
    for row in rows:
        labels: list[GridCell] = []
        in_results = row in results
        in_subgroup = row.group in _T3_SUBGROUPS
        if in_results and row is results[0]:
            labels.append(
                GridCell(
                    schema.RESULTS_GROUP,
                    rowspan=len(results),
                    css="group",
                    vertical=True,
                )
            )
        if in_subgroup:
            members = [r for r in rows if r.group == row.group]
            if row is members[0]:
                labels.append(GridCell(row.group, rowspan=len(members), css="group"))
            labels.append(GridCell(row.label, css="label"))
        else:
            labels.append(
                GridCell(row.label, colspan=2 if in_results else 3, css="label")
            )
        inputs = [
            GridCell(path=schema.cell_path("table3", row.key, c.key)) for c in cols
        ]
        grid.body.append(labels + inputs)
    return grid


def table4_grid() -> GridTable:
    """Table 四: 行政复议 and the two 行政诉讼 blocks side by side, one data row of 15."""
    table = schema.TABLE4
    review, direct, after = table.rows
    cols = schema.TABLE4_COLUMNS
    grid = GridTable(key="table4", heading=table.heading)
    grid.header = [
        [
            GridCell(review.group, colspan=len(cols), css="head"),
            GridCell(schema.LITIGATION_GROUP, colspan=2 * len(cols), css="head"),
        ],
        [GridCell(c.label, rowspan=2, css="head") for c in cols]
        + [
            GridCell(direct.label, colspan=len(cols), css="head"),
            GridCell(after.label, colspan=len(cols), css="head"),
        ],
        [GridCell(c.label, css="head") for c in cols] * 2,
    ]
    grid.body = [
        [
            GridCell(path=schema.cell_path("table4", row.key, c.key))
            for row in table.rows
            for c in cols
        ]
    ]
    return grid


# --- where each cell falls on a sheet ------------------------------------------------------
# The template's writer and its reader (the importer) both place a grid this way.


@dataclass(frozen=True)
class Placed:
    """A grid cell at its sheet position (1-based row and column of its top-left corner)."""

    cell: GridCell
    row: int
    col: int

    @property
    def last_row(self) -> int:
        return self.row + self.cell.rowspan - 1

    @property
    def last_col(self) -> int:
        return self.col + self.cell.colspan - 1

    @property
    def coordinate(self) -> str:
        return f"{get_column_letter(self.col)}{self.row}"


def place(rows: Sequence[Sequence[GridCell]], top: int, left: int = 1) -> list[Placed]:
    """Where each cell of a spanning grid falls, as an HTML table lays it out."""
    taken: set[tuple[int, int]] = set()
    out: list[Placed] = []
    for r, cells in enumerate(rows):
        c = 0
        for cell in cells:
            while (r, c) in taken:
                c += 1
            out.append(Placed(cell, top + r, left + c))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return out


def grid_width(grid: GridTable) -> int:
    rows = grid.header + grid.body
    return max(sum(c.colspan for c in row) for row in rows) if rows else 0


def place_grid(grid: GridTable, top: int, left: int = 1) -> list[Placed]:
    return place(grid.header + grid.body, top, left)

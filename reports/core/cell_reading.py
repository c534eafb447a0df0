"""Reading table cells for the rules: known values, blanks counted as 0, and what to say.

Spec section 5: a blank or not-applicable cell is not 0, but arithmetic treats it as 0 and the
finding says so. A missing cell (absent row or column) or an uncertain one is unknown, and any
check that needs it is skipped rather than guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fnmatch import fnmatchcase

from reports import schema
from reports.core.issues import CellRef
from reports.core.parsed import ParsedCell, Tables

Number = int | Decimal

TABLE2_2019_MARKERS = frozenset(
    {
        "new_made",
        "new_published",
        "total_published",
        "previous_items",
        "change",
        "projects",
    }
)
TABLE2_2019_ROWS = frozenset({"other_services", "procurement"})
TABLE2_2021_MARKERS = frozenset({"issued", "repealed", "in_force"})


class Uncertain:
    """Cell paths flagged uncertain: exact paths plus fnmatch patterns (truth files use both)."""

    __slots__ = ("exact", "patterns")

    def __init__(self, paths: Iterable[str] = ()) -> None:
        self.exact: set[str] = set()
        self.patterns: list[str] = []
        for path in paths:
            if any(ch in path for ch in "*?["):
                self.patterns.append(path)
            else:
                self.exact.add(path)

    def __bool__(self) -> bool:
        return bool(self.exact or self.patterns)

    def __contains__(self, path: object) -> bool:
        if path in self.exact:
            return True
        return any(fnmatchcase(str(path), p) for p in self.patterns)


@dataclass(frozen=True, slots=True)
class Known:
    """A cell whose value is known: blank and "/" read as 0, with the cell kept for notes."""

    value: Number
    cell: ParsedCell
    path: str

    def ref(self) -> CellRef:
        return CellRef(self.path, self.cell.value, self.cell.raw)


@dataclass(slots=True)
class TableValues:
    """One table read in a single pass: values (blank and "/" as 0, unknown as None)."""

    rows: dict[str, dict[str, Number | None]]
    blank: list[tuple[str, str, ParsedCell]]
    not_applicable: list[tuple[str, str, ParsedCell]]
    suspect: list[tuple[str, str, ParsedCell]]  # negative or fractional values


class Reader:
    """Known values of one report's tables; one instance serves every check of the report."""

    __slots__ = ("_values", "layout", "tables", "uncertain")

    def __init__(
        self, tables: Tables, layout: str, uncertain: Iterable[str] | Uncertain = ()
    ) -> None:
        self.tables = tables
        self.layout = layout
        self.uncertain = (
            uncertain if isinstance(uncertain, Uncertain) else Uncertain(uncertain)
        )
        self._values: dict[str, TableValues] = {}

    def values(self, table: str) -> TableValues:
        """The whole table in one pass (the fast path of the arithmetic rules)."""
        found = self._values.get(table)
        if found is None:
            found = self._values[table] = self._read(table)
        return found

    def _read(self, table: str) -> TableValues:
        uncertain = self.uncertain if self.uncertain else None
        na_texts = schema.NOT_APPLICABLE_TEXTS
        out = TableValues({}, [], [], [])
        for row, cells in self.rows(table).items():
            values: dict[str, Number | None] = {}
            for column, cell in cells.items():
                value = cell.value
                if cell.uncertain or (
                    uncertain is not None and f"{table}.{row}.{column}" in uncertain
                ):
                    values[column] = None
                elif type(value) is int and value >= 0:  # the common case first
                    values[column] = value
                elif value is None:
                    raw = cell.raw.strip() if cell.raw else ""
                    if not raw:
                        out.blank.append((row, column, cell))
                        values[column] = 0
                    elif raw in na_texts:
                        out.not_applicable.append((row, column, cell))
                        values[column] = 0
                    else:
                        values[column] = None  # printed text that is not a number
                else:
                    values[column] = value
                    if value < 0 or value != int(value):
                        out.suspect.append((row, column, cell))
            out.rows[row] = values
        return out

    def rows(self, table: str) -> dict[str, dict[str, ParsedCell]]:
        return self.tables.get(table) or {}

    def known(self, table: str, row: str, column: str) -> Known | None:
        """The cell's value (blank or "/" as 0), or None when missing, unreadable or uncertain."""
        cells = self.tables.get(table, {}).get(row)
        if not cells:
            return None
        cell = cells.get(column)
        if cell is None or cell.uncertain:
            return None
        path = f"{table}.{row}.{column}"
        if self.uncertain and path in self.uncertain:
            return None
        value = cell.value
        if value is None:
            if not (cell.is_blank or cell.is_not_applicable):
                return None  # printed text that is not a number: unknown, not 0
            return Known(0, cell, path)
        return Known(value, cell, path)

    def known_all(
        self, table: str, pairs: Iterable[tuple[str, str]]
    ) -> list[Known] | None:
        """Every (row, column) known, or None if any is not."""
        out = []
        for row, column in pairs:
            item = self.known(table, row, column)
            if item is None:
                return None
            out.append(item)
        return out

    def table_layout(self, table: str) -> str:
        """The layout a table follows, judged by its keys (falls back to the report's)."""
        if table == "table2":
            return table2_layout(self.rows("table2")) or self.layout
        if table == "table3":
            rows = self.rows("table3")
            if any(r in rows for r in schema.OTHER_2021_ROWS):
                return schema.Layout.Y2021
        return self.layout

    def label(self, table: str, row: str, column: str) -> str:
        return schema.cell_label(table, row, column, self.table_layout(table))


def table2_layout(rows: dict[str, dict[str, ParsedCell]]) -> str | None:
    """ "2019" or "2021" from table 二's row and column keys; None when it has none."""
    if not rows:
        return None
    if any(r in TABLE2_2019_ROWS for r in rows):
        return schema.Layout.Y2019
    columns = {c for cells in rows.values() for c in cells}
    if columns & TABLE2_2019_MARKERS:
        return schema.Layout.Y2019
    if columns & TABLE2_2021_MARKERS or "amount" in rows.get("fees", {}):
        return schema.Layout.Y2021
    return None


def zero_note(reader: Reader, items: Iterable[Known]) -> str:
    """ "（其中…为空白/“/”，按 0 计算）" for the blank or not-applicable cells used, else ""."""
    blanks = []
    for item in items:
        if item.cell.value is not None:
            continue
        table, row, column = item.path.split(".")
        what = (
            "空白"
            if item.cell.is_blank
            else f"“{(item.cell.raw or '').strip()}”（不适用）"
        )
        blanks.append(f"{reader.label(table, row, column)}为{what}")
    if not blanks:
        return ""
    shown = "、".join(blanks[:4]) + ("等" if len(blanks) > 4 else "")
    return f"（其中{shown}，按 0 计算）"


def refs(items: Iterable[Known]) -> tuple[CellRef, ...]:
    return tuple(item.ref() for item in items)


def fmt(value: Number) -> str:
    """A number as a reviewer reads it (no exponent, no trailing zeros)."""
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)

"""Turn a RowRead into ParsedCells: attribute each value to its column, or say why not.

Positioned values go to the header column they sit under; a column the header names but
where nothing is printed is blank. Unpositioned values (plain text) are attributed by order
only when the row prints exactly one value per column; otherwise the row is kept, its cells
are listed as uncertain and a warning shows what was printed. Nothing is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from reports import schema
from reports.core.parsed import ParsedCell
from reports.importing.extract.rows import Cell
from reports.importing.mapping.columns import foreign_columns
from reports.importing.mapping.reads import RowRead
from reports.importing.normalize import clean_cell, compact, read_value


@dataclass
class Resolved:
    """The cells of one row, the columns left uncertain and what went wrong."""

    cells: dict[str, ParsedCell] = field(default_factory=dict)
    uncertain: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    unprinted: bool = False  # the row printed no value at all (all blank)


def to_parsed(cell: Cell | None, column: schema.Column) -> tuple[ParsedCell, str]:
    """A printed cell as a ParsedCell of the column's kind, and a problem ("" when none)."""
    if cell is None:
        return ParsedCell(value=None, raw=""), ""
    raw = clean_cell(cell.text)
    value = read_value(raw)
    parsed = ParsedCell(
        value=None,
        raw=raw,
        page=cell.page,
        bbox=cell.bbox,
        unit=value.unit,
        note=cell.ref,
    )
    number = value.number
    if number is None:
        return parsed, ""
    if column.kind is schema.Kind.MONEY:
        parsed.value = Decimal(number)
        return parsed, ""
    if isinstance(number, Decimal):
        if number != number.to_integral_value():
            parsed.uncertain = True
            parsed.note = "件数不是整数"
            return parsed, f"件数印为小数“{raw}”，未采用"
        number = int(number)
    if number < 0 and column.kind is schema.Kind.COUNT:
        parsed.uncertain = True
        parsed.note = "件数为负数"
        return parsed, f"件数印为负数“{raw}”，未采用"
    parsed.value = number
    parsed.unit = ""
    return parsed, ""


def resolve(
    read: RowRead,
    columns: tuple[tuple[str, schema.Column], ...],
    order: tuple[str, ...] | None = None,
) -> Resolved:
    """Attribute a row's values to `columns` (pairs of output key and schema column).

    `order` is the column order a text header printed (columns.text_order): values
    without positions are read in that order rather than the form's.
    """
    header = read.header
    positioned = (
        header is not None
        and not header.empty
        and bool(read.values)
        and all(c.positioned for c in read.values)
    )
    if positioned:
        return _by_position(read, columns)
    if order == ():  # the header reorders columns it does not all name: no order
        return _order_unknown(read, columns)
    foreign = foreign_columns(header, {key for key, _ in columns})
    if foreign:
        return _other_layout(read, columns, foreign)
    if order is None or {key for key, _ in columns} != set(order):
        return _by_order(read, columns)
    rank = {key: i for i, key in enumerate(order)}
    result = _by_order(read, tuple(sorted(columns, key=lambda pair: rank[pair[0]])))
    # the cells in the form's order again, as every other source gives them
    result.cells = {key: result.cells[key] for key, _ in columns if key in result.cells}
    return result


def _order_unknown(
    read: RowRead, columns: tuple[tuple[str, schema.Column], ...]
) -> Resolved:
    """Values read by order under a header whose column order is not known: every cell
    that prints something is kept but uncertain, never silently taken as placed."""
    result = _by_order(read, columns)
    if result.unprinted:
        return result
    for key, cell in result.cells.items():
        cell.uncertain = True
        if key not in result.uncertain:
            result.uncertain.append(key)
    for key, _column in columns:
        if key not in result.uncertain:
            result.uncertain.append(key)
    result.problems.append(
        "表头的列顺序与标准表格不同且有列名无法识别，各数值所在的列无法确定"
    )
    return result


def _other_layout(
    read: RowRead, columns: tuple[tuple[str, schema.Column], ...], foreign: list[str]
) -> Resolved:
    """Values read by order under a table 二 header of the other layout's columns: kept,
    every cell uncertain, the header words named."""
    result = _by_order(read, columns)
    if result.unprinted:
        return result
    for cell in result.cells.values():
        cell.uncertain = True
    result.uncertain = [key for key, _ in columns]
    names = "、".join(c.label for _, c in columns)
    result.problems.append(
        f"表头印的是“{'、'.join(foreign)}”，不是本行的列（{names}），"
        "各数值所在的列无法确定，均标为存疑"
    )
    return result


def _by_position(
    read: RowRead, columns: tuple[tuple[str, schema.Column], ...]
) -> Resolved:
    assert read.header is not None
    result = Resolved()
    wanted = dict(columns)
    known = {s.key for s in read.header.keyed()}
    placed: dict[str, Cell] = {}
    stray = False  # a printed value under no known column: it may be any blank one's
    for cell in read.values:
        printed = read_value(cell.text).raw
        stack = read.header.column_of(cell)
        if stack is None or stack.key not in wanted:
            if printed:
                stray = True
                result.problems.append(
                    f"数值“{printed}”不在任何可识别的表头列下，未采用，"
                    "本行未印数值的列标为存疑"
                )
            continue
        if stack.key in placed:
            if printed and read_value(placed[stack.key].text).raw:
                result.uncertain.append(stack.key)
                result.problems.append(
                    f"同一列“{wanted[stack.key].label}”下有两个数值，无法确定"
                )
                continue
            if not printed:
                continue
        placed[stack.key] = cell
    result.unprinted = not any(read_value(c.text).raw for c in placed.values())
    for key, column in columns:
        if key in result.uncertain:
            continue
        if key not in placed and key not in known:
            result.uncertain.append(key)
            result.problems.append(f"表头中找不到“{column.label}”列")
            continue
        parsed, problem = to_parsed(placed.get(key), column)
        if problem:
            result.problems.append(problem)
        if stray and parsed.value is None and not parsed.raw:
            parsed.uncertain = True
            result.uncertain.append(key)
        result.cells[key] = parsed
    return result


def _by_order(
    read: RowRead, columns: tuple[tuple[str, schema.Column], ...]
) -> Resolved:
    result = Resolved()
    wanted = len(columns)
    values, ambiguous = _unpadded(list(read.values), wanted)
    printed = [read_value(c.text).raw for c in values]
    if not any(printed):
        result.unprinted = True
        for key, _column in columns:
            result.cells[key] = ParsedCell(value=None, raw="", page=read.page)
        return result
    if len(values) != wanted or ambiguous:
        shown = " ".join(p or "（空）" for p in printed)
        result.uncertain = [key for key, _ in columns]
        result.problems.append(
            f"印有 {len(values)} 个数值（{shown}），而本行有 {wanted} 列，"
            "无法确定各数值所在的列，未填入"
            if not ambiguous
            else f"印有 {len(values)} 个数值（{shown}），前后另有空白格，而本行有 "
            f"{wanted} 列，无法确定空白格属于哪一列，未填入"
        )
        return result
    for (key, column), cell in zip(columns, values, strict=True):
        parsed, problem = to_parsed(cell, column)
        if problem:
            result.problems.append(problem)
        result.cells[key] = parsed
    return result


def _unpadded(values: list[Cell], wanted: int) -> tuple[list[Cell], bool]:
    """The values without the empty padding cells at either end, and whether that is unsure.

    Converters pad rows with empty cells (merged group columns, trailing grid cells). They
    are dropped only when dropping them makes the count match the columns; when empty
    cells at both ends could be the extra ones, which end is padding is not known.
    """
    extra = len(values) - wanted
    if extra <= 0:
        return values, False
    lead = next((i for i, c in enumerate(values) if compact(c.text)), len(values))
    if lead == len(values):
        return values, False  # nothing printed at all
    trail = next(i for i, c in enumerate(reversed(values)) if compact(c.text))
    if lead + trail < extra:
        return values[lead : len(values) - trail], False  # too many even without them
    cut = min(lead, extra)  # most leading cells that can go
    if max(0, extra - trail) != cut:  # fewer could go as well: either end may be blank
        return values[lead : len(values) - trail], True
    return values[cut : len(values) - (extra - cut)], False

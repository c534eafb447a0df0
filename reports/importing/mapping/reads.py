"""What the stream reader found for one table row, before its values meet their columns."""

from __future__ import annotations

from dataclasses import dataclass, field

from reports.importing.extract.rows import Cell
from reports.importing.labels import LabelMatch
from reports.importing.mapping.columns import Header
from reports.importing.mapping.prose import ProseRow


@dataclass
class RowRead:
    """One table row as found: its key, label, value cells and the header it sat under."""

    table: str
    key: str | None
    label: str
    values: list[Cell] = field(default_factory=list)
    header: Header | None = None
    complete: bool = True
    page: int | None = None
    prose: ProseRow | None = None  # set when the row was written as a sentence
    match: LabelMatch | None = None  # set when no keyword named the row (a close match)
    noted: bool = False  # a sentence beside a table read as rows: never taken silently
    damaged: bool = False  # a cell of its row was read from damaged text (damage.py)
    garbled: list[str] = field(
        default_factory=list
    )  # text cells like "0a0" (damage.py)

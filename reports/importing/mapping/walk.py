"""The walk over a grid's rows: section headings, and each table's rows to its reader.

Rows of tables 二, 三 and 四 go to a TableReader each (stream.py); a table section written as
sentences is read by prose.py, unless rows with values were read there as a table.
"""

from __future__ import annotations

from reports import schema
from reports.core.parsed import ParseWarning
from reports.importing import labels
from reports.importing.extract.rows import Row
from reports.importing.mapping import prose
from reports.importing.mapping.stream import (
    RowRead,
    TableReader,
    has_numbers,
    split_row,
)
from reports.importing.normalize import compact, read_value

TABLES = schema.TABLE_KEYS


class Walk:
    """Follows headings through the rows and feeds each table's reader."""

    def __init__(self) -> None:
        self.section: str | None = None
        self.headings: dict[str, str] = {}
        self.readers = {t: TableReader(t) for t in TABLES}
        self.rows: dict[str, list[Row]] = {t: [] for t in TABLES}
        self.warnings: list[ParseWarning] = []
        self.orphaned: set[str] = set()  # tables with numbers that found no row

    def feed(self, row: Row) -> None:
        fragments, values = split_row(row)
        numbers = has_numbers(values)
        text = compact(row.text)
        if not numbers and text:
            key = labels.section_of(text)
            if key:
                self._enter(key, row.text)
                return
        if self.section not in TABLES:
            return
        label = "".join(compact(c.text) for c in fragments)
        if self.section == "table2" and numbers and label:
            if labels.first_match(labels.TABLE3_ROWS, label) and not labels.first_match(
                labels.TABLE2_ROWS, label
            ):
                self._jump("table3", row)
        if self.section in ("table2", "table3") and labels.TABLE4_HEADER.search(text):
            self._jump("table4", row)
        assert self.section is not None
        self.rows[self.section].append(row)

    def _enter(self, key: str, heading: str) -> None:
        self.section = key
        self.headings.setdefault(key, heading.strip())

    def _jump(self, table: str, row: Row) -> None:
        """Rows of a later table appear without its heading (a truncated document)."""
        self.warnings.append(
            ParseWarning(
                "heading_missing",
                f"未见{schema.TABLE_LABELS[table]}的标题，但"
                + (f"第 {row.page} 页起" if row.page else "")
                + f"出现了{schema.TABLE_LABELS[table]}的内容，文件可能不完整",
                table,
                row.page,
            )
        )
        self.section = table

    def finish(self, table: str) -> list[RowRead]:
        """The rows of a table; sentences ("（一）予以公开：自然人 31 件…") when they are
        at least half as many as the rows read with values, else only for rows the table
        lacks, flagged: a row read with values in the table wins over a note, and a note
        never silently supplies a cell ("备注：其他 5" inside table 三 does not turn the
        table into prose)."""
        rows = self.rows[table]
        found, orphans = self._read_rows(table, rows)
        count = prose.sentence_count(rows)
        if count:
            sentences = [prose_read(table, p) for p in prose.parse(table, rows)]
            valued = {r.key for r in found if has_numbers(r.values)}
            if 2 * count >= len(valued):
                # sentences throughout (their wrapped lines may end in numbers)
                return sentences
            for read in sentences:
                read.noted = True
            found += [r for r in sentences if r.key not in valued]
        for orphan in orphans:
            self.orphaned.add(table)
            shown = " ".join(c.text for c in orphan.cells if c.text)[:60]
            self.warnings.append(
                ParseWarning(
                    "orphan_values",
                    f"{schema.TABLE_LABELS[table]}中有一行数值（{shown}）找不到对应的行名，未采用",
                    table,
                    orphan.page,
                )
            )
        return found

    def _read_rows(
        self, table: str, rows: list[Row]
    ) -> tuple[list[RowRead], list[Row]]:
        """The table's rows read as a table, and the rows of numbers that found no label."""
        reader = self.readers[table]
        for row in rows:
            reader.feed(row)
        found = reader.finish()
        orphans = [
            orphan
            for orphan in reader.orphans
            # only "无" or "/" (a vertical "（四）无法提供"): no number lost
            if any(read_value(c.text).number is not None for c in orphan.cells)
        ]
        return found, orphans


def prose_read(table: str, row: prose.ProseRow) -> RowRead:
    return RowRead(table, row.key, row.label, [], None, True, None, prose=row)

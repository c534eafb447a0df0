"""ParsedReport: what every importer produces and the apply service writes.

Plain dataclasses, no Django. A ParsedReport is the interchange JSON of the spec (section 7)
plus what an importer knows beyond it: the raw text and provenance of every cell, the cells it
is unsure of, and warnings that name the table, row and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from reports import schema

CellValue = int | Decimal | None


@dataclass(slots=True)
class ParsedCell:
    """One cell as read from a source: its value, the text printed, and where it was.

    `value` is None for a blank or not-applicable cell; `raw` tells which ("" for blank,
    "/" etc. for not applicable). `raw` is None only where the source gave a value without
    its printed text (an interchange JSON file).
    """

    value: CellValue
    raw: str | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    uncertain: bool = False
    note: str = ""
    unit: str = ""

    @property
    def is_blank(self) -> bool:
        return self.value is None and (self.raw or "").strip() == ""

    @property
    def is_not_applicable(self) -> bool:
        return (
            self.value is None
            and (self.raw or "").strip() in schema.NOT_APPLICABLE_TEXTS
        )


@dataclass
class ParseWarning:
    """Something a reviewer must look at; `where` is a cell path like table3.granted.total."""

    code: str
    message: str
    where: str = ""
    page: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.where:
            data["where"] = self.where
        if self.page is not None:
            data["page"] = self.page
        return data


# table key -> row key -> column key -> cell. A row present with no readable cells is {}.
Tables = dict[str, dict[str, dict[str, ParsedCell]]]


# What a source kind is called where people read it (the import preview, the report page).
# Kinds LibreOffice converts first keep the name of what the file was.
KIND_LABELS = {
    "pdf": "PDF",
    "docx": "Word（DOCX）",
    "xlsx": "Excel（XLSX）",
    "html": "网页（HTML）",
    "mhtml": "网页存档（MHT/MHTML）",
    "text": "文本",
    "json": "交换格式（JSON）",
    "doc": "Word 97-2003 文档（.doc）",
    "wps": "WPS 文字文档（.wps）",
    "rtf": "RTF 文档（.rtf）",
    "odt": "OpenDocument 文本（.odt）",
    "xls": "Excel 97-2003 工作簿（.xls）",
    "et": "WPS 表格（.et）",
    "ods": "OpenDocument 电子表格（.ods）",
}


def kind_label(kind: str) -> str:
    """A source kind in words ("Word 97-2003 文档（.doc）"); unknown kinds as written."""
    return KIND_LABELS.get(kind, kind.upper())


@dataclass
class SourceInfo:
    """The document a report was read from."""

    name: str = ""
    kind: str = ""
    sha256: str = ""
    size: int = 0

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


@dataclass
class ParsedReport:
    """One report as read from a document, before it is matched to an agency and saved."""

    agency: str
    year: int | None
    format: str
    tables: Tables = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    title: str = ""
    publication_date: str = ""
    source_url: str = ""
    raw_text: str = ""
    uncertain: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    source: SourceInfo = field(default_factory=SourceInfo)

    def cell(self, table: str, row: str, column: str) -> ParsedCell | None:
        return self.tables.get(table, {}).get(row, {}).get(column)

    def flag_uncertain(self, path: str, cell: ParsedCell | None = None) -> None:
        """Record `path` as uncertain, once, and mark its cell when it has one."""
        if cell is not None:
            cell.uncertain = True
        if path not in self.uncertain:
            self.uncertain.append(path)

    def flag_row_uncertain(self, table: str, row: str) -> None:
        """Every cell read for a row uncertain (a damaged, orphaned or doubtful row)."""
        for column, cell in self.tables.get(table, {}).get(row, {}).items():
            self.flag_uncertain(schema.cell_path(table, row, column), cell)

    def uncertain_paths(self) -> list[str]:
        """Cell paths flagged uncertain, from the report's list and from the cells."""
        paths = list(self.uncertain)
        for table, rows in self.tables.items():
            for row, cells in rows.items():
                for column, cell in cells.items():
                    path = schema.cell_path(table, row, column)
                    if cell.uncertain and path not in paths:
                        paths.append(path)
        return paths


def value_to_json(value: CellValue) -> int | str | None:
    """A cell value as the interchange JSON writes it: money as a decimal string."""
    if isinstance(value, Decimal):
        return decimal_to_str(value)
    return value


def decimal_to_str(value: Decimal) -> str:
    """A decimal without float rounding, exponent notation or trailing zeros ("7545", "12.5")."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"

"""Where everything sits in the Excel fill-in template of a table layout (2019 or 2021).

Defined once for the writer (reports/exporting/template_xlsx.py) and the reader
(reports/importing/mapping/template.py): the marker sheet, the info lines, and for each
table its sheet, the cell of every input and the text of every label.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reports import schema
from reports.paper_form import GridTable, Placed, grid_width, grids_for, place_grid

TEMPLATE_MARK = "政府信息公开工作年度报告填报模板"
TEMPLATE_VERSION = 1
# The hidden sheet that tells a filled template from any other workbook.
META_SHEET = "模板信息"
INFO_SHEET = "基本信息"
README_SHEET = "说明"
SHEET_NAMES: dict[str, str] = {t: schema.TABLE_LABELS[t] for t in schema.TABLE_KEYS}
GRID_TOP = 3  # title on row 1, who and which year on row 2, the form from row 3


@dataclass(frozen=True)
class InfoField:
    """A line of the 基本信息 sheet: its key, label, and whether the filler may edit it."""

    key: str
    label: str
    editable: bool = True
    hint: str = ""


def info_fields(layout: str) -> list[InfoField]:
    fields = [
        InfoField("agency", "机关名称", hint="与报告标题中的机关名称一致"),
        InfoField("region", "所属区划", hint="可不填；导入时按机关名录确定"),
        InfoField("year", "报告年度", editable=False),
        InfoField("layout", "表格版式", editable=False),
        InfoField("publication_date", "发布日期", hint="如 2025-01-20"),
    ]
    if layout == schema.Layout.Y2019:
        fields.append(
            InfoField(
                "procurement_unit",
                "政府集中采购总金额的单位",
                hint="元 或 万元（2019 版表格未规定单位）",
            )
        )
    fields += [
        InfoField(key, schema.SECTION_HEADINGS[key], hint="正文，可直接粘贴")
        for key in schema.NARRATIVE_SECTIONS
    ]
    return fields


@dataclass
class SheetLayout:
    """Where a table sits on its sheet: each input's cell and each label's expected text."""

    table: str
    name: str
    grid: GridTable
    placed: list[Placed]
    inputs: dict[str, str] = field(default_factory=dict)  # cell path -> "D12"
    labels: dict[str, str] = field(default_factory=dict)  # "A5" -> label text

    @property
    def width(self) -> int:
        return grid_width(self.grid)

    @property
    def bottom(self) -> int:
        return max(p.last_row for p in self.placed)


@dataclass
class TemplateLayout:
    """The whole template of a layout: info lines (row numbers) and the table sheets."""

    layout: str
    info: list[InfoField]
    sheets: list[SheetLayout]

    def info_row(self, key: str) -> int:
        """The row of the 基本信息 sheet holding `key` (values are in column B)."""
        for index, item in enumerate(self.info, start=3):
            if item.key == key:
                return index
        raise KeyError(key)


def template_layout(layout: str) -> TemplateLayout:
    """The template's layout for a table layout (2019 or 2021)."""
    sheets = []
    for grid in grids_for(layout):
        placed = place_grid(grid, GRID_TOP)
        sheet = SheetLayout(grid.key, SHEET_NAMES[grid.key], grid, placed)
        for p in placed:
            if p.cell.is_input:
                sheet.inputs[p.cell.path] = p.coordinate
            else:
                sheet.labels[p.coordinate] = p.cell.text
        sheets.append(sheet)
    return TemplateLayout(layout, info_fields(layout), sheets)


def column_kind(layout: str, path: str) -> schema.Kind:
    table, row, column = path.split(".")
    return schema.allowed_rows(table, layout)[row].column(column).kind

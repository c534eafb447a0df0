"""Full national-template reports built here (python-docx), for LibreOffice to turn into PDF.

A `Variant` says how the document is laid out (layout year, ruling lines, label column
widths, how far down the page table 三 starts) and what is printed in its cells. Every
printed cell is listed with the value it means, so a test compares the parse with what the
test itself put in the document. Labels, groups and order come from `reports.schema`.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import docx
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from reports import schema

SERIF = "Noto Serif CJK SC"
Meant = int | Decimal | None
Printed = tuple[str, Meant]  # the text put in a cell, and the value it means

# Group cells of table 三: the outer one spans the result rows, the inner ones their parts.
_INNER_GROUPS = (
    schema.WITHHELD_GROUP,
    schema.UNAVAILABLE_GROUP,
    schema.NOT_PROCESSED_GROUP,
    schema.OTHER_GROUP,
)
FILLER = (
    "本年度，我局坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实"
    "《中华人民共和国政府信息公开条例》，持续提升政务公开标准化规范化水平。"
)


@dataclass
class Variant:
    """How one test document is laid out, and what its cells print."""

    name: str
    layout: str = "2021"
    year: int = 2024
    borders: bool = True
    t2_label_cm: float = 4.6
    t3_label_cm: tuple[float, float, float] = (0.9, 1.6, 4.1)
    filler: int = 0  # body paragraphs before table 三: moves where its page breaks
    repeat_header: bool = False  # table 三's header rows repeat on each page
    special: dict[str, Printed] = field(default_factory=dict)  # path -> printed, meant
    blank_rows: tuple[str, ...] = ()  # table 三 rows printed with no value at all

    def tables(self) -> dict[str, schema.Table]:
        return schema.tables_for(self.layout)

    def cells(self) -> dict[str, Printed]:
        """Every cell of tables 二, 三 and 四 as "table.row.column" -> (printed, meant).

        Default values are distinct position markers (table 三 row r, column c: r·10+c);
        `special` overrides them, blank rows print "" (meant: None).
        """
        out: dict[str, Printed] = {}
        tables = self.tables()
        marker = 101
        for row in tables["table2"].rows:
            for column in row.columns:
                meant: Meant = marker
                if column.kind is schema.Kind.MONEY:
                    meant = Decimal(f"{marker}.5")
                out[f"table2.{row.key}.{column.key}"] = (str(meant), meant)
                marker += 1
        for r, row in enumerate(tables["table3"].rows, start=1):
            for c, column in enumerate(row.columns, start=1):
                path = f"table3.{row.key}.{column.key}"
                out[path] = (
                    ("", None)
                    if row.key in self.blank_rows
                    else (
                        str(r * 10 + c),
                        r * 10 + c,
                    )
                )
        for b, row in enumerate(tables["table4"].rows):
            for c, column in enumerate(row.columns):
                number = 501 + b * 5 + c
                out[f"table4.{row.key}.{column.key}"] = (str(number), number)
        for path in self.special:
            assert path in out, f"{path} is not a cell of this layout"
        out.update(self.special)
        return out


def build(variant: Variant, folder: Path) -> Path:
    """Write the variant's DOCX into `folder` and return its path."""
    document = docx.Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    cells = variant.cells()
    tables = variant.tables()
    _para(document, "示例县卫生健康局")
    _para(document, f"{variant.year}年政府信息公开工作年度报告")
    _para(document, "一、总体情况")
    _para(document, FILLER)
    _para(document, "二、主动公开政府信息情况")
    _table2(document, variant, tables["table2"], cells)
    for _ in range(variant.filler):
        _para(document, FILLER)
    _para(document, "三、收到和处理政府信息公开申请情况")
    _table3(document, variant, tables["table3"], cells)
    _para(document, "四、政府信息公开行政复议、行政诉讼情况")
    _table4(document, variant, cells)
    _para(document, "五、存在的主要问题及改进情况")
    _para(document, "信息公开的深度有待提升。")
    _para(document, "六、其他需要报告的事项")
    _para(document, "本机关未收取信息处理费。")
    path = folder / f"{variant.name}.docx"
    document.save(path)
    return path


def to_pdf(documents: list[Path], folder: Path) -> None:
    """Convert DOCX files to PDF with one LibreOffice run (its start-up dominates).

    The user's default profile is used: a fresh one costs LibreOffice half a minute.
    """
    soffice = shutil.which("soffice")
    assert soffice is not None
    subprocess.run(
        [
            soffice,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, documents),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )


# --- tables -------------------------------------------------------------------------------


def _table2(
    document: docx.document.Document,
    variant: Variant,
    table: schema.Table,
    cells: dict[str, Printed],
) -> None:
    blocks: list[tuple[str, list[schema.Row]]] = []
    for row in table.rows:
        if not blocks or blocks[-1][0] != row.caption:
            blocks.append((row.caption, []))
        blocks[-1][1].append(row)
    g = _new_table(document, sum(2 + len(rows) for _, rows in blocks), 4, variant)
    _widths(g.table, [variant.t2_label_cm, 3.6, 3.6, 3.8])
    r = 0
    for caption, rows in blocks:
        _text(g.span(r, 0, r, 3), caption)
        columns = rows[0].columns
        _text(g.at(r + 1, 0), "信息内容")
        for row, spans in zip(
            [None, *rows], [_spans(len(columns))] * (1 + len(rows)), strict=True
        ):
            target = r + 1 if row is None else r + 2 + rows.index(row)
            for (first, last), column in zip(spans, columns, strict=True):
                text = (
                    column.label
                    if row is None
                    else cells[_path("table2", row, column)][0]
                )
                _text(g.span(target, first, target, last), text)
            if row is not None:
                _text(g.at(target, 0), row.label)
        r += 2 + len(rows)


def _spans(count: int) -> list[tuple[int, int]]:
    """Grid columns 1-3 shared out among a block's value columns."""
    return {1: [(1, 3)], 2: [(1, 1), (2, 3)], 3: [(1, 1), (2, 2), (3, 3)]}[count]


def _table3(
    document: docx.document.Document,
    variant: Variant,
    table: schema.Table,
    cells: dict[str, Printed],
) -> None:
    rows = table.rows
    g = _new_table(document, 3 + len(rows), 10, variant)
    _widths(g.table, [*variant.t3_label_cm] + [1.28] * 7)
    _text(
        g.span(0, 0, 2, 2),
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    )
    _text(g.span(0, 3, 0, 9), schema.APPLICANTS_GROUP)
    _text(g.span(1, 3, 2, 3), schema.TABLE3_COLUMNS[0].label)
    _text(g.span(1, 4, 1, 8), schema.LEGAL_PERSONS_GROUP)
    _text(g.span(1, 9, 2, 9), schema.TABLE3_COLUMNS[-1].label)
    for j, column in enumerate(schema.TABLE3_COLUMNS[1:6]):
        _text(g.at(2, 4 + j), column.label)
    if variant.repeat_header:
        for header_row in g.table.rows[:3]:
            repeat = OxmlElement("w:tblHeader")
            repeat.set(qn("w:val"), "true")
            header_row._tr.get_or_add_trPr().append(repeat)
    outer = [i for i, row in enumerate(rows) if row.group]
    _text(g.span(3 + outer[0], 0, 3 + outer[-1], 0), schema.RESULTS_GROUP)
    for group in _INNER_GROUPS:
        inner = [i for i, row in enumerate(rows) if row.group == group]
        if inner:
            _text(g.span(3 + inner[0], 1, 3 + inner[-1], 1), group)
    for i, row in enumerate(rows):
        r = 3 + i
        if not row.group:
            _text(g.span(r, 0, r, 2), row.label, left=True)
        elif row.group == schema.RESULTS_GROUP:
            _text(g.span(r, 1, r, 2), row.label, left=True)
        else:
            _text(g.at(r, 2), row.label, left=True)
        for j, column in enumerate(row.columns):
            _text(g.at(r, 3 + j), cells[_path("table3", row, column)][0])


def _table4(
    document: docx.document.Document, variant: Variant, cells: dict[str, Printed]
) -> None:
    g = _new_table(document, 4, 15, variant)
    _widths(g.table, [1.04] * 15)
    _text(g.span(0, 0, 0, 4), schema.REVIEW_GROUP)
    _text(g.span(0, 5, 0, 14), schema.LITIGATION_GROUP)
    _text(g.span(1, 5, 1, 9), schema.TABLE4.rows[1].label)
    _text(g.span(1, 10, 1, 14), schema.TABLE4.rows[2].label)
    for j, column in enumerate(schema.TABLE4_COLUMNS):
        _text(g.span(1, j, 2, j), column.label)
        _text(g.at(2, 5 + j), column.label)
        _text(g.at(2, 10 + j), column.label)
    for b, row in enumerate(schema.TABLE4.rows):
        for j, column in enumerate(row.columns):
            _text(g.at(3, b * 5 + j), cells[_path("table4", row, column)][0])


def _path(table: str, row: schema.Row, column: schema.Column) -> str:
    return f"{table}.{row.key}.{column.key}"


# --- docx helpers -------------------------------------------------------------------------


def _para(document: docx.document.Document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    _run(paragraph, text, 14)


def _run(paragraph: docx.text.paragraph.Paragraph, text: str, size: float) -> None:
    run = paragraph.add_run(text)
    run.font.name = SERIF
    run.font.size = Pt(size)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), SERIF)


def _text(cell: docx.table._Cell, text: str, *, left: bool = False) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = Pt(12)
    _run(paragraph, text, 10)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


class _Grid:
    """A new table's cells by position, looked up once (python-docx's `cell()` is slow)."""

    def __init__(self, table: docx.table.Table, cols: int) -> None:
        self.table = table
        self._cells = table._cells
        self._cols = cols

    def at(self, row: int, col: int) -> docx.table._Cell:
        return self._cells[row * self._cols + col]

    def span(self, r0: int, c0: int, r1: int, c1: int) -> docx.table._Cell:
        first = self.at(r0, c0)
        return first if (r0, c0) == (r1, c1) else first.merge(self.at(r1, c1))


def _new_table(
    document: docx.document.Document, rows: int, cols: int, variant: Variant
) -> _Grid:
    t = document.add_table(rows=rows, cols=cols)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single" if variant.borders else "nil")
        if variant.borders:
            line.set(qn("w:sz"), "4")
            line.set(qn("w:color"), "000000")
        borders.append(line)
    t._tbl.tblPr.append(borders)
    return _Grid(t, cols)


def _widths(t: docx.table.Table, widths_cm: list[float]) -> None:
    t.autofit = False
    for column, width in zip(
        t._tbl.tblGrid.findall(qn("w:gridCol")), widths_cm, strict=True
    ):
        column.set(qn("w:w"), str(int(width * 567)))
    for row in t.rows:
        for tc, width in zip(row._tr.tc_lst, widths_cm, strict=False):
            tc.width = Cm(width)

"""A truth file as the paper form prints it: paragraphs and tables of spanning cells.

The form is the one thing every renderer starts from, so that a tab-separated copy, a
Markdown table, an HTML page and a DOCX of the same report differ only in how they write it.
Tables are lists of <tr>s, each a list of cells with row and column spans, like the national
template (a two-level header over table 三, group labels spanning the rows of their group).
Labels and headers come from reports/schema.py; a row absent in the truth is not printed,
a null cell is printed as `Form.null_text`, and a cell the truth does not know is blank.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from reports import schema

LABEL, HEADER, VALUE, CAPTION = "label", "header", "value", "caption"
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T2_CONTENT = "信息内容"
T3_LABEL_COLUMNS = 3
_RESULT_GROUPS = frozenset(
    {
        schema.RESULTS_GROUP,
        schema.WITHHELD_GROUP,
        schema.UNAVAILABLE_GROUP,
        schema.NOT_PROCESSED_GROUP,
        schema.OTHER_GROUP,
    }
)


@dataclass(frozen=True)
class Span:
    """One printed cell: its text, kind (label/header/value/caption), extent, and for a
    value the kind of its column (count, signed or money)."""

    text: str
    kind: str = LABEL
    rows: int = 1
    cols: int = 1
    column: str = schema.Kind.COUNT


@dataclass
class FormTable:
    """One table as <tr>s of cells; `breaks` are tr indexes a page break falls before."""

    key: str
    width: int
    trs: list[list[Span]]
    header_rows: int = 0
    breaks: tuple[int, ...] = ()


@dataclass
class Form:
    """A whole report: title lines, then blocks (a paragraph string or a table)."""

    title: list[str]
    blocks: list[str | FormTable] = field(default_factory=list)

    def tables(self) -> list[FormTable]:
        return [b for b in self.blocks if isinstance(b, FormTable)]


def build(truth: dict[str, Any], *, null_text: str = "") -> Form:
    """The form of a truth file (interchange JSON with optional `uncertain`)."""
    layout = truth.get("format") or schema.Layout.Y2021
    table3 = truth.get("table3") or {}
    tables = schema.tables_for(
        layout, one_row_other=schema.OTHER_ONE_ROW in table3 and layout != "2019"
    )
    agency = truth.get("agency") or "南湖新区某局"
    year = truth.get("year")
    form = Form(title=[agency, f"{year}年政府信息公开工作年度报告"])
    form.blocks.append(schema.SECTION_HEADINGS["overview"])
    form.blocks.append(
        f"{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》，"
        "全年主动公开政府信息25条，依申请公开工作依法有序开展。"
    )
    build_table = {"table2": _table2, "table3": _table3, "table4": _table4}
    for key in schema.TABLE_KEYS:
        rows = truth.get(key)
        if not isinstance(rows, dict) or not rows:
            continue
        form.blocks.append(schema.SECTION_HEADINGS[key])
        form.blocks.append(build_table[key](tables[key], rows, null_text))
    form.blocks.append(schema.SECTION_HEADINGS["problems"])
    form.blocks.append(
        "一是公开内容还不够全面；二是解读形式较为单一。下一步将加以改进。"
    )
    form.blocks.append(schema.SECTION_HEADINGS["other_matters"])
    form.blocks.append("本年度未收取信息处理费。")
    return form


def value_text(row: dict[str, Any], column: str, null_text: str) -> str:
    """The printed text of a truth cell: the number, null_text for null, "" if unknown."""
    if column not in row:
        return ""
    value = row[column]
    return null_text if value is None else str(value)


def _table2(table: schema.Table, truth: dict[str, Any], null_text: str) -> FormTable:
    width = 4
    trs: list[list[Span]] = []
    captions: list[str] = []
    for row in table.rows:
        if row.caption not in captions:
            captions.append(row.caption)
    for caption in captions:
        rows = [r for r in table.rows if r.caption == caption and r.key in truth]
        if not rows:
            continue
        trs.append([Span(caption, CAPTION, cols=width)])
        columns = rows[0].columns
        spans = _fill(len(columns), width - 1)
        trs.append(
            [Span(T2_CONTENT, HEADER)]
            + [
                Span(c.label, HEADER, cols=n)
                for c, n in zip(columns, spans, strict=True)
            ]
        )
        for row in rows:
            cells = [
                Span(
                    value_text(truth[row.key], c.key, null_text),
                    VALUE,
                    cols=n,
                    column=c.kind,
                )
                for c, n in zip(row.columns, spans, strict=True)
            ]
            trs.append([Span(row.label), *cells])
    return FormTable("table2", width, trs)


def _fill(count: int, width: int) -> list[int]:
    """Column spans of `count` cells over `width` columns (the last one takes the rest)."""
    return [1] * (count - 1) + [width - count + 1]


def _table3(table: schema.Table, truth: dict[str, Any], null_text: str) -> FormTable:
    width = T3_LABEL_COLUMNS + len(schema.TABLE3_COLUMNS)
    orgs = [c for c in schema.TABLE3_COLUMNS if c.group == schema.LEGAL_PERSONS_GROUP]
    trs: list[list[Span]] = [
        [
            Span(T3_NOTE, HEADER, rows=3, cols=T3_LABEL_COLUMNS),
            Span(schema.APPLICANTS_GROUP, HEADER, cols=len(schema.TABLE3_COLUMNS)),
        ],
        [
            Span(schema.TABLE3_COLUMNS[0].label, HEADER, rows=2),
            Span(schema.LEGAL_PERSONS_GROUP, HEADER, cols=len(orgs)),
            Span(schema.TABLE3_COLUMNS[-1].label, HEADER, rows=2),
        ],
        [Span(c.label, HEADER) for c in orgs],
    ]
    rows = [r for r in table.rows if r.key in truth]
    results = [r for r in rows if r.group in _RESULT_GROUPS]
    seen_groups: set[str] = set()
    for row in rows:
        values = [
            Span(value_text(truth[row.key], c.key, null_text), VALUE)
            for c in row.columns
        ]
        if row.group not in _RESULT_GROUPS:
            trs.append([Span(row.label, cols=T3_LABEL_COLUMNS), *values])
            continue
        labels: list[Span] = []
        if row is results[0]:
            labels.append(Span(schema.RESULTS_GROUP, rows=len(results)))
        if row.group == schema.RESULTS_GROUP:
            labels.append(Span(row.label, cols=2))
        else:
            if row.group not in seen_groups:
                seen_groups.add(row.group)
                count = sum(1 for r in rows if r.group == row.group)
                labels.append(Span(row.group, rows=count))
            labels.append(Span(row.label))
        trs.append(labels + values)
    return FormTable("table3", width, trs, header_rows=3)


def _table4(table: schema.Table, truth: dict[str, Any], null_text: str) -> FormTable:
    columns = schema.TABLE4_COLUMNS
    n = len(columns)
    _review, *litigation = table.rows
    top = [
        Span(schema.REVIEW_GROUP, HEADER, cols=n),
        Span(schema.LITIGATION_GROUP, HEADER, cols=n * len(litigation)),
    ]
    middle = [Span(c.label, HEADER, rows=2) for c in columns] + [
        Span(r.label, HEADER, cols=n) for r in litigation
    ]
    bottom = [Span(c.label, HEADER) for _ in litigation for c in columns]
    values = [
        Span(value_text(truth.get(r.key) or {}, c.key, null_text), VALUE)
        for r in table.rows
        for c in columns
    ]
    return FormTable("table4", n * len(table.rows), [top, middle, bottom, values], 3)


def map_text(form: Form, change: Any, *, kinds: frozenset[str] | None = None) -> Form:
    """A copy of the form with `change(text)` applied to titles, paragraphs and cells
    (only cells of `kinds` when given; paragraphs and titles only when kinds is None)."""

    def cell(span: Span) -> Span:
        if kinds is not None and span.kind not in kinds:
            return span
        return replace(span, text=change(span.text))

    blocks: list[str | FormTable] = []
    for block in form.blocks:
        if isinstance(block, FormTable):
            trs = [[cell(s) for s in tr] for tr in block.trs]
            blocks.append(replace(block, trs=trs))
        else:
            blocks.append(change(block) if kinds is None else block)
    title = [change(t) for t in form.title] if kinds is None else list(form.title)
    return Form(title, blocks)


def grid(table: FormTable, *, repeat_labels: bool = False) -> list[list[str]]:
    """The table expanded to `width` columns per tr: a spanned position is blank, or, with
    repeat_labels, repeats its label (as an unmerged spreadsheet or a fill-down copy does)."""
    height = len(table.trs)
    out = [[""] * table.width for _ in range(height)]
    taken = [[False] * table.width for _ in range(height)]
    for r, tr in enumerate(table.trs):
        c = 0
        for span in tr:
            while c < table.width and taken[r][c]:
                c += 1
            for dr in range(span.rows):
                for dc in range(span.cols):
                    if r + dr < height and c + dc < table.width:
                        taken[r + dr][c + dc] = True
                        first = dr == 0 and dc == 0
                        repeat = repeat_labels and span.kind == LABEL and dc == 0
                        if first or repeat:
                            out[r + dr][c + dc] = span.text
            c += span.cols
    return out


def positions(table: FormTable) -> list[list[tuple[int, int]]]:
    """(row, column) of the top-left corner of every span, per tr."""
    height = len(table.trs)
    taken = [[False] * table.width for _ in range(height)]
    out: list[list[tuple[int, int]]] = []
    for r, tr in enumerate(table.trs):
        c = 0
        here = []
        for span in tr:
            while c < table.width and taken[r][c]:
                c += 1
            here.append((r, c))
            for dr in range(span.rows):
                for dc in range(span.cols):
                    if r + dr < height and c + dc < table.width:
                        taken[r + dr][c + dc] = True
            c += span.cols
        out.append(here)
    return out


def split(
    table: FormTable, at: int, *, repeat_header: bool
) -> tuple[FormTable, FormTable]:
    """The table cut into two before tr `at`, as a table broken by hand across pages: spans
    crossing the cut end there and go on as blank cells; the header may be printed again."""
    corners = positions(table)
    first = [
        [replace(span, rows=min(span.rows, at - r)) for span in tr]
        for r, tr in enumerate(table.trs[:at])
    ]
    carried: list[tuple[int, Span]] = []
    for r in range(at):
        for span, (_, c) in zip(table.trs[r], corners[r], strict=True):
            if r + span.rows > at:
                carried.append((c, Span("", span.kind, r + span.rows - at, span.cols)))
    second = []
    for r in range(at, len(table.trs)):
        cells = [(c, s) for s, (_, c) in zip(table.trs[r], corners[r], strict=True)]
        if r == at:
            cells += carried
        second.append([s for _, s in sorted(cells, key=lambda item: item[0])])
    header = table.trs[: table.header_rows] if repeat_header else []
    return (
        FormTable(table.key, table.width, first, table.header_rows),
        FormTable(table.key, table.width, header + second, len(header)),
    )

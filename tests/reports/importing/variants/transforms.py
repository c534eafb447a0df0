"""Transforms: a form changed the way real reports differ from the template.

Label spellings (spaces, half-width brackets, qualifiers, typos, wraps, short forms,
traditional characters), printed values (full-width digits, thousands separators, units,
signs, money decimals) and structure (page breaks, split tables, headings inside tables,
one-row headers, extra tables, narrative numbers). Each is a pure Form -> Form function.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from reports import schema

from . import form as f

FormChange = Callable[[f.Form], f.Form]

_LABELS = frozenset({f.LABEL, f.HEADER, f.CAPTION})
HALF_WIDTH = str.maketrans(
    {"（": "(", "）": ")", "：": ":", "，": ",", "“": '"', "”": '"'}
)
TYPOS = {
    "1.属于国家秘密": "1.属于国家秘蜜",
    "2.重复申请": "2.重复申清",
    "3.要求提供公开出版物": "3.要求提供公开出版务",
    "四、结转下年度继续办理": "四、结转下年度继续办里",
    "结果纠正": "结果纠政",
    "行政规范性文件": "行政规范姓文件",
    "社会公益组织": "社会公益组识",
}
HEADER_TYPOS = {
    "自然人": "自燃人",
    "总计": "总汁",
    "本年废止件数": "本年废址件数",
    "结果维持": "结果维特",
    "尚未审结": "尚末审结",
}
QUALIFIED = {
    "本年制发件数": "本年制发件数（单位：件）",
    "本年处理决定数量": "本年处理决定数量（单位：件）",
    "申请人情况": "申请人情况（单位：件）",
    "一、本年新收政府信息公开申请数量": "一、本年新收政府信息公开申请数量（件）",
    "总计": "总计（单位：件）",
}


def spaced_label(text: str, sep: str = " ") -> str:
    """Short labels letter-spaced ("规 章"), long ones with a gap after their number."""
    if len(text) <= 4:
        return sep.join(text)
    return re.sub(
        r"^((?:[一二三四五六七]、)|（[一二三四五六七]）|\d\.)", r"\1" + sep, text
    )


def wrapped_label(text: str) -> str:
    """A label cut by a line break in its middle, as narrow cells print it."""
    return (
        text
        if len(text) < 6
        else text[: len(text) // 2] + "\n" + text[len(text) // 2 :]
    )


_SHORT = {
    row.label: row.short_label
    for table in (schema.TABLE3_2021, schema.TABLE3_2019)
    for row in table.rows
    if row.short_label
}


def short_label(text: str) -> str:
    """The short form of a long row label ("本年新收", "（二）部分公开")."""
    return _SHORT.get(text, text)


def traditional(text: str) -> str:
    import opencc

    return _s2t(opencc)(text)


_CONVERTERS: dict[str, Any] = {}


def _s2t(opencc: Any) -> Callable[[str], str]:
    if "s2t" not in _CONVERTERS:
        _CONVERTERS["s2t"] = opencc.OpenCC("s2t")
    return _CONVERTERS["s2t"].convert


def relabel(change: Callable[[str], str]) -> Callable[[f.Form], f.Form]:
    return lambda form: f.map_text(form, change, kinds=_LABELS)


FULL_WIDTH_DIGITS = str.maketrans("0123456789.", "０１２３４５６７８９．")


def revalue(
    change: Callable[[str], str], column: str | None = None
) -> Callable[[f.Form], f.Form]:
    """Change the printed text of every number (of one column kind, when given); blanks
    stay as printed."""

    def cell(span: f.Span) -> f.Span:
        if span.kind != f.VALUE or (column and span.column != column):
            return span
        if not re.fullmatch(r"-?\d+(\.\d+)?", span.text):
            return span
        return replace(span, text=change(span.text))

    return lambda form: map_spans(form, cell)


def map_spans(form: f.Form, change: Callable[[f.Span], f.Span]) -> f.Form:
    blocks = [
        replace(b, trs=[[change(s) for s in tr] for tr in b.trs])
        if isinstance(b, f.FormTable)
        else b
        for b in form.blocks
    ]
    return f.Form(list(form.title), blocks)


def signed(text: str) -> str:
    """本年增/减 as Word prints it: "+" before a rise, the minus sign U+2212 before a fall."""
    return (
        "\u2212" + text[1:]
        if text.startswith("-")
        else ("+" + text if text != "0" else text)
    )


def heading_in_table(form: f.Form) -> f.Form:
    """Each table's section heading printed as the table's first row (a caption cell)."""
    blocks: list[str | f.FormTable] = []
    for block in form.blocks:
        if isinstance(block, f.FormTable) and blocks and isinstance(blocks[-1], str):
            heading = f.Span(blocks.pop(), f.CAPTION, cols=block.width)
            block = replace(
                block,
                trs=[[heading], *block.trs],
                header_rows=block.header_rows + 1,
                breaks=tuple(b + 1 for b in block.breaks),
            )
        blocks.append(block)
    return f.Form(list(form.title), blocks)


def notes_after_tables(form: f.Form) -> f.Form:
    """A footnote with dates and numbers under every table, as agencies add them."""
    blocks: list[str | f.FormTable] = []
    for block in form.blocks:
        blocks.append(block)
        if isinstance(block, f.FormTable):
            blocks.append("注：统计时间为1月1日至12月31日，表中数据单位为件，共3张表。")
    return f.Form(list(form.title), blocks)


def narrative_numbers(form: f.Form) -> f.Form:
    """An overview whose numbers disagree with the tables (the tables are the record)."""
    blocks = list(form.blocks)
    blocks.insert(
        2,
        "全年共受理政府信息公开申请2件，其中自然人申请1件、法人或其他组织申请1件，"
        "予以公开1件，行政复议0件，行政诉讼0件，本年新收政府信息公开申请数量 2 件。",
    )
    return f.Form(list(form.title), blocks)


def table4_flat_header(form: f.Form) -> f.Form:
    """Table 四 with its three blocks side by side under one row of 15 column labels."""
    blocks: list[str | f.FormTable] = []
    for block in form.blocks:
        if isinstance(block, f.FormTable) and block.key == "table4":
            n = len(schema.TABLE4_COLUMNS)
            top = [f.Span(r.label, f.HEADER, cols=n) for r in schema.TABLE4.rows]
            labels = [
                f.Span(c.label, f.HEADER)
                for _ in schema.TABLE4.rows
                for c in schema.TABLE4_COLUMNS
            ]
            block = replace(block, trs=[top, labels, block.trs[-1]], header_rows=2)
        blocks.append(block)
    return f.Form(list(form.title), blocks)


def thousands(text: str) -> str:
    whole, dot, fraction = text.partition(".")
    return f"{int(whole):,}" + dot + fraction


def one_row_header(form: f.Form) -> f.Form:
    """Table 三's two-level header flattened to one row of the seven column labels."""
    blocks: list[str | f.FormTable] = []
    for block in form.blocks:
        if isinstance(block, f.FormTable) and block.key == "table3":
            header = [f.Span(f.T3_NOTE, f.HEADER, cols=f.T3_LABEL_COLUMNS)] + [
                f.Span(c.label, f.HEADER) for c in schema.TABLE3_COLUMNS
            ]
            trs = [header, *block.trs[block.header_rows :]]
            block = replace(block, trs=trs, header_rows=1)
        blocks.append(block)
    return f.Form(list(form.title), blocks)


_CN_DIGITS = str.maketrans("0123456789", "〇一二三四五六七八九")


def chinese_year(form: f.Form) -> f.Form:
    """The year written in Chinese numerals ("二〇二三年") in the title and the text."""
    return f.map_text(
        form,
        lambda s: re.sub(r"(20\d\d)年", lambda m: m[1].translate(_CN_DIGITS) + "年", s),
    )


_HEADING_VARIANTS = {
    schema.SECTION_HEADINGS[k]: v[0] for k, v in schema.SECTION_HEADING_VARIANTS.items()
}


def heading_variants(form: f.Form) -> f.Form:
    """Section headings in the other wordings the spec accepts."""
    blocks = [
        _HEADING_VARIANTS.get(b, b) if isinstance(b, str) else b for b in form.blocks
    ]
    return f.Form(list(form.title), blocks)


def split_table3(repeat_header: bool) -> FormChange:
    """Table 三 cut into two tables with page furniture between them."""

    def change(form: f.Form) -> f.Form:
        blocks: list[str | f.FormTable] = []
        for block in with_page_break(form).blocks:
            if isinstance(block, f.FormTable) and block.breaks:
                first, second = f.split(
                    block, block.breaks[0], repeat_header=repeat_header
                )
                blocks += [first, "— 3 —", second]
            else:
                blocks.append(block)
        return f.Form(list(form.title), blocks)

    return change


def compose(*changes: Callable[[f.Form], f.Form]) -> Callable[[f.Form], f.Form]:
    def change(form: f.Form) -> f.Form:
        for step in changes:
            form = step(form)
        return form

    return change


def vertical_group(form: f.Form) -> f.Form:
    """ "三、本年度办理结果" set vertically: one character per line, as text copies give it."""
    return relabel(lambda s: "\n".join(s) if s == schema.RESULTS_GROUP else s)(form)


def table2_per_caption(form: f.Form) -> f.Form:
    """Table 二 as one small table per 第二十条 item (caption row and its rows)."""
    blocks: list[str | f.FormTable] = []
    for block in form.blocks:
        if not (isinstance(block, f.FormTable) and block.key == "table2"):
            blocks.append(block)
            continue
        parts: list[list[list[f.Span]]] = []
        for tr in block.trs:
            if len(tr) == 1 and tr[0].kind == f.CAPTION:
                parts.append([])
            parts[-1].append(tr)
        blocks += [replace(block, trs=trs) for trs in parts]
    return f.Form(list(form.title), blocks)


def extra_table(form: f.Form) -> f.Form:
    """An unrelated table of numbers in the overview (channels and counts), as many print."""
    trs = [
        [
            f.Span("公开渠道", f.HEADER),
            f.Span("信息条数", f.HEADER),
            f.Span("访问量", f.HEADER),
        ],
        [f.Span("门户网站"), f.Span("150", f.VALUE), f.Span("12046", f.VALUE)],
        [f.Span("政务微博"), f.Span("35", f.VALUE), f.Span("3300", f.VALUE)],
        [f.Span("新闻发布会"), f.Span("2", f.VALUE), f.Span("", f.VALUE)],
    ]
    blocks = list(form.blocks)
    blocks.insert(2, f.FormTable("overview", 3, trs, header_rows=1))
    return f.Form(list(form.title), blocks)


def vertical_headers(form: f.Form) -> f.Form:
    """Column headers of up to six characters set vertically, one character per line, as
    narrow header cells print them ("商\\n业\\n企\\n业")."""
    return f.map_text(
        form, lambda s: "\n".join(s) if len(s) <= 6 else s, kinds=frozenset({f.HEADER})
    )


def separate_headers(form: f.Form) -> f.Form:
    """Tables 三 and 四 with their header rows in a <table> of their own (as some site
    templates print a fixed header), the body rows in a second one."""
    blocks: list[str | f.FormTable] = []
    for block in form.blocks:
        if isinstance(block, f.FormTable) and block.key in ("table3", "table4"):
            blocks += f.split(block, block.header_rows, repeat_header=False)
        else:
            blocks.append(block)
    return f.Form(list(form.title), blocks)


def with_page_break(form: f.Form) -> f.Form:
    """Table 三 broken across pages in the middle of its （三）不予公开 group."""
    blocks: list[str | f.FormTable] = []
    for block in form.blocks:
        if isinstance(block, f.FormTable) and block.key == "table3":
            body = len(block.trs) - block.header_rows
            block = replace(block, breaks=(block.header_rows + max(1, body // 3),))
        blocks.append(block)
    return f.Form(list(form.title), blocks)

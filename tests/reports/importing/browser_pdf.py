"""Reports as government web pages, printed to PDF by headless Chromium ("Save as PDF").

Staff archive reports published only as web pages by printing them from Chromium or Edge.
Those PDFs draw every table border as a thin filled rectangle, paint the page background
and the article's box as rectangles around everything, and write text whose ToUnicode map
uses radical code points (⼈⺠ for 人民). `page_html` builds such a page from an
interchange truth (labels, groups and order from `reports.schema`); `print_pdf` prints it.
"""

from __future__ import annotations

import html
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reports import schema

Truth = dict[str, Any]
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "msedge")

_INNER_GROUPS = (
    schema.WITHHELD_GROUP,
    schema.UNAVAILABLE_GROUP,
    schema.NOT_PROCESSED_GROUP,
    schema.OTHER_GROUP,
)
_FILLER = (
    "本年度，我局坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实"
    "《中华人民共和国政府信息公开条例》，持续提升政务公开标准化规范化水平，"
    "及时回应人民群众关切，门户网站、长效机制与风险防控同步推进。"
)


@dataclass(frozen=True)
class Style:
    """How the page is dressed: what a browser then draws as rectangles."""

    name: str
    background: str = ""  # page background colour: one page-sized filled rectangle
    article_box: bool = False  # a bordered, filled box around the whole article
    collapse: bool = True  # border-collapse; False draws each cell's own four borders
    shaded_header: bool = False  # header cells with a fill (cell-sized rectangles)
    repeat_header: bool = False  # table 三's header in <thead>: repeated on each page


STYLES = (
    Style("plain"),
    Style("background", background="#f3efe2"),
    Style("article_box", article_box=True),
    Style("box_on_background", background="#e9eef5", article_box=True),
    Style(
        "separate_borders",
        background="#fafafa",
        article_box=True,
        collapse=False,
        shaded_header=True,
        repeat_header=True,
    ),
)


def chromium() -> str | None:
    """The path of a Chromium-family browser, or None."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pdf(page: str, folder: Path, name: str) -> Path:
    """Print an HTML page to `folder/name.pdf` the way "Save as PDF" does (A4, no header)."""
    browser = chromium()
    assert browser is not None
    source = folder / f"{name}.html"
    source.write_text(page, "utf-8")
    target = folder / f"{name}.pdf"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={folder / 'profile'}",
            f"--print-to-pdf={target}",
            "--no-pdf-header-footer",
            source.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return target


def layout_of(truth: Truth) -> dict[str, schema.Table]:
    """The tables a truth's report prints (2019, 2021, or 2021 with one 其他处理 row)."""
    one_row = schema.OTHER_ONE_ROW in truth.get("table3", {})
    return schema.tables_for(truth["format"], one_row_other=one_row)


def marker_truth(layout: str, year: int) -> Truth:
    """A truth with a distinct value in every cell, some blanks and a signed change."""
    tables = schema.tables_for(layout)
    truth: Truth = {"agency": "示例县卫生健康局", "year": year, "format": layout}
    marker = 101
    table2: dict[str, dict[str, object]] = {}
    for row in tables["table2"].rows:
        table2[row.key] = {}
        for column in row.columns:
            value: object = marker
            if column.kind is schema.Kind.MONEY:
                value = f"{marker}.5"
            elif column.kind is schema.Kind.SIGNED:
                value = -(marker % 7) or 3
            table2[row.key][column.key] = value
            marker += 1
    truth["table2"] = table2
    truth["table3"] = {
        row.key: {
            column.key: None if (r % 6 == 5 and 1 <= c <= 5) else r * 10 + c
            for c, column in enumerate(row.columns)
        }
        for r, row in enumerate(tables["table3"].rows, start=1)
    }
    truth["table4"] = {
        row.key: {column.key: 501 + b * 5 + c for c, column in enumerate(row.columns)}
        for b, row in enumerate(tables["table4"].rows)
    }
    return truth


def page_html(truth: Truth, style: Style) -> str:
    """A government site's article page holding the report `truth` describes."""
    tables = layout_of(truth)
    agency = truth.get("agency") or "示例县卫生健康局"
    title = f"{agency}{truth['year']}年政府信息公开工作年度报告"
    parts = [
        '<div class="site">某某县人民政府门户网站 · 政府信息公开</div>',
        '<div class="crumbs">首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div>',
        '<div class="article">',
        f"<h1>{_e(title)}</h1>",
        '<div class="meta">发布时间：2025-01-20　来源：本站　浏览次数：128</div>',
        f"<p>本报告依据《中华人民共和国政府信息公开条例》编制。{_FILLER}</p>",
        "<h2>一、总体情况</h2>",
        f"<p>{_FILLER}</p>",
        f"<h2>{_e(schema.SECTION_HEADINGS['table2'])}</h2>",
        _table2(tables["table2"], truth["table2"], style),
        f"<h2>{_e(schema.SECTION_HEADINGS['table3'])}</h2>",
        _table3(tables["table3"], truth["table3"], style),
        f"<h2>{_e(schema.SECTION_HEADINGS['table4'])}</h2>",
        _table4(truth["table4"], style),
        f"<h2>{_e(schema.SECTION_HEADINGS['problems'])}</h2>",
        f"<p>信息公开的深度有待提升。{_FILLER}</p>",
        f"<h2>{_e(schema.SECTION_HEADINGS['other_matters'])}</h2>",
        "<p>本机关未收取信息处理费。</p>",
        "</div>",
        '<div class="footer">主办：某某县人民政府办公室　网站标识码：0000000000</div>',
    ]
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{_css(style)}</style></head>"
        f"<body>{''.join(parts)}</body></html>"
    )


def printed(value: object) -> str:
    """A truth value as the page prints it: null is a blank cell."""
    return "" if value is None else str(value)


def _css(style: Style) -> str:
    rules = [
        "@page{size:A4;margin:15mm 12mm}",
        "body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;"
        "font-size:13px;color:#222;margin:0}",
        ".site{font-size:18px;font-weight:bold;padding:8px 0;color:#b00}",
        ".crumbs,.meta,.footer{font-size:11px;color:#666;margin:4px 0}",
        "h1{font-size:20px;text-align:center;margin:10px 0}",
        "h2{font-size:15px;margin:12px 0 6px}",
        "p{text-indent:2em;line-height:1.7;margin:4px 0}",
        "table{width:100%;margin:6px 0;"
        + (
            "border-collapse:collapse}"
            if style.collapse
            else "border-collapse:separate;border-spacing:0}"
        ),
        "td,th{border:1px solid #000;padding:3px 4px;text-align:center;"
        "font-weight:normal;font-size:12px}",
        "td.label{text-align:left}",
        "tr{page-break-inside:avoid}",
    ]
    if style.background:
        rules.append(f"html,body{{background:{style.background}}}")
        rules.append("html{-webkit-print-color-adjust:exact;print-color-adjust:exact}")
    if style.article_box:
        rules.append(
            ".article{border:1px solid #c8c8c8;background:#fff;padding:12px 16px;"
            "-webkit-print-color-adjust:exact;print-color-adjust:exact}"
        )
    if style.shaded_header:
        rules.append(
            "th{background:#e8eef7;-webkit-print-color-adjust:exact;"
            "print-color-adjust:exact}"
        )
    return "".join(rules)


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _cell(
    text: str, *, tag: str = "td", span: tuple[int, int] = (1, 1), cls: str = ""
) -> str:
    rows, cols = span
    attrs = ""
    if rows > 1:
        attrs += f' rowspan="{rows}"'
    if cols > 1:
        attrs += f' colspan="{cols}"'
    if cls:
        attrs += f' class="{cls}"'
    return f"<{tag}{attrs}>{_e(text)}</{tag}>"


def _table2(table: schema.Table, values: Truth, style: Style) -> str:
    blocks: list[tuple[str, list[schema.Row]]] = []
    for row in table.rows:
        if not blocks or blocks[-1][0] != row.caption:
            blocks.append((row.caption, []))
        blocks[-1][1].append(row)
    spans = {1: [3], 2: [1, 2], 3: [1, 1, 1]}
    out = ["<table><tbody>"]
    for caption, rows in blocks:
        columns = rows[0].columns
        widths = spans[len(columns)]
        out.append(f"<tr>{_cell(caption, tag='th', span=(1, 4))}</tr>")
        head = [_cell("信息内容", tag="th")]
        head += [
            _cell(c.label, tag="th", span=(1, w))
            for c, w in zip(columns, widths, strict=True)
        ]
        out.append(f"<tr>{''.join(head)}</tr>")
        for row in rows:
            cells = [_cell(row.label, cls="label")]
            cells += [
                _cell(printed(values.get(row.key, {}).get(c.key)), span=(1, w))
                for c, w in zip(columns, widths, strict=True)
            ]
            out.append(f"<tr>{''.join(cells)}</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _table3(table: schema.Table, values: Truth, style: Style) -> str:
    head = [
        "<tr>"
        + _cell(
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
            tag="th",
            span=(3, 3),
        )
        + _cell(schema.APPLICANTS_GROUP, tag="th", span=(1, 7))
        + "</tr>",
        "<tr>"
        + _cell(schema.TABLE3_COLUMNS[0].label, tag="th", span=(2, 1))
        + _cell(schema.LEGAL_PERSONS_GROUP, tag="th", span=(1, 5))
        + _cell(schema.TABLE3_COLUMNS[-1].label, tag="th", span=(2, 1))
        + "</tr>",
        "<tr>"
        + "".join(_cell(c.label, tag="th") for c in schema.TABLE3_COLUMNS[1:6])
        + "</tr>",
    ]
    rows = table.rows
    outer = [i for i, row in enumerate(rows) if row.group]
    inner_first = {}
    for group in _INNER_GROUPS:
        members = [i for i, row in enumerate(rows) if row.group == group]
        if members:
            inner_first[members[0]] = (group, len(members))
    body = []
    for i, row in enumerate(rows):
        cells = []
        if i == outer[0]:
            cells.append(_cell(schema.RESULTS_GROUP, span=(len(outer), 1)))
        if i in inner_first:
            group, count = inner_first[i]
            cells.append(_cell(group, span=(count, 1)))
        if not row.group:
            cells.append(_cell(row.label, span=(1, 3), cls="label"))
        elif row.group == schema.RESULTS_GROUP:
            cells.append(_cell(row.label, span=(1, 2), cls="label"))
        else:
            cells.append(_cell(row.label, cls="label"))
        cells += [
            _cell(printed(values.get(row.key, {}).get(c.key))) for c in row.columns
        ]
        body.append(f"<tr>{''.join(cells)}</tr>")
    head_html = "".join(head)
    if style.repeat_header:
        return (
            f"<table><thead>{head_html}</thead><tbody>{''.join(body)}</tbody></table>"
        )
    return f"<table><tbody>{head_html}{''.join(body)}</tbody></table>"


def _table4(values: Truth, style: Style) -> str:
    rows = schema.TABLE4.rows
    labels = [c.label for c in schema.TABLE4_COLUMNS]
    out = [
        "<table><tbody><tr>",
        _cell(schema.REVIEW_GROUP, tag="th", span=(1, 5)),
        _cell(schema.LITIGATION_GROUP, tag="th", span=(1, 10)),
        "</tr><tr>",
        *(_cell(label, tag="th", span=(2, 1)) for label in labels),
        _cell(rows[1].label, tag="th", span=(1, 5)),
        _cell(rows[2].label, tag="th", span=(1, 5)),
        "</tr><tr>",
        *(_cell(label, tag="th") for label in labels * 2),
        "</tr><tr>",
    ]
    for row in rows:
        out += [_cell(printed(values.get(row.key, {}).get(c.key))) for c in row.columns]
    out.append("</tr></tbody></table>")
    return "".join(out)

"""DOCX structures as Word and WPS write them: wrappers between tbl/tr/tc/p, revisions,
nested layout tables, text boxes, fields, merges. Each document is built here from raw
WordprocessingML with a known text per cell, and every cell is asserted."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from lxml import etree

from reports.importing.extract import docx as docx_extract
from reports.importing.extract.rows import Grid
from reports.importing.pipeline import parse_bytes

from .builders import docx_report
from .conftest import value

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "v": "urn:schemas-microsoft-com:vml",
}
W = f"{{{NS['w']}}}"
Table = list[list[tuple[str, float | None, float | None]]]


def p(*runs: str) -> str:
    """A paragraph of plain runs (a run given as XML is used as it is)."""
    return (
        "<w:p>" + "".join(r if r.startswith("<") else run(r) for r in runs) + "</w:p>"
    )


def run(text: str, props: str = "") -> str:
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def tc(*content: str, props: str = "") -> str:
    body = "".join(c if c.startswith("<") else p(c) for c in content) or "<w:p/>"
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>"


def tr(*cells: str, props: str = "") -> str:
    return f"<w:tr><w:trPr>{props}</w:trPr>{''.join(cells)}</w:tr>"


def tbl(*rows: str) -> str:
    return f"<w:tbl><w:tblPr/><w:tblGrid/>{''.join(rows)}</w:tbl>"


def sdt(content: str) -> str:
    return f"<w:sdt><w:sdtPr><w:alias w:val='x'/></w:sdtPr><w:sdtContent>{content}</w:sdtContent></w:sdt>"


def build(body: str, *, header: str = "") -> bytes:
    """A .docx whose body is `body` (WordprocessingML, namespaces of NS)."""
    document = docx.Document()
    if header:
        document.sections[0].header.paragraphs[0].text = header
        document.sections[0].footer.paragraphs[0].text = header
    element = document.element.body
    sect = element[-1]
    for child in list(element)[:-1]:
        element.remove(child)
    declared = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())
    for child in etree.fromstring(f"<w:body {declared}>{body}</w:body>"):
        sect.addprevious(child)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def grid_of(body: str, **kwargs: str) -> Grid:
    return docx_extract.extract(build(body, **kwargs), name="t.docx")


def tables(grid: Grid) -> list[Table]:
    """The grid's tables in order, each as rows of (text, x0, x1)."""
    out: dict[int, Table] = {}
    for row in grid.rows:
        if row.table is not None:
            out.setdefault(row.table, []).append(
                [(c.text, c.x0, c.x1) for c in row.cells]
            )
    return list(out.values())


def lines(grid: Grid) -> list[str]:
    return [row.cells[0].text for row in grid.rows if row.table is None]


def texts(table: Table) -> list[list[str]]:
    return [[text for text, _, _ in row] for row in table]


def test_row_level_content_controls_keep_their_rows() -> None:
    grid = grid_of(
        tbl(
            tr(tc("项目"), tc("数量")),
            sdt(tr(tc("甲"), tc("1"))),
            sdt(sdt(tr(tc("乙"), tc("2")))),
        )
    )
    assert tables(grid) == [
        [
            [("项目", 0, 1), ("数量", 1, 2)],
            [("甲", 0, 1), ("1", 1, 2)],
            [("乙", 0, 1), ("2", 1, 2)],
        ]
    ]


def test_wrappers_at_body_row_cell_and_run_level_are_read_in_place() -> None:
    bookmark = "<w:bookmarkStart w:id='1' w:name='b'/><w:bookmarkEnd w:id='1'/>"
    grid = grid_of(
        sdt(p("前言"))
        + "<w:customXml w:element='x'>"
        + tbl(
            tr(
                sdt(tc("A1")),
                "<w:customXml w:element='c'>" + tc("A2") + "</w:customXml>",
                bookmark,
                tc(p("<w:smartTag w:element='s'>" + run("A3") + "</w:smartTag>")),
            ),
            "<w:customXml w:element='r'>"
            + tr(
                tc(p("<w:hyperlink w:anchor='x'>" + run("B1") + "</w:hyperlink>")),
                tc(
                    p(
                        "<w:fldSimple w:instr=' MERGEFIELD n '>"
                        + run("B2")
                        + "</w:fldSimple>"
                    )
                ),
                tc(p(sdt(run("B3")))),
            )
            + "</w:customXml>",
        )
        + "</w:customXml>"
    )
    assert lines(grid) == ["前言"]
    assert tables(grid) == [
        [
            [("A1", 0, 1), ("A2", 1, 2), ("A3", 2, 3)],
            [("B1", 0, 1), ("B2", 1, 2), ("B3", 2, 3)],
        ]
    ]


def test_tracked_changes_read_as_printed() -> None:
    ins = "<w:ins w:id='1' w:author='a'>{}</w:ins>"
    deleted = "<w:del w:id='2' w:author='a'><w:r><w:delText>9</w:delText></w:r></w:del>"
    moved_from = "<w:moveFrom w:id='3' w:author='a'>" + run("8") + "</w:moveFrom>"
    moved_to = "<w:moveTo w:id='4' w:author='a'>" + run("7") + "</w:moveTo>"
    grid = grid_of(
        tbl(
            tr(tc(p(deleted, ins.format(run("1")))), tc(p(moved_from, moved_to))),
            ins.format(tr(tc("插入行"), tc("2"))),
            tr(tc("删除行"), tc("3"), props="<w:del w:id='5' w:author='a'/>"),
            "<w:del w:id='6' w:author='a'>" + tr(tc("删"), tc("4")) + "</w:del>",
            tr(tc("末行"), tc("5"), props="<w:ins w:id='7' w:author='a'/>"),
        )
    )
    assert texts(tables(grid)[0]) == [["1", "7"], ["插入行", "2"], ["末行", "5"]]


def test_a_layout_table_holding_the_report_yields_the_report_table() -> None:
    report = tbl(tr(tc("项目"), tc("数量")), tr(tc("甲"), tc("1")))
    grid = grid_of(
        tbl(
            tr(tc("首页 | 信息公开"), tc("站点导航")),
            tr(tc("导航", "栏目"), tc(p("标题"), report, p("正文"))),
            tr(tc("页脚"), tc("版权")),
        )
    )
    assert lines(grid) == ["导航", "栏目", "标题", "正文"]
    assert [texts(t) for t in tables(grid)] == [
        [["首页 | 信息公开", "站点导航"]],
        [["项目", "数量"], ["甲", "1"]],
        [["页脚", "版权"]],
    ]


def test_a_one_cell_table_is_a_frame_around_its_content() -> None:
    grid = grid_of(tbl(tr(tc("一、总体情况", "本年度……"))))
    assert lines(grid) == ["一、总体情况", "本年度……"]
    assert tables(grid) == []


def _text_box(content: str) -> str:
    """A shape with a text box as Word writes it: a DrawingML Choice and a VML Fallback,
    both holding the same content."""
    return (
        "<w:r><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing><wp:anchor>"
        "<a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>"
        + content
        + "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic>"
        "</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>"
        "<w:txbxContent>"
        + content
        + "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )


def test_text_boxes_are_read_once_after_their_paragraph() -> None:
    boxed = p("框内") + tbl(tr(tc("甲"), tc("1")))
    grid = grid_of(p("锚点", _text_box(boxed), run("之后")) + p("下一段"))
    assert lines(grid) == ["锚点之后", "框内", "下一段"]
    assert [texts(t) for t in tables(grid)] == [[["甲", "1"]]]


def test_the_fallback_is_read_when_there_is_no_choice() -> None:
    box = (
        "<w:r><mc:AlternateContent><mc:Fallback><w:pict><v:shape><v:textbox>"
        "<w:txbxContent>" + p("旧版文本框") + "</w:txbxContent></v:textbox></v:shape>"
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    assert lines(grid_of(p(box))) == ["旧版文本框"]


def test_grid_before_and_after_place_cells_on_the_grid() -> None:
    grid = grid_of(
        tbl(
            tr(tc("a"), tc("b"), tc("c")),
            tr(tc("d"), tc("e"), props="<w:gridBefore w:val='1'/>"),
            tr(tc("f"), tc("g"), props="<w:gridAfter w:val='1'/>"),
        )
    )
    assert tables(grid) == [
        [
            [("a", 0, 1), ("b", 1, 2), ("c", 2, 3)],
            [("d", 1, 2), ("e", 2, 3)],
            [("f", 0, 1), ("g", 1, 2)],
        ]
    ]


def test_vertical_and_wps_horizontal_merges_appear_once_with_their_extent() -> None:
    grid = grid_of(
        tbl(
            tr(
                tc("纵", props="<w:vMerge w:val='restart'/>"),
                tc("横", props="<w:hMerge w:val='restart'/>"),
                tc("", props="<w:hMerge/>"),
            ),
            tr(tc("", props="<w:vMerge/>"), tc("1"), tc("2")),
            tr(
                tc("宽", props="<w:gridSpan w:val='2'/><w:hMerge w:val='restart'/>"),
                tc("", props="<w:hMerge w:val='continue'/>"),
            ),
        )
    )
    assert tables(grid) == [
        [
            [("纵", 0, 1), ("横", 1, 3)],
            [("1", 1, 2), ("2", 2, 3)],
            [("宽", 0, 3)],
        ]
    ]


def test_a_cell_of_several_paragraphs_joins_them_with_line_breaks() -> None:
    grid = grid_of(tbl(tr(tc("（一）予以公开", "", "第二行"), tc(p("1", "\u00a0")))))
    assert tables(grid) == [[[("（一）予以公开\n第二行", 0, 1), ("1", 1, 2)]]]


def test_page_number_fields_and_hidden_text_are_not_body_text() -> None:
    def field(instr: str, result: str) -> str:
        return (
            "<w:r><w:fldChar w:fldCharType='begin'/></w:r>"
            f"<w:r><w:instrText xml:space='preserve'>{instr}</w:instrText></w:r>"
            "<w:r><w:fldChar w:fldCharType='separate'/></w:r>"
            + run(result)
            + "<w:r><w:fldChar w:fldCharType='end'/></w:r>"
        )

    grid = grid_of(
        p("第", field(" PAGE ", "3"), "页")
        + p(
            "共", "<w:fldSimple w:instr='NUMPAGES'>" + run("9") + "</w:fldSimple>", "页"
        )
        + p("见", field(' HYPERLINK "http://x" ', "附件"))
        + p("可见", run("隐藏", "<w:vanish/>"), run("文字", "<w:vanish w:val='0'/>"))
    )
    assert lines(grid) == ["第页", "共页", "见附件", "可见文字"]


def test_headers_and_footers_are_not_read() -> None:
    grid = grid_of(p("正文"), header="第 1 页 共 12 页")
    assert lines(grid) == ["正文"]
    assert "12" not in grid.text


def test_a_report_in_a_layout_table_with_row_controls_is_parsed(tmp_path: Path) -> None:
    """End to end: the report pasted into one cell of an outer table, its body rows in
    content controls, and a value left as a tracked change (old "9" deleted)."""
    path = docx_report(
        tmp_path / "r.docx",
        t3_values={"（一）予以公开": ["5", "0", "1", "0", "0", "0", "6"]},
    )
    document = docx.Document(path)
    body = document.element.body
    outer = etree.fromstring(
        f'<w:tbl xmlns:w="{NS["w"]}"><w:tblPr/><w:tblGrid/><w:tr><w:tc/></w:tr></w:tbl>'
    )
    cell = outer.find(f"{W}tr/{W}tc")
    for child in list(body)[:-1]:
        cell.append(child)
        if child.tag == f"{W}tbl":
            for row in list(child.findall(f"{W}tr"))[3:]:
                wrapper = etree.fromstring(
                    sdt("").replace("<w:sdt>", f'<w:sdt xmlns:w="{NS["w"]}">')
                )
                row.addprevious(wrapper)
                wrapper.find(f"{W}sdtContent").append(row)
    body.insert(0, outer)
    five = next(t for t in outer.iter(f"{W}t") if t.text == "5").getparent()
    tracked = etree.fromstring(
        f'<w:p xmlns:w="{NS["w"]}"><w:del w:id="1" w:author="a"><w:r>'
        '<w:delText>9</w:delText></w:r></w:del><w:ins w:id="2" w:author="a"/></w:p>'
    )
    five.addprevious(tracked[0])
    five.addprevious(tracked[0])
    five.getprevious().append(five)
    buffer = io.BytesIO()
    document.save(buffer)
    report = parse_bytes(buffer.getvalue(), "r.docx")
    assert value(report, "table3", "granted", "natural_person") == 5
    assert value(report, "table3", "granted", "research") == 1
    assert value(report, "table3", "granted", "total") == 6
    assert value(report, "table3", "granted", "commercial") == 0
    assert value(report, "table2", "licensing", "decisions") == 550
    assert value(report, "table2", "regulations", "repealed") is None
    assert not report.warnings or all(w.code != "T3-row-total" for w in report.warnings)


def test_a_one_cell_table_inside_a_data_cell_is_its_text() -> None:
    grid = grid_of(
        tbl(tr(tc("项目"), tc("数量")), tr(tc("甲"), tc(tbl(tr(tc("1"))), "<w:p/>")))
    )
    assert tables(grid) == [
        [[("项目", 0, 1), ("数量", 1, 2)], [("甲", 0, 1), ("1", 1, 2)]]
    ]


def test_a_frame_holding_a_table_inside_a_cell_is_layout() -> None:
    report = tbl(tr(tc("项目"), tc("数量")), tr(tc("甲"), tc("1")))
    grid = grid_of(tbl(tr(tc("左栏"), tc(tbl(tr(tc(p("标题"), report))), "<w:p/>"))))
    assert lines(grid) == ["左栏", "标题"]
    assert [texts(t) for t in tables(grid)] == [[["项目", "数量"], ["甲", "1"]]]

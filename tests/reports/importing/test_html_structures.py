"""HTML structures as CMSs and editors write them: layout tables, table sections, odd spans,
markup inside cells, unclosed tags, hidden elements. Every cell is asserted."""

from __future__ import annotations

from reports.importing.extract import html as html_extract
from reports.importing.extract.rows import Grid
from reports.importing.pipeline import parse_bytes

from .conftest import value
from .test_html import PAGE

Table = list[list[tuple[str, float | None, float | None]]]


def tables(grid: Grid) -> list[Table]:
    """The grid's tables in order, each as rows of (text, x0, x1)."""
    out: dict[int, Table] = {}
    for row in grid.rows:
        if row.table is not None:
            out.setdefault(row.table, []).append(
                [(c.text, c.x0, c.x1) for c in row.cells]
            )
    return list(out.values())


def texts(table: Table) -> list[list[str]]:
    return [[text for text, _, _ in row] for row in table]


def lines(grid: Grid) -> list[str]:
    return [row.cells[0].text for row in grid.rows if row.table is None]


def test_a_page_laid_out_in_one_outer_table_yields_the_inner_tables() -> None:
    grid = html_extract.extract(
        "<table><tr><td colspan=2>政府信息公开 | 首页</td></tr>"
        "<tr><td><a>导航一</a><br><a>导航二</a></td>"
        "<td><h2>标题</h2><p>正文</p>"
        "<table><tr><th>项目</th><th>数量</th></tr><tr><td>甲</td><td>1</td></tr></table>"
        "<p>结尾</p></td></tr>"
        "<tr><td>页脚</td><td>版权所有</td></tr></table>"
    )
    assert lines(grid) == ["导航一", "导航二", "标题", "正文", "结尾"]
    assert [texts(t) for t in tables(grid)] == [
        [["政府信息公开 | 首页"]],
        [["项目", "数量"], ["甲", "1"]],
        [["页脚", "版权所有"]],
    ]


def test_a_one_cell_table_is_a_frame() -> None:
    grid = html_extract.extract(
        "<table><tr><td><p>一、总体情况</p>本年度</td></tr></table>"
    )
    assert lines(grid) == ["一、总体情况", "本年度"]
    assert tables(grid) == []


def test_th_and_td_alike_and_tfoot_read_last() -> None:
    grid = html_extract.extract(
        "<table><thead><tr><th>项目</th><td>数量</td></tr></thead>"
        "<tfoot><tr><th>合计</th><th>3</th></tr></tfoot>"
        "<tbody><tr><td>甲</td><th>1</th></tr><tr><td>乙</td><td>2</td></tr></tbody>"
        "</table>"
    )
    assert [texts(t) for t in tables(grid)] == [
        [["项目", "数量"], ["甲", "1"], ["乙", "2"], ["合计", "3"]]
    ]


def test_spans_are_clamped_as_a_browser_clamps_them() -> None:
    grid = html_extract.extract(
        "<table>"
        '<tr><td colspan="0">a</td><td colspan="x">b</td><td colspan="2px">c</td>'
        '<td colspan="-3">d</td></tr>'
        '<tr><td rowspan="0">e</td><td colspan="99999">f</td></tr>'
        '<tr><td rowspan="7">g</td></tr>'
        "<tr><td>h</td></tr>"
        "</table>"
    )
    assert tables(grid) == [
        [
            [("a", 0, 1), ("b", 1, 2), ("c", 2, 4), ("d", 4, 5)],
            [("e", 0, 1), ("f", 1, 65)],
            [("g", 1, 2)],
            [("h", 2, 3)],
        ]
    ]


def test_markup_inside_cells() -> None:
    grid = html_extract.extract(
        "<table><tr>"
        "<td><p>（一）予以</p><p>公开</p></td>"
        "<td>第一行<br>第二行</td>"
        "<td><span>1</span><span>2</span></td>"
        "<td>&nbsp;</td>"
        "<td><font face='宋体'><b>3</b></font></td>"
        "<td><div><span>4</span></div>&nbsp;</td>"
        "</tr></table>"
    )
    assert texts(tables(grid)[0]) == [
        ["（一）予以\n公开", "第一行\n第二行", "12", "", "3", "4"]
    ]


def test_unclosed_tags_are_closed_where_a_browser_closes_them() -> None:
    grid = html_extract.extract(
        "<p>前<table><tr><td>1<td>2<tr><td>3<td>4</table><p>后<table><tr><td>5<td>6"
    )
    assert lines(grid) == ["前", "后"]
    assert [texts(t) for t in tables(grid)] == [[["1", "2"], ["3", "4"]], [["5", "6"]]]


def test_a_table_opened_inside_a_table_is_read_as_the_next_table() -> None:
    grid = html_extract.extract(
        "<table><tr><td>1</td><td>2</td></tr><table><tr><td>5</td><td>6</td></tr></table>"
        "<tr><td>7</td><td>8</td></tr></table>"
    )
    assert [texts(t) for t in tables(grid)] == [
        [["1", "2"]],
        [["5", "6"]],
        [["7", "8"]],
    ]


def test_a_table_in_a_data_cell_splits_the_row_into_blocks() -> None:
    grid = html_extract.extract(
        "<table><tr><td>1<td>2<tr><td>3<td>4<table><tr><td>5<td>6</table></table>"
    )
    assert lines(grid) == ["3", "4"]
    assert [texts(t) for t in tables(grid)] == [[["1", "2"]], [["5", "6"]]]


def test_hidden_elements_scripts_styles_and_comments_are_not_read() -> None:
    grid = html_extract.extract(
        "<style>p{}</style><script>var a='<p>7</p>'</script>"
        "<div style='DISPLAY: none'><p>隐藏段落</p></div>"
        "<p hidden>隐藏</p><!-- 注释 --><p>可见</p>"
        "<table><tr><td>甲</td><td>1<span style='visibility:hidden'>9</span></td>"
        "<td style='display:none;'>8</td></tr></table>"
        "<p style='display: block'>显示</p>"
    )
    assert lines(grid) == ["可见", "显示"]
    assert texts(tables(grid)[0]) == [["甲", "1"]]


def test_source_line_breaks_are_spaces_outside_pre() -> None:
    grid = html_extract.extract("<p>一行\n   接续</p><pre>第一行\n第二行</pre>")
    assert lines(grid) == ["一行 接续", "第一行", "第二行"]


def test_a_report_inside_a_layout_table_is_parsed() -> None:
    body = PAGE.split("<body>")[1].split("</body>")[0]
    page = PAGE.replace(
        body,
        "<table width=1000><tr><td width=200><ul><li>首页</li><li>机构概况</li></ul></td>"
        f"<td>{body}</td></tr></table>",
    )
    report = parse_bytes(page.encode("utf-8"), "report.html")
    assert value(report, "table3", "new_received", "natural_person") == 5
    assert value(report, "table3", "new_received", "total") == 6
    assert value(report, "table3", "granted", "total") == 3
    assert value(report, "table4", "litigation_after_review", "upheld") == 2
    assert value(report, "table2", "regulations", "in_force") == 1046
    assert value(report, "table2", "regulations", "repealed") is None


def test_a_table_split_at_a_page_break_with_its_header_repeated() -> None:
    header_end = PAGE.index('<tr><td colspan="3">一、本年新收')
    header = PAGE[
        PAGE.index('<table>\n<tr><td colspan="3" rowspan="3">') + 8 : header_end
    ]
    cut = PAGE.index('<tr><td rowspan="2">三、本年度办理结果')
    page = (
        PAGE[:cut]
        + '</table><p style="page-break-before:always">&nbsp;</p><table>'
        + header
        + PAGE[cut:]
    )
    report = parse_bytes(page.encode("utf-8"), "report.html")
    assert value(report, "table3", "new_received", "natural_person") == 5
    assert value(report, "table3", "new_received", "commercial") is None
    assert value(report, "table3", "new_received", "total") == 6
    assert value(report, "table3", "granted", "natural_person") == 3
    assert value(report, "table3", "granted", "total") == 3
    assert value(report, "table3", "withheld_state_secret", "research") == 0


def test_a_one_cell_table_inside_a_data_cell_is_its_text() -> None:
    grid = html_extract.extract(
        "<table><tr><td>项目</td><td>数量</td></tr>"
        "<tr><td>甲</td><td><table><tr><td>1</td></tr></table></td></tr></table>"
    )
    assert tables(grid) == [
        [[("项目", 0, 1), ("数量", 1, 2)], [("甲", 0, 1), ("1", 1, 2)]]
    ]

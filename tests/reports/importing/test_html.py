"""HTML as government sites publish it: rowspan/colspan tables, scripts left inert."""

from __future__ import annotations

from reports.importing.extract import html as html_extract
from reports.importing.pipeline import parse_bytes

from .conftest import value

PAGE = """<!DOCTYPE html><html><head><title>某某县人民政府2023年政府信息公开工作年度报告</title>
<script>document.write('<table><tr><td>规章</td><td>999</td></tr></table>')</script>
<style>td{color:red}</style></head><body>
<h1>某某县人民政府2023年政府信息公开工作年度报告</h1>
<p>一、总体情况</p><p>本年度我县……<br>继续推进。</p>
<p>二、主动公开政府信息情况</p>
<table border="1"><tbody>
<tr><td colspan="4">第二十条第（一）项</td></tr>
<tr><th>信息内容</th><th>本年制发件数</th><th>本年废止件数</th><th>现行有效件数</th></tr>
<tr><td>规章</td><td>１</td><td>/</td><td>1,046</td></tr>
<tr><td colspan="4">第二十条第（五）项</td></tr>
<tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>
<tr><td>行政许可</td><td colspan="3">21件</td></tr>
</tbody></table>
<p>三、收到和处理政府信息公开申请情况</p>
<table>
<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>
<td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
<tr><td colspan="3">一、本年新收政府信息公开申请数量</td>
<td>5</td><td></td><td></td><td></td><td></td><td>1</td><td>6</td></tr>
<tr><td rowspan="2">三、本年度办理结果</td><td colspan="2">（一）予以公开</td>
<td>3</td><td></td><td></td><td></td><td></td><td>0</td><td>3</td></tr>
<tr><td>（三）不予公开</td><td>1.属于国家秘密</td>
<td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
</table>
<p>四、政府信息公开行政复议、行政诉讼情况</p>
<table>
<tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>
<tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td>
<td rowspan="2">尚未审结</td><td rowspan="2">总计</td>
<td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>
<tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>
<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr>
<tr><td>1</td><td></td><td></td><td></td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td>
<td>2</td><td>0</td><td>0</td><td>0</td><td>2</td></tr>
</table>
<p>五、存在的主要问题及改进情况</p><p>有待加强。</p>
<p>六、其他需要报告的事项</p><p>无。</p>
</body></html>"""


def _report():
    return parse_bytes(PAGE.encode("utf-8"), "report.html")


def test_rowspan_and_colspan_place_values_under_their_headers() -> None:
    report = _report()
    assert report.source.kind == "html"
    assert value(report, "table3", "new_received", "natural_person") == 5
    assert value(report, "table3", "new_received", "other_org") == 1
    assert value(report, "table3", "new_received", "total") == 6
    assert value(report, "table3", "granted", "total") == 3
    assert value(report, "table3", "withheld_state_secret", "research") == 0
    assert value(report, "table4", "litigation_after_review", "upheld") == 2
    assert value(report, "table4", "review", "total") == 1


def test_empty_html_cells_are_blank_and_slash_is_not_applicable() -> None:
    report = _report()
    assert value(report, "table3", "new_received", "commercial") is None
    assert report.tables["table3"]["new_received"]["commercial"].raw == ""
    assert value(report, "table2", "regulations", "repealed") is None
    assert report.tables["table2"]["regulations"]["repealed"].raw == "/"
    assert value(report, "table4", "review", "corrected") is None


def test_full_width_and_separated_numbers_in_html() -> None:
    report = _report()
    assert value(report, "table2", "regulations", "issued") == 1
    assert value(report, "table2", "regulations", "in_force") == 1046
    assert value(report, "table2", "licensing", "decisions") == 21


def test_script_content_is_never_read() -> None:
    grid = html_extract.extract(PAGE)
    assert all("999" not in c.text for row in grid.rows for c in row.cells)
    assert "document.write" not in grid.text


def test_title_and_sections_from_html() -> None:
    report = _report()
    assert (report.agency, report.year, report.format) == (
        "某某县人民政府",
        2023,
        "2021",
    )
    assert "继续推进" in report.sections["overview"]
    assert report.sections["other_matters"] == "无。"

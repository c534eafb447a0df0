"""The SVG charts are well-formed, accessible, escaped, and honest about missing data."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from reports.overview import charts

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_bar_chart_is_svg_with_an_accessible_title_and_description():
    svg = charts.bar_chart(
        chart_id="c1",
        title="历年新收申请",
        labels=["2023", "2024"],
        values=[120, 340],
    )
    root = _parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").text == "历年新收申请"
    desc = root.find(f"{SVG}desc").text
    assert "2023" in desc and "120" in desc and "340" in desc
    assert len(root.findall(f".//{SVG}rect")) == 2


def test_labels_and_titles_are_escaped():
    svg = charts.stacked_bar_chart(
        chart_id='x"><script>',
        title="<script>alert(1)</script> & 标题",
        labels=["<b>2024</b>"],
        series=[charts.Series("予以公开 <i>", [5]), charts.Series("其他 & 另", [3])],
        urls=['/list/?a=1&b="2"'],
    )
    assert "<script>" not in svg and "<b>" not in svg and "<i>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 标题" in svg
    assert "&lt;b&gt;2024&lt;/b&gt;" in svg
    assert 'href="/list/?a=1&amp;b=&quot;2&quot;"' in svg
    _parse(svg)  # still well-formed XML


def test_missing_values_are_gaps_labelled_no_data_not_zero():
    svg = charts.bar_chart(
        chart_id="c", title="t", labels=["2019", "2020", "2021"], values=[None, 7, 0]
    )
    root = _parse(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts.count("无数据") == 1
    assert len(root.findall(f".//{SVG}rect")) == 1  # the 7; a zero draws no bar
    assert "0" in texts  # the zero is written as a value, unlike the missing year


def test_stacked_bars_show_each_part_and_the_total():
    svg = charts.stacked_bar_chart(
        chart_id="s",
        title="办理结果",
        labels=["2023", "2024"],
        series=[charts.Series("予以公开", [10, 20]), charts.Series("不予公开", [5, 1])],
    )
    root = _parse(svg)
    tips = [t.text for t in root.iter(f"{SVG}title")][1:]
    assert "2023　予以公开：10 件" in tips and "2024　不予公开：1 件" in tips
    values = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "value"]
    assert values == ["15", "21"]
    legend = [t.text for t in root.iter(f"{SVG}text")]
    assert "予以公开" in legend and "不予公开" in legend


def test_line_chart_breaks_at_missing_years():
    svg = charts.line_chart(
        chart_id="l",
        title="行政复议",
        labels=["2019", "2020", "2021", "2022", "2023"],
        series=[charts.Series("行政复议", [1, 2, None, 4, 5])],
    )
    root = _parse(svg)
    assert len(root.findall(f".//{SVG}polyline")) == 2
    assert len(root.findall(f".//{SVG}circle")) == 4


def test_bars_link_to_their_list_when_given_urls():
    svg = charts.bar_chart(
        chart_id="c", title="t", labels=["2023", "2024"], values=[1, 2], urls=["", "/b"]
    )
    root = _parse(svg)
    links = root.findall(f".//{SVG}a")
    assert [a.get("href") for a in links] == ["/b"]


def test_nice_ticks_are_round_and_cover_the_top():
    assert charts.nice_ticks(0) == [0, 1]
    assert charts.nice_ticks(3) == [0, 1, 2, 3]
    ticks = charts.nice_ticks(3635)
    assert ticks[0] == 0 and ticks[-1] >= 3635 and ticks[1] in (500, 1000)
    assert all(isinstance(t, int) for t in ticks)

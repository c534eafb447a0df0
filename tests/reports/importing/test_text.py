"""Plain text in the layouts the corpus seeds show, built here so each hazard is explicit."""

from __future__ import annotations

import pytest

from reports.core.parsed import ParsedReport
from reports.importing.pipeline import parse_bytes

from .conftest import value

TITLE = "某某县卫生健康局\n2023年政府信息公开工作年度报告\n一、总体情况\n本年度我局……\n"
T2_LINES = """二、主动公开政府信息情况
第二十条第（一）项
信息内容 本年制发件数 本年废止件数 现行有效件数
规章 1 0 3
行政规范性文件 2 1 5
第二十条第（五）项
信息内容 本年处理决定数量
行政许可 312
第二十条第（六）项
信息内容 本年处理决定数量
行政处罚 46
行政强制 0
第二十条第（八）项
信息内容 本年收费金额（单位：万元）
行政事业性收费 12.5
"""
T3_HEAD = """三、收到和处理政府信息公开申请情况
（本列数据的勾稽关系为：第一项加第二项之和，
等于第三项加第四项之和）
申请人情况
自然人
法人或其他组织
总计商业
企业
科研
机构
其他
"""
TAIL = """四、政府信息公开行政复议、行政诉讼情况
行政复议 行政诉讼
结果维持 结果纠正 其他结果 尚未审结 总计
1 0 0 0 1 0 0 0 0 0 0 0 0 0 0
五、存在的主要问题及改进情况
问题……
六、其他需要报告的事项
无。
"""


def _t3_rows(values: str = "0 0 0 0 0 0 0") -> str:
    return f"""一、本年新收政府信息公开申请数量 3 0 0 0 0 1 4
二、上年结转政府信息公开申请数量 {values}
三
、
本
年
度
办
理
结
果
（一）予以公开 2 0 0 0 0 1 3
（二）部分公开（区分处理的，只计这一情形，
不计其他情形）
1 0 0 0 0 0 1
（三）不予公开
1.属于国家秘密 0 0 0 0 0 0 0
2.其他法律行政止公开 0 0 0 0 0 0 0
3.危及“三安全一稳定” 0 0 0 0 0 0 0
4.保护第三方合法权益 0 0 0 0 0 0 0
5.属于三类内部事务信息 0 0 0 0 0 0 0
6.属于四类过程性信息 0 0 0 0 0 0 0
7.属于行政执法案卷 0 0 0 0 0 0 0
8. 属于行政查询事项 0 0 0 0 0 0 0
(四)无法提供
1.本机关不掌握相关政府信息 0 0 0 0 0 0 0
2.没有现成信息需要另行制作 0 0 0 0 0 0 0
3.补正后申请内容仍不明确 0 0 0 0 0 0 0
（五）不予处理
1.信访举报投诉类申请 0 0 0 0 0 0 0
2.重复申请 0 0 0 0 0 0 0
3.要求提供公开出版物 0 0 0 0 0 0 0
4.无正当理由大量反复申请 0 0 0 0 0 0 0
5.要求行政机关确认或重新
出具已获取信息
0 0 0 0 0 0 0
（六）其他处理
1.申请你无正当理由逾期不
补正、行政机关不再处理其
政府信息公开申请
0 0 0 0 0 0 0
2.申请人逾期未按收费通知
要求缴纳费用、行政机关不
再处理其政府信息公开申请
0 0 0 0 0 0 0
3、其他 0 0 0 0 0 0 0
（七）总计 3 0 0 0 0 1 4
四、结转下年度继续办理 0 0 0 0 0 0 0
"""


def _parse(text: str) -> ParsedReport:
    return parse_bytes(text.encode("utf-8"), "report.txt")


def test_pdfminer_like_lines_read_every_cell_in_header_order() -> None:
    report = _parse(TITLE + T2_LINES + T3_HEAD + _t3_rows() + TAIL)
    assert (report.agency, report.year, report.format) == (
        "某某县卫生健康局",
        2023,
        "2021",
    )
    assert value(report, "table2", "normative_documents", "in_force") == 5
    assert value(report, "table2", "licensing", "decisions") == 312
    assert value(report, "table2", "fees", "amount") == "12.5"
    assert value(report, "table3", "new_received", "other_org") == 1
    assert value(report, "table3", "new_received", "total") == 4
    # a label wrapped over two lines, its values on a third
    assert value(report, "table3", "partially_granted", "natural_person") == 1
    # typos and half-width ordinals still find their rows
    assert "withheld_law_prohibited" in report.tables["table3"]
    assert "withheld_inquiry" in report.tables["table3"]
    assert "other_no_correction" in report.tables["table3"]
    assert "other_other" in report.tables["table3"]
    assert len(report.tables["table3"]) == 25
    assert value(report, "table4", "review", "upheld") == 1
    assert value(report, "table4", "review", "total") == 1


def test_table3_row_labels_are_not_taken_for_section_headings() -> None:
    report = _parse(TITLE + T2_LINES + T3_HEAD + _t3_rows() + TAIL)
    # "四、结转下年度继续办理" must stay a table 三 row, not start table 四
    assert value(report, "table3", "carried_forward", "total") == 0
    assert report.sections["overview"].startswith("本年度")
    assert report.sections["other_matters"] == "无。"


def test_too_few_values_are_not_placed_by_guessing() -> None:
    report = _parse(TITLE + T2_LINES + T3_HEAD + _t3_rows(values="0 0") + TAIL)
    assert report.tables["table3"]["carried_over"] == {}
    assert "table3.carried_over.natural_person" in report.uncertain_paths()
    assert any(w.where == "table3.carried_over" for w in report.warnings)


def test_rows_without_values_are_blank_not_zero() -> None:
    rows = _t3_rows().replace("1.属于国家秘密 0 0 0 0 0 0 0", "1.属于国家秘密")
    report = _parse(TITLE + T2_LINES + T3_HEAD + rows + TAIL)
    cells = report.tables["table3"]["withheld_state_secret"]
    assert [c.value for c in cells.values()] == [None] * 7
    assert all(c.raw == "" for c in cells.values())
    assert any(w.code == "blank_rows" for w in report.warnings)


def test_one_cell_per_line_with_bookmark_noise() -> None:
    def block(label: str, values: list[str], lead: str = "") -> str:
        return (
            "\n".join(
                [f"\t{lead}"] * bool(lead) + [f"\t{label}"] + [f"\t{v}" for v in values]
            )
            + "\n\n"
        )

    text = TITLE + "[bookmark: _GoBack]二、主动公开政府信息情况\n"
    text += block("第二十条第（一）项", [])
    text += block("信息内容", ["本年制发件数", "本年废止件数", "现行有效件数"])
    text += block("规章", ["0", "0", "0"])
    text += block("行政规范性文件", ["0", "", "2"])
    text += "\n三、收到和处理政府信息公开申请情况\n"
    text += "\t申请人情况\n\n\t\n\t自然人\n\t法人或其他组织\n\t总计\n\n"
    text += block(
        "一、本年新收政府信息公开申请数量", ["5", "0", "0", "0", "0", "0", "5"]
    )
    # trailing padding cells after the seven values, as DOCX->text converters write
    text += block("（一）予以公开", ["4", "0", "0", "0", "0", "0", "4", "", ""])
    report = _parse(text)
    assert value(report, "table2", "normative_documents", "repealed") is None
    assert report.tables["table2"]["normative_documents"]["repealed"].raw == ""
    assert value(report, "table2", "normative_documents", "in_force") == 2
    assert value(report, "table3", "new_received", "total") == 5
    assert value(report, "table3", "granted", "total") == 4


def test_tab_separated_truncated_text_leaves_absent_rows_out() -> None:
    text = TITLE + (
        "二、主动公开政府信息情况\n第二十条第（一）项\t\t\t\n"
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n\n"
        "\t8. 属于行政查询事项\t0\t0\t0\t0\t0\t0\t0\n"
        "(七) 总计\t\t1\t0\t0\t0\t0\t0\t1\n"
    )
    report = _parse(text)
    assert set(report.tables["table2"]) == {"regulations"}
    assert set(report.tables["table3"]) == {"withheld_inquiry", "total_processed"}
    assert value(report, "table3", "total_processed", "natural_person") == 1
    codes = {w.code for w in report.warnings}
    assert {"heading_missing", "rows_missing"} <= codes


def test_pipe_separated_rows() -> None:
    text = TITLE + (
        "二、主动公开政府信息情况\n| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
        "|---|---|---|---|\n| 规章 | 7 | / | 9 |\n"
    )
    report = _parse(text)
    assert value(report, "table2", "regulations", "issued") == 7
    assert report.tables["table2"]["regulations"]["repealed"].raw == "/"
    assert value(report, "table2", "regulations", "repealed") is None


def test_prose_numbers_are_placed_by_their_column_names() -> None:
    text = TITLE + (
        "二、主动公开政府信息情况\n行政许可：本年处理决定数量 21件。\n"
        "三、收到和处理政府信息公开申请情况\n"
        "一、本年新收政府信息公开申请数量：总计 23 件，自然人 11 件，商业企业 12 件，"
        "科研机构 0 件，社会公益组织 0 件，法律服务机构 0 件，其他 0 件。\n"
        "四、政府信息公开行政复议、行政诉讼情况\n复议后起诉：结果维持 2 件，总计 2 件。\n"
    )
    report = _parse(text)
    assert value(report, "table2", "licensing", "decisions") == 21
    assert value(report, "table3", "new_received", "natural_person") == 11
    assert value(report, "table3", "new_received", "commercial") == 12
    assert value(report, "table3", "new_received", "total") == 23
    assert value(report, "table4", "litigation_after_review", "upheld") == 2
    assert "review" not in report.tables["table4"]


def test_year_and_agency_come_from_the_body_when_there_is_no_title() -> None:
    text = "一、总体情况\n2023 年，汉阴县卫生健康局在县委的领导下……\n2023 年度，我局发布信息 5 条。\n"
    text += T2_LINES
    report = _parse(text)
    assert (report.agency, report.year) == ("汉阴县卫生健康局", 2023)
    assert any(w.code == "title_missing" for w in report.warnings)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-8-sig"])
def test_text_encodings_used_by_chinese_sites_are_read(encoding: str) -> None:
    report = parse_bytes((TITLE + T2_LINES).encode(encoding), "report.txt")
    assert value(report, "table2", "penalty", "decisions") == 46


def test_interchange_json_output_reads_back_to_the_same_values() -> None:
    import json

    from reports.importing.interchange import to_interchange

    report = _parse(TITLE + T2_LINES + T3_HEAD + _t3_rows() + TAIL)
    data = json.dumps(to_interchange(report), ensure_ascii=False).encode("utf-8")
    again = parse_bytes(data, "report.json")
    assert again.source.kind == "json"
    assert to_interchange(again)["table3"] == to_interchange(report)["table3"]
    assert again.tables["table2"]["fees"]["amount"].raw == "12.5"

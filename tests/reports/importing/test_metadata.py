"""Agency, year and publication date as reports are really published.

Titles are printed in many ways (agency and year on one line or two, "关于…的公告", "（全文）",
year first), the year in arabic or Chinese numerals, spaced out or full-width, in simplified
or traditional characters, under a web page's furniture (site name, breadcrumbs, "发布时间：…
字号：大 中 小 打印"). Each combination must give the agency as printed and the report year.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import opencc
import pytest

from reports.importing.mapping.metadata import fold_years, is_report_year, read
from reports.importing.pipeline import parse_bytes

from .conftest import truth_of, value

AGENCY = "示例县卫生健康局"
BODY = "一、总体情况\n{year}年，我局认真贯彻《条例》。\n二、主动公开政府信息情况\n"

# How the year 2023 is printed.
YEARS = {
    "arabic": "2023",
    "spaced": "2 0 2 3 ",
    "full-width": "２０２３",
    "chinese-〇": "二〇二三",
    "chinese-○": "二○二三",
    "chinese-零": "二零二三",
    "chinese-Ｏ": "二Ｏ二三",
    "chinese-O": "二O二三",
}
# Titles, with {agency} and {year}; the agency as read is always AGENCY.
TITLES = {
    "one-line": "{agency}{year}年政府信息公开工作年度报告",
    "two-lines": "{agency}\n{year}年政府信息公开工作年度报告",
    "degree": "{agency}{year}年度政府信息公开工作年度报告",
    "wrapped": "{agency}{year}年政府信息公开\n工作年度报告",
    "spaced": "{agency} {year} 年政府信息公开工作年度报告",
    "announcement": "{agency}关于{year}年政府信息公开工作年度报告的公告",
    "full-text": "{agency}{year}年政府信息公开工作年度报告（全文）",
    "year-first": "{year}年度{agency}政府信息公开工作年度报告",
    "quoted": "《{agency}{year}年政府信息公开工作年度报告》",
}
# What a page saved from a browser or copied from a site prints before the title.
FURNITURE = {
    "none": "",
    "breadcrumbs": "首页 > 政务公开 > 政府信息公开年报 > 年度报告",
    "site-and-crumbs": "示例县人民政府门户网站\n当前位置：首页 › 政府信息公开 » 年度报告",
    "dotted": "人民政府门户网站·政府信息公开首页>年度报告>",
    "meta-line": "示例县人民政府\n发布时间：2024-01-15 来源：本站 字号：大 中 小 打印",
    "font-and-share": "【字体：大 中 小】\n分享到：\n打印本页",
    "pipes": "网站首页 | 政务公开 | 信息公开年报",
}

_T2S = opencc.OpenCC("s2t")


def _document(furniture: str, title: str, year: str, traditional: bool) -> str:
    text = "\n".join(x for x in (furniture, title, BODY.format(year=year)) if x)
    return str(_T2S.convert(text)) if traditional else text


def _agency(traditional: bool) -> str:
    return str(_T2S.convert(AGENCY)) if traditional else AGENCY


@pytest.mark.parametrize(
    "traditional", [False, True], ids=["simplified", "traditional"]
)
@pytest.mark.parametrize("year", YEARS, ids=list(YEARS))
@pytest.mark.parametrize("title", TITLES, ids=list(TITLES))
def test_title_gives_agency_and_year(title: str, year: str, traditional: bool) -> None:
    for furniture in FURNITURE.values():
        printed = TITLES[title].format(agency=AGENCY, year=YEARS[year])
        meta = read(_document(furniture, printed, YEARS[year], traditional))
        assert (meta.agency, meta.year) == (_agency(traditional), 2023), furniture
        assert not meta.from_body


@pytest.mark.parametrize("furniture", FURNITURE, ids=list(FURNITURE))
def test_furniture_on_the_title_line_is_not_the_agency(furniture: str) -> None:
    crumbs = FURNITURE[furniture].replace("\n", " ")
    meta = read(f"{crumbs} {AGENCY}2023年政府信息公开工作年度报告\n" + BODY)
    assert (meta.agency, meta.year) == (AGENCY, 2023)


def test_agency_keeps_its_printed_characters() -> None:
    # t2s would read 乾县 as 干县: the name is matched simplified but kept as printed.
    meta = read("乾縣人民政府2023年政府信息公開工作年度報告\n一、總體情況\n")
    assert (meta.agency, meta.year) == ("乾縣人民政府", 2023)
    assert meta.title == "乾縣人民政府2023年政府信息公開工作年度報告"


def test_agency_ending_in_people_keeps_its_government() -> None:
    meta = read("2023年度示例县人民政府信息公开工作年度报告\n" + BODY)
    assert (meta.agency, meta.year) == ("示例县人民政府", 2023)


def test_site_name_line_is_not_taken_for_the_agency() -> None:
    text = "示例县人民政府门户网站\n2023年政府信息公开工作年度报告\n" + BODY
    meta = read(text.format(year="2023"))
    assert meta.year == 2023
    assert meta.agency == ""  # the body names only 我局


def test_title_without_agency_takes_it_from_the_page_title() -> None:
    text = "首页 > 年度报告\n2023年政府信息公开工作年度报告\n" + BODY.format(
        year="2023"
    )
    meta = read(
        text, hint_title=f"{AGENCY}2023年政府信息公开工作年度报告_示例县人民政府"
    )
    assert (meta.agency, meta.year) == (AGENCY, 2023)


def test_agency_printed_under_the_title() -> None:
    text = "2023年政府信息公开工作年度报告\n示例县卫生健康局\n（2024年1月）\n" + BODY
    meta = read(text.format(year="2023"))
    assert (meta.agency, meta.year) == (AGENCY, 2023)


def test_a_sentence_naming_the_report_gives_no_agency() -> None:
    text = "本报告由示例局编制2023年政府信息公开工作年度报告\n" + BODY
    meta = read(text.format(year="2023"))
    assert (meta.agency, meta.year) == ("", 2023)


def test_agency_named_for_disclosure_is_not_furniture() -> None:
    meta = read("示例县政务公开办公室2023年政府信息公开工作年度报告\n" + BODY)
    assert meta.agency == "示例县政务公开办公室"


@pytest.mark.parametrize("year", YEARS, ids=list(YEARS))
@pytest.mark.parametrize(
    "traditional", [False, True], ids=["simplified", "traditional"]
)
def test_body_only_report_reads_year_and_agency_from_the_body(
    year: str, traditional: bool
) -> None:
    text = f"一、总体情况\n{YEARS[year]}年，{AGENCY}在县委的领导下……\n"
    meta = read(str(_T2S.convert(text)) if traditional else text)
    assert (meta.agency, meta.year, meta.from_body) == (
        _agency(traditional),
        2023,
        True,
    )


@pytest.mark.parametrize(
    "text",
    [
        "示例局1999年政府信息公开工作年度报告\n一、总体情况\n",
        "示例局2099年政府信息公开工作年度报告\n一、总体情况\n",
        "一、总体情况\n一九九八年以来，我局……\n",
        "一、总体情况\n本局成立于1985年。\n",
    ],
)
def test_a_year_that_is_no_report_year_is_not_read(text: str) -> None:
    assert read(text).year is None


def test_fold_years_keeps_other_numerals() -> None:
    assert fold_years("二〇二三年") == "2023年"
    assert fold_years("二十三年") == "二十三年"
    assert fold_years("第一二三四五年") == "第一二三四五年"  # five numerals: not a year
    assert fold_years("2O23年") == "2023年"
    assert is_report_year(2008) and not is_report_year(2007)


@pytest.mark.parametrize(
    ("page", "published"),
    [
        ("发布时间：2024-01-15 来源：本站 字号：大 中 小 打印", "2024-01-15"),
        ("发布日期：2024年1月15日", "2024-01-15"),
        ("發佈時間：2024/01/15", "2024-01-15"),
        ("2024-01-31 10:20 来源：示例县卫生健康局", "2024-01-31"),
        ("【日期：２０２４-０１-３１】", "2024-01-31"),
        ("2024-1-5 9:30", "2024-01-05"),
        ("发布时间： 2024 年 1 月 5 日 09:30:12", "2024-01-05"),
        ("成文日期：2024-01-10", ""),  # the document's date, not the page's
        ("发布时间：2022-12-01", ""),  # before the report's year: not its publication
        ("发布时间：2024-02-30", ""),  # no such day
        ("", ""),
    ],
)
def test_publication_date_is_read_from_the_page(page: str, published: str) -> None:
    text = f"{page}\n{AGENCY}2023年政府信息公开工作年度报告\n" + BODY.format(
        year="2023"
    )
    assert read(text).published == published


def test_publication_date_at_the_foot_of_the_page() -> None:
    text = f"{AGENCY}2023年政府信息公开工作年度报告\n" + BODY.format(year="2023")
    text += (
        "六、其他需要报告的事项\n无。\n发布日期：2024-01-20\n【打印本页】【关闭窗口】\n"
    )
    meta = read(text)
    assert meta.published == "2024-01-20"
    assert meta.sections["other_matters"] == "无。"


def test_page_furniture_is_not_part_of_the_last_section() -> None:
    text = "六、其他需要报告的事项\n本年度无其他事项。\n【打印本页】【关闭窗口】\n分享到：微信\n【字体：大 中 小】\n"
    assert read(text).sections["other_matters"] == "本年度无其他事项。"


# --- Real documents under web-page furniture --------------------------------------------------

SEED = Path("seeds") / "001_523cf04e5fe4e65a.txt"
PAGE_TOP = (
    "夏县人民政府门户网站\n首页 > 政务公开 > 政府信息公开年报\n"
    "【字体：大 中 小】\n发布时间：2025-01-20 来源：夏县卫生健康局 字号：大 中 小 打印\n"
)


@pytest.mark.parametrize(
    ("spelling", "traditional"),
    list(itertools.product(["arabic", "chinese-〇"], [False, True])),
)
def test_real_report_copied_from_a_page_reads_agency_year_and_cells(
    corpus: Path, spelling: str, traditional: bool
) -> None:
    truth = truth_of(corpus / SEED)
    text = (corpus / SEED).read_text("utf-8")
    text = fold_back(text, spelling)
    text = PAGE_TOP + text
    if traditional:
        text = str(_T2S.convert(text))
    report = parse_bytes(text.encode("utf-8"), "page.txt")
    assert (report.agency, report.year) == (
        _agency_printed("夏县卫生健康局", traditional),
        2024,
    )
    assert report.publication_date == "2025-01-20"
    assert (
        value(report, "table2", "penalty", "decisions")
        == truth["table2"]["penalty"]["decisions"]
    )


def fold_back(text: str, spelling: str) -> str:
    """The seed with its years printed in Chinese numerals."""
    if spelling == "arabic":
        return text
    digits = str.maketrans("0123456789", "〇一二三四五六七八九")
    return text.replace("2024年", "2024".translate(digits) + "年").replace(
        "2023年", "2023".translate(digits) + "年"
    )


def _agency_printed(name: str, traditional: bool) -> str:
    return str(_T2S.convert(name)) if traditional else name

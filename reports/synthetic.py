"""A synthetic national data set for scale tests: a region tree, agencies, and their reports.

Pure Python: it plans regions and agencies and draws each report with the demo's generator
(reports/demo.py), so figures are realistic in shape (most agencies receive a handful of
applications, a few hundreds; carry-overs chain from year to year) and a share of reports
is wrong in the ways real ones are. Division codes start with 9, which GB/T 2260 does not
use, so synthetic regions never collide with real ones. The generate_synthetic command
writes it with bulk inserts.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

from reports import schema
from reports.demo import AgencyState, DemoAgency, DemoAnomaly, DemoRegion, draw_report
from reports.importing.parsed import ParsedReport

# The inconsistencies a synthetic report may carry, and how often one does.
ANOMALY_RULES: tuple[str, ...] = (
    "T3-row-total",
    "T3-balance",
    "X-carry",
    "T4-total",
    "blank-cells",
    "na-cells",
    "layout-year",
    "late",
    "T2-regulations",
)
ANOMALY_SHARE = 0.04
MISSING_SHARE = 0.02  # agencies that do not report in a given year

_PROVINCES = (
    "东山省",
    "西川省",
    "南湖省",
    "北原省",
    "中州省",
    "江海省",
    "云岭省",
    "天山省",
    "海滨省",
    "长河省",
    "青原省",
    "黄土省",
    "雪域省",
    "珠江省",
    "太行省",
    "武夷省",
)
_COUNTY_DEPARTMENTS = (
    ("卫生健康局", "卫生健康", "low"),
    ("自然资源局", "自然资源", "medium"),
    ("市场监督管理局", "市场监管", "low"),
    ("公安局", "公安", "high"),
    ("教育局", "教育", "low"),
    ("生态环境局", "生态环境", "low"),
    ("住房和城乡建设局", "住房城乡建设", "medium"),
    ("交通运输局", "交通运输", "low"),
)
_CITY_DEPARTMENTS = _COUNTY_DEPARTMENTS[:5]
COUNTIES_PER_CITY = 10
TOWNSHIPS_PER_COUNTY = 2


@dataclass
class Plan:
    """The regions and agencies of a synthetic country, before any report is drawn."""

    regions: list[DemoRegion]
    agencies: list[DemoAgency]
    years: list[int]


def plan(reports: int, years: list[int]) -> Plan:
    """Just enough cities and counties for `reports` reports over `years`.

    Ten provinces (90-99: 9 is unused by GB/T 2260), each growing city by city (up to 99),
    so a small data set is spread over the whole country like a large one.
    """
    wanted = math.ceil(reports / len(years) / (1 - MISSING_SHARE)) + 1
    regions: list[DemoRegion] = []
    agencies: list[DemoAgency] = []
    provinces = [
        DemoRegion(f"9{p}0000", _province_name(p + 1), "province") for p in range(10)
    ]
    for province in provinces:
        regions.append(province)
        agencies.append(
            _agency(f"{province.name}人民政府", province, "government", volume="high")
        )
        agencies.append(
            _agency(f"{province.name}人民政府办公厅", province, "general_office")
        )
    for c in range(1, 100):
        for province in provinces:
            city = DemoRegion(
                f"{province.code[:2]}{c:02d}00",
                f"{province.name[:2]}{c}市",
                "city",
                province.code,
            )
            regions.append(city)
            agencies += _city_agencies(city)
            for k in range(1, COUNTIES_PER_CITY + 1):
                county = DemoRegion(
                    f"{city.code[:4]}{k:02d}", f"{city.name}{k}县", "county", city.code
                )
                regions.append(county)
                agencies += _county_agencies(county)
                for t in range(1, TOWNSHIPS_PER_COUNTY + 1):
                    town = DemoRegion(
                        f"{county.code}{t:03d}",
                        f"{county.name}{t}镇",
                        "township",
                        county.code,
                    )
                    regions.append(town)
                    agencies.append(_agency(f"{town.name}人民政府", town, "township"))
            if len(agencies) >= wanted:
                # Whole cities overshoot: agencies with no report at all would read as
                # missing reports, so only those the reports need are kept.
                return Plan(regions, agencies[:wanted], sorted(years))
    raise ValueError(f"too many reports for the synthetic tree: {reports}")


def _agency(
    name: str, region: DemoRegion, kind: str, sector: str = "", volume: str = "low"
):
    return DemoAgency(name, region.code, kind, sector, (), volume)


def _city_agencies(city: DemoRegion) -> list[DemoAgency]:
    out = [
        _agency(f"{city.name}人民政府", city, "government", volume="high"),
        _agency(f"{city.name}人民政府办公室", city, "general_office"),
    ]
    out += [
        _agency(f"{city.name}{s}", city, "department", sector, v)
        for s, sector, v in _CITY_DEPARTMENTS
    ]
    return out


def _county_agencies(county: DemoRegion) -> list[DemoAgency]:
    out = [
        _agency(f"{county.name}人民政府", county, "government", volume="medium"),
        _agency(f"{county.name}人民政府办公室", county, "general_office"),
    ]
    out += [
        _agency(f"{county.name}{s}", county, "department", sector, v)
        for s, sector, v in _COUNTY_DEPARTMENTS
    ]
    return out


def _province_name(index: int) -> str:
    base = _PROVINCES[(index - 1) % len(_PROVINCES)]
    rounds = (index - 1) // len(_PROVINCES)
    return base if rounds == 0 else f"{base[:-1]}{rounds + 1}省"


def draw(
    plan: Plan, reports: int, seed: int
) -> Iterator[tuple[DemoAgency, ParsedReport, str]]:
    """Up to `reports` reports, agency by agency and year by year, deterministically."""
    rng = random.Random(seed)
    made = 0
    latest = plan.years[-1]
    for agency in plan.agencies:
        state = AgencyState(in_force=rng.randint(3, 30))
        for year in plan.years:
            if made >= reports:
                return
            anomaly = None
            if rng.random() < ANOMALY_SHARE:
                rule = rng.choice(ANOMALY_RULES)
                if rule == "layout-year" and schema.layout_for_year(year) == "2019":
                    rule = "late"  # a 2019 table in a 2019-layout year is no error
                anomaly = DemoAnomaly(agency.name, year, rule, "")
            report = draw_report(rng, agency, year, state, anomaly)
            if rng.random() < MISSING_SHARE:
                continue
            status = _status(rng, year, latest)
            made += 1
            yield agency, report, status


def _status(rng: random.Random, year: int, latest: int) -> str:
    """Old years are reviewed; the latest year is spread over the whole workflow."""
    if year < latest:
        return rng.choice(("accepted",) * 9 + ("in_review",))
    return rng.choice(
        ("submitted", "in_review", "returned", "accepted", "draft", "submitted")
    )

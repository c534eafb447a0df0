"""A deterministic demo province: regions, agencies and their reports as ParsedReports.

Pure Python (the seed_demo command writes it through the same apply service as an import).
Figures are realistic in shape: most agencies receive a handful of applications, a few
receive hundreds. A few reports are inconsistent in the ways real ones are; DEMO_ANOMALIES
lists each one so that the audits can be checked against what was seeded.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from dataclasses import dataclass, field
from decimal import Decimal

from reports import schema
from reports.importing.parsed import ParsedCell, ParsedReport, SourceInfo

SEED = 20240331
YEARS: tuple[int, ...] = (2020, 2023, 2024)


@dataclass(frozen=True)
class DemoRegion:
    code: str
    name: str
    level: str  # province / city / county / township
    parent: str = ""


@dataclass(frozen=True)
class DemoAgency:
    name: str
    region: str
    kind: str  # government / general_office / department / township
    sector: str = ""
    aliases: tuple[str, ...] = ()
    volume: str = "low"  # low / medium / high: how many applications it receives


@dataclass(frozen=True)
class DemoAnomaly:
    """An inconsistency seeded on purpose: which report, which audit rule should find it."""

    agency: str
    year: int
    rule: str
    description: str


REGIONS: tuple[DemoRegion, ...] = (
    DemoRegion("320000", "江苏省", "province"),
    DemoRegion("320800", "淮安市", "city", "320000"),
    DemoRegion("320803", "淮安区", "county", "320800"),
    DemoRegion("320804", "淮阴区", "county", "320800"),
    DemoRegion("320812", "清江浦区", "county", "320800"),
    DemoRegion("320813", "洪泽区", "county", "320800"),
    DemoRegion("320826", "涟水县", "county", "320800"),
    DemoRegion("320830", "盱眙县", "county", "320800"),
    DemoRegion("321300", "宿迁市", "city", "320000"),
    DemoRegion("321302", "宿城区", "county", "321300"),
    DemoRegion("321311", "宿豫区", "county", "321300"),
    DemoRegion("321322", "沭阳县", "county", "321300"),
    DemoRegion("320813001", "高良涧街道", "township", "320813"),
    DemoRegion("321322001", "沭城街道", "township", "321322"),
)

_CITY_DEPARTMENTS = (
    ("卫生健康委员会", "卫生健康", "medium"),
    ("公安局", "公安", "high"),
    ("自然资源和规划局", "自然资源", "high"),
    ("市场监督管理局", "市场监管", "medium"),
    ("住房和城乡建设局", "住房城乡建设", "medium"),
)
_COUNTY_DEPARTMENTS = (
    ("卫生健康局", "卫生健康", "low"),
    ("自然资源局", "自然资源", "medium"),
    ("市场监督管理局", "市场监管", "low"),
)


def demo_agencies() -> list[DemoAgency]:
    """About 60 agencies of every kind across the demo province."""
    by_code = {r.code: r for r in REGIONS}
    agencies = [
        DemoAgency("江苏省人民政府", "320000", "government", volume="high"),
        DemoAgency("江苏省人民政府办公厅", "320000", "general_office", volume="medium"),
    ]
    for region in REGIONS:
        if region.level == "city":
            agencies.append(
                DemoAgency(
                    f"{region.name}人民政府", region.code, "government", volume="high"
                )
            )
            agencies.append(
                DemoAgency(
                    f"{region.name}人民政府办公室", region.code, "general_office"
                )
            )
            for suffix, sector, volume in _CITY_DEPARTMENTS:
                agencies.append(
                    DemoAgency(
                        f"{region.name}{suffix}",
                        region.code,
                        "department",
                        sector,
                        (),
                        volume,
                    )
                )
        elif region.level == "county":
            city = by_code[region.parent].name
            names = [
                (f"{region.name}人民政府", "government", "", "medium"),
                (f"{region.name}人民政府办公室", "general_office", "", "low"),
            ] + [
                (f"{region.name}{s}", "department", sector, v)
                for s, sector, v in _COUNTY_DEPARTMENTS
            ]
            for name, kind, sector, volume in names:
                # Titles often carry the city's name in front: "淮安市洪泽区人民政府".
                agencies.append(
                    DemoAgency(
                        name, region.code, kind, sector, (f"{city}{name}",), volume
                    )
                )
        elif region.level == "township":
            agencies.append(DemoAgency(f"{region.name}办事处", region.code, "township"))
    return agencies


# Agencies without a report for a year (reviewers must see who has not reported).
MISSING: dict[int, tuple[str, ...]] = {
    2020: ("沭城街道办事处",),
    2023: ("盱眙县市场监督管理局",),
    2024: (
        "宿豫区自然资源局",
        "涟水县人民政府办公室",
        "沭城街道办事处",
        "高良涧街道办事处",
    ),
}

DEMO_ANOMALIES: tuple[DemoAnomaly, ...] = (
    DemoAnomaly(
        "淮安市公安局", 2024, "T3-row-total", "本年新收一行的总计比各列之和多 1"
    ),
    DemoAnomaly("淮安市公安局", 2024, "T3-balance", "同一处错误使总计列的勾稽关系不平"),
    DemoAnomaly("宿城区人民政府", 2023, "T3-balance", "结转下年度多填了 2 件"),
    DemoAnomaly(
        "淮阴区卫生健康局", 2024, "X-carry", "上年结转与 2023 年结转下年度不一致"
    ),
    DemoAnomaly(
        "洪泽区人民政府",
        2023,
        "T4-total",
        "行政复议总计填 0（与洪泽区 2023 实际年报相同）",
    ),
    DemoAnomaly(
        "清江浦区卫生健康局", 2023, "blank-cells", "法人或其他组织各列为空白而不是 0"
    ),
    DemoAnomaly("涟水县自然资源局", 2024, "na-cells", "表四用“/”代替 0"),
    DemoAnomaly(
        "盱眙县卫生健康局", 2023, "layout-year", "2023 年度报告仍使用 2019 版表二"
    ),
    DemoAnomaly(
        "盱眙县卫生健康局",
        2023,
        "heading-variant",
        "同一份报告的表三（六）其他处理印为一行",
    ),
    DemoAnomaly(
        "宿迁市住房和城乡建设局",
        2024,
        "late",
        "2025-02-20 才发布，晚于部门截止日 1 月 31 日",
    ),
    DemoAnomaly(
        "淮安区人民政府", 2024, "late", "2025-04-15 才发布，晚于政府截止日 3 月 31 日"
    ),
    DemoAnomaly("沭阳县人民政府", 2024, "T2-regulations", "县级政府填报了规章 1 件"),
)

_VOLUME = {"low": (0, 8), "medium": (5, 60), "high": (120, 600)}
_STATUS_BY_YEAR = {
    2020: ("accepted",),
    2023: ("accepted", "accepted", "accepted", "in_review"),
    2024: ("submitted", "in_review", "returned", "accepted", "draft", "submitted"),
}


@dataclass
class AgencyState:
    """What carries from one year to the next for one agency."""

    carried_forward: dict[str, int] = field(default_factory=dict)
    in_force: int = 0
    regulations_in_force: int = 0


def demo_reports() -> list[tuple[DemoAgency, ParsedReport, str]]:
    """Every demo report with its agency and review status, deterministically."""
    rng = random.Random(SEED)
    # The first entry of a report is the error seeded; any later one is its consequence.
    anomalies: dict[tuple[str, int], DemoAnomaly] = {}
    for anomaly in DEMO_ANOMALIES:
        anomalies.setdefault((anomaly.agency, anomaly.year), anomaly)
    out: list[tuple[DemoAgency, ParsedReport, str]] = []
    for agency in demo_agencies():
        state = AgencyState(in_force=rng.randint(3, 30))
        for year in YEARS:
            report = draw_report(
                rng, agency, year, state, anomalies.get((agency.name, year))
            )
            status = rng.choice(_STATUS_BY_YEAR[year])
            if agency.name in MISSING.get(year, ()):
                continue
            out.append((agency, report, status))
    return out


def draw_report(
    rng: random.Random,
    agency: DemoAgency,
    year: int,
    state: AgencyState,
    anomaly: DemoAnomaly | None,
) -> ParsedReport:
    layout = schema.layout_for_year(year).value
    rule = anomaly.rule if anomaly else ""
    t2_layout = schema.Layout.Y2019.value if rule == "layout-year" else layout
    report = ParsedReport(
        agency=agency.name,
        year=year,
        format=t2_layout,
        title=f"{agency.name}{year}年政府信息公开工作年度报告",
        publication_date=_publication_date(rng, agency, year, rule).isoformat(),
        source_url=f"https://www.example.gov.cn/xxgk/{year}/{zlib.crc32(agency.name.encode()) % 10**6:06d}.html",
        source=SourceInfo(name="演示数据", kind="demo", sha256=""),
    )
    report.tables["table2"] = _table2(rng, agency, t2_layout, state, rule)
    # A report on the old template uses it throughout (table 三 with one （六） row too).
    t3, received = _table3(rng, agency, year, t2_layout, state, rule)
    report.tables["table3"] = t3
    report.tables["table4"] = _table4(rng, agency, rule)
    report.sections = _narrative(agency, year, received)
    return report


def _publication_date(
    rng: random.Random, agency: DemoAgency, year: int, rule: str
) -> dt.date:
    is_government = agency.kind in ("government", "township")
    if rule == "late":
        return dt.date(year + 1, 4, 15) if is_government else dt.date(year + 1, 2, 20)
    if is_government:
        return dt.date(year + 1, 3, 1) + dt.timedelta(days=rng.randint(0, 29))
    return dt.date(year + 1, 1, 5) + dt.timedelta(days=rng.randint(0, 25))


def _cell(value: int | Decimal | None, raw: str | None = None) -> ParsedCell:
    if raw is None:
        raw = "" if value is None else str(value)
    return ParsedCell(value=value, raw=raw)


def _table2(
    rng: random.Random, agency: DemoAgency, layout: str, state: AgencyState, rule: str
) -> dict[str, dict[str, ParsedCell]]:
    # Provinces and cities (division codes ending in 00) make 规章; counties cannot.
    makes_rules = agency.kind == "government" and agency.region.endswith("00")
    regs = rng.randint(0, 3) if makes_rules else (1 if rule == "T2-regulations" else 0)
    # Rules in force accumulate from year to year, like normative documents.
    state.regulations_in_force += regs
    issued, repealed = rng.randint(0, 6), rng.randint(0, 2)
    repealed = min(repealed, state.in_force)
    state.in_force = state.in_force + issued - repealed
    enforcing = agency.sector in ("公安", "市场监管", "自然资源", "住房城乡建设")
    licensing = rng.randint(50, 3000) if enforcing or agency.kind == "government" else 0
    penalty = rng.randint(10, 900) if enforcing else 0
    enforcement = rng.randint(0, 80) if enforcing else 0
    fees = Decimal(rng.randint(0, 900000)) / 100 if enforcing else Decimal(0)
    if layout == schema.Layout.Y2019:
        return {
            "regulations": {
                "new_made": _cell(regs),
                "new_published": _cell(regs),
                "total_published": _cell(state.regulations_in_force),
            },
            "normative_documents": {
                "new_made": _cell(issued),
                "new_published": _cell(issued),
                "total_published": _cell(state.in_force),
            },
            "licensing": _items(rng, licensing),
            "other_services": _items(rng, rng.randint(0, 20)),
            "penalty": _items(rng, penalty),
            "enforcement": _items(rng, enforcement),
            "fees": {
                "previous_items": _cell(rng.randint(0, 12)),
                "change": _cell(rng.randint(-2, 1)),
            },
            "procurement": {
                "projects": _cell(rng.randint(0, 30)),
                "amount": ParsedCell(
                    Decimal(rng.randint(0, 5000000)), raw=None, unit="元"
                ),
            },
        }
    return {
        "regulations": {
            "issued": _cell(regs),
            "repealed": _cell(0),
            "in_force": _cell(state.regulations_in_force),
        },
        "normative_documents": {
            "issued": _cell(issued),
            "repealed": _cell(repealed),
            "in_force": _cell(state.in_force),
        },
        "licensing": {"decisions": _cell(licensing)},
        "penalty": {"decisions": _cell(penalty)},
        "enforcement": {"decisions": _cell(enforcement)},
        "fees": {"amount": _cell(fees, raw=str(fees))},
    }


def _items(rng: random.Random, decisions: int) -> dict[str, ParsedCell]:
    return {
        "previous_items": _cell(rng.randint(0, 60)),
        "change": _cell(rng.randint(-3, 3)),
        "decisions": _cell(decisions),
    }


_OUTCOME_WEIGHTS = (
    ("granted", 50),
    ("partially_granted", 10),
    ("withheld_state_secret", 1),
    ("withheld_third_party", 2),
    ("withheld_process_info", 3),
    ("unavailable_not_held", 20),
    ("unavailable_needs_creation", 3),
    ("unavailable_unclear", 2),
    ("not_processed_complaint", 4),
    ("not_processed_duplicate", 2),
    ("other", 3),
)


_OUTCOMES = [key for key, _ in _OUTCOME_WEIGHTS]
_OUTCOME_WEIGHT_LIST = [weight for _, weight in _OUTCOME_WEIGHTS]


def _table3(
    rng: random.Random,
    agency: DemoAgency,
    year: int,
    layout: str,
    state: AgencyState,
    rule: str,
) -> tuple[dict[str, dict[str, ParsedCell]], int]:
    table = schema.tables_for(layout)["table3"]
    parts = schema.TABLE3_PARTS
    low, high = _VOLUME[agency.volume]
    total_new = rng.randint(low, high)
    shares = (0.82, 0.1, 0.01, 0.02, 0.02, 0.03)
    new = {
        c: int(total_new * s * rng.uniform(0.6, 1.3))
        for c, s in zip(parts, shares, strict=True)
    }
    carried = {
        c: state.carried_forward.get(
            c, rng.randint(0, 2) if c == "natural_person" else 0
        )
        for c in parts
    }
    if rule == "X-carry":
        carried["natural_person"] += 3
    values: dict[str, dict[str, int]] = {
        row.key: dict.fromkeys(parts, 0) for row in table.rows
    }
    values["new_received"] = new
    values["carried_over"] = carried
    other_rows = (
        [schema.OTHER_ONE_ROW]
        if layout == schema.Layout.Y2019
        else list(schema.OTHER_2021_ROWS)
    )
    for col in parts:
        available = new[col] + carried[col]
        forward = min(available, rng.randint(0, max(1, available // 12)))
        processed = available - forward
        values["carried_forward"][col] = forward
        values["total_processed"][col] = processed
        # One draw per column: the outcome of each of its processed applications.
        for key in rng.choices(_OUTCOMES, _OUTCOME_WEIGHT_LIST, k=processed):
            if key == "other":
                key = rng.choice(other_rows)
            values[key][col] += 1
    if rule == "T3-balance":
        values["carried_forward"]["natural_person"] += 2
    # Next year's carry-over is what this year printed, so only X-carry's seed breaks it.
    state.carried_forward = dict(values["carried_forward"])

    blank_orgs = rule == "blank-cells"
    rows: dict[str, dict[str, ParsedCell]] = {}
    for row in table.rows:
        cells = {}
        for col in parts:
            value = values[row.key][col]
            blank = blank_orgs and col != "natural_person" and value == 0
            cells[col] = _cell(None) if blank else _cell(value)
        total = sum(values[row.key].values())
        if rule == "T3-row-total" and row.key == "new_received":
            total += 1
        cells["total"] = _cell(total)
        rows[row.key] = cells
    received = rows["new_received"]["total"].value or 0
    return rows, int(received)


def _table4(
    rng: random.Random, agency: DemoAgency, rule: str
) -> dict[str, dict[str, ParsedCell]]:
    busy = agency.volume == "high"
    rows: dict[str, dict[str, ParsedCell]] = {}
    for block in schema.TABLE4.rows:
        parts = {
            c: (rng.randint(0, 6) if busy else rng.choice((0, 0, 0, 1)))
            for c in schema.TABLE4_PARTS
        }
        total = sum(parts.values())
        if rule == "T4-total" and block.key == "review":
            parts = {"upheld": 10, "corrected": 1, "other": 0, "pending": 0}
            total = 0
        if rule == "na-cells":
            cells = {
                c: (_cell(None, "/") if v == 0 else _cell(v)) for c, v in parts.items()
            }
            cells["total"] = _cell(None, "/") if total == 0 else _cell(total)
        else:
            cells = {c: _cell(v) for c, v in parts.items()}
            cells["total"] = _cell(total)
        rows[block.key] = cells
    return rows


def _narrative(agency: DemoAgency, year: int, received: int) -> dict[str, str]:
    applications = (
        f"本年度共收到政府信息公开申请{received}件，均在法定期限内答复。"
        if received
        else "本年度未收到政府信息公开申请。"
    )
    return {
        "overview": (
            f"{year}年，{agency.name}深入贯彻落实《中华人民共和国政府信息公开条例》，"
            "围绕中心工作，持续深化政务公开。\n（一）主动公开。及时公开机构职能、政策文件、"
            f"财政预决算等信息。\n（二）依申请公开。{applications}\n（三）政府信息管理。"
            "严格落实公开前保密审查。\n（四）政府信息公开平台建设。持续优化政府门户网站栏目。"
            "\n（五）监督保障。将政务公开纳入年度绩效考核。"
        ),
        "problems": (
            "一是政策解读形式还不够丰富；二是基层政务公开标准化规范化水平有待提升。"
            "下一步，将加强业务培训，提升公开质量。"
        ),
        "other_matters": "本年度未收取信息处理费。无其他需要报告的事项。",
    }

"""The interchange JSON of the spec (section 7): read it strictly, write it losslessly.

`from_interchange` turns one JSON object into a ParsedReport, refusing anything that is not in
the spec with an InterchangeError that names the key. `to_interchange` writes a ParsedReport
back. Besides the spec's keys we read and write: title, publication_date, source_url,
uncertain, notes, warnings, source, raw_text and `cells` (per-cell raw text and provenance, keyed by
cell path). Plain Python; no database.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from reports import schema
from reports.core.parsed import (
    CellValue,
    ParsedCell,
    ParsedReport,
    ParseWarning,
    SourceInfo,
    value_to_json,
)

SPEC_KEYS = frozenset({"agency", "year", "format", "sections", *schema.TABLE_KEYS})
EXTRA_KEYS = frozenset(
    {
        "title",
        "publication_date",
        "source_url",
        "uncertain",
        "notes",
        "warnings",
        "cells",
        "source",
        "raw_text",
        "expect_error",
    }
)
MIN_YEAR, MAX_YEAR = 2008, 2100
_DECIMAL_RE = re.compile(r"^-?\d+(\.\d+)?$")


class InterchangeError(ValueError):
    """A JSON report that does not follow the spec; `key` names where (e.g. table3.granted)."""

    def __init__(self, message: str, key: str = "") -> None:
        self.key = key
        super().__init__(f"{key}：{message}" if key else message)


def from_interchange(data: Any) -> ParsedReport:
    """Read one interchange JSON object into a ParsedReport, or raise InterchangeError."""
    if not isinstance(data, dict):
        raise InterchangeError("每份年报应是一个 JSON 对象")
    if "expect_error" in data:
        raise InterchangeError(
            "这是一份标注为“无法导入”的文件，不是年报数据", "expect_error"
        )
    unknown = sorted(set(data) - SPEC_KEYS - EXTRA_KEYS)
    if unknown:
        raise InterchangeError("不认识的字段", unknown[0])

    agency = data.get("agency")
    if not isinstance(agency, str) or not agency.strip():
        raise InterchangeError("缺少机关名称（应为非空字符串）", "agency")
    year = data.get("year")
    if (
        isinstance(year, bool)
        or not isinstance(year, int)
        or not MIN_YEAR <= year <= MAX_YEAR
    ):
        raise InterchangeError(f"年度应为 {MIN_YEAR}–{MAX_YEAR} 之间的整数", "year")
    layout = data.get("format")
    if layout not in (schema.Layout.Y2019, schema.Layout.Y2021):
        raise InterchangeError('表格版式应为 "2019" 或 "2021"', "format")

    report = ParsedReport(agency=agency.strip(), year=year, format=str(layout))
    report.sections = _read_sections(data.get("sections"))
    report.title = _optional_str(data, "title")
    report.source_url = _optional_str(data, "source_url")
    report.raw_text = _optional_str(data, "raw_text")
    report.publication_date = _read_date(data.get("publication_date"))
    report.notes = _str_list(data, "notes")
    report.uncertain = _str_list(data, "uncertain")
    report.warnings = _read_warnings(data.get("warnings"))
    report.source = _read_source(data.get("source"))
    extras = _read_cell_extras(data.get("cells"))
    for table in schema.TABLE_KEYS:
        report.tables[table] = _read_table(table, data.get(table), str(layout), extras)
    unused = sorted(set(extras) - _present_paths(report))
    if unused:
        raise InterchangeError("cells 中的单元格在表格里不存在", f"cells.{unused[0]}")
    return report


def to_interchange(
    report: ParsedReport, *, with_warnings: bool = True
) -> dict[str, Any]:
    """Write a ParsedReport as interchange JSON (spec keys first, then our extras)."""
    data: dict[str, Any] = {
        "agency": report.agency,
        "year": report.year,
        "format": report.format,
        "sections": {k: v for k, v in report.sections.items() if v},
    }
    cells: dict[str, dict[str, Any]] = {}
    for table in schema.TABLE_KEYS:
        rows = report.tables.get(table, {})
        data[table] = {}
        for row_key, row in rows.items():
            data[table][row_key] = {}
            for col_key, cell in row.items():
                data[table][row_key][col_key] = value_to_json(cell.value)
                extra = _cell_extra(cell)
                if extra:
                    cells[schema.cell_path(table, row_key, col_key)] = extra
    for key in ("title", "publication_date", "source_url", "raw_text"):
        if getattr(report, key):
            data[key] = getattr(report, key)
    uncertain = report.uncertain_paths()
    if uncertain:
        data["uncertain"] = uncertain
    if report.notes:
        data["notes"] = list(report.notes)
    if with_warnings:
        data["warnings"] = [w.to_dict() for w in report.warnings]
    if report.source.name or report.source.sha256:
        data["source"] = {
            "name": report.source.name,
            "kind": report.source.kind,
            "sha256": report.source.sha256,
        }
    if cells:
        data["cells"] = cells
    return data


# --- reading helpers -----------------------------------------------------------------------


def _read_sections(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InterchangeError("应为对象", "sections")
    sections: dict[str, str] = {}
    for key, text in value.items():
        if key not in schema.NARRATIVE_SECTIONS:
            raise InterchangeError("不认识的章节", f"sections.{key}")
        if text is None:
            continue
        if not isinstance(text, str):
            raise InterchangeError("章节正文应为字符串", f"sections.{key}")
        sections[key] = text
    return sections


def _read_table(
    table: str, value: Any, layout: str, extras: dict[str, dict[str, Any]]
) -> dict[str, dict[str, ParsedCell]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InterchangeError("应为对象（行 → 列 → 数值）", table)
    allowed = schema.allowed_rows(table, layout)
    rows: dict[str, dict[str, ParsedCell]] = {}
    for row_key, cells in value.items():
        where = f"{table}.{row_key}"
        row_def = allowed.get(row_key)
        if row_def is None:
            raise InterchangeError(
                f"{layout} 版式的{schema.TABLE_LABELS[table]}没有这一行", where
            )
        if cells is None:  # the spec allows null for a row absent from the document
            continue
        if not isinstance(cells, dict):
            raise InterchangeError("应为对象（列 → 数值）", where)
        row: dict[str, ParsedCell] = {}
        for col_key, raw_value in cells.items():
            path = f"{where}.{col_key}"
            if col_key not in row_def.column_keys:
                raise InterchangeError("这一行没有这一列", path)
            kind = row_def.column(col_key).kind
            cell = ParsedCell(value=_read_value(raw_value, kind, path))
            _apply_extra(cell, extras.get(path, {}), path)
            row[col_key] = cell
        rows[row_key] = row
    if table == "table3" and schema.OTHER_ONE_ROW in rows:
        both = [k for k in schema.OTHER_2021_ROWS if k in rows]
        if both:
            raise InterchangeError(
                "（六）其他处理不能既作为一行又分为三行", f"table3.{both[0]}"
            )
    return rows


def _read_value(value: Any, kind: schema.Kind, path: str) -> CellValue:
    if value is None:
        return None
    if kind is schema.Kind.MONEY:
        if isinstance(value, bool) or isinstance(value, float):
            raise InterchangeError(
                '金额应写成字符串形式的小数（如 "12.5"），以免浮点误差', path
            )
        text = str(value).strip()
        if not _DECIMAL_RE.match(text):
            raise InterchangeError(f"金额不是小数：{value!r}", path)
        try:
            amount = Decimal(text)
        except InvalidOperation as exc:  # pragma: no cover - the regex already guards
            raise InterchangeError(f"金额不是小数：{value!r}", path) from exc
        if amount < 0:
            raise InterchangeError("金额不能为负数", path)
        return amount
    if not isinstance(value, int) or isinstance(value, bool):
        raise InterchangeError(
            f"应为整数，实为 {type(value).__name__}：{value!r}", path
        )
    if kind is schema.Kind.COUNT and value < 0:
        raise InterchangeError(f"件数不能为负数：{value}", path)
    return value


def _read_cell_extras(value: Any) -> dict[str, dict[str, Any]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InterchangeError("应为对象（单元格路径 → 来源信息）", "cells")
    for path, extra in value.items():
        if not isinstance(extra, dict):
            raise InterchangeError("应为对象", f"cells.{path}")
    return value


def _apply_extra(cell: ParsedCell, extra: dict[str, Any], path: str) -> None:
    where = f"cells.{path}"
    raw = extra.get("raw")
    if raw is not None and not isinstance(raw, str):
        raise InterchangeError("raw 应为字符串", where)
    cell.raw = raw
    page = extra.get("page")
    if page is not None and (
        isinstance(page, bool) or not isinstance(page, int) or page < 1
    ):
        raise InterchangeError("page 应为正整数", where)
    cell.page = page
    bbox = extra.get("bbox")
    if bbox is not None:
        if not (isinstance(bbox, list) and len(bbox) == 4):
            raise InterchangeError("bbox 应为四个数", where)
        x0, top, x1, bottom = (float(v) for v in bbox)
        cell.bbox = (x0, top, x1, bottom)
    cell.note = _as_str(extra.get("note", ""), f"{where}.note")
    cell.unit = _as_str(extra.get("unit", ""), f"{where}.unit")
    if cell.unit and cell.unit not in schema.MONEY_UNITS:
        raise InterchangeError(
            f"金额单位应为 {'/'.join(schema.MONEY_UNITS)}", f"{where}.unit"
        )


def _cell_extra(cell: ParsedCell) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if cell.raw is not None:
        extra["raw"] = cell.raw
    if cell.page is not None:
        extra["page"] = cell.page
    if cell.bbox is not None:
        extra["bbox"] = [round(v, 2) for v in cell.bbox]
    if cell.note:
        extra["note"] = cell.note
    if cell.unit:
        extra["unit"] = cell.unit
    return extra


def _present_paths(report: ParsedReport) -> set[str]:
    return {
        schema.cell_path(t, r, c)
        for t, rows in report.tables.items()
        for r, cells in rows.items()
        for c in cells
    }


def _read_warnings(value: Any) -> list[ParseWarning]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InterchangeError("应为列表", "warnings")
    warnings = []
    for i, item in enumerate(value):
        if not isinstance(item, dict) or not isinstance(item.get("message"), str):
            raise InterchangeError("每条提示应为含 message 的对象", f"warnings[{i}]")
        warnings.append(
            ParseWarning(
                code=str(item.get("code", "")),
                message=item["message"],
                where=str(item.get("where", "")),
                page=item.get("page") if isinstance(item.get("page"), int) else None,
            )
        )
    return warnings


def _read_source(value: Any) -> SourceInfo:
    if value is None:
        return SourceInfo()
    if not isinstance(value, dict):
        raise InterchangeError("应为对象", "source")
    return SourceInfo(
        name=_as_str(value.get("name", ""), "source.name"),
        kind=_as_str(value.get("kind", ""), "source.kind"),
        sha256=_as_str(value.get("sha256", ""), "source.sha256"),
    )


def _read_date(value: Any) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        raise InterchangeError("日期应写成 YYYY-MM-DD", "publication_date")
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise InterchangeError(
            f"日期应写成 YYYY-MM-DD：{value!r}", "publication_date"
        ) from exc


def _optional_str(data: dict[str, Any], key: str) -> str:
    return _as_str(data.get(key) or "", key)


def _as_str(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise InterchangeError("应为字符串", key)
    return value


def _str_list(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InterchangeError("应为字符串列表", key)
    return list(value)

"""DOCX into a Grid: body paragraphs and table rows in document order.

Merged cells are resolved from the XML (gridSpan, vMerge), so a merged cell's text appears
once, in the first row and grid column it covers, with the extent of all the columns it
spans; python-docx's `row.cells` would repeat it in every covered position. The zip is
checked (member count, unpacked size) before anything is parsed.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.oxml.ns import qn

from reports.importing import errors
from reports.importing.errors import ImportRefused
from reports.importing.extract.rows import Cell, Grid, Row
from reports.importing.normalize import clean_cell

MAX_MEMBERS = 2000

_W_P, _W_TBL, _W_TR, _W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_W_T, _W_TAB, _W_BR, _W_CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_W_SDT, _W_SDT_CONTENT = qn("w:sdt"), qn("w:sdtContent")
_W_VAL = qn("w:val")


def zip_kind(data: bytes, name: str) -> str:
    """ "docx" for a Word document; refuses other zips (xlsx, broken archives)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportRefused(
            errors.CORRUPT_FILE, f"“{name}”不是完整的 DOCX（zip 包已损坏）"
        ) from exc
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        raise ImportRefused(
            errors.UNSUPPORTED_FORMAT, f"“{name}”是 Excel 表格，暂不支持导入 Excel 年报"
        )
    if Path(name).suffix.lower() == ".docx":
        raise ImportRefused(
            errors.CORRUPT_FILE, f"“{name}”中没有 word/document.xml，不是有效的 DOCX"
        )
    raise ImportRefused(
        errors.UNSUPPORTED_FORMAT, f"“{name}”是 zip 压缩包，不是 DOCX 年报"
    )


def check_archive(data: bytes, name: str, max_unpacked: int) -> None:
    """Refuse zips that would unpack to too many members or too many bytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportRefused(errors.CORRUPT_FILE, f"“{name}”的 zip 包已损坏") from exc
    if len(infos) > MAX_MEMBERS:
        raise ImportRefused(
            errors.FILE_TOO_LARGE,
            f"“{name}”包含 {len(infos)} 个部件，超过上限 {MAX_MEMBERS}",
        )
    unpacked = sum(i.file_size for i in infos)
    if unpacked > max_unpacked:
        raise ImportRefused(
            errors.FILE_TOO_LARGE,
            f"“{name}”解压后有 {unpacked / 1048576:.0f} MB，超过上限 "
            f"{max_unpacked / 1048576:.0f} MB（疑似压缩炸弹）",
        )


def extract(data: bytes, *, name: str = "", max_unpacked: int = 256 * 1048576) -> Grid:
    """A Grid of the document's paragraphs (as lines) and table rows (as grid rows)."""
    check_archive(data, name, max_unpacked)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for a broken package
        raise ImportRefused(
            errors.CORRUPT_FILE, f"“{name}”无法作为 DOCX 打开：{exc}"
        ) from exc
    grid = Grid(kind="docx", title=document.core_properties.title or "")
    lines: list[str] = []
    for table_no, element in enumerate(_blocks(document.element.body)):
        if element.tag == _W_P:
            text = clean_cell(_paragraph_text(element))
            if text:
                lines.append(text)
                grid.rows.append(Row([Cell(text)], complete=True))
        else:
            grid.rows.extend(_table_rows(element, table_no))
    grid.text = "\n".join(lines)
    return grid


def _blocks(body: object) -> Iterator[object]:
    """Paragraphs and tables of the body in order, looking inside content controls."""
    for child in body:  # type: ignore[attr-defined]
        if child.tag in (_W_P, _W_TBL):
            yield child
        elif child.tag == _W_SDT:
            content = child.find(_W_SDT_CONTENT)
            if content is not None:
                yield from _blocks(content)


def _paragraph_text(paragraph: object) -> str:
    parts: list[str] = []
    for node in paragraph.iter(_W_T, _W_TAB, _W_BR, _W_CR):  # type: ignore[attr-defined]
        if node.tag == _W_T:
            parts.append(node.text or "")
        elif node.tag == _W_TAB:
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def _cell_text(tc: object) -> str:
    return "\n".join(_paragraph_text(p) for p in tc.iter(_W_P))  # type: ignore[attr-defined]


def _table_rows(table: object, table_no: int) -> list[Row]:
    rows: list[Row] = []
    for tr in table.iter(_W_TR):  # type: ignore[attr-defined]
        if tr.getparent() is not table:
            continue  # a nested table's rows are read as part of their cell's text
        column = _grid_before(tr)
        cells: list[Cell] = []
        for tc in tr.findall(_W_TC):
            span = _int_prop(tc, "w:gridSpan", 1)
            if not _is_merge_continuation(tc):
                cells.append(
                    Cell(clean_cell(_cell_text(tc)), x0=column, x1=column + span)
                )
            column += span
        rows.append(Row(cells, complete=True, table=table_no))
    return rows


def _tc_pr(tc: object) -> object | None:
    return tc.find(qn("w:tcPr"))  # type: ignore[attr-defined]


def _int_prop(tc: object, tag: str, default: int) -> int:
    pr = _tc_pr(tc)
    node = pr.find(qn(tag)) if pr is not None else None  # type: ignore[attr-defined]
    try:
        return max(1, min(int(node.get(_W_VAL)), 64)) if node is not None else default
    except (TypeError, ValueError):
        return default


def _is_merge_continuation(tc: object) -> bool:
    """True for the lower cells of a vertical merge (and old-style horizontal merges)."""
    pr = _tc_pr(tc)
    if pr is None:
        return False
    for tag in ("w:vMerge", "w:hMerge"):
        node = pr.find(qn(tag))  # type: ignore[attr-defined]
        if node is not None and node.get(_W_VAL) in (None, "continue"):
            return True
    return False


def _grid_before(tr: object) -> int:
    pr = tr.find(qn("w:trPr"))  # type: ignore[attr-defined]
    node = pr.find(qn("w:gridBefore")) if pr is not None else None
    try:
        return int(node.get(_W_VAL)) if node is not None else 0
    except (TypeError, ValueError):
        return 0

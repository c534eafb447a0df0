"""What of a damaged PDF can be trusted: the pages before the first damaged one.

A page is damaged when a stream it reads does not decode whole (pdf_streams), when it
reaches an object qpdf could not rebuild, or when it cannot be read at all; a page of the
page tree that qpdf could not read is lost. Everything read from the first damaged or lost
page on is untrusted, and so is the last row before it: a table row cut by the page break
may have printed its values on the next page. The message names the pages, the objects
and the byte offsets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reports.importing.extract.pdf_repair import Repaired
from reports.importing.extract.rows import Damage, Grid


@dataclass
class Found:
    """Damaged pages found while reading, and the first row index of every page read."""

    pages: set[int]
    streams: dict[int, tuple[int, int | None]] = field(default_factory=dict)
    starts: list[int] = field(default_factory=list)

    def broken(self, page: int, objid: int, offset: int | None) -> None:
        """The page reads object `objid`, a stream that does not decode whole."""
        self.pages.add(page)
        self.streams.setdefault(page, (objid, offset))

    def damage(
        self, grid: Grid, pages: int, repaired: Repaired | None, size: int
    ) -> Damage | None:
        """The grid's damage, or None when the file was whole and every page sound."""
        lost = sorted(set(repaired.lost_before)) if repaired else []
        starts = [p for p in (*self.pages, *lost) if p <= pages + 1]
        if repaired is None and not starts:
            return None
        first = min(starts) if starts else pages + 1
        row = self.starts[first - 1] if first <= len(self.starts) else len(grid.rows)
        row = max(0, row - 1)
        parts = [_file_part(repaired, size)]
        if lost:
            count = len(repaired.lost_before) if repaired else 0
            parts.append(
                f"有 {count} 页无法读取（{_lost_where(lost, pages)}），这些页上的行没有读取"
            )
        for page in sorted(self.pages):
            parts.append(f"第 {page} 页{_what(*self.streams.get(page, (None, None)))}")
        if first <= pages:
            marked = f"第 {first} 页起（及其前一行）读到的数值均标为存疑"
        else:
            marked = "最后一页末行的数值标为存疑（其余数值可能在缺失的页上）"
        return Damage(row, "；".join(parts), marked, min(first, pages))


def _what(objid: int | None, offset: int | None) -> str:
    """What of a page is damaged, in words."""
    if objid is None:
        return "的内容已损坏或缺失，无法完整读取"
    if objid < 0:
        return "所用的字体已缺失，文字无法正确读取"
    at = f"，文件第 {offset} 字节处" if offset is not None else ""
    return f"读取的对象 {objid}（压缩数据{at}）已损坏，无法完整解压"


def _file_part(repaired: Repaired | None, size: int) -> str:
    if repaired is None:
        return "PDF 文件部分内容已损坏"
    where = (
        f"自第 {repaired.offset} 字节处起无法读取"
        if repaired.offset is not None
        else ""
    )
    return (
        f"PDF 文件已损坏（共 {size} 字节{'，' + where if where else ''}），"
        f"已按 PDF 阅读器的方式修复结构后读取，修复后共 {repaired.pages} 页"
    )


def _lost_where(positions: list[int], pages: int) -> str:
    """Where lost pages stood, in the rebuilt file's page numbers."""
    shown = [
        f"在第 {p} 页之前" if p <= pages else f"在第 {pages} 页之后"
        for p in positions[:5]
    ]
    return "、".join(shown) + ("等" if len(positions) > 5 else "")


def object_offset(pdf: Any, objid: int) -> int | None:
    """The byte offset at which object `objid` starts, from pdfminer's xref (None if
    it sits in an object stream or is not listed)."""
    for xref in getattr(pdf.doc, "xrefs", []):
        try:
            stream, position, _ = xref.get_pos(objid)
        except Exception:  # not in this xref section
            continue
        return position if stream is None else None
    return None

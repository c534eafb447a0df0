"""A DOCX whose zip is damaged, read as Word would: the body, whatever else is broken.

The body is word/document.xml; styles, fonts, settings, themes, numbering, properties and
images hold no text of the report, so a broken one is skipped with a note. When the body
itself is damaged:

- cut (the file ends inside it): what inflated is exactly its start; the XML is read
  leniently (lxml's recover) and the rows of the elements the cut left open, and all after,
  are the damaged region;
- corrupt (it does not inflate, or its checksum fails): a changed bit garbles what follows
  it for as long as the decoder goes on, and where it was is not known, so everything read
  is the damaged region.

mapping/damage.py then marks what was read from the damaged region uncertain.
"""

from __future__ import annotations

from docx.oxml.ns import qn
from lxml import etree

from reports.importing import errors
from reports.importing.errors import ImportRefused
from reports.importing.extract import docx as docx_reader
from reports.importing.extract.rows import Damage, Grid
from reports.importing.intake.salvage import Part, salvage

BODY = "word/document.xml"
_CORE = "docProps/core.xml"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"


def extract(data: bytes, name: str, max_unpacked: int, cause: Exception) -> Grid:
    """The Grid of a DOCX python-docx could not open; refused when its body is lost."""
    parts = salvage(data, name, max_unpacked=max_unpacked)
    body = parts.get(BODY)
    if body is None or not body.data:
        raise ImportRefused(
            errors.CORRUPT_FILE,
            f"“{name}”无法作为 DOCX 打开：正文部件 {BODY}"
            + ("缺失" if body is None else f"（文件第 {body.offset} 字节处）已损坏"),
        ) from cause
    root = _parse(body, name)
    element = root.find(qn("w:body"))
    if element is None:
        raise ImportRefused(
            errors.CORRUPT_FILE, f"“{name}”的正文部件 {BODY} 中没有正文"
        ) from cause
    reader = docx_reader._Reader(Grid(kind="docx", title=_title(parts)))
    if body.state == "cut":
        reader.partial = _open_at_cut(root)
    reader.read(docx_reader._blocks(element))
    grid = reader.grid
    grid.text = "\n".join(reader.lines)
    broken = [p for p in parts.values() if not p.sound and p.name != BODY]
    if broken:
        grid.notes.append(
            "文件的 zip 包已损坏，已跳过不含正文文字的部件："
            + "、".join(f"{p.name}（文件第 {p.offset} 字节处）" for p in broken[:8])
            + ("等" if len(broken) > 8 else "")
        )
    if not body.sound:
        grid.damage = _damage(body, reader.damaged_from, len(grid.rows), len(data))
    return grid


def _parse(body: Part, name: str) -> etree._Element:
    """The body's XML: strictly when the part is sound, else as far as it goes."""
    parser = etree.XMLParser(
        remove_blank_text=True,
        resolve_entities=False,
        no_network=True,
        recover=not body.sound,
    )
    try:
        root = etree.fromstring(body.data, parser)
    except etree.XMLSyntaxError as exc:
        raise ImportRefused(
            errors.CORRUPT_FILE, f"“{name}”的正文部件 {BODY} 不是有效的 XML"
        ) from exc
    if root is None:
        raise ImportRefused(
            errors.CORRUPT_FILE, f"“{name}”的正文部件 {BODY} 已损坏，读不出内容"
        )
    return root


def _open_at_cut(root: etree._Element) -> list[etree._Element]:
    """The elements the cut left open: the last element in document order and its
    ancestors (every other element was closed in the file, so it is whole)."""
    last = root
    for last in root.iter():  # noqa: B007 - the loop finds the last element
        pass
    return [last, *last.iterancestors()]


def _damage(body: Part, first: int | None, rows: int, size: int) -> Damage:
    if body.state == "cut":
        row = rows if first is None else first
        return Damage(
            row,
            f"文件不完整（共 {size} 字节，在正文部件 {BODY} 中中断，"
            f"该部件从文件第 {body.offset} 字节处开始），中断处之后的内容缺失",
            "中断处所在的行及其后读到的数值均标为存疑",
        )
    return Damage(
        0,
        f"正文部件 {BODY}（文件第 {body.offset} 字节处）的压缩数据已损坏，"
        "无法确定损坏从哪里开始",
        "读到的数值均标为存疑",
    )


def _title(parts: dict[str, Part]) -> str:
    """The title in the document properties, when that part is sound."""
    core = parts.get(_CORE)
    if core is None or not core.sound:
        return ""
    try:
        root = etree.fromstring(
            core.data, etree.XMLParser(resolve_entities=False, no_network=True)
        )
    except etree.XMLSyntaxError:
        return ""
    node = root.find(_DC_TITLE)
    return (node.text or "").strip() if node is not None else ""

"""Tables written as sentences: "（一）予以公开：自然人 31 件，商业企业 32 件，…。"

Some small agencies print no tables and give the numbers in prose. Every number there is
named by its column, so each can be placed with certainty: the sentence's label (before the
colon) names the row, each "<column> <number>[件]" pair names the column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reports.importing import labels
from reports.importing.extract.rows import Cell, Row
from reports.importing.normalize import compact

# The colon that ends a row label, followed by the first column's name.
PROSE_HINT = re.compile(
    r"[:：](?:自然人|商业企业|科研机构|社会公益组织|法律服务机构|其他|总计|本年制发件数"
    r"|本年废止件数|现行有效件数|本年处理决定数量|本年收费金额|结果维持|结果纠正|其他结果"
    r"|尚未审结|本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量)(?:\([^)]*\))?[+-]?\d"
)
_PAIR = re.compile(
    r"(?P<name>[^\d,;，；]+?)\s*(?P<num>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
    r"\s*(?P<unit>件|万元|元|个|条|项)?(?=[,;，；]|$)"
)


@dataclass
class ProseRow:
    """One sentence: the row it names and its (column key, number text, cell) pairs."""

    key: str
    label: str
    pairs: list[tuple[str, str, Cell]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    damaged: bool = False  # the sentence holds U+FFFD: bytes of damaged text


def looks_like_prose(rows: list[Row]) -> bool:
    """True when a table section gives its numbers as "label：column N" sentences."""
    return sentence_count(rows) >= 1


def sentence_count(rows: list[Row]) -> int:
    """How many "label：column N" sentences a table section holds."""
    text = "".join(compact(r.text) for r in rows)
    return len(PROSE_HINT.findall(text))


def parse(table: str, rows: list[Row]) -> list[ProseRow]:
    """Read the sentences of a table section into rows."""
    pieces: list[str] = []
    starts: list[tuple[int, Row]] = []
    offset = 0
    for row in rows:
        text = compact(row.text)
        starts.append((offset, row))
        pieces.append(text)
        offset += len(text)
    text = "".join(pieces)
    result: list[ProseRow] = []
    position = 0
    for sentence in re.split(r"[。；;]", text):
        origin = _row_at(starts, position)
        position += len(sentence) + 1
        label, sep, body = sentence.partition(":")
        if not sep:
            continue
        key = labels.first_match(labels.ROW_RULES[table], label)
        if key is None:
            continue
        prose = ProseRow(key, label, damaged="\ufffd" in sentence)
        for match in _PAIR.finditer(body):
            name = match["name"].strip()
            column = labels.first_match(labels.COLUMN_RULES[table], name)
            number = match["num"] + (match["unit"] or "")
            cell = Cell(number, page=origin.page if origin else None)
            if column is None:
                prose.unknown.append(f"{name}{number}")
                continue
            prose.pairs.append((column, number, cell))
        result.append(prose)
    return result


def _row_at(starts: list[tuple[int, Row]], position: int) -> Row | None:
    found = None
    for offset, row in starts:
        if offset > position:
            break
        found = row
    return found

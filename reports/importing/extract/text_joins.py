"""Text lines that belong together, joined before they are read as rows.

Excel quotes a cell that holds a line break; a framed row ("| … |") runs until its closing
bar; a label cut after its ordinal ("三、本年" / "度办理结果 | …") is joined to the row
that continues it; a row's label that ends on a line of its own after its values
("1.屬於\t51…" / "國家祕密") is joined back.
"""

from __future__ import annotations

import re

from reports.importing import labels
from reports.importing.extract.text_lines import (
    BARS,
    SPACES,
    Kind,
    cells_of,
    kind_of,
    line_row,
)
from reports.importing.normalize import compact, read_value


def join_quoted(lines: list[str]) -> list[str]:
    """Lines with a tab-separated cell quoted over line breaks, as Excel copies, joined.

    Excel writes a cell that holds a line break as `"…\n…"`; the lines up to the closing
    quote are one row. Joined only when the result is a tab-separated row.
    """
    joined: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if line.count('"') % 2 and _QUOTE_OPENS.search(line):
            end = index
            while end < len(lines) and end - index < MAX_QUOTED_LINES:
                end += 1
                logical = "\n".join(lines[index - 1 : end])
                if logical.count('"') % 2 == 0:
                    if "\t" in logical:
                        line, index = logical, end
                    break
        joined.append(line)
    return joined


_QUOTE_OPENS = re.compile(r'(?:^|\t)"')
MAX_QUOTED_LINES = 8
FRAGMENT = (
    20  # characters: longer text without delimiters is a sentence, not a label part
)


def join_framed(lines: list[str]) -> list[str]:
    """Framed rows ("| a | b |") whose cells hold line breaks, joined.

    A row that opens with a bar and does not close with one goes on over the next lines
    up to the first line that closes with a bar (and none of them opens a row itself).
    """
    joined: list[str] = []
    index = 0
    while index < len(lines):
        end = _framed_end(lines, index)
        joined.append("\n".join(lines[index : end + 1]))
        index = end + 1
    return joined


def _framed_end(lines: list[str], start: int) -> int:
    """The last line of the framed row opened at `start` (`start` when it is not one)."""
    first = lines[start].translate(BARS).strip(SPACES)
    if not first.startswith("|") or first.endswith("|"):
        return start
    for index in range(start + 1, min(start + 1 + MAX_QUOTED_LINES, len(lines))):
        text = lines[index].translate(BARS).strip(SPACES)
        if not text or text.startswith("|") or kind_of(lines[index]) is Kind.HEADING:
            return start
        if text.endswith("|"):
            return index
    return start


def join_wrapped(lines: list[str]) -> list[str]:
    """Rows of a delimited table whose label cell wraps onto the next line, joined.

    A browser copy keeps a cell's line break ("三、本年" / "度办理结果 | （一）" /
    "予以公开 | 31 | …"). A label that opens with an ordinal ("三、", "（一）", "1.") and
    stops before the delimiter or the values is continued by the next delimited line when
    that line's first cell does not open with an ordinal of its own.
    """
    joined: list[str] = []
    for line in lines:
        if joined and _continues(
            joined[-1], line, joined[-2] if len(joined) > 1 else ""
        ):
            joined[-1] = f"{joined[-1]}\n{line}"
        else:
            joined.append(line)
    return joined


def _continues(previous: str, line: str, above: str) -> bool:
    """Whether `line` continues the label that `previous` began (`above` precedes both)."""
    kind = kind_of(line)
    if kind not in (Kind.TAB, Kind.ROW):
        return False
    cells = cells_of(line, kind)
    first = next((compact(c) for c in cells if compact(c)), "")
    if not first or labels.ITEM_START.match(first):
        return False
    before = kind_of(previous)
    if before is Kind.PLAIN:
        fragment = compact(previous)
        if labels.CAPTION.search(fragment):
            return False  # "第二十条第（五）项" over a block: a caption, not a label
        if not labels.ITEM_START.match(fragment):
            # Without an ordinal, only a short label fragment between two rows of the
            # table, joined to a row with value cells ("行政事" / "业性收费 | 671 | -672").
            if not (
                len(fragment) <= FRAGMENT
                and len(line_row(previous).cells) == 1
                and kind_of(above) in (Kind.TAB, Kind.ROW)
                and len(cells) > 1
            ):
                return False
    elif before in (Kind.TAB, Kind.ROW):
        # a row cut inside its last label cell: "度办理结果 | （一）" / "予以公开 | 31 | …"
        last = cells_of(previous, before)
        fragment = compact(last[-1]) if last else ""
        if not fragment or not labels.ITEM_START.match(fragment):
            return False
        if any(read_value(c).is_value and compact(c) for c in last):
            return False
    else:
        return False
    return _same_row(fragment, fragment + first)


def _same_row(fragment: str, joined: str) -> bool:
    """Joining does not turn a label that names a row into another row's label.

    "（七）总计" with its blanks trimmed away is a row of its own, not the start of
    the "结转下年度" below it; "一、本年新收政府" + "信息公开申请数量" stays 本年新收.
    """
    for rules in labels.ROW_RULES.values():
        alone = labels.first_match(rules, fragment)
        if alone is not None and labels.first_match(rules, joined) != alone:
            return False
    return True


def join_tails(lines: list[str]) -> list[str]:
    """A delimited row's label continued on the next line, without values, joined.

    A page that wraps a label cell after its first words puts the rest on a line of its
    own after the row ("1.屬於\t51\t52…" / "國家祕密"). The tail is joined into the row's
    label when the joined label names a row, and neither part names another one: a
    label alone naming nothing, or a tail that names the same row ("2.沒有現成信" /
    "息需要另行製作"), is a part of it.
    """
    joined: list[str] = []
    for line in lines:
        previous = joined[-1] if joined else ""
        tailed = _with_tail(previous, line) if previous else None
        if tailed is None:
            joined.append(line)
        else:
            joined[-1] = tailed
    return joined


def _with_tail(row: str, tail: str) -> str | None:
    """`row` with `tail` added to its label, or None when `tail` does not continue it."""
    kind = kind_of(row)
    if (
        kind not in (Kind.TAB, Kind.ROW)
        or '"' in row
        or kind_of(tail) is not Kind.PLAIN
    ):
        return None
    text = compact(tail)
    if (
        not text
        or len(text) > FRAGMENT
        or labels.ITEM_START.match(text)
        or len(line_row(tail.strip(SPACES)).cells) != 1
    ):
        return None
    delimiter = "\t" if kind is Kind.TAB else "|"
    parts = row.split("\t") if kind is Kind.TAB else row.translate(BARS).split("|")
    cells = cells_of(row, kind)
    label = next((i for i, p in enumerate(parts) if compact(p)), None)
    if label is None or read_value(parts[label]).is_value:
        return None
    if not any(read_value(c).number is not None for c in cells):
        return None  # a row with values: a valueless one is a header or a label part
    fragment = compact(parts[label])
    named = _rows_named(fragment + text)
    alone, tail_names = _rows_named(fragment), _rows_named(text)
    if not named or tail_names not in (set(), named):
        return None  # the tail names another row: a row of its own
    if alone and alone != tail_names:
        return None  # the row is named already, and the line is no part of its name
    kept = parts[label].rstrip(SPACES)
    parts[label] = kept + tail.strip(SPACES) + parts[label][len(kept) :]
    return delimiter.join(parts)


def _rows_named(label: str) -> set[str]:
    """The rows (of any table) that a label names by keyword."""
    found = (labels.first_match(rules, label) for rules in labels.ROW_RULES.values())
    return {key for key in found if key}

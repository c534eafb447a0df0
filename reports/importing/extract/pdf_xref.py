"""Which object bytes were inserted into or cut out of, from the cross-reference table.

An intact PDF's xref table gives the exact byte offset of every object. Bytes inserted or
removed inside the file move every object after that point, and pdfminer still finds them
(it scans forward to the next `obj`), so nothing would tell. The first object (in file
order) that is not where the table says marks the place: the change lies in the object
before it, which is damaged, although it may parse (a font's width array that lost or
gained numbers moves every glyph after them). Only a classic xref table can be checked
this way; a file without one, or whose objects are all in place, names none.
"""

from __future__ import annotations

import re

_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_SECTION = re.compile(rb"(\d+) (\d+)\s*$")
_MAX_ENTRIES = 1_000_000


def displaced(data: bytes) -> set[int]:
    """Object numbers of the object that holds the change; empty when nothing moved."""
    start = data.rfind(b"xref")
    while start >= 5 and data[start - 5 : start] == b"start":  # "startxref" is no table
        start = data.rfind(b"xref", 0, start)
    if start < 0:
        return set()
    entries = _entries(data[start + 4 : start + 4 + 20 * _MAX_ENTRIES])
    placed = sorted((offset, number, gen) for number, (offset, gen) in entries.items())
    previous: int | None = None
    for offset, number, gen in placed:
        head = b"%d %d obj" % (number, gen)
        # some writers count the end of line before an object into its offset
        found = data[offset : offset + len(head) + 2].lstrip(b" \t\r\n")
        if not found.startswith(head):
            return {previous} if previous is not None else {number}
        previous = number
    return set()


def _entries(table: bytes) -> dict[int, tuple[int, int]]:
    """Object number -> (offset, generation) of the in-use entries of one xref table."""
    entries: dict[int, tuple[int, int]] = {}
    number = 0
    for line in table.splitlines():
        line = line.strip()
        if not line:
            continue
        entry = _ENTRY.match(line)
        if entry is not None:
            if entry[3] == b"n":
                entries[number] = (int(entry[1]), int(entry[2]))
            number += 1
            continue
        section = _SECTION.match(line)
        if section is None:
            break  # "trailer", or the table ends
        number = int(section[1])
    return entries

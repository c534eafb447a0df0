"""A small writer of OLE2 compound files (MS-CFB version 3), for tests.

olefile reads compound files but cannot add a stream or a storage to one, so the tests
that need a Word 97 file with a `Macros` storage, an encrypted-flagged FIB, or a compound
file that is neither Word nor Excel write them here: streams under 4096 bytes in the mini
stream, the rest in 512-byte sectors, one FAT (up to 109 FAT sectors, about 7 MB), each
storage's children a balanced tree in the order the format sorts names.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SECTOR = 512
MINI = 64
CUTOFF = 4096
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    index: int = 0
    start: int = END


def build(streams: dict[str, bytes]) -> bytes:
    """A compound file holding `streams`, keyed by path ("Macros/VBA/dir")."""
    root = _Entry("Root Entry", 5)
    for path, data in streams.items():
        node = root
        *storages, leaf = path.split("/")
        for part in storages:
            found = next((c for c in node.children if c.name == part), None)
            if found is None:
                found = _Entry(part, 1)
                node.children.append(found)
            node = found
        node.children.append(_Entry(leaf, 2, data))
    entries = _flatten(root)
    fat: list[int] = []
    body = bytearray()

    def place(data: bytes) -> int:
        if not data:
            return END
        first = len(fat)
        count = -(-len(data) // SECTOR)
        fat.extend(range(first + 1, first + count))
        fat.append(END)
        body.extend(data.ljust(count * SECTOR, b"\0"))
        return first

    mini_stream = bytearray()
    minifat: list[int] = []
    for entry in entries:
        if entry.kind != 2:
            continue
        if len(entry.data) >= CUTOFF:
            entry.start = place(entry.data)
        elif entry.data:
            first = len(minifat)
            count = -(-len(entry.data) // MINI)
            minifat.extend(range(first + 1, first + count))
            minifat.append(END)
            mini_stream.extend(entry.data.ljust(count * MINI, b"\0"))
            entry.start = first
    root.start = place(bytes(mini_stream))
    root.data = bytes(mini_stream)
    minifat_start = place(b"".join(struct.pack("<I", n) for n in minifat))
    children: dict[int, int] = {}
    links: dict[int, tuple[int, int]] = {}
    for entry in entries:
        if entry.kind in (1, 5):
            children[entry.index], tree = _tree(entry.children)
            links.update(tree)
    directory = b"".join(_dir_entry(e, children, links) for e in entries)
    while len(directory) % SECTOR:
        directory += _UNUSED
    directory_start = place(directory)
    # FAT sectors go last; they must cover themselves too.
    fat_sectors = 1
    while (len(fat) + fat_sectors) > fat_sectors * (SECTOR // 4):
        fat_sectors += 1
    fat_start = len(fat)
    fat.extend([FATSECT] * fat_sectors)
    fat.extend([FREE] * (fat_sectors * (SECTOR // 4) - len(fat)))
    body.extend(b"".join(struct.pack("<I", n) for n in fat))
    difat = list(range(fat_start, fat_start + fat_sectors))
    header = (
        MAGIC
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIII", 0, fat_sectors, directory_start, 0)
        + struct.pack("<I", CUTOFF)
        + struct.pack("<II", minifat_start, -(-len(minifat) * 4 // SECTOR))
        + struct.pack("<II", END, 0)
        + b"".join(struct.pack("<I", n) for n in difat + [FREE] * (109 - len(difat)))
    )
    assert len(header) == SECTOR
    return header + bytes(body)


def _flatten(root: _Entry) -> list[_Entry]:
    entries: list[_Entry] = []

    def walk(entry: _Entry) -> None:
        entry.index = len(entries)
        entries.append(entry)
        for child in entry.children:
            walk(child)

    walk(root)
    return entries


def _sort_key(entry: _Entry) -> tuple[int, str]:
    # MS-CFB: shorter names first, then by upper-cased name.
    return (len(entry.name), entry.name.upper())


def _tree(children: list[_Entry]) -> tuple[int, dict[int, tuple[int, int]]]:
    """The root index of a balanced tree of `children` and each node's (left, right)."""
    ordered = sorted(children, key=_sort_key)
    links: dict[int, tuple[int, int]] = {}

    def build(lo: int, hi: int) -> int:
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        links[ordered[mid].index] = (build(lo, mid), build(mid + 1, hi))
        return ordered[mid].index

    return build(0, len(ordered)), links


# An unused directory slot: no name, no type, no siblings or child.
_UNUSED = b"\0" * 64 + struct.pack("<HBBIII", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM)
_UNUSED += b"\0" * (128 - len(_UNUSED))


def _dir_entry(
    entry: _Entry, children: dict[int, int], links: dict[int, tuple[int, int]]
) -> bytes:
    left, right = links.get(entry.index, (NOSTREAM, NOSTREAM))
    name = entry.name.encode("utf-16-le")
    size = len(entry.data) if entry.kind in (2, 5) else 0
    return (
        (name + b"\0\0").ljust(64, b"\0")
        + struct.pack("<HBB", len(name) + 2, entry.kind, 1)
        + struct.pack("<III", left, right, children.get(entry.index, NOSTREAM))
        + b"\0" * 16  # CLSID
        + b"\0" * 4  # state bits
        + b"\0" * 16  # creation and modification times
        + struct.pack("<IQ", entry.start if entry.kind != 1 else 0, size)
    )

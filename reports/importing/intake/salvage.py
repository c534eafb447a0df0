"""A damaged office file (a zip) read part by part, as far as each part is sound.

Word opens a DOCX whose styles part has a bad checksum; Python's zipfile refuses the whole
archive. Here every part is found by its local header (so a cut file without its central
directory still gives the parts before the cut), inflated on its own, and its CRC-32
compared with the one its local header, data descriptor or central directory records. A
part is then:

- sound: it inflated to its end and its checksum matches;
- cut: the file ended inside it; what inflated is exactly the start of the part;
- corrupt: it does not inflate, or its checksum does not match; what inflated may hold
  wrong bytes anywhere (a changed bit in Deflate data changes what follows it until the
  decoder notices, if it ever does).

The zip-bomb limits hold as for an intact file: at most MAX_MEMBERS parts, and inflating
stops with a refusal once the parts together pass `max_unpacked` bytes.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from reports.importing import errors
from reports.importing.errors import ImportRefused

LOCAL = b"PK\x03\x04"
CENTRAL = b"PK\x01\x02"
_DESCRIPTOR = b"PK\x07\x08"
_SLICE = 1 << 20
MAX_MEMBERS = 2000  # as intake/detect.py: a report's office file has a few dozen parts


@dataclass
class Part:
    """One part as found: its bytes (what inflated), state, and where it starts."""

    name: str
    data: bytes
    state: str  # sound | cut | corrupt
    offset: int  # the byte offset of its local header in the file

    @property
    def sound(self) -> bool:
        return self.state == "sound"


def salvage(data: bytes, name: str, *, max_unpacked: int) -> dict[str, Part]:
    """Every part found in the file by its local header, by part name.

    When a name occurs twice, a sound copy is kept over a damaged one, else the first.
    """
    recorded = _central_crcs(data)
    parts: dict[str, Part] = {}
    budget = [max_unpacked]
    position = data.find(LOCAL)
    found = 0
    while position >= 0:
        found += 1
        if found > MAX_MEMBERS:
            raise ImportRefused(
                errors.FILE_TOO_LARGE,
                f"“{name}”包含超过 {MAX_MEMBERS} 个部件，超过上限",
            )
        part, end = _read_part(data, position, recorded, budget, name)
        if part is not None:
            kept = parts.get(part.name)
            if kept is None or (part.sound and not kept.sound):
                parts[part.name] = part
        position = data.find(LOCAL, max(end, position + 4))
    return parts


def _read_part(
    data: bytes,
    at: int,
    recorded: dict[str, int],
    budget: list[int],
    name: str,
) -> tuple[Part | None, int]:
    """The part whose local header is at `at`, and where the next header may start."""
    header = data[at : at + 30]
    if len(header) < 30:
        return None, len(data)
    (_, _, flags, method, _, _, crc, size, _, name_len, extra_len) = struct.unpack(
        "<4sHHHHHIIIHH", header
    )
    raw_name = data[at + 30 : at + 30 + name_len]
    part_name = raw_name.decode("utf-8" if flags & 0x800 else "cp437", "replace")
    start = at + 30 + name_len + extra_len
    if start > len(data):
        return Part(part_name, b"", "cut", at), len(data)
    if flags & 0x1 or method not in (0, 8):  # encrypted, or not stored/deflated
        return Part(part_name, b"", "corrupt", at), at + 4
    if method == 0:
        body = data[start : start + size]
        state = "cut" if len(body) < size else "sound"
        _spend(budget, len(body), name)
        end = start + len(body)
    else:
        body, state, end = _inflate(data, start, budget, name)
    if state == "sound":
        expected = {crc, recorded.get(part_name, crc)}
        if flags & 0x8:
            expected.add(_descriptor_crc(data, end))
        if zlib.crc32(body) not in expected:
            state = "corrupt"
    return Part(part_name, body, state, at), end if state == "sound" else at + 4


def _inflate(
    data: bytes, start: int, budget: list[int], name: str
) -> tuple[bytes, str, int]:
    """Raw Deflate from `start` to its own end (the recorded size may be damaged)."""
    inflater = zlib.decompressobj(-15)
    pending = memoryview(data)[start:]
    out: list[bytes] = []
    try:
        while not inflater.eof:
            chunk = inflater.decompress(pending, _SLICE)
            _spend(budget, len(chunk), name)
            out.append(chunk)
            pending = memoryview(inflater.unconsumed_tail)
            if not chunk and not pending:
                break
    except zlib.error:
        return b"".join(out), "corrupt", start
    if not inflater.eof:
        return b"".join(out), "cut", len(data)
    return b"".join(out), "sound", len(data) - len(inflater.unused_data)


def _spend(budget: list[int], size: int, name: str) -> None:
    budget[0] -= size
    if budget[0] < 0:
        raise ImportRefused(
            errors.FILE_TOO_LARGE,
            f"“{name}”解压后的大小超过上限（疑似压缩炸弹）",
        )


def _descriptor_crc(data: bytes, end: int) -> int:
    """The CRC-32 of a data descriptor after a part's data (its signature is optional)."""
    if data[end : end + 4] == _DESCRIPTOR:
        end += 4
    field = data[end : end + 4]
    return struct.unpack("<I", field)[0] if len(field) == 4 else -1


def _central_crcs(data: bytes) -> dict[str, int]:
    """Part name -> CRC-32 as the central directory records it (what of it is there)."""
    crcs: dict[str, int] = {}
    position = data.find(CENTRAL)
    while position >= 0 and len(crcs) < MAX_MEMBERS:
        header = data[position : position + 46]
        if len(header) < 46:
            break
        flags, crc, name_len = struct.unpack("<8xH6xI8xH", header[:30])
        raw = data[position + 46 : position + 46 + name_len]
        crcs[raw.decode("utf-8" if flags & 0x800 else "cp437", "replace")] = crc
        position = data.find(CENTRAL, position + 46)
    return crcs

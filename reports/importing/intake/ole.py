"""What an OLE2 compound file (Word 97-2003, Excel 97-2003, WPS) holds, from its directory.

Old office files are a small file system in one file: a Word document has a `WordDocument`
stream, a workbook a `Workbook` (or, Excel 5/95, `Book`) stream, and a password-protected
DOCX or XLSX an `EncryptedPackage`. The directory is read with olefile; the streams are
never run or unpacked beyond the few bytes that say whether the document is encrypted.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

import olefile

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Word's File Information Block begins with this identifier (Word 97-2003; 0xA5DC is 6/95).
_WORD_IDENTS = (0xA5EC, 0xA5DC)
# FIB flags word at byte 10: fEncrypted (the text is encrypted with the open password).
_FIB_ENCRYPTED = 0x0100
# BIFF records: FILEPASS says the workbook stream after it is encrypted; EOF ends the
# workbook globals, where FILEPASS must appear.
_BIFF_FILEPASS = 0x002F
_BIFF_EOF = 0x000A
_BIFF_MAX_RECORDS = 400
# Word keeps its VBA project in the `Macros` storage, Excel in `_VBA_PROJECT_CUR`.
_MACRO_STORAGES = ("macros", "_vba_project_cur")


class NotOle(Exception):
    """The bytes are not a readable compound file (cut short, or a broken directory)."""


@dataclass(frozen=True, slots=True)
class OleContent:
    """word, excel, ooxml_encrypted or other; encrypted and macros as the directory says."""

    app: str
    encrypted: bool = False
    macros: bool = False


def inspect(data: bytes) -> OleContent:
    """Word or Excel, encrypted or not, with macros or not; NotOle when unreadable."""
    try:
        # A BytesIO always: olefile takes a short bytes object for a file name.
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            top = {
                entry[0].lower() for entry in ole.listdir(streams=True, storages=True)
            }
            macros = any(name in top for name in _MACRO_STORAGES)
            if "encryptedpackage" in top and "encryptioninfo" in top:
                return OleContent("ooxml_encrypted", encrypted=True)
            if ole.exists("WordDocument"):
                fib = ole.openstream("WordDocument").read(12)
                return OleContent("word", _word_encrypted(fib), macros)
            for stream in ("Workbook", "Book"):
                if ole.exists(stream):
                    book = ole.openstream(stream).read()
                    return OleContent("excel", _biff_encrypted(book), macros)
            return OleContent("other", macros=macros)
    except NotOle:
        raise
    except Exception as exc:
        # olefile raises OSError, its own OleFileError, struct.error, IndexError ... on
        # a damaged directory: all of them mean the same thing here.
        raise NotOle(str(exc)) from exc


def _word_encrypted(fib: bytes) -> bool:
    if len(fib) < 12:
        raise NotOle("WordDocument 流过短")
    ident, flags = (
        struct.unpack_from("<H", fib, 0)[0],
        struct.unpack_from("<H", fib, 10)[0],
    )
    if ident not in _WORD_IDENTS:
        raise NotOle(f"WordDocument 流的标识为 {ident:#06x}")
    return bool(flags & _FIB_ENCRYPTED)


def _biff_encrypted(book: bytes) -> bool:
    """Whether the workbook globals carry a FILEPASS record (before their EOF)."""
    offset = 0
    for _ in range(_BIFF_MAX_RECORDS):
        if offset + 4 > len(book):
            return False
        kind, length = struct.unpack_from("<HH", book, offset)
        if kind == _BIFF_FILEPASS:
            return True
        if kind == _BIFF_EOF:
            return False
        offset += 4 + length
    return False

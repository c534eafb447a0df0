"""Why a document cannot be imported: a stable code plus a Chinese message for people.

The code is part of `str()` ("no_text_layer: …") so that scripts, tests and the corpus scorer
can match it in the output without parsing the message.
"""

from __future__ import annotations

UNSUPPORTED_FORMAT = "unsupported_format"
CORRUPT_FILE = "corrupt_file"
ENCRYPTED_PDF = "encrypted_pdf"
NO_TEXT_LAYER = "no_text_layer"
NOT_ANNUAL_REPORT = "not_annual_report"
FILE_TOO_LARGE = "file_too_large"
INVALID_INTERCHANGE = "invalid_interchange"
# The parse was stopped by its CPU, memory or wall-clock limit (reports.importing.intake.sandbox).
RESOURCE_LIMIT = "resource_limit"

CODES: frozenset[str] = frozenset(
    {
        UNSUPPORTED_FORMAT,
        CORRUPT_FILE,
        ENCRYPTED_PDF,
        NO_TEXT_LAYER,
        NOT_ANNUAL_REPORT,
        FILE_TOO_LARGE,
        INVALID_INTERCHANGE,
        RESOURCE_LIMIT,
    }
)


class ImportRefused(Exception):
    """The document is refused; `code` is one of CODES, `message` says what and where."""

    def __init__(self, code: str, message: str) -> None:
        if code not in CODES:
            raise ValueError(f"unknown refusal code: {code}")
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")

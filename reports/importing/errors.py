"""Why a document cannot be imported: a stable code plus a Chinese message for people.

The code is part of `str()` ("no_text_layer: …") so that scripts, tests and the corpus scorer
can match it in the output without parsing the message.
"""

from __future__ import annotations

UNSUPPORTED_FORMAT = "unsupported_format"
CORRUPT_FILE = "corrupt_file"
ENCRYPTED_PDF = "encrypted_pdf"
# An office file (.doc, .xls, password-protected .docx/.xlsx, .odt ...) with an open password.
ENCRYPTED_FILE = "encrypted_file"
NO_TEXT_LAYER = "no_text_layer"
NOT_ANNUAL_REPORT = "not_annual_report"
FILE_TOO_LARGE = "file_too_large"
INVALID_INTERCHANGE = "invalid_interchange"
EMPTY_FILE = "empty_file"
# The parse was stopped by its CPU, memory or wall-clock limit (reports.importing.intake.sandbox).
RESOURCE_LIMIT = "resource_limit"

CODES: frozenset[str] = frozenset(
    {
        UNSUPPORTED_FORMAT,
        CORRUPT_FILE,
        ENCRYPTED_PDF,
        ENCRYPTED_FILE,
        NO_TEXT_LAYER,
        NOT_ANNUAL_REPORT,
        FILE_TOO_LARGE,
        INVALID_INTERCHANGE,
        RESOURCE_LIMIT,
        EMPTY_FILE,
    }
)


# Why a parsed report cannot be saved (the document itself was read).
INVALID_YEAR = "invalid_year"
UNKNOWN_AGENCY = "unknown_agency"
UNDER_REVIEW = "under_review"
# The revisions on file leave no place for the new one (none current, or a concurrent save).
REVISION_CLASH = "revision_clash"

# What a person reads: the Chinese name, the code after it in brackets (see `label`).
LABELS: dict[str, str] = {
    UNSUPPORTED_FORMAT: "不支持的文件格式",
    CORRUPT_FILE: "文件已损坏或无法读取",
    ENCRYPTED_PDF: "PDF 已加密，无法读取",
    ENCRYPTED_FILE: "文件设有打开密码，无法读取",
    NO_TEXT_LAYER: "没有文字层（扫描件或图片），无法读取表格数值",
    NOT_ANNUAL_REPORT: "不是政府信息公开工作年度报告",
    FILE_TOO_LARGE: "文件过大，未读取",
    INVALID_INTERCHANGE: "不符合年报交换格式（JSON）或填报模板（Excel）",
    RESOURCE_LIMIT: "解析超出资源限制（疑似恶意文件），已中止",
    EMPTY_FILE: "空文件",
    INVALID_YEAR: "年度不在系统已知范围内",
    UNKNOWN_AGENCY: "机关名录中没有这个机关",
    UNDER_REVIEW: "年报正在审核，不能替换",
    REVISION_CLASH: "年报版次冲突，未能保存",
}


def label(code: str) -> str:
    """A refusal as people read it: `不支持的文件格式（unsupported_format）`."""
    name = LABELS.get(code)
    return f"{name}（{code}）" if name else f"无法导入（{code}）"


class ImportRefused(Exception):
    """The document is refused; `code` is one of CODES, `message` says what and where."""

    def __init__(self, code: str, message: str) -> None:
        if code not in CODES:
            raise ValueError(f"unknown refusal code: {code}")
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")

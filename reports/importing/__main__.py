"""`python -m reports.importing FILE`: print the interchange JSON, or the refusal on stderr."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from reports.importing.errors import ImportRefused
from reports.importing.interchange import to_interchange
from reports.importing.pipeline import DEFAULT_MAX_BYTES, parse_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m reports.importing",
        description="解析一份政府信息公开工作年度报告，输出交换格式 JSON",
    )
    parser.add_argument(
        "file",
        type=Path,
        help="年报文件（PDF、DOCX、XLSX、HTML、文本或 JSON；DOC、XLS、WPS、ET、RTF、"
        "ODT、ODS 经 LibreOffice 转换后读取）",
    )
    parser.add_argument(
        "--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="文件大小上限（字节）"
    )
    args = parser.parse_args(argv)
    try:
        report = parse_file(args.file, max_bytes=args.max_bytes)
    except ImportRefused as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(json.dumps(to_interchange(report), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Damaged PDFs and DOCX read as far as a viewer would, exactly where they are intact.

Each file is a corpus document damaged here (never copied into the repository): a PDF cut
after its table pages or inside its cross-reference table, a DOCX whose styles part fails
its checksum, a DOCX cut inside its body. What was read is compared with the truth by the
corpus scorer's own rule (../shared/corpus/score.py).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from bench.damage import load_scorer
from reports.importing.errors import ImportRefused
from reports.importing.interchange import to_interchange
from reports.importing.pipeline import parse_bytes


@pytest.fixture(scope="module")
def scorer(corpus_dir: Path) -> ModuleType:
    return load_scorer(corpus_dir)


def _read(scorer: ModuleType, source: Path, data: bytes) -> tuple[Any, dict[str, Any]]:
    """(the scorer's result, the interchange JSON) of `data` read as `source`'s damage."""
    report = parse_bytes(data, f"damaged{source.suffix}")
    out = to_interchange(report)
    truth = json.loads(source.with_name(source.name + ".truth.json").read_text())
    result = scorer.DocResult(name=source.name, path=str(source))
    scorer.compare(truth, out, result)
    return result, out


def _damage_warning(out: dict[str, Any]) -> str:
    return next(w["message"] for w in out["warnings"] if w["code"] == "damaged_file")


def test_pdf_cut_after_its_table_pages_reads_them_exactly(corpus_dir, scorer):
    source = corpus_dir / "real" / "hzq2023_working.pdf"
    data = source.read_bytes()
    last_page = re.search(
        rb"51 0 obj", data
    )  # page 5's dictionary (WPS writes in order)
    assert last_page is not None
    result, out = _read(scorer, source, data[: last_page.start()])
    assert result.wrong == 0 and result.missing == 0, result.diffs[:5]
    assert result.correct == result.total
    message = _damage_warning(out)
    assert f"共 {last_page.start()} 字节" in message
    assert "1 页无法读取" in message and "第 4 页之后" in message
    # only the last row before the lost page may be uncertain (its values could go on)
    assert len(out.get("uncertain", [])) <= 10


def test_pdf_cut_inside_its_xref_reads_every_cell(corpus_dir, scorer):
    source = corpus_dir / "generated" / "report_full.pdf"
    data = source.read_bytes()
    xref = data.rfind(b"\nxref")
    result, out = _read(scorer, source, data[: xref + 200])
    assert result.correct == result.total and result.silent == 0
    assert "已按 PDF 阅读器的方式修复结构后读取" in _damage_warning(out)


def test_pdf_page_with_a_corrupt_content_stream_is_uncertain_from_there(
    corpus_dir, scorer
):
    source = corpus_dir / "generated" / "report_full.pdf"
    data = bytearray(source.read_bytes())
    third = data.index(b"8 0 obj")  # page 3's content stream, compressed
    data[third + 200] ^= 0x55
    result, out = _read(scorer, source, bytes(data))
    assert result.silent == 0
    assert "第 3 页读取的对象 8" in _damage_warning(out)
    assert out.get("uncertain")  # what pages 3 and 4 still gave
    assert result.missing > 0  # what page 3 held is not invented


def test_pdf_cut_before_its_page_tree_is_refused_as_corrupt(corpus_dir):
    source = corpus_dir / "generated" / "report_full.pdf"
    data = source.read_bytes()
    with pytest.raises(ImportRefused) as caught:
        parse_bytes(data[: len(data) // 2], "cut.pdf")
    assert caught.value.code == "corrupt_file"
    assert "cut.pdf" in caught.value.message


def _broken_part(data: bytes, part: str) -> bytes:
    """`data` with one byte of `part`'s compressed data changed: its CRC-32 fails."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    damaged = bytearray(data)
    damaged[start + info.compress_size // 2] ^= 0xFF
    return bytes(damaged)


def test_docx_with_a_broken_styles_part_reads_every_cell(corpus_dir, scorer):
    source = corpus_dir / "generated" / "report_full.docx"
    result, out = _read(
        scorer, source, _broken_part(source.read_bytes(), "word/styles.xml")
    )
    assert result.correct == result.total
    assert not out.get("uncertain")
    notes = [w["message"] for w in out["warnings"] if w["code"] == "extract_note"]
    assert any("word/styles.xml" in n for n in notes)


def test_docx_cut_inside_its_body_reads_the_cells_before_the_cut(corpus_dir, scorer):
    source = corpus_dir / "generated" / "report_full.docx"
    data = source.read_bytes()
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
    result, out = _read(scorer, source, data[: info.header_offset + 4000])
    assert result.silent == 0
    assert result.correct > result.total // 2  # table 二 and most of table 三
    assert result.missing > 0  # the rows after the cut are not invented
    assert "在正文部件 word/document.xml 中中断" in _damage_warning(out)
    assert out.get("uncertain")  # the row the cut went through


def test_docx_with_a_corrupt_body_marks_everything_uncertain(corpus_dir, scorer):
    source = corpus_dir / "generated" / "report_full.docx"
    data = _broken_part(source.read_bytes(), "word/document.xml")
    try:
        result, out = _read(scorer, source, data)
    except ImportRefused as exc:  # the damage may leave nothing readable: refused
        assert exc.code == "corrupt_file"
        return
    assert result.silent == 0
    assert "无法确定损坏从哪里开始" in _damage_warning(out)

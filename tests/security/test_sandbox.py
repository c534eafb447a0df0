"""The sandbox itself: same result as in-process, refusals kept, crashes and limits mapped."""

from __future__ import annotations

import faulthandler
import logging
import os
import signal
import time
from pathlib import Path

import pytest

from reports.importing.errors import ImportRefused
from reports.importing.intake import sandbox
from reports.importing.intake.sources import read_document
from reports.importing.pipeline import parse_bytes
from tests.reports.importing.builders import docx_report, encrypted_pdf

QUICK = sandbox.Limits(cpu_seconds=5, memory_mb=256, timeout_seconds=10)


def _refused(func, *args, limits=QUICK, **kwargs) -> ImportRefused:
    with pytest.raises(ImportRefused) as caught:
        sandbox.run_isolated(func, *args, name="x.pdf", limits=limits, **kwargs)
    return caught.value


def test_isolated_parse_equals_in_process_parse(tmp_path: Path):
    data = docx_report(tmp_path / "r.docx").read_bytes()
    inline = parse_bytes(data, "r.docx")
    isolated = sandbox.parse_isolated(data, "r.docx", max_bytes=10**7, limits=QUICK)
    assert isolated == inline
    assert isolated.raw_text and isolated.source.sha256 == inline.source.sha256


def test_a_refusal_comes_back_with_its_code_and_message():
    with pytest.raises(ImportRefused) as inline:
        parse_bytes(encrypted_pdf(), "locked.pdf")
    with pytest.raises(ImportRefused) as isolated:
        sandbox.parse_isolated(encrypted_pdf(), "locked.pdf", max_bytes=10**7)
    assert (isolated.value.code, isolated.value.message) == (
        inline.value.code,
        inline.value.message,
    )


def test_read_document_can_still_parse_in_process(tmp_path: Path):
    data = docx_report(tmp_path / "r.docx").read_bytes()
    inline = read_document(data, "r.docx", max_bytes=10**7, isolated=False)
    isolated = read_document(data, "r.docx", max_bytes=10**7)
    assert inline.ok and inline.reports == isolated.reports


def _spin() -> None:
    while True:
        pass


def _hog() -> bytes:
    return b"x" * (2 * 1024**3)


def _sleep() -> None:
    time.sleep(60)


def _crash() -> None:
    faulthandler.disable()  # pytest's; it would print this deliberate crash's stack
    os.kill(os.getpid(), signal.SIGSEGV)


def _bug() -> None:
    raise KeyError("a bug, not a refusal")


def _path() -> Path:
    return Path("/etc/passwd")


def test_cpu_limit_stops_a_busy_child():
    refusal = _refused(_spin, limits=sandbox.Limits(cpu_seconds=1, timeout_seconds=30))
    assert refusal.code == "resource_limit"
    assert "“x.pdf”" in refusal.message and "CPU 时间超过 1 秒" in refusal.message


def test_memory_limit_stops_a_greedy_child():
    refusal = _refused(_hog)
    assert refusal.code == "resource_limit" and "内存超过 256 MB" in refusal.message


def test_wall_clock_limit_kills_a_stuck_child():
    start = time.monotonic()
    refusal = _refused(_sleep, limits=sandbox.Limits(timeout_seconds=1))
    assert time.monotonic() - start < 5
    assert refusal.code == "resource_limit" and "耗时超过 1 秒" in refusal.message


def test_a_crashed_child_is_a_corrupt_file():
    refusal = _refused(_crash)
    assert refusal.code == "corrupt_file" and "异常终止" in refusal.message


def test_a_bug_in_the_child_is_logged_and_refused(caplog):
    with caplog.at_level(logging.ERROR, logger="reports.importing.intake.sandbox"):
        refusal = _refused(_bug)
    assert refusal.code == "corrupt_file" and "KeyError" in refusal.message
    assert "a bug, not a refusal" in caplog.text  # the child's traceback


def test_the_parent_builds_only_parse_results_from_the_child():
    refusal = _refused(_path)
    assert refusal.code == "corrupt_file" and "无法读取的结果" in refusal.message

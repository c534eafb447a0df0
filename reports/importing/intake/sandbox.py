"""Parse an untrusted document in a child process with CPU, memory and wall-clock limits.

The parsers (pdfminer above all) can be made to inflate gigabytes or to walk a page tree for
minutes. Each document is therefore parsed in a forked child: the child sets RLIMIT_CPU and
RLIMIT_AS on itself, parses, and sends the result back through a pipe; the parent kills it
when the wall-clock limit passes. A child stopped by a limit becomes the refusal
`resource_limit`, naming the file and the limit; a refusal in the child comes back with its
own code and message.

Fork, not spawn: the child starts as a copy of the already-imported parent (Django,
pdfplumber and all), so nothing is imported again and the cost is a few milliseconds. The
child never touches the parent's database connections and leaves with os._exit, so no
finaliser closes them on the parent's behalf.

Results come back pickled but are read with an unpickler that only knows the ParsedReport
dataclasses and Decimal: a child that parsed something hostile cannot make the parent
construct anything else.
"""

from __future__ import annotations

import io
import logging
import os
import pickle
import resource
import select
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from reports.core.parsed import ParsedReport
from reports.importing import errors
from reports.importing.errors import ImportRefused

logger = logging.getLogger(__name__)

T = TypeVar("T")

_MIB = 1024 * 1024
# Exit status of a child that ran out of memory outside the parser (e.g. sending its result).
_EXIT_MEMORY = 3
_EXIT_CRASH = 70
# In a child: when the parent will kill it (time.monotonic()); None in any other process.
_deadline: float | None = None
_ALLOWED_CLASSES = {
    ("reports.core.parsed", "ParsedReport"),
    ("reports.core.parsed", "ParsedCell"),
    ("reports.core.parsed", "ParseWarning"),
    ("reports.core.parsed", "SourceInfo"),
    ("decimal", "Decimal"),
}


@dataclass(frozen=True)
class Limits:
    """What one parse may use: CPU seconds, extra memory (MB) and wall-clock seconds."""

    cpu_seconds: int = 30
    memory_mb: int = 1024
    timeout_seconds: float = 60.0

    @classmethod
    def from_settings(cls) -> Limits:
        """The limits in Django's settings when they are configured, else the defaults.

        Read lazily so that the importer stays usable (and testable) without Django.
        """
        try:
            from django.conf import settings
        except ImportError:  # pragma: no cover - Django is always installed here
            return cls()
        if not settings.configured:
            return cls()
        default = cls()
        return cls(
            cpu_seconds=int(
                getattr(settings, "IMPORT_PARSE_CPU_SECONDS", default.cpu_seconds)
            ),
            memory_mb=int(
                getattr(settings, "IMPORT_PARSE_MEMORY_MB", default.memory_mb)
            ),
            timeout_seconds=float(
                getattr(
                    settings, "IMPORT_PARSE_TIMEOUT_SECONDS", default.timeout_seconds
                )
            ),
        )


def parse_isolated(
    data: bytes, name: str, *, max_bytes: int, limits: Limits | None = None
) -> ParsedReport:
    """pipeline.parse_bytes in a limited child process; ImportRefused as in-process."""
    from reports.importing.pipeline import parse_bytes

    return run_isolated(
        parse_bytes, data, name, name=name, limits=limits, max_bytes=max_bytes
    )


def run_isolated(
    func: Callable[..., T],
    *args: Any,
    name: str,
    limits: Limits | None = None,
    **kwargs: Any,
) -> T:
    """`func(*args, **kwargs)` in a forked child under `limits`; its result or refusal.

    `func` must return ParsedReport objects (alone or in lists, tuples and dicts) and may
    raise ImportRefused. Anything else the child raises is logged with its traceback and
    becomes a corrupt_file refusal: one hostile document must not stop a batch.
    """
    limits = limits or Limits.from_settings()
    read_fd, write_fd = os.pipe()
    deadline = time.monotonic() + limits.timeout_seconds
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; coverage cannot follow it
        os.close(read_fd)
        _child(write_fd, limits, deadline, func, args, kwargs)
    os.close(write_fd)
    payload, status, timed_out = _collect(pid, read_fd, deadline)
    label = Path(name).name
    if timed_out:
        raise _limit_refusal(label, f"耗时超过 {limits.timeout_seconds:g} 秒")
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number in (signal.SIGXCPU, signal.SIGKILL):
            # SIGKILL: the hard CPU limit (soft + 2 s) when SIGXCPU was not enough.
            raise _limit_refusal(label, f"CPU 时间超过 {limits.cpu_seconds} 秒")
        logger.error("解析进程被信号 %s 终止：%s", number, label)
        raise ImportRefused(
            errors.CORRUPT_FILE,
            f"解析“{label}”的进程异常终止（信号 {number}），文件可能已损坏或含恶意结构",
        )
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1
    if code == _EXIT_MEMORY or (code != 0 and not payload):
        if code == _EXIT_MEMORY:
            raise _limit_refusal(label, f"内存超过 {limits.memory_mb} MB")
        logger.error("解析进程异常退出（状态 %s）：%s", code, label)
        raise ImportRefused(
            errors.CORRUPT_FILE, f"解析“{label}”的进程异常退出（状态 {code}）"
        )
    try:
        outcome = _RestrictedUnpickler(io.BytesIO(payload)).load()
    except Exception as exc:
        logger.error("解析进程的结果无法读取：%s：%s", label, exc)
        raise ImportRefused(
            errors.CORRUPT_FILE, f"解析“{label}”的进程返回了无法读取的结果"
        ) from exc
    kind = outcome[0]
    if kind == "ok":
        result: T = outcome[1]  # what func returned, back through pickle
        return result
    if kind == "refused":
        raise ImportRefused(outcome[1], outcome[2])
    if kind == "memory":
        raise _limit_refusal(label, f"内存超过 {limits.memory_mb} MB")
    logger.error("解析“%s”时程序出错：\n%s", label, outcome[1])
    raise ImportRefused(
        errors.CORRUPT_FILE,
        f"解析“{label}”时程序出错（{outcome[2]}），文件可能已损坏；详情已记入日志",
    )


def time_left() -> float | None:
    """Seconds before this sandboxed child is killed; None outside a sandboxed child.

    A step that starts a program of its own (intake/convert.py: LibreOffice) stops it
    before then, so that nothing it started outlives the child.
    """
    if _deadline is None:
        return None
    return _deadline - time.monotonic()


def _limit_refusal(label: str, which: str) -> ImportRefused:
    return ImportRefused(
        errors.RESOURCE_LIMIT,
        f"解析“{label}”时{which}，已中止；文件可能含有恶意构造（如压缩炸弹或巨大的页面树），"
        "或过于复杂，请检查后重新导出再导入",
    )


def _collect(pid: int, read_fd: int, deadline: float) -> tuple[bytes, int, bool]:
    """Read the child's result until EOF or the deadline; then reap it (killing if late)."""
    chunks: list[bytes] = []
    timed_out = False
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([read_fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_fd)
    if timed_out:
        _kill(pid)
        return b"", os.waitpid(pid, 0)[1], True
    # End of file: the child closed its end by exiting (it never closes it otherwise).
    return b"".join(chunks), os.waitpid(pid, 0)[1], False


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _child(  # pragma: no cover - runs only in the forked child
    write_fd: int,
    limits: Limits,
    deadline: float,
    func: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    """Apply the limits, run the parse, write the pickled outcome, and leave at once."""
    global _deadline
    _deadline = deadline
    status = 0
    try:
        _apply_limits(limits)
        try:
            outcome: tuple[Any, ...] = ("ok", func(*args, **kwargs))
        except ImportRefused as exc:
            # The PDF extractor turns any exception, MemoryError included, into a refusal.
            if _caused_by_memory(exc):
                outcome = ("memory",)
            else:
                outcome = ("refused", exc.code, exc.message)
        except MemoryError:
            outcome = ("memory",)
        except Exception as exc:
            refused = _refusal_in_chain(exc)
            if _caused_by_memory(exc):
                outcome = ("memory",)
            elif refused is not None:
                # A parser failed again while cleaning up after its own refusal (pdfplumber
                # re-reads a broken page tree on close): the refusal is the answer.
                logger.warning("解析出错（已按拒绝处理）：\n%s", traceback.format_exc())
                outcome = ("refused", refused.code, refused.message)
            else:
                outcome = ("error", traceback.format_exc(), type(exc).__name__)
        payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(payload)
        while view:
            view = view[os.write(write_fd, view) :]
    except MemoryError:
        status = _EXIT_MEMORY
    except BaseException:
        status = _EXIT_CRASH
    finally:
        # Never return into the parent's code (test runner, web worker): leave here.
        os._exit(status)


def _apply_limits(limits: Limits) -> None:  # pragma: no cover - child only
    signal.signal(signal.SIGXCPU, signal.SIG_DFL)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # Soft limit: SIGXCPU; the hard limit two seconds later is SIGKILL, in case it is caught.
    cpu = max(1, int(limits.cpu_seconds))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))
    # The child starts as a copy of the parent, whose address space may already be large
    # (a web worker, a test runner): the limit is what the parse may add to it.
    extra = max(64, int(limits.memory_mb)) * _MIB
    resource.setrlimit(resource.RLIMIT_AS, (_address_space() + extra,) * 2)


def _address_space() -> int:  # pragma: no cover - child only
    """The process's current virtual size in bytes (0 where /proc is unavailable)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and those it was raised from or during (bounded: chains can loop)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 20:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _caused_by_memory(exc: BaseException) -> bool:
    return any(isinstance(e, MemoryError) for e in _chain(exc))


def _refusal_in_chain(exc: BaseException) -> ImportRefused | None:
    return next((e for e in _chain(exc) if isinstance(e, ImportRefused)), None)


class _RestrictedUnpickler(pickle.Unpickler):
    """Builds only the parse result's own classes; anything else is an error."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED_CLASSES:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"不允许的类型：{module}.{name}")

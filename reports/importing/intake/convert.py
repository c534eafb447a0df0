"""Legacy and WPS office files to DOCX/XLSX with LibreOffice, so the usual extractors read them.

Agencies publish Word/Excel 97-2003 (.doc/.xls), WPS (.wps/.et, the same formats), RTF and
OpenDocument (.odt/.ods). Each is converted by LibreOffice in headless mode:

- in a private temporary directory holding the input (under a name of ours, never the
  uploaded one), the output and a fresh LibreOffice profile, so that conversions running
  at once never share a profile or a lock, and all of it is removed afterwards;
- with its own limits: wall-clock (`IMPORT_CONVERT_TIMEOUT_SECONDS`, and always before the
  sandbox's own deadline, sandbox.time_left), address space (`IMPORT_CONVERT_MEMORY_MB`,
  set on LibreOffice itself: it needs far more than a parse and is a separate process, so
  the parse's RLIMIT_AS does not describe it) and CPU time; on timeout its whole process
  group (the oosplash launcher and soffice.bin) is killed;
- with macros off: the profile is written before LibreOffice starts, with macro execution
  disabled, the macro security level at "very high" (only trusted locations, of which the
  profile has none) and VBA neither loaded nor made executable by the Word and Excel
  filters. Headless conversion runs no document macros by default; these settings keep it
  so whatever LibreOffice's defaults become, and the converted DOCX/XLSX holds no macros.

Where LibreOffice is absent the file is refused (unsupported_format) with what to install.
"""

from __future__ import annotations

import logging
import os
import resource
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reports.core.parsed import kind_label
from reports.importing import errors
from reports.importing.errors import ImportRefused
from reports.importing.intake import sandbox

logger = logging.getLogger(__name__)

# The input's file name inside the private directory: LibreOffice chooses its import
# filter partly by the suffix, and a Kingsoft .wps must not be taken for Microsoft Works.
_SOURCE_SUFFIX = {
    "doc": ".doc",
    "wps": ".doc",
    "rtf": ".rtf",
    "odt": ".odt",
    "xls": ".xls",
    "et": ".xls",
    "ods": ".ods",
}
_TARGET_FILTER = {
    "docx": "docx:MS Word 2007 XML",
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
}
# Seconds kept back from the sandbox's deadline: LibreOffice is stopped before the sandbox
# stops the parse, and the converted file still has to be read.
_SANDBOX_MARGIN = 3.0
_MIN_SECONDS = 2.0
_MIB = 1024 * 1024
_INSTALL_HINT = (
    "请在服务器上安装 LibreOffice（Debian/Ubuntu：apt-get install "
    "libreoffice-writer-nogui libreoffice-calc-nogui），或将文件另存为 .docx、.xlsx 或 "
    "PDF 后再导入"
)
_NO_MACROS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Filter/Import/VBA">\
<prop oor:name="Load" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Filter/Import/VBA">\
<prop oor:name="Executable" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Filter/Import/VBA">\
<prop oor:name="Load" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Filter/Import/VBA">\
<prop oor:name="Executable" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


@dataclass(frozen=True)
class ConvertSettings:
    """The LibreOffice program, and what one conversion may use (seconds, MB)."""

    program: str = "soffice"
    timeout_seconds: float = 40.0
    memory_mb: int = 2048

    @classmethod
    def from_settings(cls) -> ConvertSettings:
        """Django's IMPORT_SOFFICE and IMPORT_CONVERT_* when configured, else the defaults."""
        from django.conf import settings

        default = cls()
        if not settings.configured:
            return default
        return cls(
            program=str(getattr(settings, "IMPORT_SOFFICE", default.program)),
            timeout_seconds=float(
                getattr(
                    settings, "IMPORT_CONVERT_TIMEOUT_SECONDS", default.timeout_seconds
                )
            ),
            memory_mb=int(
                getattr(settings, "IMPORT_CONVERT_MEMORY_MB", default.memory_mb)
            ),
        )


def convert(
    data: bytes,
    kind: str,
    target: str,
    *,
    name: str,
    encrypted: bool = False,
    settings: ConvertSettings | None = None,
) -> bytes:
    """The DOCX or XLSX (`target`) LibreOffice makes of `data`, a document of `kind`.

    `encrypted` (a workbook with a FILEPASS record) turns a failed conversion into the
    encrypted_file refusal rather than corrupt_file.
    """
    settings = settings or ConvertSettings.from_settings()
    label = Path(name).name
    program = shutil.which(settings.program)
    if program is None:
        raise ImportRefused(
            errors.UNSUPPORTED_FORMAT,
            f"“{label}”是{kind_label(kind)}，读取它需要 LibreOffice，"
            f"但本机没有找到（{settings.program}）；{_INSTALL_HINT}",
        )
    timeout = _timeout(settings.timeout_seconds, label)
    with tempfile.TemporaryDirectory(
        prefix="report-convert-", ignore_cleanup_errors=True
    ) as tmp:
        folder = Path(tmp)
        source = folder / "in" / f"source{_SOURCE_SUFFIX[kind]}"
        source.parent.mkdir()
        source.write_bytes(data)
        profile = folder / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_NO_MACROS, "utf-8")
        out = folder / "out"
        command = [
            program,
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--nodefault",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            _TARGET_FILTER[target],
            "--outdir",
            str(out),
            str(source),
        ]
        returncode, stderr = _run(command, folder, timeout, settings.memory_mb, label)
        result = out / f"source.{target}"
        if result.is_file() and result.stat().st_size > 0:
            return result.read_bytes()
    if encrypted:
        raise ImportRefused(
            errors.ENCRYPTED_FILE,
            f"“{label}”设有打开密码，LibreOffice 无法打开；"
            "请在 Excel 或 WPS 中取消密码后另存，再导入",
        )
    # LibreOffice says why in English ("source file could not be loaded"): for the log.
    logger.warning(
        "LibreOffice 未能转换“%s”（退出状态 %s）：%s", label, returncode, stderr[-2000:]
    )
    raise ImportRefused(
        errors.CORRUPT_FILE,
        f"“{label}”是{kind_label(kind)}，但 LibreOffice 无法打开它"
        f"（退出状态 {returncode}），文件可能已损坏或设有打开密码",
    )


def _timeout(configured: float, label: str) -> float:
    """The configured limit, cut to end before the sandbox stops this process."""
    left = sandbox.time_left()
    timeout = configured if left is None else min(configured, left - _SANDBOX_MARGIN)
    if timeout < _MIN_SECONDS:
        raise ImportRefused(
            errors.RESOURCE_LIMIT,
            f"解析“{label}”的时限已所剩无几，来不及用 LibreOffice 转换；"
            "请调高 IMPORT_PARSE_TIMEOUT_SECONDS 后再导入",
        )
    return timeout


def _run(
    command: list[str], folder: Path, timeout: float, memory_mb: int, label: str
) -> tuple[int, str]:
    """Run LibreOffice in a process group of its own; kill the group when it is late."""
    env = dict(os.environ)
    # Its temporary files go into the private directory and are removed with it.
    env.update(TMPDIR=str(folder), TMP=str(folder), TEMP=str(folder))
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=folder,
        env=env,
        process_group=0,
        preexec_fn=_limiter(memory_mb * _MIB, int(timeout) + 1),
    )
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process.pid)
        process.communicate()
        raise ImportRefused(
            errors.RESOURCE_LIMIT,
            f"用 LibreOffice 转换“{label}”超过 {timeout:.0f} 秒，已中止；"
            "文件可能过于复杂或含有恶意构造",
        ) from None
    except BaseException:
        _kill_group(process.pid)
        process.communicate()
        raise
    if process.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise ImportRefused(
            errors.RESOURCE_LIMIT,
            f"用 LibreOffice 转换“{label}”时 CPU 时间超限，已中止",
        )
    return process.returncode, stderr.decode("utf-8", "replace")


def _limiter(memory: int, cpu_seconds: int) -> Callable[[], None]:
    """LibreOffice's own address-space and CPU limits, set between fork and exec."""

    def apply() -> None:
        _lower(resource.RLIMIT_AS, memory, memory)
        # Soft: SIGXCPU; the hard limit two seconds later is SIGKILL.
        _lower(resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + 2)
        _lower(resource.RLIMIT_CORE, 0, 0)

    return apply


def _lower(which: int, soft: int, hard: int) -> None:
    """Set a limit, never above the inherited hard one (in the sandbox, the parse child's:
    a process may not raise its hard limit)."""
    _, inherited = resource.getrlimit(which)
    if inherited != resource.RLIM_INFINITY:
        soft, hard = min(soft, inherited), min(hard, inherited)
    resource.setrlimit(which, (soft, hard))


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass

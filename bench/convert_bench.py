"""What a Word/Excel 97-2003 file costs to import: LibreOffice's conversion plus the parse.

    python bench/convert_bench.py [--documents N] [--repeat R] [--corpus DIR]

The .doc files are the corpus's generated DOCX reports saved by LibreOffice; the .xls files
are the system's fill-in template, pre-filled from corpus truth files (as agencies send
it back from WPS or Excel 2003), saved by LibreOffice. Each is parsed as an upload is, in
the sandbox's child process under the settings' limits (`sandbox.parse_isolated`), where
the conversion runs with a private LibreOffice profile. Printed: seconds per .doc and per
.xls (best of R, against the DOCX/XLSX they came from), and N documents (half .doc, half
.xls) parsed one at a time and two at a time in two processes, as `import_reports
--workers 2` does. Skips cleanly, saying why, without the corpus or LibreOffice.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from reports import schema  # noqa: E402
from reports.exporting import template_xlsx  # noqa: E402
from reports.importing.intake import sandbox  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
DOCX = ("generated/report_full.docx", "generated/report_10pages.docx")
TRUTHS = ("real/hzq2023_working.pdf.truth.json", "generated/report_full.pdf.truth.json")


def _template_from_truth(path: Path) -> bytes:
    """The fill-in template of the truth's year, pre-filled with its agency and cells."""
    truth = json.loads(path.read_text("utf-8"))
    cells = {}
    for table in schema.TABLE_KEYS:
        for row, columns in truth.get(table, {}).items():
            for column, value in columns.items():
                number = Decimal(str(value)) if value is not None else None
                if number is not None and number == number.to_integral_value():
                    number = int(number)
                raw = "" if value is None else str(value)
                cells[schema.cell_path(table, row, column)] = (number, raw)
    prefill = template_xlsx.Prefill(agency=truth["agency"], cells=cells)
    return template_xlsx.build_template(truth["year"], prefill=prefill)


def _soffice(soffice: str, profile: Path, suffix: str, files: list[Path]) -> None:
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            suffix,
            "--outdir",
            str(files[0].parent),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )


def make_files(corpus: Path, folder: Path, soffice: str) -> dict[str, list[Path]]:
    """{"docx": [...], "doc": [...], "xlsx": [...], "xls": [...]}, pairwise alike."""
    docx = []
    for name in DOCX:
        docx.append(folder / Path(name).name)
        shutil.copyfile(corpus / name, docx[-1])
    xlsx = []
    for name in TRUTHS:
        xlsx.append(folder / f"template_{Path(name).name.split('.')[0]}.xlsx")
        xlsx[-1].write_bytes(_template_from_truth(corpus / name))
    profile = folder / "profile"
    _soffice(soffice, profile, "doc", docx)
    _soffice(soffice, profile, "xls", xlsx)
    return {
        "docx": docx,
        "doc": [p.with_suffix(".doc") for p in docx],
        "xlsx": xlsx,
        "xls": [p.with_suffix(".xls") for p in xlsx],
    }


def parse_one(path: str) -> float:
    """Seconds to parse one file as an upload is (in the sandbox); refusals raise."""
    data = Path(path).read_bytes()
    started = time.perf_counter()
    sandbox.parse_isolated(data, Path(path).name, max_bytes=settings.IMPORT_MAX_BYTES)
    return time.perf_counter() - started


def best_of(repeat: int, path: Path) -> float:
    return min(parse_one(str(path)) for _ in range(repeat))


def batch(paths: list[Path], workers: int) -> float:
    started = time.perf_counter()
    if workers == 1:
        for path in paths:
            parse_one(str(path))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(parse_one, map(str, paths)))
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20, help="batch size")
    parser.add_argument("--repeat", type=int, default=3, help="runs per file (best)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"skipped: corpus folder {args.corpus} is absent")
        return 0
    soffice = shutil.which(settings.IMPORT_SOFFICE)
    if soffice is None:
        print(f"skipped: LibreOffice ({settings.IMPORT_SOFFICE}) is not installed")
        return 0
    with tempfile.TemporaryDirectory(prefix="convert-bench-") as tmp:
        files = make_files(args.corpus, Path(tmp), soffice)
        print(f"{'file':40} {'seconds':>8}   (best of {args.repeat}, in the sandbox)")
        per_kind: dict[str, list[float]] = {}
        for kind in ("docx", "doc", "xlsx", "xls"):
            for path in files[kind]:
                seconds = best_of(args.repeat, path)
                per_kind.setdefault(kind, []).append(seconds)
                print(f"{path.name:40} {seconds:8.2f}")
        legacy = files["doc"] + files["xls"]
        paths = [legacy[i % len(legacy)] for i in range(args.documents)]
        one = batch(paths, 1)
        two = batch(paths, 2)
    n = len(paths)
    print(
        f"\n{n} documents (.doc and .xls): 1 worker {one:.1f} s "
        f"({one / n:.2f} s each), 2 workers {two:.1f} s ({two / n:.2f} s each), "
        f"{one / two:.2f}x"
    )
    result = {
        "documents": n,
        "repeat": args.repeat,
        **{
            f"{kind}_s": round(statistics.median(times), 2)
            for kind, times in per_kind.items()
        },
        "batch_1_worker_s": round(one, 1),
        "batch_2_workers_s": round(two, 1),
        "speedup": round(one / two, 2),
        "parse_timeout_s": settings.IMPORT_PARSE_TIMEOUT_SECONDS,
        "convert_timeout_s": settings.IMPORT_CONVERT_TIMEOUT_SECONDS,
    }
    print("RESULT " + json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

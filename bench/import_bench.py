"""Time `import_reports` on N documents with 1 and with 2 workers, on a throwaway database.

    python bench/import_bench.py [--documents N] [--pdf-only] [--corpus DIR]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reports python bench/import_bench.py

The documents are the corpus's PDFs, DOCX and text files (`--pdf-only`: its PDFs alone, as
in the target "1,000 PDFs in 5 minutes with 2 workers"), copied round-robin until there are
N of them, each copy given distinct bytes (a PDF or text comment, a zip comment) so that no
copy is skipped as a duplicate (sha256) and every one is parsed and saved as a new revision.
The copies are written once to a temporary folder and reused by both runs (1,000 PDFs take
about 200 MB). A test database is created and destroyed around the run, so the configured
database is never touched. Prints the wall time of each run and the speed-up; skips
cleanly, saying why, without the corpus.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import get_runner  # noqa: E402

from agencies.models import Region  # noqa: E402
from agencies.services import agency_upsert, region_upsert  # noqa: E402
from reports.models import AnnualReport  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
SUFFIXES = frozenset({".pdf", ".docx", ".txt"})
AGENCIES = {
    "示例县卫生健康局": (),
    "洪泽区人民政府": ("淮安市洪泽区人民政府",),
    "汉阴县卫生健康局": (),
    "夏县卫生健康局": (),
    "临渭区卫生健康局": (),
    "屈原管理区卫生健康局": (),
    "湘乡市卫生健康局": (),
}


def build_documents(
    corpus: Path, count: int, target: Path, *, suffixes: frozenset[str] = SUFFIXES
) -> list[Path]:
    """`count` importable documents, each with different bytes (so none is skipped)."""
    sources = sorted(
        p for p in corpus.rglob("*") if p.suffix in suffixes and "scanned" not in p.name
    )
    if not sources:
        raise SystemExit(f"no {', '.join(sorted(suffixes))} documents under {corpus}")
    paths = []
    for index in range(count):
        source = sources[index % len(sources)]
        data = source.read_bytes()
        if source.suffix == ".docx":
            data = _with_zip_comment(data, f"bench copy {index}".encode())
        elif source.suffix == ".pdf":
            data += f"\n%bench copy {index}\n".encode()
        else:
            data += f"\n\n（副本 {index}）\n".encode()
        path = target / f"{index:05d}_{source.name}"
        path.write_bytes(data)
        paths.append(path)
    return paths


def _with_zip_comment(data: bytes, comment: bytes) -> bytes:
    """The same DOCX with a different archive comment: other bytes, same document."""
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.comment = comment
    return buffer.getvalue()


def run(paths: list[Path], workers: int) -> float:
    AnnualReport.objects.all().delete()
    started = time.perf_counter()
    call_command(
        "import_reports",
        *map(str, paths),
        workers=workers,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument(
        "--pdf-only", action="store_true", help="the corpus's PDFs only (no DOCX, text)"
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: corpus folder {args.corpus} is absent")
        return 0
    runner = get_runner(django.conf.settings)(verbosity=0, interactive=False)
    old_config = runner.setup_databases()
    workdir = Path(tempfile.mkdtemp(prefix="import-bench-"))
    try:
        province = region_upsert(
            code="990000", name="基准省", level=Region.Level.PROVINCE, parent=None
        )
        for name, aliases in AGENCIES.items():
            agency_upsert(
                name=name, region=province, kind="department", aliases=aliases
            )
        suffixes = frozenset({".pdf"}) if args.pdf_only else SUFFIXES
        paths = build_documents(args.corpus, args.documents, workdir, suffixes=suffixes)
        engine = connection.vendor
        one = run(paths, 1)
        saved = AnnualReport.objects.count()
        two = run(paths, 2)
        print(
            f"database: {engine}; documents: {len(paths)}; reports saved per run: {saved}"
        )
        print(f"workers=1: {one:.1f} s ({one / len(paths) * 1000:.0f} ms per document)")
        print(f"workers=2: {two:.1f} s ({two / len(paths) * 1000:.0f} ms per document)")
        print(f"speed-up: {one / two:.2f}x (target: close to 2x on 2 cores)")
        result = {
            "documents": len(paths),
            "kinds": sorted(suffix.lstrip(".") for suffix in suffixes),
            "reports_saved": saved,
            "import_1_worker_s": round(one, 1),
            "import_2_workers_s": round(two, 1),
            "import_speedup": round(one / two, 2),
        }
        print("RESULT " + json.dumps(result))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        runner.teardown_databases(old_config)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

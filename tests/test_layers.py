"""No module imports from a layer above its own (docs/architecture.md, "The layers").

Every import of the project's code is read from the source with `ast` (imports inside
functions and under TYPE_CHECKING count too) and checked against LAYERS, the one place
the order is written. A module may import its own layer and the layers below it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("agencies", "config", "reports")

# Bottom first. A name covers the module and everything below it; the longest name that
# matches a module decides its layer.
LAYERS: tuple[tuple[str, ...], ...] = (
    # Reference data: the form's keys and labels.
    ("reports.schema",),
    # Plain data and pure checks: cells and tables, issues, the identities.
    ("reports.core",),
    # The registry of regions and agencies, and who may see what.
    ("agencies",),
    ("reports.models",),
    # Services and selectors over the models that the importer and the audit use.
    (
        "reports.cell_values",
        "reports.editing",
        "reports.history",
        "reports.paging",
        "reports.paper_form",
        "reports.revision_state",
        "reports.selectors",
        "reports.services",
        "reports.template_layout",
        "reports.totals",
    ),
    ("reports.importing",),
    ("reports.audit",),
    # The review workflow: approving runs the audit, accepting hands findings over.
    ("reports.approval", "reports.workflow"),
    ("reports.exporting",),
    # What people and schedules use: pages, commands, generated data, settings.
    (
        "config",
        "reports",  # the package itself and apps.py
        "reports.admin",
        "reports.fixtures",
        "reports.forms",
        "reports.management",
        "reports.overview",
        "reports.resources",
        "reports.templatetags",
    ),
)

# Upward imports another change removes; each entry must still be there (a stale one fails).
KNOWN: frozenset[tuple[str, str]] = frozenset(
    {
        # One conversion from stored report to cells (issue #17, item 2) replaces it.
        ("reports.audit.facts", "reports.exporting.json"),
    }
)


def layer_of(module: str) -> int | None:
    """The index of the module's layer in LAYERS, or None when no name covers it."""
    best: tuple[int, int] | None = None  # (length of the matching name, layer)
    for index, names in enumerate(LAYERS):
        for name in names:
            if module == name or module.startswith(name + "."):
                if best is None or len(name) > best[0]:
                    best = (len(name), index)
    return best[1] if best else None


def project_modules() -> Iterator[tuple[str, Path]]:
    """Every application module (migrations excluded: they are history, not layers)."""
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(REPO).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            yield ".".join(parts), path


def imported(module: str, path: Path) -> Iterator[str]:
    """The project modules (or names in them) that `module` imports."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join(anchor + ([base] if base else []))
            names = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        yield from (n for n in names if n.split(".")[0] in PACKAGES)


def upward_imports() -> set[tuple[str, str]]:
    found = set()
    for module, path in project_modules():
        own = layer_of(module)
        for target in imported(module, path):
            # `from reports import schema` names reports.schema: judge the longest match.
            theirs = layer_of(target)
            if own is not None and theirs is not None and theirs > own:
                found.add((module, _strip_name(target)))
    return found


def _strip_name(target: str) -> str:
    """`reports.exporting.json.report_to_parsed` -> the module `reports.exporting.json`."""
    parts = target.split(".")
    while parts and not _is_module(parts):
        parts.pop()
    return ".".join(parts) or target


def _is_module(parts: list[str]) -> bool:
    path = REPO.joinpath(*parts)
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def test_every_module_has_a_layer() -> None:
    missing = [m for m, _ in project_modules() if layer_of(m) is None]
    assert not missing, f"modules with no layer in LAYERS: {missing}"


def test_no_module_imports_a_layer_above_its_own() -> None:
    upward = upward_imports() - KNOWN
    assert not upward, "upward imports:\n" + "\n".join(
        f"  {m} -> {t}" for m, t in sorted(upward)
    )


def test_known_upward_imports_are_still_there() -> None:
    stale = KNOWN - upward_imports()
    assert not stale, f"gone, remove from KNOWN: {sorted(stale)}"


def test_core_imports_nothing_of_the_project_but_schema() -> None:
    for module, path in project_modules():
        if layer_of(module) == layer_of("reports.core"):
            outside = {
                t
                for t in imported(module, path)
                if not t.startswith(("reports.core", "reports.schema"))
            }
            assert not outside, f"{module} imports {outside}"


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("reports.schema", 0),
        ("reports.core.parsed", 1),
        ("agencies.admin.filters", 2),
        ("reports.importing.mapping.identity_warnings", 5),
        ("reports.admin.reports", len(LAYERS) - 1),
    ],
)
def test_layer_of_takes_the_longest_name(module: str, layer: int) -> None:
    assert layer_of(module) == layer


def test_an_upward_import_is_found(tmp_path: Path) -> None:
    source = tmp_path / "identities.py"
    source.write_text(
        "from reports.audit.base import Issue\nfrom . import tables\n", encoding="utf-8"
    )
    names = set(imported("reports.importing.mapping.identity_warnings", source))
    assert names == {"reports.audit.base.Issue", "reports.importing.mapping.tables"}
    assert layer_of("reports.audit.base") > layer_of("reports.importing.mapping")

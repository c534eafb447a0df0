"""Every audit rule, one function each, registered with `@rule(id, severity, title)`.

Importing this package imports each rule module (in the order the rules run and are listed),
so the catalogue below is complete. A new rule is one decorated function in the module of its
kind; a new kind of rule is a new module added to MODULES.
"""

from __future__ import annotations

from importlib import import_module

from reports.audit.registry import (
    CATALOGUE,
    Rule,
    rule_label,
    rule_title,
    run_report_rules,
    run_scope_rules,
    scope_rule_ids,
)

# The rule modules, imported (and so registered) in this order: the order rules run in.
MODULES = tuple(
    import_module(f"{__name__}.{name}")
    for name in (
        "arithmetic",
        "cross_year",
        "form_layout",
        "narrative_figures",
        "publication",
        "fees",
        "plausibility",
        "copying",
    )
)

__all__ = [
    "CATALOGUE",
    "MODULES",
    "Rule",
    "rule_label",
    "rule_title",
    "run_report_rules",
    "run_scope_rules",
    "scope_rule_ids",
]

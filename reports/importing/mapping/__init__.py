"""Rows of cells -> ParsedReport: labels, columns, layout, values, metadata (spec §2–6)."""

from reports.importing.mapping.report import map_grid

__all__ = ["map_grid"]

"""The ruling edges a PDF page's tables are made of, without the frames drawn around them.

A browser's "Save as PDF" paints the page background and an article's box as rectangles
around everything on the page, and draws every border as a thin filled rectangle.
pdfplumber reads a rectangle's sides as ruling lines, so a background and a box make a
page-sized "table" that swallows the real tables and the headings between them.

A frame's side is told from a table's rule by what holds on to it. A candidate side (of a
rectangle at least half the page wide and a fifth of it high, or a thin rectangle that
long: one side of a box) is kept when
- another line ends on it or crosses it where no parallel line of its own covers that
  point (a table cut by the page break ends on the background's top or bottom side; a
  table as wide as the background brings its own borders, which cover its row lines),
- another candidate crosses it (the long rules of a table drawn with long rules), or
- a kept candidate ends on it away from its corners (that table's outer rules);
frames only meet each other at their corners or along their sides, so they are dropped.
Pages without candidates keep pdfplumber's own edge finding, unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pdfplumber.page import Page

Edge = dict[str, Any]
_TOL = 3.0  # points: pdfplumber's default snap and intersection tolerance
_MIN_WIDTH = 0.5  # share of the page width a frame spans at least
_MIN_HEIGHT = 0.2  # share of the page height a frame spans at least
_PREFILTER = 1.0  # pdfplumber's edge_min_length_prefilter


@dataclass
class _Side:
    """One side of a candidate: a line at `at` from `start` to `end`, and its edges."""

    rect: int
    vertical: bool
    at: float
    start: float
    end: float
    edges: list[Edge] = field(default_factory=list)

    def meets(self, other: _Side, *, cross: bool) -> bool:
        """`other` (perpendicular) ends on or crosses this side away from its corners;
        with `cross`, it must pass through this side, not stop on it."""
        if other.vertical == self.vertical or other.rect == self.rect:
            return False
        if not self.start + _TOL < other.at < self.end - _TOL:
            return False
        if cross:
            return other.start + _TOL < self.at < other.end - _TOL
        return other.start - _TOL <= self.at <= other.end + _TOL


def table_settings(page: Page) -> dict[str, Any] | None:
    """Explicit pdfplumber table settings without frame sides; None: the page has none."""
    rects = page.rects
    candidates = [
        i for i, r in enumerate(rects) if _is_candidate(r, page.width, page.height)
    ]
    if not candidates:
        return None
    sides_of = page.rect_edges  # four per rectangle, in the order of page.rects
    sides = [s for i in candidates for s in _sides(i, rects[i], sides_of)]
    taken = {id(e) for s in sides for e in s.edges}
    edges = [e for e in page.edges if _length(e) >= _PREFILTER]
    others = [e for e in edges if id(e) not in taken]
    kept = [
        _held(s, others) or any(s.meets(t, cross=True) for t in sides) for s in sides
    ]
    changed = True
    while changed:
        changed = False
        for i, side in enumerate(sides):
            if not kept[i] and any(
                kept[j] and side.meets(t, cross=False) for j, t in enumerate(sides)
            ):
                kept[i] = changed = True
    dropped = {
        id(e) for s, keep in zip(sides, kept, strict=True) if not keep for e in s.edges
    }
    if not dropped:
        return None
    rulings = [e for e in edges if id(e) not in dropped]
    return {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": [e for e in rulings if e["orientation"] == "v"],
        "explicit_horizontal_lines": [e for e in rulings if e["orientation"] == "h"],
    }


def has_rulings(settings: dict[str, Any]) -> bool:
    """pdfplumber needs two lines each way to look for a table at all."""
    return (
        len(settings["explicit_vertical_lines"]) >= 2
        and len(settings["explicit_horizontal_lines"]) >= 2
    )


def _is_candidate(rect: Edge, width: float, height: float) -> bool:
    w: float = rect["x1"] - rect["x0"]
    h: float = rect["bottom"] - rect["top"]
    wide, tall = w >= width * _MIN_WIDTH, h >= height * _MIN_HEIGHT
    if w <= _TOL:
        return tall  # the left or right side of a box
    if h <= _TOL:
        return wide  # the top or bottom side of a box
    return wide and tall


def _sides(index: int, rect: Edge, sides_of: list[Edge]) -> list[_Side]:
    """A thin rectangle is one side (its middle line); a large one has four."""
    own = sides_of[4 * index : 4 * index + 4]
    x0, top, x1, bottom = rect["x0"], rect["top"], rect["x1"], rect["bottom"]
    if x1 - x0 <= _TOL:
        return [_Side(index, True, (x0 + x1) / 2, top, bottom, own)]
    if bottom - top <= _TOL:
        return [_Side(index, False, (top + bottom) / 2, x0, x1, own)]
    out = []
    for edge in own:
        if edge["orientation"] == "v":
            out.append(_Side(index, True, edge["x0"], top, bottom, [edge]))
        else:
            out.append(_Side(index, False, edge["top"], x0, x1, [edge]))
    return out


def _length(edge: Edge) -> float:
    if edge["orientation"] == "h":
        return float(edge["x1"] - edge["x0"])
    return float(edge["bottom"] - edge["top"])


def _held(side: _Side, others: list[Edge]) -> bool:
    """A non-candidate line ends on or crosses `side` where no parallel one covers it."""
    along, across = (
        ("top", "bottom"),
        ("x0", "x1"),
    )  # a vertical side's extent, position
    if not side.vertical:
        along, across = across, along
    own = "v" if side.vertical else "h"
    parallel = [
        e
        for e in others
        if e["orientation"] == own and abs(e[across[0]] - side.at) <= _TOL
    ]
    for e in others:
        if e["orientation"] == own:
            continue
        point = e[along[0]]
        if not side.start - _TOL <= point <= side.end + _TOL:
            continue
        if not e[across[0]] - _TOL <= side.at <= e[across[1]] + _TOL:
            continue
        if not any(p[along[0]] - _TOL <= point <= p[along[1]] + _TOL for p in parallel):
            return True
    return False

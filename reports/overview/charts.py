"""Small server-side SVG charts: bars, stacked bars and lines with Chinese labels.

Pure Python (no Django, no JavaScript, no CDN: government networks are often offline). Every
text is escaped; each chart carries a <title> and a <desc> for screen readers, and every bar
or point its own <title> so that hovering shows the exact figure. A missing value (None: no
data for that year) is drawn as a gap labelled 无数据, never as zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 640
HEIGHT = 280
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 40, 36
FONT = 12
# Distinguishable in colour and in greyscale print; the order is the order of the series.
PALETTE = (
    "#417690",
    "#e0a526",
    "#ba2121",
    "#7a4fa0",
    "#6b8e23",
    "#888888",
    "#2a9d8f",
)

Number = int | float


@dataclass(frozen=True)
class Series:
    """One named series of values, one per category (None: no data)."""

    label: str
    values: Sequence[Number | None]
    colour: str = ""


def nice_ticks(top: Number, count: int = 5) -> list[Number]:
    """Round tick values from 0 to at least `top` (steps of 1, 2 or 5 times 10^n)."""
    if top <= 0:
        return [0, 1]
    raw = top / max(1, count - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if step < 1:
        step = 1  # counts are whole numbers: no 0.5 ticks
    steps = math.ceil(top / step)
    return [i * step for i in range(steps + 1)]


def text_width(text: str, size: int = FONT) -> float:
    """An estimate of the drawn width: CJK characters are square, Latin ones narrower."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in text)


def format_number(value: Number | None) -> str:
    if value is None:
        return "无数据"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[Number | None],
    unit: str = "件",
    colour: str = PALETTE[0],
    urls: Sequence[str] | None = None,
) -> str:
    """One bar per category, its value written above it."""
    return stacked_bar_chart(
        chart_id=chart_id,
        title=title,
        labels=labels,
        series=[Series(title, values, colour)],
        unit=unit,
        legend=False,
        urls=urls,
    )


def stacked_bar_chart(
    *,
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str = "件",
    legend: bool = True,
    urls: Sequence[str] | None = None,
) -> str:
    """One bar per category, stacked from the series in order; the total above each bar.

    `urls` (one per category) makes each bar a link to the list behind it.
    """
    series = _coloured(series)
    totals = [_total(s.values[i] for s in series) for i in range(len(labels))]
    plot = _Plot(labels, max((t or 0) for t in totals), legend_rows=legend)
    parts = [plot.axes(unit)]
    band = plot.band
    bar = min(48.0, band * 0.6)
    for i, label in enumerate(labels):
        x = plot.x_centre(i) - bar / 2
        if totals[i] is None:
            parts.append(plot.no_data(i))
            continue
        base = 0.0
        group = []
        for s in series:
            value = s.values[i] or 0
            if value <= 0:
                continue
            y_top, y_bottom = plot.y(base + value), plot.y(base)
            tip = f"{label}　{s.label}：{format_number(value)} {unit}"
            group.append(
                f'<rect x="{x:.1f}" y="{y_top:.1f}" width="{bar:.1f}" '
                f'height="{max(0.5, y_bottom - y_top):.1f}" fill="{s.colour}">'
                f"<title>{escape(tip)}</title></rect>"
            )
            base += value
        group.append(
            f'<text x="{plot.x_centre(i):.1f}" y="{plot.y(base) - 4:.1f}" '
            f'text-anchor="middle" class="value">{format_number(totals[i])}</text>'
        )
        parts.append(_link(urls, i, "".join(group)))
    if legend:
        parts.append(_legend(series, plot.width))
    return _svg(chart_id, title, _describe(labels, series, unit), plot, parts)


def line_chart(
    *,
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str = "件",
    urls: Sequence[str] | None = None,
) -> str:
    """One line per series; a None value breaks the line (no data is not zero)."""
    series = _coloured(series)
    top = max((v or 0) for s in series for v in s.values) if series else 0
    plot = _Plot(labels, top, legend_rows=True)
    parts = [plot.axes(unit)]
    for i in range(len(labels)):
        if all(s.values[i] is None for s in series):
            parts.append(plot.no_data(i))
    for s in series:
        runs: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(s.values):
            if value is None:
                runs.append([])
                continue
            runs[-1].append((plot.x_centre(i), plot.y(value)))
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                parts.append(
                    f'<polyline points="{points}" fill="none" '
                    f'stroke="{s.colour}" stroke-width="2"/>'
                )
        for i, value in enumerate(s.values):
            if value is None:
                continue
            tip = f"{labels[i]}　{s.label}：{format_number(value)} {unit}"
            point = (
                f'<circle cx="{plot.x_centre(i):.1f}" cy="{plot.y(value):.1f}" r="4" '
                f'fill="{s.colour}"><title>{escape(tip)}</title></circle>'
            )
            parts.append(_link(urls, i, point))
    parts.append(_legend(series, plot.width))
    return _svg(chart_id, title, _describe(labels, series, unit), plot, parts)


class _Plot:
    """Geometry of the plotting area: categories along x, values up y from zero."""

    def __init__(
        self, labels: Sequence[str], top: Number, *, legend_rows: bool
    ) -> None:
        self.labels = list(labels)
        self.ticks = nice_ticks(top)
        self.width, self.height = WIDTH, HEIGHT
        self.top = TOP if legend_rows else 28
        self.bottom = self.height - BOTTOM
        self.left, self.right = LEFT, self.width - RIGHT
        self.band = (self.right - self.left) / max(1, len(self.labels))

    def x_centre(self, index: int) -> float:
        return self.left + self.band * (index + 0.5)

    def y(self, value: Number) -> float:
        span = self.ticks[-1] or 1
        return self.bottom - (self.bottom - self.top) * (value / span)

    def axes(self, unit: str) -> str:
        out = []
        for tick in self.ticks:
            y = self.y(tick)
            out.append(
                f'<line x1="{self.left}" y1="{y:.1f}" x2="{self.right}" y2="{y:.1f}" '
                f'class="grid"/><text x="{self.left - 6}" y="{y + 4:.1f}" '
                f'text-anchor="end">{format_number(tick)}</text>'
            )
        out.append(
            f'<text x="{self.left - 6}" y="{self.top - 10}" text-anchor="end" '
            f'class="unit">（{escape(unit)}）</text>'
        )
        for i, label in enumerate(self.labels):
            out.append(
                f'<text x="{self.x_centre(i):.1f}" y="{self.bottom + 18}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
        out.append(
            f'<line x1="{self.left}" y1="{self.bottom}" x2="{self.right}" '
            f'y2="{self.bottom}" class="axis"/>'
        )
        return "".join(out)

    def no_data(self, index: int) -> str:
        return (
            f'<text x="{self.x_centre(index):.1f}" y="{self.bottom - 8}" '
            f'text-anchor="middle" class="nodata">无数据</text>'
        )


def _coloured(series: Sequence[Series]) -> list[Series]:
    return [
        s if s.colour else Series(s.label, s.values, PALETTE[i % len(PALETTE)])
        for i, s in enumerate(series)
    ]


def _link(urls: Sequence[str] | None, index: int, content: str) -> str:
    """Wrap one category's marks in a link when it has a URL."""
    url = urls[index] if urls and index < len(urls) else ""
    return f'<a href="{escape(url)}">{content}</a>' if url else content


def _total(values) -> Number | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def _legend(series: Sequence[Series], width: float) -> str:
    """Swatches and labels along the top, wrapping to a second row when needed."""
    out, x, y = [], float(LEFT), 14.0
    for s in series:
        needed = 16 + text_width(s.label) + 14
        if x + needed > width - RIGHT and x > LEFT:
            x, y = float(LEFT), y + 16
        out.append(
            f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" '
            f'fill="{s.colour}"/><text x="{x + 14:.1f}" y="{y:.1f}">'
            f"{escape(s.label)}</text>"
        )
        x += needed
    return "".join(out)


def _describe(labels: Sequence[str], series: Sequence[Series], unit: str) -> str:
    """The chart's data as one sentence, for screen readers and text browsers."""
    parts = []
    for i, label in enumerate(labels):
        values = "，".join(f"{s.label} {format_number(s.values[i])}" for s in series)
        parts.append(f"{label}：{values}")
    return f"单位：{unit}。" + "；".join(parts) + "。"


def _svg(chart_id: str, title: str, desc: str, plot: _Plot, parts: list[str]) -> str:
    ident = escape(chart_id)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="overview-chart" '
        f'id="{ident}" viewBox="0 0 {plot.width} {plot.height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" '
        f'font-size="{FONT}">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>' + "".join(parts) + "</svg>"
    )

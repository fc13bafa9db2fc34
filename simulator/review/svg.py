"""Small inline SVG charts for the HTML pages: bars on a time scale, and a line over time.

Plain strings, no dependencies, every label escaped; the pages must work from file:// with no network.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from simulator.config import format_duration

COLOURS = ("#1f8fb0", "#2e9d4f", "#c99a16", "#a64ca6", "#d0603a", "#5a6fd1", "#6c8f2e", "#8a5a2b")
NONE_COLOUR = "#c8c8c8"
LABEL_WIDTH = 70.0
WIDTH = 720.0


@dataclass(frozen=True)
class Bar:
    start: float
    end: float
    colour: str
    title: str  # the tooltip


def bars(rows: Sequence[tuple[str, Sequence[Bar]]], total: float, title: str) -> str:
    """One labelled row of bars per entry, all on the same time scale from 0 to `total` seconds."""
    row_height, gap, axis = 22.0, 8.0, 20.0
    height = len(rows) * (row_height + gap) + axis
    scale = (WIDTH - LABEL_WIDTH - 24) / max(total, 1e-9)
    parts = [opening(height, title)]
    for index, (label, items) in enumerate(rows):
        y = index * (row_height + gap)
        parts.append(f'<text x="0" y="{y + row_height * 0.7:.1f}" font-size="12">{escape(label)}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y:.1f}" width="{total * scale:.1f}" height="{row_height}" '
                     f'fill="#f2f2f2"/>')
        for bar in items:
            width = max(0.5, (bar.end - bar.start) * scale)
            parts.append(f'<rect class="bar" x="{LABEL_WIDTH + bar.start * scale:.1f}" y="{y:.1f}" '
                         f'width="{width:.1f}" height="{row_height}" fill="{escape(bar.colour)}">'
                         f'<title>{escape(bar.title)}</title></rect>')
    axis_y = len(rows) * (row_height + gap) + 12
    for tick in _ticks(total):
        x = LABEL_WIDTH + tick * scale
        parts.append(f'<text x="{x:.1f}" y="{axis_y:.1f}" font-size="10" text-anchor="middle">'
                     f'{format_duration(tick)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def line_chart(points: Sequence[tuple[float, float]], title: str, y_label: str,
               x_format: Callable[[float], str] = format_duration, band: tuple[float, float] | None = None,
               x_labels: Sequence[str] | None = None, gap: float | None = None) -> str:
    """A line with dots through (x, y) points, broken where x jumps by more than `gap`; `band` shades the
    range that is fine. With `x_labels` (sessions rather than seconds) x is an index into them, so the
    axis spans every label while points are drawn only where there is a value."""
    height, left, bottom, top = 220.0, 48.0, 30.0, 12.0
    right = 24.0
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    x_min, x_max = (min(xs), max(xs)) if xs else (0.0, 1.0)
    if x_labels is not None:
        x_min, x_max = 0.0, float(len(x_labels) - 1)
    if x_max - x_min < 1e-9:
        x_min, x_max = x_min - 1, x_max + 1
    y_max = max(ys + ([band[1]] if band else []) + [1.0]) * 1.15
    plot_w, plot_h = WIDTH - left - right, height - bottom - top

    def px(x: float) -> float:
        return left + (x - x_min) / (x_max - x_min) * plot_w

    def py(y: float) -> float:
        return top + plot_h - y / y_max * plot_h

    parts = [opening(height, title)]
    if band is not None:
        parts.append(f'<rect x="{left}" y="{py(band[1]):.1f}" width="{plot_w:.1f}" '
                     f'height="{py(band[0]) - py(band[1]):.1f}" fill="#e3f3e3"><title>{band[0]:g}–{band[1]:g} '
                     f'{escape(y_label)}</title></rect>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#888"/>')
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#888"/>')
    for tick in _nice_ticks(y_max):
        parts.append(f'<text x="{left - 4}" y="{py(tick) + 3:.1f}" font-size="10" text-anchor="end">{tick:g}</text>')
    parts.append(f'<text x="4" y="{top + 8}" font-size="10">{escape(y_label)}</text>')
    runs: list[list[tuple[float, float]]] = []
    for i, (x, y) in enumerate(zip(xs, ys)):
        if not runs or (gap is not None and x - xs[i - 1] > gap):
            runs.append([])
        runs[-1].append((x, y))
    for run in runs:
        if len(run) > 1:
            path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in run)
            parts.append(f'<polyline class="line" points="{path}" fill="none" stroke="{COLOURS[0]}" '
                         'stroke-width="2"/>')
    for x, y in zip(xs, ys):
        label = x_labels[int(x)] if x_labels is not None else x_format(x)
        parts.append(f'<circle class="point" cx="{px(x):.1f}" cy="{py(y):.1f}" r="3.5" fill="{COLOURS[0]}">'
                     f'<title>{escape(label)}: {y:g} {escape(y_label)}</title></circle>')
    ticks = [(float(i), x_labels[i]) for i in _spread(len(x_labels))] if x_labels is not None else \
        [(t, x_format(t)) for t in _ticks(x_max) if t >= x_min]
    for x, label in ticks:
        anchor = "end" if px(x) > WIDTH - 40 else "start" if px(x) < left + 20 else "middle"
        parts.append(f'<text x="{px(x):.1f}" y="{height - 10}" font-size="10" text-anchor="{anchor}">'
                     f'{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def opening(height: float, title: str, width: float = WIDTH) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="100%" preserveAspectRatio="xMinYMin meet" aria-label="{escape(title)}">'
            f'<title>{escape(title)}</title>')


def _ticks(total: float) -> list[float]:
    """Tick marks every 30 s, minute, 2 or 5 minutes: about six along the axis."""
    step = next((s for s in (30, 60, 120, 300, 600, 1200) if total / s <= 8), 1800)
    return [float(t) for t in range(0, int(total) + 1, step)]


def _nice_ticks(y_max: float) -> list[float]:
    step = next((s for s in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500) if y_max / s <= 6),
                1000)
    return [round(i * step, 4) for i in range(int(y_max / step) + 1)]


def _spread(count: int, most: int = 8) -> list[int]:
    """Which of `count` evenly placed points get a label: all of them, or about `most` spread out."""
    if count <= most:
        return list(range(count))
    step = -(-count // most)
    return sorted(set(range(0, count, step)) | {count - 1})

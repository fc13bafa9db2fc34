"""Where a drawing says nothing, its geometry does: the box an unbound arrow end touches, the box a loose label
sits on. Tools bind these when the candidate drops them just so; a quick sketch often is not."""

from __future__ import annotations

from collections.abc import Iterable

from simulator.diagrams.diagram import Rect

END_SNAP = 8.0  # an arrow end this close to a box's outline (in the file's units, ~px) is taken as attached to it


def box_at(point: tuple[float, float], rects: Iterable[tuple[str, Rect]], margin: float = END_SNAP) -> str | None:
    """The id of the box whose outline the point touches or lies in, the smallest first (a box drawn inside
    another is the one meant); None where none is within the margin."""
    best: tuple[float, float, str] | None = None
    for box_id, rect in rects:
        gap = rect.distance(point)
        if gap <= margin and (best is None or (rect.area(), gap, box_id) < best):
            best = (rect.area(), gap, box_id)
    return best[2] if best else None


def box_holding(rect: Rect, rects: Iterable[tuple[str, Rect]]) -> str | None:
    """The smallest box whose outline holds the centre of rect: where a loose text label sits."""
    centre = rect.center
    inside = [(r.area(), box_id) for box_id, r in rects if r.contains(centre)]
    return min(inside)[1] if inside else None

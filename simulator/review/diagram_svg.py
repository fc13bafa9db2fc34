"""The candidate's own drawing as an inline SVG, from the file's own geometry: boxes, ellipses, diamonds,
cylinders for databases, arrows with heads, zones as dashed frames. A Mermaid flowchart has no geometry, so its
boxes are laid out in layers, callers on the left. Boxes a finding is about are drawn in red with the finding
as their tooltip. Plain strings, every label escaped, no script.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from html import escape

from simulator.diagrams.diagram import Box, Diagram, Edge, Heads, Rect, Shape

PAD = 16.0
LAYER_W, LAYER_GAP, ROW_H, ROW_GAP = 140.0, 60.0, 48.0, 28.0
CHAR_W = 6.6
STROKE, FLAGGED = "#37474f", "#c62828"
HEAD = "drawing-head"


def drawing_svg(diagram: Diagram, flagged: Mapping[str, str] | None = None, title: str = "Your diagram",
                key: str = "") -> str:
    """The drawing as an SVG string, empty when it has nothing to draw. flagged: box id → the finding about it;
    key: told apart from the page's other drawings, whose arrowheads a hidden one must not borrow."""
    flagged = flagged or {}
    head = f"{HEAD}{'-' + key if key else ''}"
    rects = placed(diagram)
    own = has_geometry(diagram)  # a laid-out drawing ignores any line positions, which fit no layout of ours
    if not rects and not diagram.edges:
        return ""
    zones = {z.id: z.rect or _around([rects[m] for m in z.members if m in rects]) for z in diagram.zones}
    xs: list[float] = []
    ys: list[float] = []
    for r in [*rects.values(), *(z for z in zones.values() if z is not None)]:
        xs += [r.x, r.x + r.width]
        ys += [r.y, r.y + r.height]
    for edge in diagram.edges if own else ():
        for x, y in edge.points:
            xs.append(x)
            ys.append(y)
    if not xs:
        return ""
    left, top = min(xs) - PAD, min(ys) - PAD - 14  # room above for a zone's name
    width, height = max(xs) - left + PAD, max(ys) - top + PAD
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="drawing" role="img" '
             f'viewBox="{left:.1f} {top:.1f} {width:.1f} {height:.1f}" width="{min(width, 940):.0f}" '
             f'preserveAspectRatio="xMinYMin meet"><title>{escape(title)}</title>',
             f'<defs><marker id="{head}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" '
             f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{STROKE}"/></marker></defs>']
    for zone in diagram.zones:
        rect = zones.get(zone.id)
        if rect is not None:
            parts.append(_zone(zone.label, rect))
    for edge in diagram.edges:
        parts.append(_edge(edge, rects, own, head))
    for box in diagram.boxes:
        if box.id in rects:
            parts.append(_box(box, rects[box.id], flagged.get(box.id)))
    parts.append("</svg>")
    return "".join(parts)


def placed(diagram: Diagram) -> dict[str, Rect]:
    """Each box's rectangle: the file's own where every box has one, else a layered layout of them all."""
    if has_geometry(diagram):
        return {b.id: b.rect for b in diagram.boxes if b.rect is not None}
    return _layered([b.id for b in diagram.boxes], diagram.edges)


def has_geometry(diagram: Diagram) -> bool:
    """Whether the file placed everything itself (Excalidraw and draw.io do; Mermaid places nothing)."""
    return all(b.rect is not None for b in diagram.boxes) and (bool(diagram.boxes) or any(e.points for e in diagram.edges))


def _layered(ids: list[str], edges: Collection[Edge]) -> dict[str, Rect]:
    """Each box one layer past every box that points at it (an edge that would close a circle is left out),
    boxes of a layer stacked in the order drawn."""
    layer = {i: 0 for i in ids}
    forward: list[tuple[str, str]] = []  # the edges in the order drawn, less any that would close a circle
    for e in edges:
        if e.source in layer and e.target in layer and e.source != e.target \
                and not _reaches(forward, e.target, e.source):
            forward.append((e.source, e.target))  # type: ignore[arg-type]
    for _ in range(len(ids)):  # the longest path through a graph with no circle: at most one pass per box
        moved = False
        for source, target in forward:
            if layer[target] <= layer[source]:
                layer[target] = layer[source] + 1
                moved = True
        if not moved:
            break
    used = sorted(set(layer.values()))
    rows: dict[int, int] = {}
    out = {}
    for i in ids:
        col = used.index(layer[i])
        row = rows.get(col, 0)
        rows[col] = row + 1
        out[i] = Rect(col * (LAYER_W + LAYER_GAP), row * (ROW_H + ROW_GAP), LAYER_W, ROW_H)
    return out


def _reaches(edges: list[tuple[str, str]], start: str, goal: str) -> bool:
    seen, todo = {start}, [start]
    while todo:
        here = todo.pop()
        for source, target in edges:
            if source == here and target not in seen:
                if target == goal:
                    return True
                seen.add(target)
                todo.append(target)
    return False


def _around(rects: list[Rect]) -> Rect | None:
    if not rects:
        return None
    x1, y1 = min(r.x for r in rects) - 10, min(r.y for r in rects) - 10
    x2, y2 = max(r.x + r.width for r in rects) + 10, max(r.y + r.height for r in rects) + 10
    return Rect(x1, y1, x2 - x1, y2 - y1)


def _zone(label: str, r: Rect) -> str:
    return (f'<g class="zone"><rect x="{r.x:.1f}" y="{r.y:.1f}" width="{r.width:.1f}" height="{r.height:.1f}" '
            f'fill="none" stroke="#90a4ae" stroke-dasharray="6 4" rx="4"/>'
            f'<text x="{r.x + 4:.1f}" y="{r.y - 4:.1f}" font-size="11" fill="#607d8b">{escape(label)}</text></g>')


def _edge(edge: Edge, rects: Mapping[str, Rect], own: bool, head: str) -> str:
    points = list(edge.points) if own and len(edge.points) >= 2 else []
    a, b = rects.get(edge.source or ""), rects.get(edge.target or "")
    if not points:
        if a is None or b is None:
            return ""  # an end attached to nothing and no line drawn: nothing to place it by
        points = [_border(a, b.center), _border(b, a.center)]
    # a line drawn from a box's centre (draw.io gives its ends so) starts at the box's edge, where its head shows
    if a is not None and a.contains(points[0]) and not a.contains(points[1]):
        points[0] = _border(a, points[1])
    if b is not None and b.contains(points[-1]) and not b.contains(points[-2]):
        points[-1] = _border(b, points[-2])
    heads = ""
    if edge.heads != Heads.NONE:
        heads += f' marker-end="url(#{head})"'
    if edge.heads == Heads.BOTH:
        heads += f' marker-start="url(#{head})"'
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    loose = " loose" if edge.source is None or edge.target is None else ""
    colour = FLAGGED if loose else STROKE
    text = ""
    if edge.label:
        mid = points[len(points) // 2 - 1] if len(points) > 2 else points[0]
        end = points[len(points) // 2]
        text = (f'<text x="{(mid[0] + end[0]) / 2:.1f}" y="{(mid[1] + end[1]) / 2 - 4:.1f}" font-size="10" '
                f'text-anchor="middle" fill="#455a64">{escape(edge.label)}</text>')
    return (f'<g class="edge{loose}" data-heads="{edge.heads.value}"><polyline points="{path}" fill="none" '
            f'stroke="{colour}" stroke-width="1.6"{heads}/>{text}</g>')


def _border(rect: Rect, toward: tuple[float, float]) -> tuple[float, float]:
    """Where the line from the rectangle's centre toward a point leaves the rectangle."""
    cx, cy = rect.center
    dx, dy = toward[0] - cx, toward[1] - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min((rect.width / 2) / abs(dx) if dx else float("inf"), (rect.height / 2) / abs(dy) if dy else float("inf"))
    return cx + dx * scale, cy + dy * scale


def _box(box: Box, r: Rect, finding: str | None) -> str:
    colour = FLAGGED if finding else STROKE
    stroke = f'fill="#fff" stroke="{colour}" stroke-width="{2.4 if finding else 1.6}"'
    x, y, w, h = r.x, r.y, r.width, r.height
    if box.shape == Shape.ELLIPSE:
        body = f'<ellipse cx="{x + w / 2:.1f}" cy="{y + h / 2:.1f}" rx="{w / 2:.1f}" ry="{h / 2:.1f}" {stroke}/>'
    elif box.shape == Shape.DIAMOND:
        body = (f'<polygon points="{x + w / 2:.1f},{y:.1f} {x + w:.1f},{y + h / 2:.1f} {x + w / 2:.1f},{y + h:.1f} '
                f'{x:.1f},{y + h / 2:.1f}" {stroke}/>')
    elif box.shape == Shape.CYLINDER:
        rim = min(8.0, h / 5)
        body = (f'<path d="M{x:.1f},{y + rim:.1f} v{h - 2 * rim:.1f} a{w / 2:.1f},{rim:.1f} 0 0 0 {w:.1f},0 '
                f'v{-(h - 2 * rim):.1f}" {stroke}/><ellipse cx="{x + w / 2:.1f}" cy="{y + rim:.1f}" '
                f'rx="{w / 2:.1f}" ry="{rim:.1f}" {stroke}/>')
    else:
        rx = 8 if box.shape == Shape.ROUNDED else 2
        body = f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="{rx}" {stroke}/>'
    label = box.label or "(no label)"
    tip = escape(label + (f": {finding}" if finding else ""))
    cls = f"box {box.shape.value}" + (" flagged" if finding else "")
    grey = ' fill="#999"' if not box.label else ""
    shown = _fit(label, max(3, int((w - 8) / CHAR_W)))
    return (f'<g class="{cls}" data-id="{escape(box.id)}"><title>{tip}</title>{body}'
            f'<text x="{x + w / 2:.1f}" y="{y + h / 2 + 4:.1f}" font-size="12" text-anchor="middle"'
            f'{grey}>{escape(shown)}</text></g>')


def _fit(text: str, chars: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= chars else text[:chars - 1].rstrip() + "…"

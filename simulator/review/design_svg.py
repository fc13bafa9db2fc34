"""The candidate's design drawn as an inline SVG: one box per component, a cylinder for each database, an
arrow with a head for each flow, in columns from the callers on the left to storage on the right.

A component's column is the further right of its kind's place and one past every component that flows into
it, so a flow reads left to right; a flow that would close a circle is drawn back to the left instead. Plain strings, every label escaped, no script.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from simulator.judging.design.model import ComponentKind, Design, Flow
from simulator.review.design_view import kind_layer, kind_title, plain_labels
from simulator.review.svg import COLOURS, WIDTH, opening

BOX_W, BOX_H, ROW_GAP, TOP = 140.0, 44.0, 30.0, 10.0
MIN_GAP = 48.0  # room between columns for an arrow and a short label
MIN_BOX_W = 92.0  # room for a name of about a dozen characters
DIP = 26.0  # how far an arrow that passes a column bends below the boxes
CHAR_W = 6.6  # about the width of a 12 px character, for cutting a long name to its box
ARROW = "design-arrow"
SHAPE_COLOURS = {ComponentKind.CLIENT: COLOURS[5], ComponentKind.DATABASE: COLOURS[2],
                 ComponentKind.OBJECT_STORE: COLOURS[2], ComponentKind.CACHE: COLOURS[4],
                 ComponentKind.QUEUE: COLOURS[3], ComponentKind.LOAD_BALANCER: COLOURS[0],
                 ComponentKind.CDN: COLOURS[0], ComponentKind.GATEWAY: COLOURS[0]}
STORES = (ComponentKind.DATABASE, ComponentKind.OBJECT_STORE)


@dataclass(frozen=True)
class Node:
    name: str
    kind: ComponentKind
    column: int
    row: int


def layout(design: Design) -> list[Node]:
    """Each component (and each end of a flow that names no component) placed in a column and a row."""
    kinds = {c.name: c.kind for c in design.components}
    for flow in design.flows:
        for end in (flow.source, flow.target):
            kinds.setdefault(end, ComponentKind.OTHER)
    ranks = sorted({kind_layer(k) for k in kinds.values()})
    column = {name: ranks.index(kind_layer(kind)) for name, kind in kinds.items()}
    forward: list[Flow] = []  # the flows in the order said, less any that would close a circle
    for flow in design.flows:
        if flow.source != flow.target and not _reaches(forward, flow.target, flow.source):
            forward.append(flow)
    for _ in range(len(kinds)):  # the longest path through a graph with no circle: at most one pass per node
        moved = False
        for flow in forward:
            if column[flow.target] <= column[flow.source]:
                column[flow.target] = column[flow.source] + 1
                moved = True
        if not moved:
            break
    used = sorted(set(column.values()))
    rows: dict[int, int] = {}
    nodes = []
    for name, kind in kinds.items():
        col = used.index(column[name])
        nodes.append(Node(name, kind, col, rows.get(col, 0)))
        rows[col] = rows.get(col, 0) + 1
    return nodes


def _reaches(flows: list[Flow], start: str, goal: str) -> bool:
    """Whether the flows lead from start to goal."""
    seen, todo = {start}, [start]
    while todo:
        here = todo.pop()
        for flow in flows:
            if flow.source == here and flow.target not in seen:
                if flow.target == goal:
                    return True
                seen.add(flow.target)
                todo.append(flow.target)
    return False


def diagram(design: Design, title: str = "Your design as heard") -> str:
    """The design as an SVG string; empty when it names nothing to draw."""
    nodes = layout(design)
    if not nodes:
        return ""
    columns = max(n.column for n in nodes) + 1
    rows = max(n.row for n in nodes) + 1
    # past about six columns the drawing widens rather than squeeze its boxes; the page scales it to fit
    canvas = max(WIDTH, 8 + columns * MIN_BOX_W + (columns - 1) * MIN_GAP)
    box = Frame(min(BOX_W, (canvas - 8 - MIN_GAP * (columns - 1)) / columns), columns, canvas)
    height = TOP * 2 + rows * BOX_H + (rows - 1) * ROW_GAP + DIP
    place = {n.name: (4 + n.column * box.step, TOP + n.row * (BOX_H + ROW_GAP)) for n in nodes}
    parts = [opening(height, title, canvas),
             f'<defs><marker id="{ARROW}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>']
    for flow in design.flows:
        if flow.source != flow.target:
            parts.append(_arrow(box, place[flow.source], place[flow.target], flow))
    for node in nodes:
        parts.append(_shape(box.width, node, *place[node.name]))
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Frame:
    """The boxes' width, narrower when there are many columns, and the distance from one column to the next."""

    width: float
    columns: int
    canvas: float = WIDTH

    @property
    def step(self) -> float:
        return (self.canvas - 8 - self.width) / max(self.columns - 1, 1)

    @property
    def gap(self) -> float:
        return self.step - self.width


def _arrow(box: Frame, source: tuple[float, float], target: tuple[float, float], flow: Flow) -> str:
    (sx, sy), (tx, ty) = source, target
    w = box.width
    label_at: tuple[float, float] | None = None
    if tx - sx > box.step * 1.5 or sx - tx > box.step * 1.5:  # past a column: under the boxes, clear of them
        x1, y1, x2, y2 = sx + w / 2, sy + BOX_H, tx + w / 2, ty + BOX_H
        low = max(y1, y2) + DIP
        line = (f'<path d="M{x1:.1f},{y1:.1f} C{x1:.1f},{low:.1f} {x2:.1f},{low:.1f} {x2:.1f},{y2:.1f}" '
                f'fill="none" stroke="#555" stroke-width="1.5" marker-end="url(#{ARROW})"/>')
        label_at = ((x1 + x2) / 2, low - 2)
    else:
        if tx > sx:  # to the next column: from the right edge to the left edge
            x1, y1, x2, y2 = sx + w, sy + BOX_H / 2, tx, ty + BOX_H / 2
        elif tx < sx:  # back to the column before
            x1, y1, x2, y2 = sx, sy + BOX_H / 2, tx + w, ty + BOX_H / 2
        else:  # the same column: bottom to top, or top to bottom
            down = ty > sy
            x1, y1 = sx + w / 2, sy + (BOX_H if down else 0)
            x2, y2 = tx + w / 2, ty + (0 if down else BOX_H)
        line = (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#555" stroke-width="1.5" '
                f'marker-end="url(#{ARROW})"/>')
        if tx != sx:
            label_at = ((x1 + x2) / 2, (y1 + y2) / 2 - 5)
    text = ""
    if flow.label and label_at is not None and flow.label not in plain_labels():
        text = (f'<text class="flow-label" x="{label_at[0]:.1f}" y="{label_at[1]:.1f}" font-size="10" '
                f'text-anchor="middle" fill="#555">{escape(_fit(flow.label, max(3, int(box.gap / 5.8))))}</text>')
    tip = f"<title>{escape(flow.source)} → {escape(flow.target)}{': ' + escape(flow.label) if flow.label else ''}</title>"
    return f'<g class="flow">{tip}{line}{text}</g>'


def _shape(width: float, node: Node, x: float, y: float) -> str:
    colour = SHAPE_COLOURS.get(node.kind, COLOURS[1])
    tip = f"<title>{escape(node.name)} ({escape(kind_title(node.kind))})</title>"
    if node.kind in STORES:
        rim = 7.0
        body = (f'<path d="M{x:.1f},{y + rim:.1f} v{BOX_H - 2 * rim:.1f} a{width / 2:.1f},{rim} 0 0 0 {width:.1f},0 '
                f'v{-(BOX_H - 2 * rim):.1f}" fill="#fff" stroke="{colour}" stroke-width="2"/>'
                f'<ellipse cx="{x + width / 2:.1f}" cy="{y + rim:.1f}" rx="{width / 2:.1f}" ry="{rim}" fill="#fff" '
                f'stroke="{colour}" stroke-width="2"/>')
        shape, middle = "cylinder", y + BOX_H / 2 + rim / 2
    else:
        body = (f'<rect x="{x:.1f}" y="{y:.1f}" width="{width}" height="{BOX_H}" rx="6" fill="#fff" '
                f'stroke="{colour}" stroke-width="2"/>')
        shape, middle = "box", y + BOX_H / 2
    return (f'<g class="component {shape}" data-kind="{escape(str(node.kind))}">{tip}{body}'
            f'<text class="name" x="{x + width / 2:.1f}" y="{middle - 2:.1f}" font-size="12" text-anchor="middle">'
            f'{escape(_fit(node.name, int((width - 10) / CHAR_W)))}</text>'
            f'<text class="kind" x="{x + width / 2:.1f}" y="{middle + 11:.1f}" font-size="9" text-anchor="middle" '
            f'fill="#666">{escape(kind_title(node.kind))}</text></g>')


def _fit(text: str, chars: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= chars else text[:chars - 1].rstrip() + "…"

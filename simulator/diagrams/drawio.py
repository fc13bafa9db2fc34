"""draw.io (diagrams.net) files: `.drawio` XML, every page, compressed or not.

An mxfile holds one <diagram> per page; a page is an <mxGraphModel> inline or, compressed, the base64 of the
raw deflate of the URL-encoded model. In the model, mxCell vertex="1" is a box and edge="1" an edge between
`source` and `target`; a cell wrapped in <UserObject>/<object> takes its id and label from the wrapper; a
value with html=1 is HTML; a cell's geometry is relative to its parent's (a container, a group, a swimlane).
"""

from __future__ import annotations

import base64
import binascii
import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import unquote

from simulator.diagrams.diagram import Box, Diagram, DiagramError, DiagramFormat, Edge, Heads, Rect, Shape, Zone
from simulator.diagrams.geometry import box_at
from simulator.diagrams.limits import inflate
from simulator.diagrams.safexml import parse_xml

_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<\s*(br|/div|/p|/li)\b[^>]*>", re.I)
CONTAINER_STYLES = {"swimlane", "group"}
SHAPES = {
    "ellipse": Shape.ELLIPSE, "doubleEllipse": Shape.ELLIPSE, "rhombus": Shape.DIAMOND, "hexagon": Shape.HEXAGON,
    "cylinder": Shape.CYLINDER, "cylinder3": Shape.CYLINDER, "datastore": Shape.CYLINDER,
    "mxgraph.flowchart.database": Shape.CYLINDER, "mxgraph.flowchart.stored_data": Shape.CYLINDER,
    "parallelogram": Shape.PARALLELOGRAM, "cloud": Shape.CLOUD, "umlActor": Shape.ACTOR,
    "document": Shape.DOCUMENT, "note": Shape.DOCUMENT,
}
NO_HEAD = {"none", ""}


@dataclass
class _Cell:
    id: str
    parent: str | None
    value: str
    style: dict[str, str]
    vertex: bool
    edge: bool
    source: str | None
    target: str | None
    geometry: ET.Element | None


def parse_drawio(root: ET.Element, name: str) -> Diagram:
    """Every page of the file as one diagram (ids are unique per file, as draw.io keeps them)."""
    if root.tag == "mxGraphModel":
        models = [root]
    elif root.tag == "mxfile":
        models = [_page_model(page, name) for page in root.iter("diagram")]
    else:
        raise DiagramError(f"{name} is XML but not a draw.io diagram (its root is <{root.tag}>); save it from "
                           "draw.io as a .drawio file.")
    boxes: list[Box] = []
    edges: list[Edge] = []
    zones: list[Zone] = []
    notes: list[str] = []
    for model in models:
        _read_model(model, boxes, edges, zones, notes)
    return Diagram(DiagramFormat.DRAWIO, tuple(boxes), tuple(edges), tuple(zones), tuple(notes))


def _page_model(page: ET.Element, name: str) -> ET.Element:
    inline = page.find("mxGraphModel")
    if inline is not None:
        return inline
    text = (page.text or "").strip()
    if not text:
        return ET.Element("mxGraphModel")
    try:
        xml = unquote(inflate(base64.b64decode(text, validate=True), -15, name).decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeError) as exc:
        raise DiagramError(f"{name} has a compressed page that cannot be unpacked ({type(exc).__name__}); save it "
                           "again from draw.io.") from None
    except Exception as exc:  # zlib.error: a page cut short or not deflate at all
        raise DiagramError(f"{name} has a compressed page that cannot be unpacked ({exc}); save it again from "
                           "draw.io.") from None
    return parse_xml(xml, name)


def _read_model(model: ET.Element, boxes: list[Box], edges: list[Edge], zones: list[Zone], notes: list[str]) -> None:
    cells = [c for c in (_cell(e) for e in model.iter() if e.tag in ("mxCell", "UserObject", "object")) if c]
    by_id = {c.id: c for c in cells}
    origin: dict[str, tuple[float, float]] = {}

    def offset(cell_id: str | None) -> tuple[float, float]:
        """Where a parent's children are measured from: the sum of its own and its ancestors' positions."""
        seen: set[str] = set()
        x = y = 0.0
        while cell_id in by_id and cell_id not in seen and by_id[cell_id].vertex:
            seen.add(cell_id)
            geo = by_id[cell_id].geometry
            if geo is not None:
                x += _f(geo.get("x"))
                y += _f(geo.get("y"))
            cell_id = by_id[cell_id].parent
        return x, y

    rects: dict[str, Rect] = {}
    labels_on_edges: dict[str, list[str]] = {}
    containers: dict[str, Zone] = {}
    for cell in cells:
        if not cell.vertex:
            continue
        if cell.parent in by_id and by_id[cell.parent].edge:  # a label placed along an edge
            if cell.value:
                labels_on_edges.setdefault(cell.parent, []).append(cell.value)
            continue
        ox, oy = origin.setdefault(cell.parent or "", offset(cell.parent))
        geo = cell.geometry
        rect = Rect(ox + _f(geo.get("x")), oy + _f(geo.get("y")), _f(geo.get("width")), _f(geo.get("height"))) \
            if geo is not None else None
        kind = cell.style.get("shape", "")
        if kind in CONTAINER_STYLES or cell.style.get("container") == "1":
            containers[cell.id] = Zone(cell.id, cell.value, (), rect)
            continue
        if kind in ("text", "edgeLabel"):
            if cell.value:
                notes.append(cell.value)
            continue
        if rect is not None:
            rects[cell.id] = rect
        rounded = cell.style.get("rounded") == "1"
        boxes.append(Box(cell.id, cell.value, SHAPES.get(kind, Shape.ROUNDED if rounded else Shape.BOX), rect))
    for zone in containers.values():
        members = tuple(b.id for b in boxes if _inside(b.id, zone.id, by_id))
        zones.append(Zone(zone.id, zone.label, members, zone.rect))
    for cell in cells:
        if cell.edge:
            edges.append(_edge(cell, rects, labels_on_edges.get(cell.id, []), offset(cell.parent)))


def _edge(cell: _Cell, rects: dict[str, Rect], labels: list[str], origin: tuple[float, float]) -> Edge:
    points = _edge_points(cell, rects, origin)
    source = cell.source if cell.source in rects else None
    target = cell.target if cell.target in rects else None
    if source is None and points:
        source = box_at(points[0], rects.items())
    if target is None and points:
        target = box_at(points[-1], rects.items())
    forward = cell.style.get("endArrow", "classic") not in NO_HEAD
    backward = cell.style.get("startArrow", "none") not in NO_HEAD
    if backward and not forward:
        source, target, points = target, source, points[::-1]
    heads = Heads.BOTH if forward and backward else Heads.FORWARD if forward or backward else Heads.NONE
    label = " ".join([cell.value] + labels).strip()
    return Edge(cell.id, source, target, label, heads, tuple(points))


def _edge_points(cell: _Cell, rects: dict[str, Rect], origin: tuple[float, float]) -> list[tuple[float, float]]:
    geo = cell.geometry
    found: dict[str, tuple[float, float]] = {}
    middle: list[tuple[float, float]] = []
    if geo is not None:
        for point in geo.iter("mxPoint"):
            xy = (origin[0] + _f(point.get("x")), origin[1] + _f(point.get("y")))
            role = point.get("as")
            if role in ("sourcePoint", "targetPoint"):
                found[role] = xy
            elif role is None:
                middle.append(xy)
    start = rects[cell.source].center if cell.source in rects else found.get("sourcePoint")
    end = rects[cell.target].center if cell.target in rects else found.get("targetPoint")
    return [p for p in [start, *middle, end] if p is not None]


def _inside(box_id: str, zone_id: str, by_id: dict[str, _Cell]) -> bool:
    seen: set[str] = set()
    parent = by_id[box_id].parent if box_id in by_id else None
    while parent in by_id and parent not in seen:
        if parent == zone_id:
            return True
        seen.add(parent)
        parent = by_id[parent].parent
    return False


def _cell(element: ET.Element) -> _Cell | None:
    """An mxCell, or a UserObject/object wrapping one (the wrapper's id and label win)."""
    if element.tag == "mxCell":
        wrapper = None
        cell = element
    else:
        wrapper = element
        found = element.find("mxCell")
        if found is None:
            return None
        cell = found
    cell_id = (wrapper if wrapper is not None else cell).get("id")
    if cell_id is None or (wrapper is None and _wrapped(cell)):
        return None
    raw = wrapper.get("label", "") if wrapper is not None else cell.get("value", "")
    style = _style(cell.get("style", ""))
    value = _plain(raw, style.get("html") == "1")
    return _Cell(cell_id, cell.get("parent"), value, style, cell.get("vertex") == "1", cell.get("edge") == "1",
                 cell.get("source"), cell.get("target"), cell.find("mxGeometry"))


def _wrapped(cell: ET.Element) -> bool:
    return cell.get("id") is None  # inside a UserObject the mxCell has no id of its own; read via the wrapper


def _style(text: str) -> dict[str, str]:
    """"ellipse;whiteSpace=wrap;html=1;" → {"shape": "ellipse", "whiteSpace": "wrap", "html": "1"}: the leading
    bare word names the shape, as a shape= token does."""
    style: dict[str, str] = {}
    for i, token in enumerate(t for t in text.split(";") if t):
        key, sep, value = token.partition("=")
        if sep:
            style[key] = value
        elif i == 0 or "shape" not in style:
            style.setdefault("shape", key)
    return style


def _plain(value: str, is_html: bool) -> str:
    if is_html:
        value = html.unescape(_TAG.sub("", _BREAK.sub(" ", value)))
    return " ".join(value.split())


def _f(value: str | None) -> float:
    try:
        return float(value) if value is not None else 0.0
    except ValueError:
        return 0.0


def svg_content(svg: ET.Element, name: str) -> str:
    """The mxfile draw.io keeps in the `content` attribute of an `.drawio.svg` it saves."""
    content = svg.get("content")
    if not content or "<mxfile" not in content and "<mxGraphModel" not in content:
        raise DiagramError(f"{name} is an SVG picture without a drawing in it; save the .drawio (or .excalidraw) "
                           "file itself, or export the SVG with the diagram included.")
    return content

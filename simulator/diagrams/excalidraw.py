"""Excalidraw's scenes: `.excalidraw` JSON, and `.excalidraw.svg` with the scene embedded in it.

The parts read: elements of type rectangle/ellipse/diamond (boxes), text (a label when its containerId is a
box or an arrow), arrow and line with startBinding/endBinding (only their elementId: both the old
{focus, gap} and the newer {fixedPoint, mode} bindings carry it), the arrowheads, groupIds, frames (with
`name`, their members by `frameId`), and isDeleted, always filtered. Loose labels over a box and unbound
arrow ends fall back to geometry.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from typing import Any

from simulator.diagrams.diagram import (Box, Diagram, DiagramError, DiagramFormat, Edge, Heads, PartialDiagram, Rect,
                                        Shape, Zone)
from simulator.diagrams.geometry import box_at, box_holding
from simulator.diagrams.limits import inflate

BOX_TYPES = {"rectangle": Shape.BOX, "ellipse": Shape.ELLIPSE, "diamond": Shape.DIAMOND}
LINE_TYPES = {"arrow", "line"}
FRAME_TYPES = {"frame", "magicframe"}
SVG_MARK = "payload-type:application/vnd.excalidraw+json"
_PAYLOAD = re.compile(r"<!--\s*payload-start\s*-->\s*(.+?)\s*<!--\s*payload-end\s*-->", re.S)
_VERSION = re.compile(r"<!--\s*payload-version:(\d+)\s*-->")


def is_scene(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("elements"), list) and (
        str(data.get("type", "")).startswith("excalidraw") or "appState" in data or data.get("type") is None)


def scene_from_svg(text: str, name: str) -> Any:
    """The scene JSON Excalidraw embeds in an SVG export ("Embed scene"): base64 between payload comments; in
    version 2 a JSON envelope whose byte string is zlib-deflated scene JSON."""
    found = _PAYLOAD.search(text)
    if found is None and "payload-start" in text:
        raise PartialDiagram(f"{name} ends in the middle of its embedded scene (a save still being written?).")
    if found is None:
        raise DiagramError(f"{name} is an Excalidraw SVG exported without its scene; export it again with "
                           "\"Embed scene\" ticked, or save the .excalidraw file.")
    version = _VERSION.search(text)
    try:
        raw = base64.b64decode(found.group(1), validate=False)
        if version is None or version.group(1) == "1":
            envelope = json.loads(raw.decode("utf-8"))
        else:
            envelope = json.loads(raw.decode("latin-1"))
        if isinstance(envelope, dict) and "encoded" in envelope:
            data = envelope["encoded"].encode("latin-1")
            if envelope.get("compressed"):
                return json.loads(inflate(data, zlib.MAX_WBITS, name).decode("utf-8"))
            return json.loads(data.decode("utf-8"))
        return envelope
    except (binascii.Error, ValueError, UnicodeError, AttributeError, zlib.error) as exc:
        raise DiagramError(f"{name} has an Excalidraw scene that cannot be decoded ({type(exc).__name__}); "
                           "export it again with \"Embed scene\", or save the .excalidraw file.") from None


def parse_scene(data: Any, name: str) -> Diagram:
    if not is_scene(data):
        raise DiagramError(f"{name} is JSON but not an Excalidraw scene (no elements list); save the drawing "
                           "from Excalidraw with Save to (.excalidraw).")
    elements = [e for e in data["elements"] if isinstance(e, dict) and not e.get("isDeleted")
                and isinstance(e.get("id"), str)]
    by_id = {e["id"]: e for e in elements}
    rects: dict[str, Rect] = {e["id"]: _rect(e) for e in elements if e.get("type") in BOX_TYPES}
    labels: dict[str, list[str]] = {}
    notes: list[tuple[str, Rect, list[str]]] = []
    for e in elements:
        if e.get("type") != "text":
            continue
        text = _text(e)
        if not text:
            continue
        container = e.get("containerId")
        if isinstance(container, str) and container in by_id:
            labels.setdefault(container, []).append(text)
        else:
            notes.append((text, _rect(e), [g for g in e.get("groupIds") or [] if isinstance(g, str)]))
    loose: list[str] = []
    groups = _grouped_boxes(elements)
    for text, rect, group_ids in notes:  # a label dropped on a box without binding it, or grouped with the box
        unlabelled = [(i, r) for i, r in rects.items() if i not in labels]
        holder = next((groups[g] for g in group_ids if g in groups and groups[g] not in labels), None) \
            or box_holding(rect, unlabelled)
        if holder is not None:
            labels.setdefault(holder, []).append(text)
        else:
            loose.append(text)
    boxes = tuple(Box(e["id"], " ".join(labels.get(e["id"], [])), BOX_TYPES[e["type"]], rects[e["id"]])
                  for e in elements if e.get("type") in BOX_TYPES)
    edges = tuple(_edge(e, rects, " ".join(labels.get(e["id"], []))) for e in elements if e.get("type") in LINE_TYPES)
    frames = [e for e in elements if e.get("type") in FRAME_TYPES]
    zones = tuple(Zone(f["id"], str(f.get("name") or ""),
                       tuple(b.id for b in boxes if by_id[b.id].get("frameId") == f["id"]), _rect(f)) for f in frames)
    return Diagram(DiagramFormat.EXCALIDRAW, boxes, edges, zones, tuple(loose))


def _grouped_boxes(elements: list[dict[str, Any]]) -> dict[str, str]:
    """Each group (its innermost id) that holds exactly one box: that box's id."""
    members: dict[str, list[str]] = {}
    for e in elements:
        if e.get("type") in BOX_TYPES and e.get("groupIds"):
            group = e["groupIds"][0]
            if isinstance(group, str):
                members.setdefault(group, []).append(e["id"])
    return {g: ids[0] for g, ids in members.items() if len(ids) == 1}


def _edge(e: dict[str, Any], rects: dict[str, Rect], label: str) -> Edge:
    x, y = _num(e.get("x")), _num(e.get("y"))
    points = tuple((x + _num(p[0]), y + _num(p[1])) for p in e.get("points") or []
                   if isinstance(p, (list, tuple)) and len(p) >= 2) or ((x, y),)
    start = _bound(e.get("startBinding"), rects) or box_at(points[0], rects.items())
    end = _bound(e.get("endBinding"), rects) or box_at(points[-1], rects.items())
    if start is not None and start == end and len(points) > 1:
        end = box_at(points[-1], rects.items(), margin=0.0)
    forward = e.get("endArrowhead") is not None if "endArrowhead" in e else e.get("type") == "arrow"
    backward = e.get("startArrowhead") is not None
    if backward and not forward:
        start, end, points = end, start, points[::-1]
    heads = Heads.BOTH if forward and backward else Heads.FORWARD if forward or backward else Heads.NONE
    return Edge(e["id"], start, end, label, heads, points)


def _bound(binding: Any, rects: dict[str, Rect]) -> str | None:
    if isinstance(binding, dict) and binding.get("elementId") in rects:
        return str(binding["elementId"])
    return None


def _text(e: dict[str, Any]) -> str:
    text = e.get("originalText") if isinstance(e.get("originalText"), str) else e.get("text")
    return " ".join(str(text).split()) if isinstance(text, str) else ""


def _rect(e: dict[str, Any]) -> Rect:
    x, y, w, h = (_num(e.get(k)) for k in ("x", "y", "width", "height"))
    if w < 0:
        x, w = x + w, -w
    if h < 0:
        y, h = y + h, -h
    return Rect(x, y, w, h)


def _num(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0

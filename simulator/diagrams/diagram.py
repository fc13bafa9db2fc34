"""One typed drawing, whatever tool drew it: boxes, the edges between them, the zones around them.

Every reader (Excalidraw, draw.io, Mermaid) gives this, so the watcher, the design model and the page never
need to know which tool the candidate used. Geometry is the file's own, in its own units; Mermaid has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.errors import UserError
from simulator.vocab import Word


class DiagramError(UserError):
    """A diagram file that cannot be read: one sentence saying what is wrong and what to do."""


class PartialDiagram(DiagramError):
    """A file that looks cut short, as a save still being written does: the watcher waits for the next one."""


class DiagramFormat(Word):
    EXCALIDRAW = "excalidraw"
    DRAWIO = "drawio"
    MERMAID = "mermaid"


class Shape(Word):
    """What a box looks like; a cylinder is how every tool draws a database."""

    BOX = "box"
    ROUNDED = "rounded"
    ELLIPSE = "ellipse"
    DIAMOND = "diamond"
    CYLINDER = "cylinder"
    HEXAGON = "hexagon"
    PARALLELOGRAM = "parallelogram"
    CLOUD = "cloud"
    ACTOR = "actor"
    DOCUMENT = "document"
    OTHER = "other"


class Heads(Word):
    """Which way an edge points. An arrow drawn backwards is stored turned round, so FORWARD is enough."""

    NONE = "none"
    FORWARD = "forward"
    BOTH = "both"


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float

    @property
    def center(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.height / 2

    def contains(self, point: tuple[float, float], margin: float = 0.0) -> bool:
        px, py = point
        return (self.x - margin <= px <= self.x + self.width + margin
                and self.y - margin <= py <= self.y + self.height + margin)

    def distance(self, point: tuple[float, float]) -> float:
        """How far a point lies outside the rectangle (0 inside it)."""
        px, py = point
        dx = max(self.x - px, 0.0, px - (self.x + self.width))
        dy = max(self.y - py, 0.0, py - (self.y + self.height))
        return float((dx * dx + dy * dy) ** 0.5)

    def area(self) -> float:
        return self.width * self.height

    def to_json(self) -> list[float]:
        return [round(self.x, 2), round(self.y, 2), round(self.width, 2), round(self.height, 2)]


@dataclass(frozen=True)
class Box:
    id: str
    label: str  # "" when the box was left unlabelled
    shape: Shape = Shape.BOX
    rect: Rect | None = None


@dataclass(frozen=True)
class Edge:
    id: str
    source: str | None  # a box id; None where the end is attached to nothing
    target: str | None
    label: str = ""
    heads: Heads = Heads.FORWARD
    points: tuple[tuple[float, float], ...] = ()  # the drawn line, absolute, for the page

    @property
    def directed(self) -> bool:
        return self.heads != Heads.NONE


@dataclass(frozen=True)
class Zone:
    """A frame, a container or a subgraph: boxes the candidate drew as belonging together."""

    id: str
    label: str
    members: tuple[str, ...]  # box ids
    rect: Rect | None = None


@dataclass(frozen=True)
class Diagram:
    format: DiagramFormat
    boxes: tuple[Box, ...] = ()
    edges: tuple[Edge, ...] = ()
    zones: tuple[Zone, ...] = ()
    notes: tuple[str, ...] = ()  # free text on the canvas, attached to no box

    def box(self, box_id: str | None) -> Box | None:
        return next((b for b in self.boxes if b.id == box_id), None)

    def is_empty(self) -> bool:
        return not (self.boxes or self.edges or self.zones or self.notes)

    def summary(self) -> str:
        """"5 boxes, 4 arrows, 1 zone", for a notice."""
        def count(n: int, word: str) -> str:
            return f"{n} {word}{'' if n == 1 else ('es' if word.endswith('x') else 's')}"
        parts = [count(len(self.boxes), "box"), count(len(self.edges), "arrow")]
        if self.zones:
            parts.append(count(len(self.zones), "zone"))
        return ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format.value,
            "boxes": [{"id": b.id, "label": b.label, "shape": b.shape.value,
                       "rect": b.rect.to_json() if b.rect else None} for b in self.boxes],
            "edges": [{"id": e.id, "source": e.source, "target": e.target, "label": e.label, "heads": e.heads.value,
                       "points": [[round(x, 2), round(y, 2)] for x, y in e.points]} for e in self.edges],
            "zones": [{"id": z.id, "label": z.label, "members": list(z.members),
                       "rect": z.rect.to_json() if z.rect else None} for z in self.zones],
            "notes": list(self.notes),
        }

    @classmethod
    def from_json(cls, data: Any) -> Diagram:
        """A diagram this program saved, read back; ValueError when it is not one."""
        if not isinstance(data, dict):
            raise ValueError("a diagram is not an object")
        try:
            return cls(
                DiagramFormat(data["format"]),
                tuple(Box(str(b["id"]), str(b["label"]), Shape(b["shape"]), _rect(b.get("rect")))
                      for b in data.get("boxes", [])),
                tuple(Edge(str(e["id"]), e.get("source"), e.get("target"), str(e.get("label", "")),
                           Heads(e.get("heads", "forward")),
                           tuple((float(x), float(y)) for x, y in e.get("points", [])))
                      for e in data.get("edges", [])),
                tuple(Zone(str(z["id"]), str(z["label"]), tuple(str(m) for m in z.get("members", [])),
                           _rect(z.get("rect"))) for z in data.get("zones", [])),
                tuple(str(n) for n in data.get("notes", [])),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a saved diagram ({exc})") from None


def _rect(value: Any) -> Rect | None:
    if value is None:
        return None
    x, y, w, h = (float(v) for v in value)
    return Rect(x, y, w, h)

"""A drawing as the design model: its boxes as components under the same canonical names as speech, its arrows
as flows, a replica drawn beside a component as its safeguard, each with the time the drawing was read.

Box labels are matched with the catalogue speech uses (prompts/design/components.toml), as typed text, since
a label is never misheard; a label the catalogue does not know is kept as written, its kind told by its shape
(a cylinder is a database, an actor a client).
"""

from __future__ import annotations

import re
from functools import lru_cache

from simulator import prompt_data
from simulator.diagrams.diagram import Box, Diagram, Shape
from simulator.judging.design.catalogue import Entry, mentions
from simulator.judging.design.model import Component, ComponentKind, Design, Flow, Quote, Safeguard, Source

STATEFUL_KINDS = {ComponentKind.DATABASE, ComponentKind.CACHE, ComponentKind.QUEUE, ComponentKind.COORDINATION,
                  ComponentKind.OBJECT_STORE, ComponentKind.SEARCH_INDEX}
BY_SHAPE = {Shape.CYLINDER: ComponentKind.DATABASE, Shape.ACTOR: ComponentKind.CLIENT}


@lru_cache(maxsize=None)
def words() -> dict[str, re.Pattern[str]]:
    """The phrase lists of prompts/design/diagram.toml, each as one whole-word pattern."""
    data = prompt_data.load("design", "diagram.toml")
    return {key: re.compile(r"(?<![\w])(?:" + "|".join(re.escape(p) for p in sorted(value, key=len, reverse=True))
                            + r")(?![\w])") for key, value in data.items() if isinstance(value, list)}


def component_of(box: Box, at: float | None = None) -> Component | None:
    """The component a box stands for; None for a box with no label."""
    if not box.label:
        return None
    lower = box.label.lower()
    entry = _entry(lower)
    quote = Quote(box.label, at)
    if entry is not None:
        return Component(entry.name, entry.kind, quote, Source.DIAGRAM, entry.stateful or entry.kind in STATEFUL_KINDS)
    kind = BY_SHAPE.get(box.shape, ComponentKind.OTHER if box.shape == Shape.DIAMOND else ComponentKind.SERVICE)
    if kind != ComponentKind.DATABASE and words()["clients"].search(lower):
        kind = ComponentKind.CLIENT
    return Component(box.label, kind, quote, Source.DIAGRAM, kind in STATEFUL_KINDS)


@lru_cache(maxsize=4096)
def _entry(lower: str) -> Entry | None:
    """The catalogue entry a label names first (a label is read as typed text), remembered: a drawing is read
    again at every save, mostly with the same labels."""
    named = [m for m in mentions(lower, heard=False) if not m.alternative]
    return named[0].entry if named else None


def components_by_box(diagram: Diagram, at: float | None = None) -> dict[str, Component]:
    """The component each labelled box stands for, by box id."""
    return {b.id: c for b in diagram.boxes if (c := component_of(b, at)) is not None}


def design_from_diagram(diagram: Diagram, at: float | None = None,
                        by_box: dict[str, Component] | None = None) -> Design:
    """The drawing's design: one component per name (a name drawn twice counts 2), flows between named boxes."""
    by_box = by_box if by_box is not None else components_by_box(diagram, at)
    counts: dict[str, int] = {}
    first: dict[str, Component] = {}
    for component in by_box.values():
        counts[component.name] = counts.get(component.name, 0) + 1
        first.setdefault(component.name, component)
    components = [Component(c.name, c.kind, c.quote, c.source, c.stateful, counts[c.name]) for c in first.values()]
    flows = []
    for edge in diagram.edges:
        source, target = by_box.get(edge.source or ""), by_box.get(edge.target or "")
        if source is None or target is None or source.name == target.name:
            continue
        arrow = "→" if edge.directed else "—"
        flows.append(Flow(source.name, target.name, edge.label or None,
                          Quote(f"{source.quote.text} {arrow} {target.quote.text}", at)))
    replicated = words()["replicated"]
    safeguards = []
    for box_id, component in by_box.items():
        if replicated.search(component.quote.text.lower()):
            safeguards.append(Safeguard(component.name, "replicas", component.quote))
    for edge in diagram.edges:
        ends = [by_box.get(e or "") for e in (edge.source, edge.target)]
        if edge.label and replicated.search(edge.label.lower()):
            for end in ends:
                if end is not None:
                    safeguards.append(Safeguard(end.name, "replicas", Quote(edge.label, at)))
    return Design(components=components, flows=flows, safeguards=safeguards)

"""A drawing as the design model: its boxes as components under the same canonical names as speech, its arrows
as flows, a replica drawn beside a component as its safeguard, each with the time the drawing was read.

Box labels are matched with the catalogue speech uses (prompts/design/components.toml), as typed text, since
a label is never misheard, and as a noun on its own ("Database" on a box is "the database"); a label the
catalogue does not know is kept as written, its kind told by its shape (a cylinder is a database, an actor a
client). The parts drawn and the parts said are then paired the way a listener would: the same name however it
is written ("Shortener" and "the shortener service"), and a generic part for a named one of its kind ("a
database" said, "Postgres" drawn).
"""

from __future__ import annotations

import re
from functools import lru_cache

from simulator import prompt_data
from simulator.diagrams.diagram import Box, Diagram, Shape
from simulator.judging.design.catalogue import Entry, catalogue, mentions
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
    for text in (lower, "the " + lower):  # a box's label is a noun by itself: "Cache" is "the cache"
        named = [m for m in mentions(text, heard=False) if not m.alternative]
        if named:
            return named[0].entry
    return None


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


SERVICE_WORDS = {"service", "services", "server", "servers", "svc", "tier", "layer"}


def name_key(name: str) -> str:
    """A component's name with the words that only say it is a service dropped, singular: "Shortener",
    "shortener service" and "Shortener servers" are one part."""
    words = [w for w in re.findall(r"[\w/+.-]+", name.lower()) if w != "the"]
    while len(words) > 1 and words[-1] in SERVICE_WORDS:
        words.pop()
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    return " ".join(words)


@lru_cache(maxsize=None)
def _catalogue_names() -> tuple[frozenset[str], frozenset[str]]:
    """The catalogue's names, and those of its generic parts ("a database", "workers")."""
    entries = catalogue().entries
    return frozenset(e.name for e in entries), frozenset(e.name for e in entries if e.generic)


def _kind_known(part: Component, known: frozenset[str]) -> bool:
    """Whether a part's kind was told by its name or its shape, not taken as a service for want of either: a box
    "Ledger" is no reason to think it is the "API servers" said."""
    return part.name in known or part.kind not in (ComponentKind.SERVICE, ComponentKind.OTHER)


def same_parts(drawn: Design, said: Design) -> list[tuple[str, str]]:
    """The pairs (drawn name, said name) that are one component: the same name however written, then a generic
    part on one side for a part of its kind on the other ("a database" said and "Postgres" drawn, "DB" drawn and
    "Postgres" said), where both kinds are known. A generic part already paired by name covers nothing more, so
    "API servers" said and drawn does not explain an "Analytics service" box."""
    known, generic = _catalogue_names()
    pairs = [(d.name, s.name) for d in drawn.components for s in said.components
             if d.name == s.name or name_key(d.name) == name_key(s.name)]
    drawn_left = [d for d in drawn.components if d.name not in {a for a, _ in pairs}]
    said_left = [s for s in said.components if s.name not in {b for _, b in pairs}]
    by_kind = [(d, s) for d in drawn.components for s in said.components
               if d.kind == s.kind and _kind_known(d, known) and _kind_known(s, known)]
    for d, s in by_kind:
        if (d in drawn_left and (d.name in generic or (s in said_left and s.name in generic))) or \
                (s in said_left and (s.name in generic or (d in drawn_left and d.name in generic))):
            pairs.append((d.name, s.name))
    return pairs

"""The drawing held against the speech: what a sharp interviewer notices comparing the whiteboard with what
was said. Pure functions of the drawing, the design drawn and the design heard; each finding quotes the label
or the sentence it is about, and its rule names the check (the wording is in prompts/design/diagram.toml)."""

from __future__ import annotations

from functools import lru_cache

from simulator import prompt_data
from simulator.diagrams.design import components_by_box, design_from_diagram, same_parts, words
from simulator.diagrams.diagram import Diagram, Heads
from simulator.judging.design.model import Component, ComponentKind, Design, DesignFinding, Quote

LONE_KINDS = {ComponentKind.DATABASE, ComponentKind.CACHE, ComponentKind.QUEUE, ComponentKind.COORDINATION}
CALLERS = {ComponentKind.SERVICE, ComponentKind.WORKER, ComponentKind.GATEWAY, ComponentKind.SCHEDULER}
GUARDS = {"replicas", "failover"}


@lru_cache(maxsize=None)
def _detail() -> dict[str, str]:
    return dict(prompt_data.load("design", "diagram.toml")["detail"])


def _finding(rule: str, component: str | None, quote: Quote, **fill: object) -> DesignFinding:
    return DesignFinding(rule, component, _detail()[rule].format(**fill), quote)


def hold_against(diagram: Diagram, said: Design | None, said_text: str, at: float | None = None) -> list[DesignFinding]:
    """Every finding of the drawing against the speech, in a fixed order: the same drawing and answer always give
    the same findings."""
    parts = components_by_box(diagram, at)
    drawn = design_from_diagram(diagram, at, parts)
    said = said or Design()
    pairs = same_parts(drawn, said)
    out: list[DesignFinding] = []
    out += _compare(drawn, said, pairs)
    out += _lone_stateful(diagram, drawn, said, parts, pairs)
    out += _wiring(diagram, parts, at)
    out += _sloppy(diagram, at)
    out += _said_but_missing(drawn, said_text)
    return out


def _compare(drawn: Design, said: Design, pairs: list[tuple[str, str]]) -> list[DesignFinding]:
    if not drawn.components:
        return []
    explained, on_board = {a for a, _ in pairs}, {b for _, b in pairs}
    out = [_finding("drawn_not_explained", c.name, c.quote, name=c.quote.text) for c in drawn.components
           if c.name not in explained and c.kind != ComponentKind.CLIENT]
    out += [_finding("explained_not_drawn", c.name, c.quote, name=c.name) for c in said.components
            if c.name not in on_board and c.kind != ComponentKind.CLIENT]
    return out


def _neighbours(diagram: Diagram) -> dict[str, set[str]]:
    around: dict[str, set[str]] = {}
    for edge in diagram.edges:
        if edge.source is not None and edge.target is not None and edge.source != edge.target:
            around.setdefault(edge.source, set()).add(edge.target)
            around.setdefault(edge.target, set()).add(edge.source)
    return around


def _lone_stateful(diagram: Diagram, drawn: Design, said: Design, boxes: dict[str, Component],
                   pairs: list[tuple[str, str]]) -> list[DesignFinding]:
    """A stateful component drawn once that two or more parts depend on (or the only one of its kind that
    anything uses), with no replica or standby drawn or said (under any name it was said by)."""
    around = _neighbours(diagram)
    out = []
    for component in drawn.components:
        if component.kind not in LONE_KINDS or (component.count or 1) > 1:
            continue
        names = {component.name} | {b for a, b in pairs if a == component.name}
        guarded = {s.kind for s in drawn.guarded(component.name)} | {s.kind for n in names for s in said.guarded(n)}
        heard = [h for n in names if (h := said.named(n)) is not None]
        if guarded & GUARDS or any((h.count or 1) > 1 for h in heard):
            continue
        users = {n for b, c in boxes.items() if c.name == component.name for n in around.get(b, ())}
        same_kind = [c for c in drawn.components if c.kind == component.kind]
        if len(users) >= 2 or (users and len(same_kind) == 1):
            names = sorted({(boxes[u].quote.text if boxes.get(u) else "an unlabelled box") for u in users})
            out.append(_finding("lone_stateful", component.name, component.quote, name=component.quote.text,
                                users=_listed(names)))
    return out


def _wiring(diagram: Diagram, parts: dict[str, Component], at: float | None) -> list[DesignFinding]:
    """Clients straight to a database; several services on one database."""
    out = []
    callers: dict[str, set[str]] = {}
    for edge in diagram.edges:
        a, b = parts.get(edge.source or ""), parts.get(edge.target or "")
        if a is None or b is None:
            continue
        for one, other in ((a, b), (b, a)):
            if one.kind == ComponentKind.CLIENT and other.kind == ComponentKind.DATABASE:
                wire = Quote(f"{one.quote.text} → {other.quote.text}", at)
                out.append(_finding("client_to_database", other.name, wire, source=one.quote.text,
                                    target=other.quote.text))
            if one.kind in CALLERS and other.kind == ComponentKind.DATABASE:
                callers.setdefault(other.quote.text, set()).add(one.quote.text)
    for database, users in sorted(callers.items()):
        if len(users) >= 2:
            names = _listed(sorted(users))
            named = _component_named(parts, database)
            out.append(_finding("shared_database", named, Quote(f"{names} → {database}", at), names=names,
                                name=database))
    return out


def _component_named(parts: dict[str, Component], label: str) -> str | None:
    return next((c.name for c in parts.values() if c.quote.text == label), None)


def _sloppy(diagram: Diagram, at: float | None) -> list[DesignFinding]:
    """Arrows attached to nothing, boxes with no label, lines with no direction."""
    names = {b.id: b.label or "an unlabelled box" for b in diagram.boxes}
    out = []
    for edge in diagram.edges:
        loose = [end for end, box in (("its start", edge.source), ("its end", edge.target)) if box is None]
        if loose:
            ends = "either end" if len(loose) == 2 else loose[0]
            label = f" labelled \"{edge.label}\"" if edge.label else ""
            out.append(_finding("arrow_to_nothing", None, Quote(edge.label or "(an arrow)", at), label=label,
                                ends=ends))
    blank = [b for b in diagram.boxes if not b.label]
    if blank:
        rule = "unlabelled_box" if len(blank) == 1 else "unlabelled_boxes"
        out.append(_finding(rule, None, Quote("(a box with no label)", at), count=len(blank)))
    lines = [f"{names[e.source]} — {names[e.target]}" for e in diagram.edges
             if e.heads == Heads.NONE and e.source in names and e.target in names]
    if lines:
        out.append(_finding("undirected", None, Quote("; ".join(lines), at), names="; ".join(lines)))
    return out


def _said_but_missing(drawn: Design, said: str) -> list[DesignFinding]:
    """What the answer said it needs and the drawing does not have, quoting the sentence that said it."""
    kinds = {c.kind for c in drawn.components}
    lower = said.lower()
    source = said if len(lower) == len(said) else lower  # positions found in the lowercase text fit the original
    out = []
    for words_key, kind, rule in (("read_heavy", ComponentKind.CACHE, "read_heavy_no_cache"),
                                  ("asynchronous", ComponentKind.QUEUE, "async_no_queue")):
        found = words()[words_key].search(lower)
        if found and kind not in kinds:
            out.append(_finding(rule, None, Quote(_sentence(source, found.start()), None)))
    return out


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _sentence(text: str, at: int) -> str:
    """The sentence around a match, as the quote."""
    start = max(text.rfind(". ", 0, at) + 2, 0) if text.rfind(". ", 0, at) >= 0 else 0
    end = text.find(". ", at)
    return text[start:end + 1 if end >= 0 else len(text)].strip()



"""The candidate's design as heard: what they built, what they chose and why, their figures and flows.

Built from the sentences of an answer (and, later, from a diagram), saved with the analysis, and read by
the checks, the follow-ups, the report and the page. Every item keeps the sentence it came from, so a
finding or a follow-up can quote the candidate's own words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from simulator.json_shape import is_finite, is_kind
from simulator.vocab import Word

SECONDS = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0, "week": 604800.0, "month": 2592000.0,
           "year": 31536000.0}  # a month is 30 days


class ComponentKind(Word):
    CLIENT = "client"
    LOAD_BALANCER = "load_balancer"
    GATEWAY = "gateway"
    SERVICE = "service"
    WORKER = "worker"
    CACHE = "cache"
    DATABASE = "database"
    QUEUE = "queue"
    OBJECT_STORE = "object_store"
    CDN = "cdn"
    SEARCH_INDEX = "search_index"
    COORDINATION = "coordination"
    SCHEDULER = "scheduler"
    OTHER = "other"


class Source(Word):
    """Where an item of the design was found."""

    SPEECH = "speech"
    DIAGRAM = "diagram"


@dataclass(frozen=True)
class Quote:
    """The sentence an item came from and when it was said (None for typed answers)."""

    text: str
    at: float | None = None


@dataclass(frozen=True)
class Component:
    name: str  # canonical: "Postgres", "Kafka", "load balancer", "API servers"
    kind: ComponentKind
    quote: Quote  # the sentence that introduced it
    source: Source = Source.SPEECH
    stateful: bool = False
    count: int | None = None  # "one Postgres instance" → 1; None when not said


@dataclass(frozen=True)
class Choice:
    chosen: str  # a component name
    over: tuple[str, ...]  # the alternatives named ("Cassandra"); empty when none was
    reason: str | None  # the reason as said; None when no reason was given
    quote: Quote


@dataclass(frozen=True)
class Figure:
    value: float  # as said: 100 million → 1e8
    unit: str  # "requests", "users", "links", "bytes", "servers" ... as said; "" when no unit was said
    period: str | None  # "second", "day", "month", "year"; None for a quantity that is not a rate
    quote: Quote
    said: str  # the figure's own words: "100 million new links a day"
    per: str | None = None  # what a quantity is per, when not a time: "500 bytes per link" → "link"

    @property
    def per_second(self) -> float | None:
        """The rate per second (a day is 86,400 s, a month 30 days); None for a quantity that is not a rate."""
        return self.value / SECONDS[self.period] if self.period in SECONDS else None


@dataclass(frozen=True)
class Flow:
    source: str  # component names
    target: str
    label: str | None
    quote: Quote


@dataclass(frozen=True)
class Safeguard:
    """Failure handling said for a component: replicas, failover, retries, leases, idempotency ..."""

    component: str
    kind: str
    quote: Quote


@dataclass(frozen=True)
class Design:
    components: list[Component] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)
    safeguards: list[Safeguard] = field(default_factory=list)

    def named(self, name: str) -> Component | None:
        return next((c for c in self.components if c.name == name), None)

    @property
    def empty(self) -> bool:
        """Nothing of a design was heard: no component, choice, figure, flow or safeguard."""
        return not (self.components or self.choices or self.figures or self.flows or self.safeguards)

    def guarded(self, name: str) -> list[Safeguard]:
        """The failure handling said for one component."""
        return [s for s in self.safeguards if s.component == name]

    def to_json(self) -> dict[str, Any]:
        return _design_to_json(self)

    @classmethod
    def from_json(cls, data: Any) -> Design:
        """A design as to_json wrote it; ValueError for anything else."""
        return _design_from_json(data)


@dataclass(frozen=True)
class DesignFinding:
    """A check a sharp interviewer makes, with the rule that fired and the candidate's words it fired on."""

    rule: str  # the rule's id in prompts/design/checks.toml, e.g. "lone_stateful", "arithmetic"
    component: str | None  # the component it is about, when it is about one
    detail: str  # one sentence a candidate reads: what is off and why
    quote: Quote


# --- the JSON form, saved with the analysis and read back strictly: ValueError on any other shape ----------


def _quote(q: Quote) -> dict[str, Any]:
    return {"text": q.text, "at": q.at}


def _design_to_json(design: Design) -> dict[str, Any]:
    return {
        "components": [{"name": c.name, "kind": str(c.kind), "quote": _quote(c.quote), "source": str(c.source),
                        "stateful": c.stateful, "count": c.count} for c in design.components],
        "choices": [{"chosen": c.chosen, "over": list(c.over), "reason": c.reason, "quote": _quote(c.quote)}
                    for c in design.choices],
        "figures": [{"value": f.value, "unit": f.unit, "period": f.period, "per": f.per, "said": f.said,
                     "quote": _quote(f.quote)} for f in design.figures],
        "flows": [{"source": f.source, "target": f.target, "label": f.label, "quote": _quote(f.quote)}
                  for f in design.flows],
        "safeguards": [{"component": s.component, "kind": s.kind, "quote": _quote(s.quote)}
                       for s in design.safeguards],
    }


def _design_from_json(data: Any) -> Design:
    table = _table(data, "the design")
    return Design([_component(c) for c in _list(table, "components")],
                  [_choice(c) for c in _list(table, "choices")],
                  [_figure(f) for f in _list(table, "figures")],
                  [_flow(f) for f in _list(table, "flows")],
                  [_safeguard(s) for s in _list(table, "safeguards")])


def _table(data: Any, what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValueError(f"{what} is not an object")
    return data


def _list(table: dict[str, Any], key: str) -> list[Any]:
    value = table.get(key)
    if not isinstance(value, list):
        raise ValueError(f"the design's {key} is not a list")
    return value


def _text(table: dict[str, Any], key: str, none: bool = False) -> Any:
    value = table.get(key)
    if value is None and none and key in table:
        return None
    if not is_kind(value, str):
        raise ValueError(f"a design {key} is not a string")
    return value


def _number(table: dict[str, Any], key: str, none: bool = False) -> Any:
    value = table.get(key)
    if value is None and none and key in table:
        return None
    if not is_finite(value):
        raise ValueError(f"a design {key} is not a number")
    return value


def _quote_from(data: Any) -> Quote:
    table = _table(data, "a design quote")
    return Quote(_text(table, "text"), _number(table, "at", none=True))


def _component(data: Any) -> Component:
    table = _table(data, "a design component")
    kind, source = _text(table, "kind"), _text(table, "source")
    if kind not in ComponentKind.values() or source not in Source.values():
        raise ValueError(f"a design component has kind {kind!r:.30} or source {source!r:.30} not known")
    stateful, count = table.get("stateful"), table.get("count")
    if not is_kind(stateful, bool) or not (count is None or is_kind(count, int)):
        raise ValueError("a design component's stateful or count is not of its kind")
    return Component(_text(table, "name"), ComponentKind(kind), _quote_from(table.get("quote")), Source(source),
                     stateful, count)


def _choice(data: Any) -> Choice:
    table = _table(data, "a design choice")
    over = table.get("over")
    if not isinstance(over, list) or not all(is_kind(o, str) for o in over):
        raise ValueError("a design choice's over is not a list of strings")
    return Choice(_text(table, "chosen"), tuple(over), _text(table, "reason", none=True),
                  _quote_from(table.get("quote")))


def _figure(data: Any) -> Figure:
    table = _table(data, "a design figure")
    return Figure(float(_number(table, "value")), _text(table, "unit"), _text(table, "period", none=True),
                  _quote_from(table.get("quote")), _text(table, "said"), _text(table, "per", none=True))


def _flow(data: Any) -> Flow:
    table = _table(data, "a design flow")
    return Flow(_text(table, "source"), _text(table, "target"), _text(table, "label", none=True),
                _quote_from(table.get("quote")))


def _safeguard(data: Any) -> Safeguard:
    table = _table(data, "a design safeguard")
    return Safeguard(_text(table, "component"), _text(table, "kind"), _quote_from(table.get("quote")))

"""The candidate's design as heard: what they built, what they chose and why, their figures and flows.

Built from the sentences of an answer (and, later, from a diagram), saved with the analysis, and read by
the checks, the follow-ups, the report and the page. Every item keeps the sentence it came from, so a
finding or a follow-up can quote the candidate's own words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from simulator.vocab import Word


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
        from simulator.judging.design.figures import per_second

        return per_second(self)


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
        from simulator.judging.design.shape import design_to_json

        return design_to_json(self)

    @classmethod
    def from_json(cls, data: Any) -> Design:
        """A design as to_json wrote it; ValueError for anything else."""
        from simulator.judging.design.shape import design_from_json

        return design_from_json(data)


@dataclass(frozen=True)
class DesignFinding:
    """A check a sharp interviewer makes, with the rule that fired and the candidate's words it fired on."""

    rule: str  # the rule's id in prompts/design/checks.toml, e.g. "lone_stateful", "arithmetic"
    component: str | None  # the component it is about, when it is about one
    detail: str  # one sentence a candidate reads: what is off and why
    quote: Quote
    slip: str | None = None  # the classic slip a figure check named ("day_month", "bits_bytes"), if one
    said: str | None = None  # a figure check's figure, in the candidate's words
    against: str | None = None  # the interviewer's figure it contradicts, in the interviewer's words

"""Names put aside in the same breath they are said: taken back for another of their kind ("Logstash, no, we use
Fluentd"), or listed after one rejected outright ("I thought about Databricks and Delta Lake, but"). Read over a
sentence's mentions and words, so the catalogue's reading stays one pass."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from simulator.judging.design.phrasebook import Token


class _Named(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> object: ...


class Mention(Protocol):
    """What these rules read of a catalogue mention (catalogue.Mention), without importing the catalogue."""

    @property
    def entry(self) -> _Named: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def firmly(self) -> bool: ...

CORRECTING = {"wait", "sorry", "actually", "let", "we", "i", "make", "scratch", "rather"}  # after "X, no"
LIST_WORDS = {"and", "or", "nor", "plus", "either", "even"}  # between two names of one list


def corrected(mention: Mention, found: Sequence[Mention], lower: str, toks: list[Token]) -> bool:
    """Whether a name is taken back as soon as it is said, for one of its kind named after: "Logstash, no, we use
    Fluentd", "Spark, no wait, let me use Flink"; not "Redis, no TTL, holds the sessions"."""
    after = [k for k, t in enumerate(toks) if t.start >= mention.end][:4]
    at = next((k for k in after if toks[k].text == "no"), None)
    if at is None or not any(m.start > toks[at].end and m.entry.kind == mention.entry.kind
                             and m.entry.name != mention.entry.name for m in found):
        return False
    then = toks[at + 1].text if at + 1 < len(toks) else ""
    return lower[toks[at].end:toks[at].end + 1] in (",", ".") or then in CORRECTING


def listed_after_rejected(found: Sequence[Mention], toks: list[Token], at: int) -> bool:
    """Whether a name is listed right after one rejected outright: "I thought about Databricks and Delta Lake,
    but", "instead of Kafka or RabbitMQ"."""
    if not found or not found[-1].firmly:
        return False
    between = [t.text for t in toks[:at] if t.start >= found[-1].end]
    return len(between) <= 2 and bool(between) and set(between) <= LIST_WORDS

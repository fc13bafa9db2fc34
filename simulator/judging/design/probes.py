"""Pressure on the candidate's own design: the knowledge base (prompts/design/knowledge.toml), the probe on a
named choice or component, the question a finding becomes, and whether a question was already settled.

Every question here is filled only with the candidate's own words (their components, their alternatives,
their figures), and comes with the rule and the quote that chose it, so the report can say why it was asked.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from simulator import prompt_data
from simulator.judging.design.catalogue import catalogue
from simulator.judging.design.model import Component, ComponentKind, Design, DesignFinding, Quote
from simulator.text import shorten

PLACEHOLDER = re.compile(r"\{(\w+)\}")
DETERMINER = r"(?i)\b(a|an|the|your|one|each|every|our)\s+"  # "one {component}": no "the" added
QUOTE_LIMIT = 90


@dataclass(frozen=True)
class Entry:
    """What is known of one component or pattern."""

    name: str
    group: str
    over: tuple[str, ...]
    costs: str
    fails: str
    probes: tuple[str, ...]
    words: tuple[str, ...] = ()  # patterns only: the phrases that mean the candidate used it


@dataclass(frozen=True)
class Pressed:
    """A question on the candidate's design, with what chose it: the rule and the candidate's words."""

    question: str
    rule: str  # a check's id, "probe" for a named choice or component, or "pattern"
    component: str | None
    quote: Quote


@lru_cache(maxsize=None)
def knowledge() -> dict[str, Entry]:
    data = prompt_data.load("design", "knowledge.toml")
    return {e["name"]: Entry(e["name"], e["group"], tuple(e.get("over", ())), e.get("costs", ""), e.get("fails", ""),
                             tuple(e["probes"]), tuple(w.lower() for w in e.get("words", ())))
            for e in data["entry"]}


@lru_cache(maxsize=None)
def _phrasings() -> dict[str, tuple[str, ...]]:
    return {f["rule"]: tuple(f["questions"]) for f in prompt_data.load("followups.toml").get("finding", [])}


@lru_cache(maxsize=None)
def _fronts() -> dict[str, tuple[str, ...]]:
    return {k: tuple(v) for k, v in prompt_data.load("design", "knowledge.toml").get("fronts", {}).items()}


def other_of(component: str, design: Design) -> str | None:
    """The component this one calls or sits in front of, from the candidate's flows; failing that, for a part
    that fronts a store (a cache, a CDN, a balancer), the first of the kinds it usually fronts."""
    ahead = [f.target for f in design.flows if f.source == component and f.target != component]
    if ahead:
        return ahead[0]
    me = design.named(component)
    if me is None:
        return None
    kinds = _fronts().get(str(me.kind), ())
    for kind in kinds:
        found = next((c.name for c in design.components if str(c.kind) == kind and c.name != component), None)
        if found is not None:
            return found
    behind = [f.source for f in design.flows if f.target == component and f.source != component]
    return behind[0] if behind else None


@lru_cache(maxsize=None)
def _proper() -> frozenset[str]:
    """The components said by their own name ("Redis"); the rest are parts said in ordinary words."""
    with_article = {e["name"] for e in prompt_data.load("design", "knowledge.toml")["entry"] if e.get("article")}
    return frozenset(e.name for e in catalogue().entries if not e.generic and e.name not in with_article)


def fill(template: str, values: dict[str, str | None]) -> str | None:
    """The template with every placeholder filled, or None when one has nothing of the candidate's to fill.
    A part said in ordinary words reads "the cache" unless the template puts its own word before it."""
    names = PLACEHOLDER.findall(template)
    if any(not values.get(n) for n in names):
        return None
    text = template
    for name in names:
        value = str(values[name])
        if name in ("component", "other") and value not in _proper():
            text = re.sub(DETERMINER + re.escape("{" + name + "}"), lambda m: f"{m.group(1)} {value}", text)
            value = f"the {value}"
        text = text.replace("{" + name + "}", value)
    return text[0].upper() + text[1:] if text else text


def finding_question(finding: DesignFinding, design: Design, rng: random.Random,
                     asked: set[str] = frozenset()) -> Pressed | None:  # type: ignore[assignment]
    """The question a sharp interviewer asks about one finding, in the candidate's words."""
    values: dict[str, str | None] = {
        "component": finding.component, "said": f"“{finding.said}”" if finding.said else None,
        "fact": f"“{finding.against}”" if finding.against else None,
        "quote": f"“{shorten(finding.quote.text, QUOTE_LIMIT)}”",
        "other": other_of(finding.component, design) if finding.component else None,
        "over": _over(finding.component, design) if finding.component else None,
    }
    options = [q for q in (fill(t, values) for t in _phrasings().get(finding.rule, ())) if q]
    fresh = [q for q in options if _norm(q) not in asked]
    if not fresh:
        return None
    return Pressed(rng.choice(fresh), finding.rule, finding.component, finding.quote)


def _over(component: str, design: Design) -> str | None:
    choice = next((c for c in design.choices if c.chosen == component and c.over), None)
    return " and ".join(choice.over) if choice is not None else None


def probes(design: Design, text: str, rng: random.Random, asked: set[str] = frozenset(),  # type: ignore[assignment]
           skip: Sequence[str] = ()) -> list[Pressed]:
    """Probes on the candidate's own parts, named choices first, then the stateful parts in the order named,
    then the rest, then the patterns they said; skip: components already pressed by a finding."""
    known = knowledge()
    chosen = [c.chosen for c in design.choices]
    order = sorted(design.components, key=lambda c: (0 if c.name in chosen else 1 if c.stateful else 2,
                                                     design.components.index(c)))
    out: list[Pressed] = []
    for component in order:
        entry = known.get(component.name)
        if entry is None or component.name in skip or component.kind == ComponentKind.CLIENT:
            continue
        pressed = _probe(entry, component, design, rng, asked)
        if pressed is not None:
            out.append(pressed)
    lowered = text.lower()
    for entry in known.values():
        said = next((w for w in entry.words if re.search(rf"(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])", lowered)),
                    None)
        if said is None:
            continue
        quote = next((Quote(s) for s in re.split(r"(?<=[.!?])\s+", text) if said in s.lower()), Quote(said))
        options = [q for q in entry.probes if "{" not in q and _norm(q) not in asked]
        if options:
            out.append(Pressed(rng.choice(options), "pattern", None, quote))
    return out


def _probe(entry: Entry, component: Component, design: Design, rng: random.Random,
           asked: set[str]) -> Pressed | None:
    choice = next((c for c in design.choices if c.chosen == component.name), None)
    values: dict[str, str | None] = {"component": component.name, "other": other_of(component.name, design),
                                     "over": " and ".join(choice.over) if choice is not None and choice.over
                                     else None}
    pairs = [(t, q) for t, q in ((t, fill(t, values)) for t in entry.probes) if q and _norm(q) not in asked]
    if not pairs:
        return None
    # the richest first: a probe naming the candidate's alternative or neighbour says most of their own design
    richest = max(len(PLACEHOLDER.findall(t)) for t, _ in pairs)
    best = [q for t, q in pairs if len(PLACEHOLDER.findall(t)) == richest]
    quote = choice.quote if choice is not None else component.quote
    return Pressed(rng.choice(best), "probe", component.name, quote)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass(frozen=True)
class Settled:
    """Why a question is moot: the topic it is about and the candidate's words that already answer it."""

    topic: str
    said: str
    quote: str


@lru_cache(maxsize=None)
def _topics() -> tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...]:
    return tuple((t["topic"], tuple(w.lower() for w in t["asks"]), tuple(w.lower() for w in t.get("answers", ())),
                  tuple(t.get("components", ())))
                 for t in prompt_data.load("followups.toml").get("settled", []))


def settled(question: str, design: Design, text: str) -> Settled | None:
    """Whether the answer already settled a question: the question is about a topic (its words), and the
    answer said one of the topic's answers or named one of its components. None when it did not."""
    q = question.lower()
    lowered = text.lower()
    for topic, asks, answers, components in _topics():
        if not any(_has(q, w) for w in asks):
            continue
        named = next((c for c in design.components if c.name in components), None)
        if named is not None:
            return Settled(topic, named.name, named.quote.text)
        word = next((w for w in answers if _has(lowered, w)), None)
        if word is not None:
            sentence = next((s for s in re.split(r"(?<=[.!?])\s+", text) if _has(s.lower(), word)), word)
            return Settled(topic, word, sentence)
    return None


def _has(text: str, phrase: str) -> bool:
    stem = phrase.endswith("*")
    body = re.escape(phrase.rstrip("*"))
    return re.search(rf"(?<![a-z0-9]){body}{'' if stem else '(?![a-z0-9])'}", text) is not None

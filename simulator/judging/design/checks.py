"""The checks a sharp interviewer makes on the candidate's design, each quoted and explained.

The rules are data (prompts/design/checks.toml) over the design model: which component kinds they look at,
whether the component is alone and on the request path, which failure handling or words settle it. This
module only interprets them (no expressions are evaluated). The figure checks (arithmetic, the
interviewer's own figures) come from arithmetic.py. The same design always gives the same findings, sharpest
first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from simulator import prompt_data
from simulator.judging.design.arithmetic import ArithmeticRules, Cls, Slip, check_estimates, read_terms
from simulator.judging.design.arithmetic import load_rules as arithmetic_rules
from simulator.judging.design.model import Component, ComponentKind, Design, DesignFinding, Figure
from simulator.judging.design.probes import fill
from simulator.judging.design.told import Contradiction, contradictions
from simulator.text import split_sentences

FRONT = (ComponentKind.CLIENT, ComponentKind.LOAD_BALANCER, ComponentKind.GATEWAY, ComponentKind.CDN)


@dataclass(frozen=True)
class Rule:
    id: str
    weight: float
    detail: str
    about: str = "figure"  # "component", "choice" or "figure"
    kinds: tuple[str, ...] = ()
    stateful: bool = False
    skip_kinds: tuple[str, ...] = ()
    skip_names: tuple[str, ...] = ()
    lone: bool = False
    on_path: bool = False
    safeguards: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    scope: str = "answer"

    def settled_by(self, text: str) -> str | None:
        """The first of the rule's words said in text, or None."""
        if not self.words:
            return None
        found = _pattern(self.words).search(text)
        return found.group(0) if found else None


@lru_cache(maxsize=None)
def load_rules() -> dict[str, Rule]:
    out = {}
    for r in prompt_data.load("design", "checks.toml")["rule"]:
        out[r["id"]] = Rule(r["id"], float(r["weight"]), r["detail"], r.get("about", "figure"),
                            tuple(r.get("kinds", ())), bool(r.get("stateful", False)), tuple(r.get("skip_kinds", ())),
                            tuple(r.get("skip_names", ())),
                            bool(r.get("lone", False)), bool(r.get("on_path", False)),
                            tuple(r.get("safeguards", ())), tuple(w.lower() for w in r.get("words", ())),
                            r.get("scope", "answer"))
    return out


@lru_cache(maxsize=None)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Any of a rule's words in lowercase text: whole words, or the start of a word for "word*"."""
    parts = [re.escape(w.rstrip("*")) + ("" if w.endswith("*") else r"(?![a-z0-9])") for w in words]
    return re.compile(rf"(?<![a-z0-9])(?:{'|'.join(parts)})")


def _said(word: str, text: str) -> bool:
    return _pattern((word,)).search(text) is not None


def check_design(design: Design, text: str = "", facts: Sequence[Figure] = ()) -> list[DesignFinding]:
    """Every finding on a design, sharpest first; text: the whole answer as said (for the words that settle a
    rule); facts: the figures the interviewer gave (the question's sheet, clarification replies)."""
    rules = load_rules()
    found: list[tuple[float, int, DesignFinding]] = []
    for order, slip in enumerate(check_estimates(design.figures)):
        rule = rules[slip.rule]
        found.append((rule.weight, order, _slip_finding(slip, rule)))
    for order, c in enumerate(contradictions(design.figures, facts)):
        rule = rules["contradiction"]
        found.append((rule.weight, order, _contradiction_finding(c, rule)))
    lowered = text.lower()
    sentences = [s.lower() for s in split_sentences(text)]
    for rule in rules.values():
        if rule.about == "component":
            for order, component in enumerate(design.components):
                if _fires(rule, component, design, lowered, sentences):
                    detail = fill(rule.detail, {"component": component.name}) or rule.detail
                    found.append((rule.weight, order, DesignFinding(rule.id, component.name, detail,
                                                                    component.quote)))
        elif rule.about == "choice":
            for order, choice in enumerate(design.choices):
                if choice.reason is None:
                    over = f" over {' and '.join(choice.over)}" if choice.over else ""
                    detail = (fill(rule.detail.replace("{over}", over), {"component": choice.chosen})
                              or rule.detail)
                    found.append((rule.weight, order, DesignFinding(rule.id, choice.chosen, detail, choice.quote)))
    found.sort(key=lambda f: (-f[0], f[1]))
    return [f for _, _, f in found]


def _fires(rule: Rule, component: Component, design: Design, text: str, sentences: list[str]) -> bool:
    kind = str(component.kind)
    if kind in rule.skip_kinds or component.name in rule.skip_names:
        return False
    if kind not in rule.kinds and not (rule.stateful and component.stateful):
        return False
    if rule.lone and (component.count or 1) > 1:
        return False
    if rule.on_path and not on_request_path(component, design):
        return False
    if any(s.component == component.name and s.kind in rule.safeguards for s in design.safeguards):
        return False
    where = mentions(component, sentences) if rule.scope == "component" else text
    return rule.settled_by(where) is None


def mentions(component: Component, sentences: list[str]) -> str:
    """The answer's sentences (lowercased) that name the component, and the one that introduced it."""
    name = component.name.lower()
    return " ".join([component.quote.text.lower(), *(s for s in sentences if name in s and _said(name, s))])


def on_request_path(component: Component, design: Design) -> bool:
    """In no flow at all (nothing says it is off the path), or reached by the flows from the client side."""
    named = {f.source for f in design.flows} | {f.target for f in design.flows}
    if component.name not in named:
        return True
    kinds = {c.name: c.kind for c in design.components}
    start = [n for n in named if kinds.get(n) in FRONT or kinds.get(n) == ComponentKind.SERVICE]
    seen, todo = set(start), list(start)
    while todo:
        here = todo.pop()
        for flow in design.flows:
            if flow.source == here and flow.target not in seen:
                seen.add(flow.target)
                todo.append(flow.target)
    return component.name in seen


def _quoted(figure: Figure) -> str:
    return f"“{figure.said}”"


def _slip_finding(slip: Slip, rule: Rule) -> DesignFinding:
    basis = " and ".join(_quoted(f) for f in slip.basis)
    classic = f"; the classic slip: {slip.classic.words}" if slip.classic is not None else ""
    detail = rule.detail.format(said=_quoted(slip.figure), basis=basis, expected=spoken(slip.expected, slip.figure),
                                slip=classic)
    name = slip.classic.name if slip.classic is not None else None
    return DesignFinding(rule.id, None, detail, slip.figure.quote, slip=name, said=slip.figure.said)


def _contradiction_finding(c: Contradiction, rule: Rule) -> DesignFinding:
    fact = f"the interviewer said {_quoted(c.fact)}"
    if c.swapped:
        extra, name = "; that number counts something else: users taken for requests, or back", "users_requests"
    elif c.classic is not None:
        extra, name = f"; the classic slip: {c.classic.words}", c.classic.name
    else:
        extra, name = "", None
    detail = rule.detail.format(said=_quoted(c.figure), fact=fact, slip=extra)
    return DesignFinding(rule.id, None, detail, c.figure.quote, slip=name, said=c.figure.said, against=c.fact.said)


SCALE_WORDS = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand"))
BYTE_WORDS = ((1e15, "PB"), (1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "KB"))


def spoken(value: float, figure: Figure, rules: ArithmeticRules | None = None) -> str:
    """A value in a figure's own unit and period, as a person says it: "1,160 a second", "270 TB"."""
    rules = rules or arithmetic_rules()
    term = read_terms([figure], rules)[0]
    period = f" a {figure.period}" if figure.period else ""
    if term.cls == Cls.BYTES:
        size, word = next(((v, w) for v, w in BYTE_WORDS if value >= v), (1.0, "bytes"))
        return f"{_round(value / size)} {word}{period}"
    if term.cls == Cls.BITS:
        size, word = next(((v, w) for v, w in ((1e9, "gigabits"), (1e6, "megabits"), (1e3, "kilobits"))
                           if value >= v), (1.0, "bits"))
        return f"{_round(value / size)} {word}{period}"
    noun = f" {figure.unit}" if figure.unit and term.cls in (Cls.SERVERS, Cls.PEOPLE) else ""
    if value >= 1e5:
        size, word = next((v, w) for v, w in SCALE_WORDS if value >= v)
        return f"{_round(value / size)} {word}{noun}{period}"
    return f"{_round(value)}{noun}{period}"


def _round(value: float) -> str:
    """Three significant figures, thousands separated: 1,157 → "1,160", 38.58 → "38.6"."""
    rounded = float(f"{value:.3g}")
    return f"{int(rounded):,}" if rounded >= 100 else f"{rounded:g}"

"""The candidate's figures against the interviewer's own: the question's fact sheet and the clarification
replies, given as plain figures. A rate three times off the interviewer's rate of the same thing is flagged,
naming the classic slip (a day taken for a month); so is the interviewer's number of users given as requests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from simulator.judging.design.arithmetic import (TINY, ArithmeticRules, ClassicSlip, Cls, Term, classic_slip, family,
                                                 load_rules, off, read_terms)
from simulator.judging.design.model import Figure


@dataclass(frozen=True)
class Contradiction:
    """A figure of the candidate's against the interviewer's own (the sheet or a clarification)."""

    figure: Figure
    fact: Figure
    classic: ClassicSlip | None = None
    swapped: bool = False  # users taken for requests, or back: the same number, another thing counted


def contradictions(figures: Sequence[Figure], facts: Sequence[Figure],
                   rules: ArithmeticRules | None = None) -> list[Contradiction]:
    """The candidate's rates three times off or more from the interviewer's rate of the same thing, or the
    interviewer's number of users given as requests (or back); each fact contradicted once, first time said."""
    rules = rules or load_rules()
    known = [t for t in read_terms(facts, rules) if t.per is not None and t.cls in (Cls.COUNT, Cls.PEOPLE)]
    generic = rules.units.get("generic", ())
    out: list[Contradiction] = []
    used: set[int] = set()
    for c in read_terms(figures, rules):
        if c.per is None or c.peak or c.cls not in (Cls.COUNT, Cls.PEOPLE) or not c.noun:
            continue
        alike = [k for k in known if k.cls == c.cls and c.noun not in generic
                 and (c.cls == Cls.PEOPLE or _same_thing(c, k, rules))]
        if alike:
            fact = min(alike, key=lambda k: off(c.value / c.per, k.value / k.per))  # type: ignore[operator]
            ratio = (c.value / c.per) / (fact.value / fact.per)  # type: ignore[operator]
            if max(ratio, 1 / ratio) < rules.tolerance * (1 - TINY) or id(fact) in used:
                continue
            used.add(id(fact))
            out.append(Contradiction(c.figure, fact.figure, classic_slip(c, (fact,), ratio, rules)))
            continue
        swapped = [k for k in known if k.cls != c.cls and k.per == c.per and k.noun
                   and off(c.value, k.value) < rules.classic_margin and id(k) not in used]
        if swapped:
            used.add(id(swapped[0]))
            out.append(Contradiction(c.figure, swapped[0].figure, swapped=True))
    return out


def _same_thing(a: Term, b: Term, rules: ArithmeticRules) -> bool:
    if a.noun.removeprefix("new ") == b.noun.removeprefix("new "):
        return True
    fa = family(a.noun, rules)
    return fa is not None and fa == family(b.noun, rules)

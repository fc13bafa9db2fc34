"""The candidate's figures against the interviewer's own: the question's fact sheet and the clarification
replies, given as plain figures. A rate three times off the interviewer's rate of the same thing is flagged,
naming the classic slip (a day taken for a month); so is the interviewer's number of users given as requests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from simulator.judging.design.arithmetic import (TINY, ArithmeticRules, ClassicSlip, Cls, Term, any_word, classic_slip,
                                                 load_rules, off, read_terms, singular)
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
    told = read_terms(facts, rules)
    known = [t for t in told if t.per is not None and t.cls in (Cls.COUNT, Cls.PEOPLE)]
    factors = {t.figure.quote: t.value for t in told if t.cls == Cls.MULTIPLIER}  # "three times that at peak"
    generic = rules.units.get("generic", ())
    out: list[Contradiction] = []
    used: set[int] = set()
    terms = read_terms(figures, rules)
    peaks = [t.value / t.per for t in terms if t.peak and t.per]  # type: ignore[operator]
    for c in terms:
        if c.per is None or c.peak or c.cls not in (Cls.COUNT, Cls.PEOPLE) or not c.noun:
            continue
        rate = c.value / c.per
        if any(off(rate, p) < rules.classic_margin for p in peaks):
            continue  # the candidate's own peak, said again
        alike = [k for k in known if k.cls == c.cls and c.noun not in generic
                 and (c.cls == Cls.PEOPLE or _same_thing(c, k))]
        if alike:
            fact = min(alike, key=lambda k: off(rate, k.value / k.per))  # type: ignore[operator]
            ratio = rate / (fact.value / fact.per)  # type: ignore[operator]
            peak = factors.get(fact.figure.quote)
            if peak is not None and off(ratio, peak) < rules.tolerance * (1 - TINY):
                continue  # the interviewer's own peak
            if 1 <= ratio <= rules.peak_max and any_word(rules.peak_words).search(fact.figure.quote.text.lower()):
                continue  # the interviewer gave an average and said it peaks higher: any peak above it stands
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


def _same_thing(a: Term, b: Term) -> bool:
    """The same thing counted: the same noun, "new" and a plural aside (a "write" is not a "ride")."""
    return singular(a.noun) == singular(b.noun)

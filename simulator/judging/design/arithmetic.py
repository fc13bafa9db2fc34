"""Back-of-the-envelope arithmetic: which of the candidate's figures follow from the ones said before them,
and which are three times off or more, naming the classic slip where it is one.

A figure is judged only when something said just before it can produce it: a rate in another period, users
times a per-user rate, a rate times a read ratio or a peak factor, items times their size, a daily volume
times the retention and the replicas, a load over one server's capacity. Of those ways, the one closest to
what was said is taken, so a figure is flagged only when no reading of it comes near. Figures that follow
from nothing (the candidate's own assumptions) are never judged. Thresholds and words: prompts/design/checks.toml.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from simulator import prompt_data
from simulator.judging.design.model import Figure, Quote

TINY = 1e-6  # a figure exactly at the tolerance is flagged
OPERATOR = re.compile(r"(?<![a-z])(?:times|multiplied by|divided by|x|\*)\s*$")
AT_PEAK = re.compile(r"\s*(?:at|during|in)\s+(?:the\s+|its\s+)?(?:peak|busiest)")  # "4 thousand a second at peak"


class Cls:
    """What a figure counts, after its unit is read."""

    COUNT = "count"
    PEOPLE = "people"
    BYTES = "bytes"
    BITS = "bits"
    SERVERS = "servers"
    REPLICAS = "replicas"
    MULTIPLIER = "multipliers"
    DURATION = "duration"


@dataclass(frozen=True)
class ClassicSlip:
    name: str
    factor: float
    words: str
    units_any: tuple[str, ...] = ()
    periods_any: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArithmeticRules:
    tolerance: float
    server_tolerance: float
    classic_margin: float
    peak_min: float
    peak_max: float
    peak_words: tuple[str, ...]
    capacity_words: tuple[str, ...]
    ratio_words: tuple[str, ...]
    carry_words: tuple[str, ...]
    entity_words: tuple[str, ...]
    size_words: tuple[str, ...]
    periods: dict[str, float]
    units: dict[str, tuple[str, ...]]
    durations: dict[str, float]
    families: dict[str, tuple[str, ...]]
    scale: dict[str, float]
    slips: tuple[ClassicSlip, ...]


@lru_cache(maxsize=None)
def load_rules() -> ArithmeticRules:
    data = prompt_data.load("design", "checks.toml")
    a = data["arithmetic"]
    units = {k: tuple(v) for k, v in a["units"].items()}
    slips = tuple(ClassicSlip(s["name"], float(s["factor"]), s["words"], tuple(s.get("units_any", ())),
                              tuple(s.get("periods_any", ()))) for s in data["slip"])
    return ArithmeticRules(float(a["tolerance"]), float(a["server_tolerance"]), float(a["classic_margin"]),
                           float(a["peak_min"]), float(a["peak_max"]), tuple(a["peak_words"]),
                           tuple(a["capacity_words"]), tuple(a["ratio_words"]),
                           tuple(a["carry_words"]), tuple(a["entity_words"]), tuple(a["size_words"]),
                           {k: float(v) for k, v in a["periods"].items()}, units,
                           {k: float(v) for k, v in a["durations"].items()},
                           {k: tuple(v) for k, v in a["families"].items()},
                           {k: float(v) for k, v in data["scale"].items()}, slips)


@dataclass(frozen=True)
class Term:
    """A figure read for arithmetic: what it counts, its value in base units, its period in seconds."""

    figure: Figure
    cls: str
    value: float  # bytes, bits, seconds (a duration) or plain count
    per: float | None  # seconds in its period; None for a quantity
    noun: str
    peak: bool = False
    capacity: bool = False
    operand: bool = False  # said right after "times" or "divided by": part of a sum, not its result
    each: bool = False  # one user's or one item's share ("100 requests a minute per user", "4 MB chunks")


@dataclass(frozen=True)
class Slip:
    """A figure that does not follow from the ones it was derived from."""

    figure: Figure
    rule: str  # "arithmetic", "average_as_peak", "replication_left_out", "retention_left_out"
    expected: float  # in the figure's own base unit and period
    basis: tuple[Figure, ...]
    classic: ClassicSlip | None = None


@dataclass(frozen=True)
class _Way:
    """One way a figure can follow from earlier ones."""

    expected: float
    basis: tuple[Term, ...]
    multiplier: float | None = None
    replicas: float | None = None
    per_period: float | None = None  # a volume's one period, when a retention was applied


def read_terms(figures: Sequence[Figure], rules: ArithmeticRules | None = None) -> list[Term]:
    """Each figure read for arithmetic, peak and capacity words found in its sentence around it."""
    rules = rules or load_rules()
    cursor: dict[Quote, int] = {}
    out = []
    for figure in figures:
        text = figure.quote.text.lower()
        start = text.find(figure.said.lower(), cursor.get(figure.quote, 0)) if figure.said else -1
        if start < 0:
            around = figure.said.lower()
        else:
            end = start + len(figure.said)
            before = text[cursor.get(figure.quote, 0):start]
            after = " ".join(text[end:].split()[:3])
            at_peak = AT_PEAK.match(text[end:])
            around = " ".join([*before.split()[-8:], figure.said.lower(), at_peak.group(0) if at_peak else ""])
            cursor[figure.quote] = end
            figure = _read_around(figure, before, after, rules)
        term = _term(figure, around, rules)
        if start >= 0 and OPERATOR.search(text[:start]):
            term = replace(term, operand=True)
        if _share(term, figure.said.lower(), after if start >= 0 else "", rules):
            term = replace(term, each=True)
        out.append(term)
    return out


def _read_around(figure: Figure, before: str, after: str, rules: ArithmeticRules) -> Figure:
    """What the words around a figure say of it: "3 times that" is a factor, "a hundred reads for every write"
    a ratio, and "redirects are about 4 thousand a second" counts redirects."""
    if figure.period is None and any(after.startswith(w) for w in rules.ratio_words):
        return replace(figure, unit="times")
    if not figure.unit.strip():
        nouns = [n for names in rules.families.values() for n in names]
        words = re.findall(r"[a-z]+", before)[-4:]
        noun = next((w for w in reversed(words) if w in nouns), None)
        if noun is not None:
            return replace(figure, unit=noun)
    return figure


def _term(figure: Figure, around: str, rules: ArithmeticRules) -> Term:
    unit = " ".join(figure.unit.lower().split())
    per = rules.periods.get(figure.period) if figure.period else None
    value = figure.value * rules.scale.get(unit, 1.0)
    cls = Cls.COUNT
    for name in (Cls.BYTES, Cls.BITS, Cls.PEOPLE, Cls.SERVERS, Cls.REPLICAS, Cls.MULTIPLIER):
        if unit in rules.units.get(name, ()):
            cls = name
            break
    if cls == Cls.COUNT and per is None and unit in rules.durations:
        cls, value = Cls.DURATION, figure.value * rules.durations[unit]
    peak = any_word(rules.peak_words).search(around) is not None
    capacity = cls not in (Cls.SERVERS, Cls.DURATION, Cls.MULTIPLIER, Cls.REPLICAS) and \
        any_word(rules.capacity_words).search(figure.said.lower()) is not None
    return Term(figure, cls, value, per, unit, peak, capacity)


def _share(term: Term, said: str, after: str, rules: ArithmeticRules) -> bool:
    """One user's, one server's or one item's share, not a total: a rate per user, a server's capacity, a size
    per item."""
    if term.capacity:
        return True
    if any(after.startswith(w) for w in rules.entity_words) or any_word(rules.entity_words).search(said):
        return True
    if term.cls == Cls.BYTES and term.per is None:
        first = after.split()[0].strip(",.;:") if after.split() else ""
        return bool(term.figure.per) or first in rules.size_words or "-" in said or \
            any_word(("each", "per", "apiece")).search(said) is not None
    return False


@lru_cache(maxsize=None)
def any_word(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for any of these whole words or phrases."""
    body = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{body})(?![a-z0-9])")


def check_estimates(figures: Sequence[Figure], rules: ArithmeticRules | None = None) -> list[Slip]:
    """Every figure three times off or more from what the figures before it give, in the order said."""
    rules = rules or load_rules()
    terms = read_terms(figures, rules)
    out = []
    for i, term in enumerate(terms):
        sources = _window(terms, i, rules)
        slip = _judge(term, sources, rules)
        if slip is not None:
            out.append(slip)
    return out


def _window(terms: list[Term], i: int, rules: ArithmeticRules) -> list[Term]:
    """What a figure may follow from: the figures before it in its own sentence, and those of the sentence
    before when its own opens by carrying on ("That's about 1,200 a second"); a factor, the replicas or the
    retention may also come after it in its own sentence ("3 TB over five years")."""
    quote = terms[i].figure.quote
    near = {quote}
    opening = quote.text.lower().lstrip(" -–—\"'“")
    if any(opening.startswith(w) for w in rules.carry_words):
        before = [t.figure.quote for t in terms[:i] if t.figure.quote != quote]
        if before:
            near.add(before[-1])
    later = [t for t in terms[i + 1:] if t.figure.quote == quote
             and t.cls in (Cls.DURATION, Cls.REPLICAS, Cls.MULTIPLIER)]
    return [t for t in terms[:i] if t.figure.quote in near] + later


def family(noun: str, rules: ArithmeticRules) -> str | None:
    plain = noun.removeprefix("new ")
    return next((name for name, nouns in rules.families.items() if noun in nouns or plain in nouns), None)


def same_flow(a: Term, b: Term, rules: ArithmeticRules) -> bool:
    """Two counted rates that can be one flow: the same noun; a noun and another of its family (a new link is
    a write); a generic unit ("requests", none said) and a generic or family one. A noun the data does not
    know ("file changes") pairs only with itself."""
    if a.cls != Cls.COUNT or b.cls != Cls.COUNT:
        return False
    if singular(a.noun) == singular(b.noun):
        return True
    generic = rules.units.get("generic", ())
    fa, fb = family(a.noun, rules), family(b.noun, rules)
    if a.noun in generic or b.noun in generic:
        return (a.noun in generic or fa is not None) and (b.noun in generic or fb is not None)
    return fa is not None and fa == fb


def singular(noun: str) -> str:
    return noun.removeprefix("new ").removesuffix("s")


def _ways(f: Term, sources: list[Term], rules: ArithmeticRules) -> list[_Way]:
    rates = [s for s in sources if s.per is not None]
    sizes = [s for s in sources if s.cls == Cls.BYTES and s.per is None]
    ways: list[_Way] = []
    if f.cls == Cls.SERVERS:
        for k in (s for s in sources if s.capacity):
            for load in sources:
                if load is not k and load.per == k.per and load.cls in (Cls.COUNT, Cls.PEOPLE, Cls.BYTES):
                    ways.append(_Way(load.value / k.value, (load, k)))
        return ways
    if f.per is None:
        return _volumes(f, sources, rules) if f.cls == Cls.BYTES else []
    for s in rates:
        scale = f.per / s.per  # type: ignore[operator]
        if f.cls == Cls.COUNT and same_flow(f, s, rules) and not s.peak and not s.each:
            ways.append(_Way(s.value * scale, (s,)))  # the same period too: a figure said again
        elif f.cls == s.cls and f.cls in (Cls.BYTES, Cls.BITS) and s.per != f.per:
            ways.append(_Way(s.value * scale, (s,)))
        elif {f.cls, s.cls} == {Cls.BYTES, Cls.BITS}:
            ways.append(_Way(s.value * scale * (8 if f.cls == Cls.BITS else 1 / 8), (s,)))
    if f.cls == Cls.COUNT:
        for p in (s for s in sources if s.cls == Cls.PEOPLE):
            for r in rates:
                if r is not p and same_flow(f, r, rules):
                    ways.append(_Way(p.value * r.value * f.per / r.per, (p, r)))  # type: ignore[operator]
        for m in (s for s in sources if s.cls == Cls.MULTIPLIER):
            for r in rates:
                if r.cls == Cls.COUNT:
                    scale = f.per / r.per  # type: ignore[operator]
                    ways.append(_Way(m.value * r.value * scale, (m, r), multiplier=m.value))
    if f.cls in (Cls.BYTES, Cls.BITS):
        bits = 8 if f.cls == Cls.BITS else 1
        for r in (s for s in rates if s.cls == Cls.COUNT):
            for z in sizes:
                ways.append(_Way(r.value * z.value * bits * f.per / r.per, (r, z)))  # type: ignore[operator]
    return ways


def _volumes(f: Term, sources: list[Term], rules: ArithmeticRules) -> list[_Way]:
    """A stored total: a volume kept for the retention said, items times their size, times the replicas."""
    replicas = next((s.value for s in reversed(sources) if s.cls == Cls.REPLICAS), None)
    keep = next((s for s in reversed(sources) if s.cls == Cls.DURATION), None)
    rep = replicas or 1.0
    ways: list[_Way] = []
    for s in sources:
        if s.cls == Cls.BYTES and s.per is not None and keep is not None:
            once = s.value * keep.value / s.per
            ways.append(_Way(once * rep, (s, keep), replicas=replicas, per_period=s.value))
        elif s.cls == Cls.BYTES and s.per is None and replicas is not None:
            ways.append(_Way(s.value * rep, (s,), replicas=replicas))
        elif s.cls == Cls.COUNT:
            for z in (t for t in sources if t.cls == Cls.BYTES and t.per is None and t is not s):
                if s.per is None:
                    ways.append(_Way(s.value * z.value * rep, (s, z), replicas=replicas))
                elif keep is not None:
                    once = s.value * z.value * keep.value / s.per
                    ways.append(_Way(once * rep, (s, z, keep), replicas=replicas,
                                     per_period=s.value * z.value))
    return ways


def off(said: float, expected: float) -> float:
    """How many times off, always at least 1."""
    if expected <= 0 or said <= 0:
        return math.inf
    r = said / expected
    return max(r, 1 / r)


def _judge(f: Term, sources: list[Term], rules: ArithmeticRules) -> Slip | None:
    if f.operand or f.each:
        return None  # a figure being multiplied, or one user's or one item's share, is not a result
    ways = _ways(f, sources, rules)
    if f.peak and f.cls == Cls.COUNT and f.per is not None:
        decided, peak = _judge_peak(f, sources, ways, rules)
        if decided:
            return peak
    if not ways:
        return None
    best = min(ways, key=lambda w: off(f.value, w.expected))
    tolerance = rules.server_tolerance if f.cls == Cls.SERVERS else rules.tolerance
    if off(f.value, best.expected) < tolerance * (1 - TINY):
        return None
    basis = tuple(t.figure for t in best.basis)
    margin = math.log(rules.classic_margin)
    if best.replicas and abs(math.log(f.value / (best.expected / best.replicas))) < margin:
        return Slip(f.figure, "replication_left_out", best.expected, basis)
    if best.per_period and abs(math.log(f.value / best.per_period)) < margin:
        return Slip(f.figure, "retention_left_out", best.expected, basis)
    return Slip(f.figure, "arithmetic", best.expected, basis, classic_slip(f, best.basis, f.value / best.expected,
                                                                           rules))


def _judge_peak(f: Term, sources: list[Term], ways: list[_Way],
                rules: ArithmeticRules) -> tuple[bool, Slip | None]:
    """A peak follows from a factor said with it, else it must sit a few times above the average; (False, None)
    when nothing said is its average."""
    factored = [w for w in ways if w.multiplier is not None and w.multiplier >= rules.peak_min]
    if factored and off(f.value, min(factored, key=lambda w: off(f.value, w.expected)).expected) < rules.tolerance:
        return True, None
    averages = [w for w in ways if w.multiplier is None]
    averages += [_Way(s.value, (s,)) for s in sources
                 if s.per == f.per and not s.peak and same_flow(f, s, rules)]
    if not averages:
        return False, None
    avg = min(averages, key=lambda w: off(f.value, w.expected))
    ratio = f.value / avg.expected
    if 1 / rules.tolerance < ratio < rules.peak_min:
        return True, Slip(f.figure, "average_as_peak", avg.expected, tuple(t.figure for t in avg.basis))
    if rules.peak_min <= ratio <= rules.peak_max:
        return True, None
    return True, Slip(f.figure, "arithmetic", avg.expected, tuple(t.figure for t in avg.basis),
                classic_slip(f, avg.basis, ratio, rules))


def classic_slip(f: Term, basis: Sequence[Term], ratio: float, rules: ArithmeticRules) -> ClassicSlip | None:
    """The classic slip a ratio between said and expected leaves behind, if it is one."""
    off = max(ratio, 1 / ratio)
    classes = {f.cls, *(t.cls for t in basis)}
    periods = {t.figure.period for t in (f, *basis) if t.figure.period}
    for slip in rules.slips:
        if slip.units_any and not classes & set(slip.units_any):
            continue
        if slip.periods_any and not periods & set(slip.periods_any):
            continue
        if abs(math.log(off / slip.factor)) < math.log(rules.classic_margin):
            return slip
    return None

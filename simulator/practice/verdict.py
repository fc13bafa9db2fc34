"""Below, at or above the bar for a level, resting on the sentences that decided it.

Each level's bar is data (prompts/levels.toml): how many steps an answer covers and how many sentences
show depth of tradeoffs, failure handling, driving the conversation, scope beyond the first version, or
(for an experience answer) ownership, measured results and hindsight. Counted over every answer of the
session, since a strong candidate often shows depth when pressed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator import prompt_data
from simulator.config import DEFAULT_LEVEL, LEVELS
from simulator.judging.analysis import sentences_from_text
from simulator.text import shorten
from simulator.vocab import BarVerdict, Kind, Target

if TYPE_CHECKING:
    from simulator.review.review import Review

MAX_MOMENTS = 3
QUOTE_CHARS = 140
# the follow-up targets that press on each signal, for quoting how a missing one was answered when asked
PRESSED_BY = {"tradeoffs": (Target.TRADEOFFS, Target.NO_REASONS), "failure": (Target.SCALE, Target.NO_NONFUNCTIONAL),
              "driving": (Target.SUMMARY, Target.CLARIFY, Target.NO_SUMMARY, Target.NO_SIGNPOSTS),
              "evolution": (Target.TRADEOFFS,), "ownership": (Target.ACTION, Target.WE_NOT_I),
              "impact": (Target.RESULT, Target.NO_NUMBERS), "hindsight": (Target.RESULT,), "steps": ()}


@dataclass(frozen=True)
class Moment:
    quote: str
    why: str

    def to_json(self) -> dict[str, str]:
        return {"quote": self.quote, "why": self.why}


@dataclass(frozen=True)
class LevelVerdict:
    level: str
    title: str
    expects: str
    verdict: BarVerdict
    signals: dict[str, tuple[int, int]]  # signal → (shown, the level's bar)
    moments: list[Moment]

    def to_json(self) -> dict[str, Any]:
        return {"level": self.level, "title": self.title, "expects": self.expects, "verdict": self.verdict,
                "signals": {k: {"shown": v[0], "bar": v[1]} for k, v in self.signals.items()},
                "moments": [m.to_json() for m in self.moments]}

    @property
    def headline(self) -> str:
        return f"{self.title} bar: {self.verdict.upper()} the bar" if self.verdict != BarVerdict.AT else \
            f"{self.title} bar: AT the bar"

    def lines(self) -> list[str]:
        # "7/6" read as seven of six; each count stands beside the bar it is held against
        shown = " · ".join(f"{_why(k)} {have} (bar {need})" for k, (have, need) in self.signals.items())
        return [self.headline, f"  expected: {self.expects}", f"  shown: {shown}",
                *(f"  \"{m.quote}\" ({m.why})" for m in self.moments)]


def _levels() -> dict[str, Any]:
    return prompt_data.load("levels.toml")


def _why(signal: str) -> str:
    return str(_levels()["signal"][signal]["why"])


def level_verdict(review: Review, level: str = DEFAULT_LEVEL) -> LevelVerdict | None:
    """The verdict for the session's answers at this level; None when nothing was said."""
    level = level if level in LEVELS else DEFAULT_LEVEL
    data = _levels()
    kind = review.kind if review.kind in Kind.values() else Kind.DESIGN
    answers = [t for t in review.answers if t.text.strip()]
    if not answers:
        return None
    said = [s.text for t in answers for s in sentences_from_text(t.text)]
    covered = {step for t in answers for step in t.covered}
    bar = data["level"][level]["bar"][kind]
    nxt = LEVELS.index(level) + 1
    above = data["level"][LEVELS[nxt]]["bar"][kind] if nxt < len(LEVELS) else data["level"][level]["above"][kind]
    names = list(dict.fromkeys([*bar, *above]))
    hits = {name: _hits(name, said) for name in names if name != "steps"}
    shown = {name: len(covered) if name == "steps" else len(hits[name]) for name in names}
    meets = all(shown[k] >= v for k, v in bar.items())
    verdict = (BarVerdict.BELOW if not meets else BarVerdict.ABOVE if all(shown[k] >= v for k, v in above.items())
               else BarVerdict.AT)
    signals = {k: (shown[k], int(v)) for k, v in bar.items()}
    if verdict == BarVerdict.BELOW:
        moments = _shortfalls(review, signals, hits, said, level)
    else:
        moments = _strengths(signals, hits, level, verdict == BarVerdict.ABOVE)
    return LevelVerdict(level, str(data["level"][level]["title"]), str(data["level"][level]["expects"]), verdict,
                        signals, moments[:MAX_MOMENTS])


def _hits(signal: str, said: list[str]) -> list[str]:
    pattern = re.compile(_levels()["signal"][signal]["pattern"])
    return [s for s in said if pattern.search(s.lower())]


def _strengths(signals: dict[str, tuple[int, int]], hits: dict[str, list[str]], level: str,
               above: bool) -> list[Moment]:
    """The strongest sentence of each signal the bar asks for, most decisive (furthest past the bar) first."""
    order = sorted((k for k in signals if k != "steps" and hits.get(k)),
                   key=lambda k: -(signals[k][0] - signals[k][1]))
    word = "past" if above else "meets"
    return [Moment(_quote(max(hits[k], key=len)), f"{_why(k)}: {signals[k][0]}, {word} the {level} bar of "
                   f"{signals[k][1]}") for k in order]


def _shortfalls(review: Review, signals: dict[str, tuple[int, int]], hits: dict[str, list[str]],
                said: list[str], level: str) -> list[Moment]:
    """For each signal short of the bar, biggest gap first: how the answer went when pressed on it, or the
    closest it came, or where the walkthrough ended without it."""
    short = sorted((k for k, (have, need) in signals.items() if have < need),
                   key=lambda k: -(signals[k][1] - signals[k][0]))
    followups = review.followups()
    out: list[Moment] = []
    used: set[str] = set()
    for signal in short:
        have, need = signals[signal]
        gap = f"{_why(signal)}: {have} of the {need} the bar asks for"
        pressed = next(((q, a) for q, a in followups if q.target in PRESSED_BY[signal] and a is not None
                        and a.text.strip()), None)
        if pressed is not None:
            quote = _quote(sentences_from_text(pressed[1].text)[0].text)
            why = f"asked \"{_quote(pressed[0].text, 80)}\"; {gap}"
        elif hits.get(signal):
            quote, why = _quote(hits[signal][0]), gap
        else:
            quote, why = _quote(said[-1]), f"the answer ended here; {gap}"
        if quote not in used:
            used.add(quote)
            out.append(Moment(quote, why))
    if len(out) < 2:  # a near miss still shows what was there
        out += _strengths({k: v for k, v in signals.items() if k not in short}, hits, level, False)[:2 - len(out)]
    return out


def _quote(text: str, limit: int = QUOTE_CHARS) -> str:
    return shorten(text, limit, flatten=True)

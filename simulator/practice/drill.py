"""Timed drills of one part of the 2/3/3/2 budget: the prompt that sets it up, and the judgement of that
part alone. The drills are data (prompts/drills.toml); their times are the budget's (config.TARGETS)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from simulator import prompt_data
from simulator.config import TARGETS, Phase, format_duration
from simulator.errors import UserError
from simulator.judging.analysis import Analysis
from simulator.questions import Question
from simulator.text import split_sentences
from simulator.vocab import DrillVerdict, Kind, Step

GRACE_SECONDS = 15.0  # a drill that runs this much past its budget is still on time
MINUTES = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


@dataclass(frozen=True)
class Drill:
    id: str
    phase: Phase
    steps: tuple[str, ...]
    prompt: str

    @property
    def seconds(self) -> float:
        return self.phase.minutes * 60


@dataclass(frozen=True)
class DrillResult:
    drill: str
    phase: str
    budget_seconds: float
    seconds: float | None  # None for a typed answer, which has no time
    covered: dict[str, bool]
    evidence: dict[str, str]
    verdict: DrillVerdict
    timing: str  # "within budget", "over by 0:40", "typed"

    def to_json(self) -> dict[str, Any]:
        return {"drill": self.drill, "phase": self.phase, "budget_seconds": self.budget_seconds,
                "seconds": self.seconds, "covered": self.covered, "evidence": self.evidence,
                "verdict": self.verdict, "timing": self.timing}

    def lines(self) -> list[str]:
        done = [s for s, ok in self.covered.items() if ok]
        missed = [s for s, ok in self.covered.items() if not ok]
        out = [f"Drill on {self.phase.lower()}: {self.verdict} · {self.timing} "
               f"(budget {format_duration(self.budget_seconds)})",
               f"  covered: {', '.join(done) or 'none'}" + (f" · missed: {', '.join(missed)}" if missed else "")]
        out += [f"  {step}: \"{quote}\"" for step, quote in self.evidence.items()]
        return out


@lru_cache(maxsize=None)
def drills() -> dict[str, Drill]:
    phases = {p.name: p for p in TARGETS.phases}
    return {did: Drill(did, phases[d["phase"]], tuple(d["steps"]), d["prompt"])
            for did, d in prompt_data.load("drills.toml")["drill"].items()}


def drill_steps() -> tuple[str, ...]:
    """Every step --drill accepts: the drills' own ids and the steps they cover."""
    return tuple(dict.fromkeys(s for d in drills().values() for s in (d.id, *d.steps) if s != Step.SUMMARY))


def find_drill(step: str) -> Drill:
    for drill in drills().values():
        if step == drill.id or step in drill.steps:
            return drill
    raise UserError(f"There is no drill for {step!r}; pick one of {', '.join(drill_steps())}.")


def drill_question(question: Question, drill: Drill) -> Question:
    """The question cut to its first sentence, and the drill's instructions after it."""
    if question.kind != Kind.DESIGN:
        raise UserError(f"Drills are parts of a design answer, and {question.id} is an experience question; "
                        "pick a design question or drop --drill.")
    first = split_sentences(question.prompt, flatten=False)[0]
    minutes = MINUTES.get(int(drill.phase.minutes), f"{drill.phase.minutes:g}")
    return Question(question.id, question.kind, question.title, f"{first} {drill.prompt.format(minutes=minutes)}",
                    (), question.source, question.terms, question.role)


def judge(drill: Drill, analysis: Analysis | None, seconds: float | None) -> DrillResult:
    """The drill's own steps in its answer, and its time against the part's budget; nothing else counts."""
    steps = analysis.steps if analysis is not None else {}
    covered = {s: bool(steps.get(s) and steps[s].covered) for s in drill.steps}
    evidence = {s: steps[s].evidence or "" for s in drill.steps if covered[s] and steps[s].evidence}
    share = sum(covered.values()) / len(covered)
    verdict = DrillVerdict.DONE if share == 1 else DrillVerdict.MISSED if share == 0 else DrillVerdict.PARTLY
    if seconds is None:
        timing = "typed"
    elif seconds > drill.seconds + GRACE_SECONDS:
        timing = f"over by {format_duration(seconds - drill.seconds)}"
    else:
        timing = f"{format_duration(seconds)}, within budget"
    return DrillResult(drill.id, drill.phase.name, drill.seconds, seconds, covered, evidence, verdict, timing)

"""The seven steps, the closing summary and STAR: what counts as covering each.

The cues are data (prompts/rubric.toml); this module loads and compiles them
once and scores a sentence against them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from simulator import prompt_data, vocab
from simulator.vocab import Kind, Target

DESIGN_STEPS = (vocab.Step.CLARIFY, vocab.Step.ASSUMPTIONS, vocab.Step.INTERFACES, vocab.Step.ARCHITECTURE,
                vocab.Step.DATA, vocab.Step.SCALE, vocab.Step.TRADEOFFS, vocab.Step.SUMMARY)
STAR_STEPS = (vocab.Step.SITUATION, vocab.Step.TASK, vocab.Step.ACTION, vocab.Step.RESULT)
STEPS = {Kind.DESIGN: DESIGN_STEPS, Kind.EXPERIENCE: STAR_STEPS}


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    threshold: float
    cues: tuple[tuple[float, re.Pattern[str]], ...]
    last_part: float | None = None  # only the closing fraction of the answer counts
    requires: re.Pattern[str] | None = None  # one of the step's sentences must match this
    reply_cues: tuple[tuple[float, re.Pattern[str]], ...] = ()  # count only in a reply to a question on this step
    mentions: re.Pattern[str] | None = None  # the step named in passing: "scale is important", "some tradeoffs"

    def score(self, sentence: str, replying: bool = False) -> float:
        """How much this lowercase sentence speaks to the step; replying: it answers a question on this step, so
        "whether links expire" is a clarifying question and "it falls back to the database" a failure handled."""
        cues = self.cues + self.reply_cues if replying else self.cues
        # a negative cue ("the result was good") takes back what a named step scored, never more
        return max(0.0, sum(weight for weight, pattern in cues if pattern.search(sentence)))

    def strongest(self, sentence: str) -> float:
        """The weight of the strongest cue this sentence matches: "so to summarize" outranks "the main tradeoff"
        as a summary's evidence even where the tradeoff sentence adds up to more."""
        return max((weight for weight, pattern in self.cues if pattern.search(sentence)), default=0.0)


def _data() -> dict[str, Any]:
    return prompt_data.load("rubric.toml")


@lru_cache(maxsize=None)
def load_rubric() -> dict[str, tuple[Step, ...]]:
    data = _data()
    rubric = {}
    for kind, ids in STEPS.items():
        rubric[kind] = tuple(
            Step(step_id, data[kind][step_id]["title"], float(data[kind][step_id]["threshold"]),
                 _cues(data[kind][step_id]["cues"]), data[kind][step_id].get("last_part"),
                 _pattern(data[kind][step_id], "requires"),
                 _cues(data[kind][step_id].get("reply_cues", [])), _pattern(data[kind][step_id], "mentions"))
            for step_id in ids)
    return rubric


def _pattern(table: dict[str, Any], key: str) -> re.Pattern[str] | None:
    return re.compile(table[key]) if key in table else None


def _cues(raw: list[list[Any]]) -> tuple[tuple[float, re.Pattern[str]], ...]:
    return tuple((float(w), re.compile(p)) for w, p in raw)


def reply_step(kind: str, target: str | None) -> str | None:
    """The step a reply is judged on: the one its question aimed at, or the step a mistake or a change of
    constraints presses on ("what happens when the cache dies" is answered in `scale`)."""
    if target is None or kind not in STEPS:
        return None
    if target in STEPS[kind]:
        return target
    return _data().get("replies", {}).get(kind, {}).get(target)


def rubric_step(kind: str, step_id: str) -> Step:
    """One step of a kind's rubric, by its id."""
    return _by_id()[kind][step_id]


def step_titles(kind: str) -> dict[str, str]:
    """Each step's title by id, for the checklists."""
    return {step_id: step.title for step_id, step in _by_id()[kind].items()}


@lru_cache(maxsize=None)
def _by_id() -> dict[str, dict[str, Step]]:
    return {kind: {step.id: step for step in steps} for kind, steps in load_rubric().items()}


def mistake_title(code: str) -> str:
    """A mistake as a person reads it ("No closing summary"); the code itself for one the rubric does not name."""
    return str(_data().get("mistakes", {}).get(code, code.replace("_", " ").capitalize()))


def target_title(kind: str, target: str) -> str:
    """What a follow-up aims at, in words: a step's title, a mistake's, or a change of constraints."""
    if target == Target.CONSTRAINT_CHANGE:
        return "a change of constraints"
    if target.startswith("diagram:"):  # a finding of the candidate's drawing (interviewer/diagram_questions.py)
        return "your drawing"
    if target in _data().get("targets", {}):
        return str(_data()["targets"][target])
    titles = step_titles(kind) if kind in STEPS else {}
    return titles.get(target) or mistake_title(target)

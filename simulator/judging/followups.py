"""Gaps + time + history → the next pressure question, as a sharp interviewer would ask it.

Order: past twelve minutes, ask for the summary; then the gaps that matter
most (no clarification, no scale); then the other missing steps and the
mistakes; then depth, prompt-specific questions first; then, once the basics
are there, a change of constraints. Nothing covered well is asked about, and
nothing is asked twice. The phrasings are data (prompts/followups.toml).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from simulator import prompt_data
from simulator.judging.analysis import Analysis
from simulator.judging.rubric import STEPS, load_rubric, rubric_step
from simulator.questions import Question
from simulator.vocab import Kind, MistakeCode, Step, Target

CRITICAL = {Kind.DESIGN: (Step.CLARIFY, Step.ASSUMPTIONS), Kind.EXPERIENCE: (Step.ACTION, Step.RESULT)}
MISTAKE_ORDER = (MistakeCode.TECH_FIRST, MistakeCode.NO_NUMBERS, MistakeCode.NO_REASONS, MistakeCode.NO_NONFUNCTIONAL,
                 MistakeCode.WE_NOT_I, MistakeCode.NO_SUMMARY)
BASICS = (Step.CLARIFY, Step.ASSUMPTIONS, Step.ARCHITECTURE, Step.DATA)
STEM = 5
THIN_FACTOR = 1.6  # a covered step scoring under this many thresholds is thin
CONTENT_WORD = re.compile(r"[a-z]{4,}|\d{2,}")
STOP = {"what", "would", "your", "with", "that", "this", "there", "when", "how", "does", "have", "from", "they",
        "them", "which", "will", "make", "happens", "keep", "about", "into", "were", "their", "then", "than"}


@dataclass(frozen=True)
class Template:
    target: str
    kind: str
    when: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class FollowUp:
    target: str  # a Target: a step id, a mistake code, or a change of constraints
    question: str
    when: str

    def to_json(self) -> dict[str, str]:
        return {"target": self.target, "question": self.question}


def _load() -> dict[str, Any]:
    return prompt_data.load("followups.toml")


@lru_cache(maxsize=None)
def load_templates() -> tuple[Template, ...]:
    return tuple(Template(str(t["target"]), str(t["kind"]), str(t["when"]), tuple(t["questions"]))
                 for t in _load()["followup"])


def acknowledgement(seed: str, previous: Sequence[str] = ()) -> str:
    """A short "Okay." to say while the end of the answer is still being transcribed; never the last one used."""
    phrases = [str(p) for p in _load()["acknowledgements"]["phrases"]]
    fresh = [p for p in phrases if not previous or p != previous[-1]] or phrases
    return random.Random(f"{seed}|{len(previous)}").choice(fresh)


def plan(analysis: Analysis, question: Question | None = None, asked: Sequence[str] = (),
         seed: str = "") -> list[FollowUp]:
    """Every follow-up worth asking next, most important first; `asked` holds questions already put."""
    kind = analysis.kind
    steps = analysis.steps
    mistakes = {m.code for m in analysis.mistakes}
    title = question.title if question else ("system" if kind == Kind.DESIGN else "project")
    rng = random.Random(f"{seed}|{question.id if question else ''}")
    said = {_norm(q) for q in asked}
    out: list[FollowUp] = []

    def pick(template: Template) -> bool:
        """Ask one fresh phrasing of this template; False when every phrasing was already put."""
        options = [q.replace("{title}", title) for q in template.questions]
        if any(_norm(q) in said for q in options) and template.when == "constraint":
            return False  # each change of constraints once, however it was worded
        fresh = [q for q in options if _norm(q) not in said]
        if not fresh:
            return False
        choice = rng.choice(fresh)
        said.add(_norm(choice))
        out.append(FollowUp(template.target, choice, template.when))
        return True

    def add(target: str, when: str) -> None:
        any(pick(template) for template in _matching(kind, target, when))

    if MistakeCode.OVER_TIME in mistakes:
        add(Target.OVER_TIME, "mistake")
    for step in CRITICAL[kind]:
        if not steps[step].covered:
            add(step, "missing")
    for step in STEPS[kind]:
        if step not in CRITICAL[kind] and step != Step.SUMMARY and not steps[step].covered:
            add(step, "missing")
    for code in MISTAKE_ORDER:
        if code in mistakes:
            add(code, "mistake")
    if question is not None:
        for text in question.followups:
            if _norm(text) not in said and not _already_answered(text, analysis):
                said.add(_norm(text))
                out.append(FollowUp(_target_of(text, kind), text, "specific"))
    for step in STEPS[kind]:
        result = steps[step]
        threshold = rubric_step(kind, step).threshold
        if result.covered and result.score < THIN_FACTOR * threshold:
            add(step, "thin")
    if kind == Kind.DESIGN and all(steps[s].covered for s in BASICS):
        changes = list(_matching(kind, Target.CONSTRAINT_CHANGE, "constraint"))
        rng.shuffle(changes)
        for template in changes:
            pick(template)
    return out


def plan_over_time(question: Question, asked: Sequence[str] = (), seed: str = "") -> list[FollowUp]:
    """Past twelve minutes the interviewer says so and asks for the summary."""
    said = {_norm(q) for q in asked}
    rng = random.Random(f"{seed}|{question.id}|over_time")
    for template in _matching(question.kind, Target.OVER_TIME, "mistake"):
        fresh = [q.replace("{title}", question.title) for q in template.questions
                 if _norm(q.replace("{title}", question.title)) not in said]
        if fresh:
            return [FollowUp(Target.OVER_TIME, rng.choice(fresh), "mistake")]
    return []


def _matching(kind: str, target: str, when: str) -> Iterable[Template]:
    return [t for t in load_templates() if t.target == target and t.when == when and t.kind in (kind, "any")]


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _content(text: str) -> set[str]:
    """Content words cut to a five-letter stem, so "collide" meets "collisions" and "generate" "generating"."""
    return {w[:STEM] for w in CONTENT_WORD.findall(text.lower()) if w not in STOP}


def _already_answered(followup: str, analysis: Analysis) -> bool:
    """A prompt-specific question is moot when the answer already used most of its key words."""
    wanted = _content(followup)
    hits = len(wanted & _content(analysis.text))
    return hits >= 3 and hits >= 0.6 * len(wanted)


def _target_of(text: str, kind: str) -> str:
    """The step a prompt-specific question probes: the one its own words score highest on."""
    steps = [s for s in load_rubric()[kind] if s.id not in (Step.SUMMARY, Step.CLARIFY)]  # every question has a "?"
    best = max(steps, key=lambda s: s.score(text.lower()))
    return best.id if best.score(text.lower()) > 0 else (Target.SCALE if kind == Kind.DESIGN else Target.ACTION)

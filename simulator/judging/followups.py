"""Gaps + time + the candidate's design + history → the next pressure question, as a sharp interviewer asks it.

Order: past twelve minutes, ask for the summary; then the gap that matters most (no clarification, no
scale, else the first other step missed); then the sharpest finding on the candidate's design (a figure
that does not add up, a lone database); then a probe on a choice or a part they named; then the other
missing steps and the mistakes; then depth, the question's own follow-ups first (those the answer already
settled are not asked); then, once the basics are there, a change of constraints, on the candidate's own
parts where it presumes one. Nothing covered well is asked about, nothing is asked twice, and a question
on the design names only what the candidate said and carries its why: the rule and the quote that chose
it. The phrasings are data (prompts/followups.toml).
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
from simulator.judging.design.checks import check_design
from simulator.judging.design.extract import build_design
from simulator.judging.design.model import Design, Figure
from simulator.judging.design.probes import Pressed, fill, finding_question, other_of, probes, settled
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
    needs: tuple[str, ...] = ()  # component kinds the candidate's design must have for it to be asked


@dataclass(frozen=True)
class Why:
    """What chose a question on the candidate's design: the rule (a check's id, "probe", "pattern" or
    "constraint") and the candidate's words it rests on."""

    rule: str
    quote: str
    at: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "quote": self.quote, "at": self.at}


@dataclass(frozen=True)
class FollowUp:
    target: str  # a Target: a step id, a mistake code, a design finding or probe, or a change of constraints
    question: str
    when: str
    why: Why | None = None

    @property
    def reason(self) -> str | None:
        """Why it was asked, in one line kept with the turn: the rule and the candidate's words."""
        return f"{self.why.rule}: “{self.why.quote}”" if self.why is not None else None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"target": self.target, "question": self.question}
        if self.why is not None:
            out["why"] = self.why.to_json()
        return out


def _load() -> dict[str, Any]:
    return prompt_data.load("followups.toml")


@lru_cache(maxsize=None)
def load_templates() -> tuple[Template, ...]:
    return tuple(Template(str(t["target"]), str(t["kind"]), str(t["when"]), tuple(t["questions"]),
                          tuple(t.get("needs", ())))
                 for t in _load()["followup"])


def acknowledgement(seed: str, previous: Sequence[str] = ()) -> str:
    """A short "Okay." to say while the end of the answer is still being transcribed; never the last one used."""
    phrases = [str(p) for p in _load()["acknowledgements"]["phrases"]]
    fresh = [p for p in phrases if not previous or p != previous[-1]] or phrases
    return random.Random(f"{seed}|{len(previous)}").choice(fresh)


def plan(analysis: Analysis, question: Question | None = None, asked: Sequence[str] = (),
         seed: str = "", design: Design | None = None, facts: Sequence[Figure] = ()) -> list[FollowUp]:
    """Every follow-up worth asking next, most important first; `asked` holds questions already put.

    design: the candidate's design (the analysis's own, else built from its sentences); facts: the figures
    the interviewer gave (the question's sheet and the clarification replies), for the checks.
    """
    kind = analysis.kind
    steps = analysis.steps
    mistakes = {m.code for m in analysis.mistakes}
    title = question.title if question else ("system" if kind == Kind.DESIGN else "project")
    rng = random.Random(f"{seed}|{question.id if question else ''}")
    said = {_norm(q) for q in asked}
    out: list[FollowUp] = []
    if kind == Kind.DESIGN and design is None:
        design = analysis.design or build_design(analysis.sentences)  # an analysis read back from before the model

    def pick(template: Template) -> bool:
        """Ask one fresh phrasing of this template; False when every phrasing was already put."""
        options = [q.replace("{title}", title) for q in template.questions]
        why = None
        if template.needs:
            part = _part(design, template.needs)
            if part is None:
                return False  # it presumes a part the candidate does not have
            values = {"component": part.name, "other": other_of(part.name, design)}  # type: ignore[arg-type]
            options = [f for f in (fill(q, values) for q in options) if f]
            # a change of constraints rests on the part it presumes; a probe of a thin step only needs it there
            why = Why("constraint", part.quote.text, part.quote.at) if template.when == "constraint" else None
        if any(_norm(q) in said for q in options) and template.when == "constraint":
            return False  # each change of constraints once, however it was worded
        fresh = [q for q in options if _norm(q) not in said]
        if not fresh:
            return False
        choice = rng.choice(fresh)
        said.add(_norm(choice))
        out.append(FollowUp(template.target, choice, template.when, why))
        return True

    def add(target: str, when: str) -> None:
        any(pick(template) for template in _matching(kind, target, when))

    def gap(step: str) -> None:
        """A missing step; one only named in passing is pressed on as such, with the sentence that named it."""
        result = steps[step]
        if result.thin and result.evidence and any(pick(t) for t in _matching(kind, step, "mentioned")):
            out[-1] = FollowUp(out[-1].target, out[-1].question, out[-1].when, Why("mentioned", result.evidence))
            return
        add(step, "missing")

    def press(pressed: Pressed, target: str, when: str) -> None:
        said.add(_norm(pressed.question))
        out.append(FollowUp(target, pressed.question, when, Why(pressed.rule, pressed.quote.text, pressed.quote.at)))

    if MistakeCode.OVER_TIME in mistakes:
        add(Target.OVER_TIME, "mistake")
    missing = [step for step in CRITICAL[kind] if not steps[step].covered]
    missing += [step for step in STEPS[kind] if step not in CRITICAL[kind] and step != Step.SUMMARY
                and not steps[step].covered]
    if missing:  # the gap that matters most, before anything on the design
        gap(missing[0])
    findings: list[Pressed] = []
    probed: list[Pressed] = []
    if design is not None and kind == Kind.DESIGN:
        for finding in check_design(design, analysis.text, facts):
            made = finding_question(finding, design, rng, said)
            if made is not None and _norm(made.question) not in {_norm(f.question) for f in findings}:
                findings.append(made)
        if findings:
            press(findings[0], Target.DESIGN_FINDING, "finding")
        sharp = [findings[0].component] if findings and findings[0].component else []
        probed = [p for p in probes(design, analysis.text, rng, said, skip=sharp) if _norm(p.question) not in said]
        if probed:
            press(probed[0], Target.DESIGN_PROBE, "probe")
    for step in missing[1:]:
        gap(step)
    for code in MISTAKE_ORDER:
        if code in mistakes:
            add(code, "mistake")
    if question is not None:
        for text in question.followups:
            if _norm(text) not in said and not is_settled(text, analysis, design):
                said.add(_norm(text))
                out.append(FollowUp(_target_of(text, kind), text, "specific"))
    for step in STEPS[kind]:
        result = steps[step]
        threshold = rubric_step(kind, step).threshold
        if result.covered and result.score < THIN_FACTOR * threshold:
            add(step, "thin")
    for later in findings[1:]:
        if _norm(later.question) not in said:
            press(later, Target.DESIGN_FINDING, "finding")
    for later in probed[1:]:
        if _norm(later.question) not in said:
            press(later, Target.DESIGN_PROBE, "probe")
    if kind == Kind.DESIGN and all(steps[s].covered for s in BASICS):
        changes = list(_matching(kind, Target.CONSTRAINT_CHANGE, "constraint"))
        rng.shuffle(changes)
        changes.sort(key=lambda t: 0 if t.needs and _part(design, t.needs) is not None else 1)  # theirs first
        for template in changes:
            pick(template)
    return out


def _part(design: Design | None, kinds: Sequence[str]) -> Any:
    """The candidate's first part of one of these kinds, or None."""
    if design is None:
        return None
    return next((c for c in design.components if str(c.kind) in kinds), None)


def is_settled(followup: str, analysis: Analysis, design: Design | None) -> bool:
    """A question's own follow-up is moot when the answer settled its topic (a word or a part that answers
    it, prompts/followups.toml [[settled]]) or already used most of its key words."""
    if design is not None and settled(followup, design, analysis.text) is not None:
        return True
    return _already_answered(followup, analysis)


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

"""The interviewer keeps time and interjects during the walkthrough, as a person would.

Rules are pure functions of what was said so far (its analysis, sentence by sentence), the walkthrough's
clock and what the interviewer already said, so a fake clock tests them without audio. The persona
(--interviewer) says which rules may fire and how often; each interjection carries its reason for the
report. It speaks only at a pause (the loop asks only then) and never about a step already covered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from simulator import prompt_data, vocab
from simulator.config import INTERVIEWER, TARGETS, InterviewerSettings, TimingTargets, format_duration
from simulator.diagrams.diagram import Diagram
from simulator.interviewer import diagram_questions
from simulator.judging.analysis import Analysis, Sentence, sentence_steps
from simulator.judging.design.checks import check_design
from simulator.judging.design.extract import build_design
from simulator.judging.design.probes import fill
from simulator.sessions.record import TurnKind
from simulator.vocab import InterjectionRule, Kind, MistakeCode, Step

PERSONAS = vocab.Persona.values()
REQUIREMENT_STEPS = (Step.CLARIFY, Step.ASSUMPTIONS)


@dataclass(frozen=True)
class Utterance:
    """Something the interviewer says mid-answer, and why."""

    kind: TurnKind
    text: str
    reason: str
    after: float | None = None  # answer seconds at which the candidate stopped, for the reply's latency
    rule: str | None = None  # the interjection rule that fired
    target: str | None = None  # what it presses, kept with the turn so a follow-up does not ask it again


def _data() -> dict[str, Any]:
    return prompt_data.load("interviewer.toml")


@dataclass(frozen=True)
class Persona:
    name: str
    rules: tuple[str, ...]
    gap: float  # seconds at least between interjections
    changes: int  # requirement changes per round
    drawings: int = 0  # questions on the candidate's drawing per round

    @classmethod
    def named(cls, name: str) -> Persona:
        data = _data()["persona"][name]
        return cls(name, tuple(data["rules"]), float(data["gap"]), int(data["changes"]), int(data.get("drawings", 0)))


@dataclass(frozen=True)
class Progress:
    """The walkthrough so far, as the rules see it."""

    seconds: float  # into the walkthrough, on the session clock
    analysis: Analysis | None  # of everything transcribed so far
    kind: str = Kind.DESIGN
    drawing: Diagram | None = None  # the candidate's diagram as last saved, when they draw one

    @property
    def sentences(self) -> list[Sentence]:
        return self.analysis.sentences if self.analysis is not None else []

    def covered(self, step: str) -> bool:
        return bool(self.analysis is not None and step in self.analysis.steps and self.analysis.steps[step].covered)

    def current_steps(self) -> tuple[str, ...]:
        """The steps of the latest sentence that is on any step: where the candidate is now."""
        for steps in reversed(sentence_steps(self.sentences, self.kind) if self.sentences else []):
            if steps:
                return steps
        return ()

    def unplaced_stretch(self) -> float:
        """Seconds from the first of the latest run of sentences on no step to the last of them."""
        sentences = self.sentences
        if not sentences or sentences[-1].end is None:
            return 0.0
        run_start = None
        for sentence, steps in zip(reversed(sentences), reversed(sentence_steps(sentences, self.kind))):
            if steps:
                break
            run_start = sentence.start
        return sentences[-1].end - run_start if run_start is not None else 0.0


@dataclass
class Timekeeper:
    """One round's interjections: what was said when, so a rule fires once and the persona's gap holds."""

    persona: Persona
    changes: tuple[str, ...] = ()  # the question's own requirement changes
    seed: str = ""
    targets: TimingTargets = TARGETS
    settings: InterviewerSettings = INTERVIEWER
    fired: dict[str, float] = field(default_factory=dict)  # rule id -> walkthrough seconds it fired at
    last: float | None = None
    drawn: list[str] = field(default_factory=list)  # the drawing's findings asked about, by target

    def consider(self, progress: Progress) -> Utterance | None:
        """At a pause: the one thing worth saying now, if any, and if the persona allows it yet."""
        if progress.kind != Kind.DESIGN:
            return None
        if self.last is not None and progress.seconds - self.last < self.persona.gap:
            return None
        for rule in RULES:
            if rule not in self.persona.rules or (rule in self.fired and rule != InterjectionRule.DIAGRAM):
                continue
            said = getattr(self, f"_{rule}")(progress)
            if said is not None:
                self.fired[rule] = self.last = progress.seconds
                return said
        return None

    def _say(self, rule: str, kind: TurnKind = TurnKind.INTERJECTION, text: str | None = None,
             **fields: Any) -> Utterance:
        data = _data()["rule"][rule]
        return Utterance(kind, text if text is not None else data["say"].format(**fields),
                         data["reason"].format(**fields), rule=rule)

    def _time_up(self, p: Progress) -> Utterance | None:
        if p.seconds >= self.settings.time_up and not p.covered(Step.SUMMARY):
            return self._say(InterjectionRule.TIME_UP, at=format_duration(p.seconds))
        return None

    def _near_end(self, p: Progress) -> Utterance | None:
        if self.settings.near_end <= p.seconds < self.settings.time_up:
            return self._say(InterjectionRule.NEAR_END, at=format_duration(p.seconds))
        return None

    def _requirements_long(self, p: Progress) -> Utterance | None:
        if p.seconds < self.settings.requirements_long or p.covered(Step.ARCHITECTURE):
            return None
        now = p.current_steps()
        if now and all(step in REQUIREMENT_STEPS for step in now):
            return self._say(InterjectionRule.REQUIREMENTS_LONG, at=format_duration(p.seconds))
        return None

    def _tech_first(self, p: Progress) -> Utterance | None:
        if p.seconds > self.settings.tech_first_within or p.analysis is None or p.covered(Step.CLARIFY):
            return None
        if any(m.code == MistakeCode.TECH_FIRST for m in p.analysis.mistakes):
            return self._say(InterjectionRule.TECH_FIRST, at=format_duration(p.seconds))
        return None

    def _step_over(self, p: Progress) -> Utterance | None:
        if p.analysis is None:
            return None
        now = set(p.current_steps())
        for index, phase in enumerate(self.targets.phases):
            spent = sum(p.analysis.steps[s].seconds or 0.0 for s in phase.steps if s in p.analysis.steps)
            later = [s for q in self.targets.phases[index + 1:] for s in q.steps]
            if (spent > self.settings.over_budget * phase.minutes * 60 and now & set(phase.steps)
                    and not any(p.covered(s) for s in later)):
                if set(phase.steps) <= set(REQUIREMENT_STEPS) and InterjectionRule.REQUIREMENTS_LONG in self.fired:
                    continue  # said already, in other words
                name = phase.name.lower()
                return self._say(InterjectionRule.STEP_OVER, step=name, at_step=format_duration(spent),
                                 minutes=f"{phase.minutes:g}", at=format_duration(p.seconds))
        return None

    def _rambling(self, p: Progress) -> Utterance | None:
        stretch = p.unplaced_stretch()
        if stretch >= self.settings.rambling:
            return self._say(InterjectionRule.RAMBLING, stretch=f"{stretch:.0f}", at=format_duration(p.seconds))
        return None

    def _change(self, p: Progress) -> Utterance | None:
        made = sum(rule == InterjectionRule.CHANGE for rule in self.fired)
        if made >= self.persona.changes or not self.changes:
            return None
        if not (p.covered(Step.ARCHITECTURE) and p.covered(Step.DATA)) or p.covered(Step.SUMMARY):
            return None
        own = _design_change(p, self.seed)
        if own is not None:
            return own
        text = self.changes[sum(map(ord, self.seed)) % len(self.changes)]
        return self._say(InterjectionRule.CHANGE, TurnKind.CHANGE, text=text, at=format_duration(p.seconds))


    def _diagram(self, p: Progress) -> Utterance | None:
        """A finding of the drawing against what was said so far, each asked once, at most the persona's count,
        and only once the candidate has begun on the architecture the drawing shows."""
        if p.drawing is None or len(self.drawn) >= self.persona.drawings:
            return None
        if not p.covered(Step.ARCHITECTURE):  # still framing the problem: the drawing is ahead of the words
            return None
        found = diagram_questions.at_pause(p.drawing, p.analysis, self.drawn, p.seconds)
        if found is None:
            return None
        finding, text = found
        self.drawn.append(diagram_questions.target(finding))
        return Utterance(TurnKind.INTERJECTION, text,
                         _data()["rule"][InterjectionRule.DIAGRAM]["reason"].format(
                             at=format_duration(p.seconds), detail=finding.detail, rule=finding.rule,
                             quote=finding.quote.text),
                         rule=InterjectionRule.DIAGRAM, target=diagram_questions.target(finding))


def _design_change(p: Progress, seed: str) -> Utterance | None:
    """The requirement change made on the candidate's own design: their lone stateful part goes down."""
    if p.analysis is None:
        return None
    design = p.analysis.design or build_design(p.sentences)
    lone = next((f for f in check_design(design, p.analysis.text) if f.rule == "lone_stateful"), None)
    if lone is None or lone.component is None:
        return None
    data = _data()["rule"][InterjectionRule.CHANGE]
    says = list(data.get("design_say", ()))
    if not says:
        return None
    text = fill(says[sum(map(ord, seed)) % len(says)], {"component": lone.component})
    if text is None:
        return None
    reason = data["design_reason"].format(at=format_duration(p.seconds), component=lone.component,
                                          quote=lone.quote.text)
    return Utterance(TurnKind.CHANGE, text, reason, rule=InterjectionRule.CHANGE)


# In order of precedence: the clock first, then where the candidate is, then the change.
RULES = tuple(InterjectionRule)

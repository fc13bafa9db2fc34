"""Transcript → what an interviewer hears: coverage per step with times and evidence, mistakes, delivery.

Deterministic and explainable: every covered step quotes the sentence that says
it most plainly and is timed from that sentence, and every mistake says why in one line.
"""

from __future__ import annotations

from simulator import vocab
from simulator.config import TARGETS, TimingTargets
from simulator.judging.coverage import cover_steps, score, sentence_steps
from simulator.judging.delivery import measure_delivery
from simulator.judging.design.extract import build_design
from simulator.judging.design.model import Design
from simulator.judging.findings import Analysis, Delivery, Mistake, Pause, StepResult
from simulator.judging.mistakes import REASON, find_mistakes
from simulator.judging.rubric import Step, load_rubric, reply_step
from simulator.judging.sentences import Sentence, sentences_from_segments, sentences_from_text
from simulator.transcript import Segment
from simulator.vocab import Kind

__all__ = ["Analysis", "Delivery", "Mistake", "Pause", "REASON", "Sentence", "StepResult", "analyze",
           "analyze_segments", "analyze_text", "cover_steps", "guess_kind", "sentence_steps",
           "sentences_from_segments", "sentences_from_text"]


def guess_kind(sentences: list[Sentence]) -> str:
    """Experience if the STAR steps are heard more than the design steps."""
    rubric = load_rubric()
    design = sum(_total(step, sentences) / step.threshold for step in rubric[Kind.DESIGN])
    star = sum(_total(step, sentences) / step.threshold for step in rubric[Kind.EXPERIENCE])
    return Kind.EXPERIENCE if star * 2 > design else Kind.DESIGN


def _total(step: Step, sentences: list[Sentence]) -> float:
    return sum(min(score(step, s), 2 * step.threshold) for s in sentences)


def analyze(sentences: list[Sentence], kind: str | None = None, targets: TimingTargets = TARGETS,
            segments: list[Segment] | None = None, asked: str | None = None) -> Analysis:
    """asked: what the question this answers aimed at (a follow-up's target), so a reply is read in its light."""
    kind = kind or guess_kind(sentences)
    steps = cover_steps(sentences, load_rubric()[kind], reply_step(kind, asked))
    design = design_of(kind, sentences)
    if kind == Kind.DESIGN and vocab.Step.CLARIFY in steps:
        steps[vocab.Step.CLARIFY] = questions_asked(sentences, steps)
    if kind == Kind.DESIGN and design is not None:
        steps.update(done_by_design(sentences, steps, design))
    timed = bool(sentences) and sentences[0].start is not None
    duration = (sentences[-1].end or 0.0) if timed else None
    delivery = measure_delivery(sentences, segments or [])
    mistakes = find_mistakes(kind, sentences, steps, duration, targets)
    return Analysis(kind, steps, mistakes, delivery, duration, sentences, design)


def design_of(kind: str, sentences: list[Sentence]) -> Design | None:
    """The design heard: always for a design answer, even empty, so the report can say nothing was named; for an
    experience answer only where it names components of the system it tells of."""
    design = build_design(sentences)
    return design if kind == Kind.DESIGN or design.components else None


def done_by_design(sentences: list[Sentence], steps: dict[str, StepResult], design: Design) -> dict[str, StepResult]:
    """Thin steps the design heard shows done after all: the baseline, when its parts are joined by a flow (parts with
    roles); scale, when a part has its failure handled (a replica, a retry, a TTL). Only a step the answer named:
    a safeguard said in passing is not a scaling plan. The sentence that shows it is the evidence."""
    done: dict[str, StepResult] = {}
    shown = {vocab.Step.ARCHITECTURE: design.flows[0].quote if design.flows and len(design.components) >= 2 else None,
             vocab.Step.SCALE: design.safeguards[0].quote if design.safeguards else None}
    for step, quote in shown.items():
        result = steps.get(step)
        if quote is None or result is None or not result.thin:
            continue
        said = next((s for s in sentences if s.text == quote.text), None)
        timed = said is not None and said.start is not None
        done[step] = StepResult(True, said.start if timed else None, round(said.seconds, 1) if timed else None,
                                quote.text, result.score)
    return done


def questions_asked(sentences: list[Sentence], steps: dict[str, StepResult]) -> StepResult:
    """The candidate's questions to the interviewer before the design starts count towards clarify, the first
    one quoted as its evidence: asking is what clarifying is."""
    clarify = steps[vocab.Step.CLARIFY]
    arch = steps.get(vocab.Step.ARCHITECTURE)
    before = arch.first_at if arch is not None and arch.covered else None
    asked = [s for s in sentences if s.text.rstrip().endswith("?")
             and (before is None or s.start is None or s.start < before)]
    if not asked or clarify.covered:  # covered already: its time stays that of the sentence it quotes
        return clarify
    first_at = asked[0].start
    seconds = round(sum(s.seconds for s in asked), 1) if first_at is not None else None
    return StepResult(True, first_at, seconds, asked[0].text, max(clarify.score, 2.0))


def analyze_segments(segments: list[Segment], kind: str | None = None, asked: str | None = None) -> Analysis:
    return analyze(sentences_from_segments(segments), kind, segments=segments, asked=asked)


def analyze_text(text: str, kind: str | None = None, asked: str | None = None) -> Analysis:
    return analyze(sentences_from_text(text), kind, asked=asked)

"""A saved session as a reviewer sees it: every line on the session clock, where the walkthrough's time
went step by step against the drill budget, per-turn timing, pace over time, and the self-review.

Built from what the store read (no model), and from whatever an interrupted session left behind: a
missing transcript, an answer with audio but no text, or missing WAVs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from simulator.config import TARGETS, TimingTargets, format_duration
from simulator.judging.analysis import (
    Analysis,
    Sentence,
    analyze_segments,
    analyze_text,
    sentence_steps,
    sentences_from_segments,
)
from simulator.judging.rubric import STEPS
from simulator.sessions.record import Role, SavedSession, SessionRecord, TranscriptAnswer
from simulator.review.self_review import SelfCheck, self_review
from simulator.text import split_sentences
from simulator.transcript import Segment
from simulator.vocab import CheckVerdict, EndReason, Kind

PACE_BIN_SECONDS = 20.0  # one point of the pace chart per this much answer
MIN_BIN_SECONDS = 5.0  # a shorter tail is too little to give a pace
NO_TRANSCRIPT = "(no transcript)"
# a self-check's verdict, or a step covered or not
VERDICT_MARKS = {CheckVerdict.YES: "✓", CheckVerdict.NO: "✗", CheckVerdict.PARTLY: "~", None: "?"}


@dataclass(frozen=True)
class Line:
    """One transcript line on the session clock. `missing` marks recorded audio with no text."""

    start: float
    end: float
    speaker: Role
    text: str
    turn: int  # 1-based, counting every turn
    missing: bool = False


@dataclass(frozen=True)
class Span:
    """A stretch of the walkthrough spent on one step (None: on none); seconds from the answer's start."""

    start: float
    end: float
    step: str | None


@dataclass(frozen=True)
class PhaseTime:
    name: str
    budget_seconds: float
    seconds: float
    steps: tuple[str, ...]


@dataclass(frozen=True)
class PlannedPhase:
    """A part of the 2/3/3/2 drill budget laid on the walkthrough's clock: where the budget puts it."""

    name: str
    start: float
    end: float
    minutes: float
    steps: tuple[str, ...]


@dataclass(frozen=True)
class WalkthroughSummary:
    """The walkthrough's length against the target window, and the whole session's, as every report states
    them: no walkthrough (recorded False), a typed one (no timing), or a timed one with its verdict."""

    recorded: bool
    typed: bool
    seconds: float
    verdict: str
    window: str
    session_seconds: float

    @property
    def length(self) -> str:
        return format_duration(self.seconds)

    @property
    def session_length(self) -> str:
        return format_duration(self.session_seconds)


ENDINGS = {EndReason.CLOSING_CUE: "ended on a closing sentence", EndReason.SILENCE: "ended by a long silence",
           EndReason.ENTER: "ended with Enter", EndReason.TIME_LIMIT: "ended at the time limit",
           EndReason.SOURCE_ENDED: "ended with the recording", EndReason.DEVICE_LOST: "ended when the microphone was lost",
           EndReason.TYPED: "typed"}


TIMES = {1: "once", 2: "twice"}


def ending(ended_by: str | None, resumed: int = 0, words: str = "") -> str:
    """How an answer ended, in words, for the reports; empty when the session did not say. resumed: how often it
    went on after a closing sentence, words: what it first went on with."""
    said = ENDINGS.get(ended_by, f"ended by {ended_by}") if ended_by else ""  # type: ignore[call-overload]
    if said and resumed:
        said += f"; went on {TIMES.get(resumed, f'{resumed} times')} after a closing sentence"
        said += f" (\"{words}\")" if words else ""
    return said


def budget_plan(targets: TimingTargets = TARGETS) -> list[PlannedPhase]:
    """The budget's phases one after another from the walkthrough's start."""
    plan, edge = [], 0.0
    for phase in targets.phases:
        plan.append(PlannedPhase(phase.name, edge, edge + phase.minutes * 60, phase.minutes, phase.steps))
        edge += phase.minutes * 60
    return plan


def timeline_seconds(timeline: list[Span], kind: str, targets: TimingTargets = TARGETS) -> float:
    """The time scale a timeline is drawn on: the walkthrough, and for a design answer at least the budget."""
    budget = sum(p.minutes for p in targets.phases) * 60 if kind == Kind.DESIGN else 0.0
    return max(budget, timeline[-1].end)


@dataclass
class TurnReview:
    number: int
    role: Role
    text: str
    audio: str | None
    audio_path: Path | None  # the audio file, when it is there
    start: float
    end: float
    target: str | None = None
    analysis: Analysis | None = None
    segments: list[Segment] = field(default_factory=list)  # times from the answer's start
    offset: float = 0.0  # where the answer's clock starts on the session clock: the turn's start
    transcribed: bool = True
    first_words_after: float | None = None  # seconds of thinking before the first word
    reason: str | None = None  # why the interviewer said it: for a follow-up, the rule and the quote that chose it
    ended_by: str | None = None  # why a spoken answer ended (transcript.json's `ended_by`; EndReason)
    resumed: list[float] = field(default_factory=list)  # answer seconds where it went on after a closing sentence

    @property
    def how_ended(self) -> str:
        """How the answer ended, and whether it went on after a closing sentence, with the words it went on with."""
        first = self.resumed[0] if self.resumed else None
        after = next((s.text.strip() for s in self.segments if first is not None and s.end > first), "")
        return ending(self.ended_by, len(self.resumed), split_sentences(after)[0] if after else "")

    @property
    def seconds(self) -> float:
        return max(0.0, self.end - self.start)

    @property
    def audio_present(self) -> bool:
        return self.audio_path is not None

    @property
    def covered(self) -> list[str]:
        return self.analysis.covered if self.analysis is not None else []

    def to_json(self) -> dict[str, Any]:
        delivery = self.analysis.delivery if self.analysis is not None else None
        return {"number": self.number, "role": str(self.role), "text": self.text, "audio": self.audio,
                "audio_present": self.audio_present, "start": self.start, "end": self.end,
                "seconds": round(self.seconds, 2), "target": self.target, "transcribed": self.transcribed,
                "words": delivery.words if delivery else None, "wpm": delivery.wpm if delivery else None,
                "speaking_seconds": delivery.speaking_seconds if delivery else None,
                "first_words_after": self.first_words_after, "reason": self.reason, "ended_by": self.ended_by,
                "resumed": self.resumed,
                "analysis": self.analysis.to_json() if self.analysis is not None else None}


@dataclass
class Review:
    folder: Path
    record: SessionRecord
    kind: str
    turns: list[TurnReview]
    lines: list[Line]
    timeline: list[Span]
    phases: list[PhaseTime]
    pace: list[tuple[float, float]]
    self_review: list[SelfCheck]
    notes: list[str]
    keep_fillers: bool = False

    @property
    def answers(self) -> list[TurnReview]:
        return [t for t in self.turns if t.role == Role.CANDIDATE]

    @property
    def walkthrough(self) -> TurnReview | None:
        return self.answers[0] if self.answers else None

    @property
    def typed(self) -> bool:
        return bool(self.answers) and all(t.audio is None for t in self.answers)

    @property
    def session_seconds(self) -> float:
        return max((t.end for t in self.turns), default=0.0)

    def summary(self, targets: TimingTargets = TARGETS) -> WalkthroughSummary:
        walk = self.walkthrough
        seconds = walk.seconds if walk is not None else 0.0
        return WalkthroughSummary(walk is not None, self.typed, seconds, targets.verdict(seconds), targets.window,
                                  self.session_seconds)

    def followups(self) -> list[tuple[TurnReview, TurnReview | None]]:
        """Each follow-up question with the answer that came right after it, if any."""
        return [(t, self.turns[i + 1] if i + 1 < len(self.turns) and self.turns[i + 1].role == Role.CANDIDATE
                 else None)
                for i, t in enumerate(self.turns) if t.role == Role.INTERVIEWER and t.target is not None]

    def to_json(self, targets: TimingTargets = TARGETS) -> dict[str, Any]:
        walk, summary = self.walkthrough, self.summary(targets)
        r = self.record
        return {
            "id": r.id, "folder": str(self.folder), "question": r.question.to_json(), "started_at": r.started_at,
            "status": str(r.status), "model": r.model, "kind": self.kind, "typed": self.typed,
            "answer_seconds": round(walk.seconds, 2) if walk else None,
            "target_seconds": [targets.min_seconds, targets.max_seconds],
            "verdict": summary.verdict if summary.recorded and not summary.typed else None,
            "session_seconds": round(summary.session_seconds, 2),
            "phases": [asdict(p) for p in self.phases],
            "timeline": [asdict(s) for s in self.timeline],
            "turns": [t.to_json() for t in self.turns],
            "pace": [{"at": at, "wpm": wpm} for at, wpm in self.pace],
            "self_review": [asdict(c) for c in self.self_review],
            "transcript": [{**asdict(line), "speaker": str(line.speaker)} for line in self.lines],
            "notes": self.notes,
        }


def build_review(saved: SavedSession, targets: TimingTargets = TARGETS) -> Review:
    """Everything a report shows, from what the store read; never fails on what an interruption left out."""
    record = saved.record
    notes = list(saved.notes)
    asked = question_kind(record)
    turns: list[TurnReview] = []
    for index, turn in enumerate(record.turns):
        review = review_turn(saved, index, asked)
        if turn.audio and not review.audio_present:
            notes.append(f"{turn.audio} is missing; that part of the conversation is silent.")
        if not review.transcribed:
            number = sum(t.role == Role.CANDIDATE for t in record.turns[:index + 1])
            notes.append(f"Answer {number} has audio but no transcript (the session was interrupted); "
                         f"listen to {turn.audio}.")
        turns.append(review)
    kind = next((t.analysis.kind for t in turns if t.analysis), None) or asked or Kind.DESIGN
    answers = [t for t in turns if t.role == Role.CANDIDATE]
    walk = answers[0] if answers else None
    sentences = sentences_from_segments(walk.segments) if walk and walk.segments else []
    timeline = build_timeline(sentences, kind)
    phases = phase_times(timeline, targets) if kind == Kind.DESIGN and timeline else []
    return Review(saved.folder, record, kind, turns, _lines(turns), timeline, phases, _pace(answers),
                  self_review([t.text for t in answers], walk.analysis if walk else None, kind), notes,
                  saved.keep_fillers)


def question_kind(record: SessionRecord) -> str | None:
    """The kind the session's question was asked as, when it is one the rubric knows."""
    kind = record.question.kind
    return kind if kind in STEPS else None


def review_turn(saved: SavedSession, index: int, kind: str | None) -> TurnReview:
    """One turn with its audio, its segments moved onto the session clock, and its analysis, worked out
    again from what was said when the stored one is missing or damaged."""
    turn = saved.record.turns[index]
    review = TurnReview(index + 1, turn.role, turn.text, turn.audio, saved.audio.get(turn.audio or ""), turn.start,
                        turn.end, turn.target, turn.analysis, offset=turn.start, reason=turn.reason)
    if turn.role != Role.CANDIDATE:
        return review
    said: TranscriptAnswer | None = saved.transcripts.get(index)
    if said is not None:
        review.segments = list(said.segments)
        review.ended_by = said.ended_by
        review.resumed = list(said.resumed)
    if review.segments:
        review.first_words_after = round(review.segments[0].start, 2)
    review.transcribed = bool(review.text.strip() or review.segments) or review.audio is None
    if review.analysis is None and review.transcribed and review.text.strip():
        asked = saved.record.asked_before(turn)
        review.analysis = (analyze_segments(review.segments, kind, asked) if review.segments
                           else analyze_text(review.text, kind, asked))
    return review


def build_timeline(sentences: list[Sentence], kind: str) -> list[Span]:
    """Which step was talked about when. A sentence doing two jobs is split between them, as its time is in
    the checklist; neighbouring pieces on one step merge. Times are those of the sentences given."""
    if not sentences or sentences[0].start is None:
        return []
    spans: list[Span] = []
    for sentence, steps in zip(sentences, sentence_steps(sentences, kind)):
        start, end = sentence.start or 0.0, sentence.end or 0.0
        share = (end - start) / max(1, len(steps))
        for index, step in enumerate(steps or (None,)):
            piece = Span(round(start + index * share, 2), round(start + (index + 1) * share, 2), step)
            if spans and spans[-1].step == piece.step and piece.start - spans[-1].end < 1.0:
                spans[-1] = Span(spans[-1].start, piece.end, step)
            else:
                spans.append(piece)
    return spans


def step_seconds(timeline: list[Span]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for span in timeline:
        if span.step is not None:
            totals[span.step] = round(totals.get(span.step, 0.0) + span.end - span.start, 2)
    return totals


def phase_times(timeline: list[Span], targets: TimingTargets = TARGETS) -> list[PhaseTime]:
    """Seconds spent on each part of the 2/3/3/2 drill budget, from the steps that make it up."""
    totals = step_seconds(timeline)
    return [PhaseTime(p.name, p.minutes * 60, round(sum(totals.get(s, 0.0) for s in p.steps), 1), p.steps)
            for p in targets.phases]


def _lines(turns: list[TurnReview]) -> list[Line]:
    lines: list[Line] = []
    for turn in turns:
        spoken = [s for s in turn.segments if s.text.strip()]
        if spoken:
            lines += [Line(round(turn.offset + start, 2), round(turn.offset + end, 2), turn.role, text, turn.number)
                      for start, end, text in _whole_sentences(spoken)]
        elif turn.text.strip():
            lines.append(Line(turn.start, turn.end, turn.role, turn.text.strip(), turn.number))
        elif turn.audio:
            lines.append(Line(turn.start, turn.end, turn.role, NO_TRANSCRIPT, turn.number, missing=True))
    return sorted(lines, key=lambda line: line.start)  # what the interviewer said mid-answer, in its place


LINE_WORDS = 40  # a line runs on to its sentence's end, but text without full stops still breaks somewhere


def _whole_sentences(segments: list[Segment]) -> list[tuple[float, float, str]]:
    """Whisper's segments joined where they end mid-sentence, so a transcript line is never cut at "how many
    jobs are" with "scheduling per day." on the next."""
    out: list[tuple[float, float, str]] = []
    open_line = False
    for segment in segments:
        text = segment.text.strip()
        if open_line and out and len(out[-1][2].split()) < LINE_WORDS:
            start, _, before = out[-1]
            out[-1] = (start, segment.end, f"{before} {text}")
        else:
            out.append((segment.start, segment.end, text))
        open_line = not text.endswith((".", "?", "!", "…"))
    return out


def _pace(answers: list[TurnReview]) -> list[tuple[float, float]]:
    """Words per minute in consecutive stretches of each spoken answer, from its first word to its last,
    placed on the session clock."""
    points: list[tuple[float, float]] = []
    for turn in answers:
        if not turn.segments:
            continue
        times: list[float] = []
        for s in turn.segments:
            if s.words:
                times += [turn.offset + (w.start + w.end) / 2 for w in s.words]
            else:
                count = max(1, len(s.text.split()))
                times += [turn.offset + s.start + (i + 0.5) * (s.end - s.start) / count for i in range(count)]
        edge = turn.offset + turn.segments[0].start
        last = turn.offset + max(s.end for s in turn.segments)
        while edge < last:
            stop = min(last, edge + PACE_BIN_SECONDS)
            if stop - edge >= MIN_BIN_SECONDS:
                count = sum(edge <= t < stop for t in times)
                points.append((round((edge + stop) / 2, 2), round(count / ((stop - edge) / 60), 1)))
            edge = stop
    return points

"""A saved session as a reviewer sees it: every line on the session clock, where the walkthrough's time
went step by step against the drill budget, per-turn timing, pace over time, and the self-review.

Built from session.json and transcript.json alone (no model), and from whatever an interrupted session
left behind: a missing transcript, an answer with audio but no text, or missing WAVs.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .analysis import REASON, Sentence, analyze_segments, analyze_text, sentence_steps, sentences_from_segments
from .config import TimingTargets
from .store import TRANSCRIPT_FILE, SessionFolder, SessionRecord
from .transcript import Segment

PACE_BIN_SECONDS = 20.0  # one point of the pace chart per this much answer
MIN_BIN_SECONDS = 5.0  # a shorter tail is too little to give a pace
BOTTLENECK = re.compile(r"\b(bottlenecks?|hot ?spots?|hot keys?|breaks? first|overload(ed|s)?|saturat\w*|contention|"
                        r"single point of failure|limits? (us|us at|throughput)|slows? down)\b")
FAILURE = re.compile(r"\b(fail(s|ed|ure|ures|over)?|goes down|go down|is down|outages?|crash(es|ed)?|dies|dead|"
                     r"lost|retr(y|ies)|time ?outs?|partition(ed)?)\b")
CHECK_IN = re.compile(r"\b(does that (make sense|sound)|should i (go|dive|focus)|would you like|do you want me|"
                      r"is that (ok|okay|right|fair|reasonable)|any questions|sounds? (good|reasonable)|"
                      r"shall i)\b")
SELF_REVIEW = (
    ("clarify", "Did I clarify enough before designing?"),
    ("why", "Did I explain why, not just what?"),
    ("failure", "Did I mention at least one bottleneck and one failure mode?"),
    ("collaborate", "Did I sound collaborative, or did I monologue?"),
    ("proportion", "Was the design proportional to the problem?"),
)


@dataclass(frozen=True)
class Line:
    """One transcript line on the session clock. `missing` marks recorded audio with no text."""

    start: float
    end: float
    speaker: str
    text: str
    turn: int
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


@dataclass
class TurnReview:
    number: int
    role: str
    text: str
    audio: str | None
    audio_present: bool
    start: float
    end: float
    target: str | None = None
    analysis: dict[str, Any] | None = None
    segments: list[Segment] = field(default_factory=list)  # times from the answer's start
    offset: float = 0.0  # where the answer's clock starts on the session clock
    transcribed: bool = True
    first_words_after: float | None = None  # seconds of thinking before the first word

    @property
    def seconds(self) -> float:
        return max(0.0, self.end - self.start)

    @property
    def covered(self) -> list[str]:
        return [k for k, v in (self.analysis or {}).get("steps", {}).items() if v.get("covered")]

    def to_json(self) -> dict[str, Any]:
        delivery = (self.analysis or {}).get("delivery", {})
        return {"number": self.number, "role": self.role, "text": self.text, "audio": self.audio,
                "audio_present": self.audio_present, "start": self.start, "end": self.end,
                "seconds": round(self.seconds, 2), "target": self.target, "transcribed": self.transcribed,
                "words": delivery.get("words"), "wpm": delivery.get("wpm"),
                "speaking_seconds": delivery.get("speaking_seconds"), "first_words_after": self.first_words_after,
                "analysis": self.analysis}


@dataclass(frozen=True)
class SelfCheck:
    id: str
    question: str
    verdict: str | None  # "yes", "no", "partly"; None where only listening back can tell
    answer: str


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
        return [t for t in self.turns if t.role == "candidate"]

    @property
    def walkthrough(self) -> TurnReview | None:
        return self.answers[0] if self.answers else None

    @property
    def typed(self) -> bool:
        return bool(self.answers) and all(t.audio is None for t in self.answers)

    @property
    def session_seconds(self) -> float:
        return max((t.end for t in self.turns), default=0.0)

    def to_json(self, targets: TimingTargets = TimingTargets()) -> dict[str, Any]:
        walk = self.walkthrough
        r = self.record
        return {
            "id": r.id, "folder": str(self.folder), "question": r.question, "started_at": r.started_at,
            "status": r.status, "model": r.model, "kind": self.kind, "typed": self.typed,
            "answer_seconds": round(walk.seconds, 2) if walk else None,
            "target_seconds": [targets.min_seconds, targets.max_seconds],
            "verdict": targets.verdict(walk.seconds) if walk and not self.typed else None,
            "session_seconds": round(self.session_seconds, 2),
            "phases": [asdict(p) for p in self.phases],
            "timeline": [asdict(s) for s in self.timeline],
            "turns": [t.to_json() for t in self.turns],
            "pace": [{"at": at, "wpm": wpm} for at, wpm in self.pace],
            "self_review": [asdict(c) for c in self.self_review],
            "transcript": [asdict(line) for line in self.lines],
            "notes": self.notes,
        }


def build_review(folder: SessionFolder, targets: TimingTargets = TimingTargets()) -> Review:
    """Everything a report shows, from the session folder; never fails on what an interruption left out."""
    record = folder.load()
    transcript, notes = _read_transcript(folder)
    answers = transcript.get("answers", [])
    turns: list[TurnReview] = []
    spoken = 0
    for number, turn in enumerate(record.turns, start=1):
        present = bool(turn.audio) and folder.file(str(turn.audio)).is_file()
        review = TurnReview(number, turn.role, turn.text, turn.audio, present, turn.start, turn.end, turn.target,
                            turn.analysis)
        if turn.audio and not present:
            notes.append(f"{turn.audio} is missing; that part of the conversation is silent.")
        if turn.role == "candidate":
            saved = answers[spoken] if spoken < len(answers) else None
            spoken += 1
            _attach(review, saved, record.question.get("kind"))
            if not review.transcribed:
                notes.append(f"Answer {spoken} has audio but no transcript (the session was interrupted); "
                             f"listen to {turn.audio}.")
        turns.append(review)
    kind = next((t.analysis["kind"] for t in turns if t.analysis), None) or record.question.get("kind") or "design"
    walk = next((t for t in turns if t.role == "candidate"), None)
    sentences = sentences_from_segments(walk.segments) if walk and walk.segments else []
    timeline = build_timeline(sentences, kind)
    phases = phase_times(timeline, targets) if kind == "design" and timeline else []
    answer_turns = [t for t in turns if t.role == "candidate"]
    return Review(folder.path, record, kind, turns, _lines(turns), timeline, phases, _pace(answer_turns),
                  self_review(answer_turns, kind), notes, bool(transcript.get("keep_fillers", False)))


def _read_transcript(folder: SessionFolder) -> tuple[dict[str, Any], list[str]]:
    path = folder.file(TRANSCRIPT_FILE)
    if not path.exists():
        return {}, []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("answers", []), list):
            raise ValueError("not a transcript")
        return data, []
    except (OSError, ValueError) as exc:
        return {}, [f"{TRANSCRIPT_FILE} is unreadable ({type(exc).__name__}); answer times come from "
                    "session.json alone."]


def _attach(review: TurnReview, saved: Any, kind: str | None) -> None:
    """The answer's segments (moved onto the session clock) and its analysis, worked out again if missing."""
    segments: list[Segment] = []
    review.offset = review.start
    if isinstance(saved, dict) and saved.get("audio") == review.audio:
        try:
            segments = [Segment.from_json(s) for s in saved.get("segments") or []]
            review.offset = float(saved.get("offset", review.start))
        except (ValueError, KeyError, TypeError, AttributeError):
            segments = []
    review.segments = sorted(segments, key=lambda s: (s.start, s.end))
    if review.segments:
        review.first_words_after = round(review.segments[0].start, 2)
    review.transcribed = bool(review.text.strip() or review.segments) or review.audio is None
    if review.analysis is None and review.transcribed and review.text.strip():
        found = analyze_segments(review.segments, kind) if review.segments else analyze_text(review.text, kind)
        review.analysis = found.to_json()


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


def phase_times(timeline: list[Span], targets: TimingTargets = TimingTargets()) -> list[PhaseTime]:
    """Seconds spent on each part of the 2/3/3/2 drill budget, from the steps that make it up."""
    totals = step_seconds(timeline)
    return [PhaseTime(p.name, p.minutes * 60, round(sum(totals.get(s, 0.0) for s in p.steps), 1), p.steps)
            for p in targets.phases]


def _lines(turns: list[TurnReview]) -> list[Line]:
    lines: list[Line] = []
    for turn in turns:
        if turn.segments:
            lines += [Line(round(turn.offset + s.start, 2), round(turn.offset + s.end, 2), turn.role, s.text.strip(),
                           turn.number) for s in turn.segments if s.text.strip()]
        elif turn.text.strip():
            lines.append(Line(turn.start, turn.end, turn.role, turn.text.strip(), turn.number))
        elif turn.audio:
            lines.append(Line(turn.start, turn.end, turn.role, "(no transcript)", turn.number, missing=True))
    return lines


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


def self_review(answers: list[TurnReview], kind: str) -> list[SelfCheck]:
    """The self-review questions, answered where the transcript can answer them."""
    walk = answers[0] if answers else None
    analysis = (walk.analysis if walk else None) or {}
    steps = analysis.get("steps", {})
    mistakes = {m["code"]: m["detail"] for m in analysis.get("mistakes", [])}
    text = " ".join(t.text for t in answers if t.text)
    walk_text = walk.text if walk else ""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", walk_text) if s.strip()]
    answers_out = {}
    if not analysis:
        none = "There is no transcript of the walkthrough to judge from."
        return [SelfCheck(cid, q, None, none) for cid, q in SELF_REVIEW]
    answers_out["clarify"] = _clarify_check(steps, kind)
    reasons = [s for s in sentences if REASON.search(s.lower())]
    if "no_reasons" in mistakes:
        answers_out["why"] = ("no", mistakes["no_reasons"])
    elif not reasons:
        answers_out["why"] = ("no", "No sentence gives a reason (\"because\", \"so that\", \"at the cost of\").")
    else:
        answers_out["why"] = ("yes" if len(reasons) > 1 else "partly",
                              f"{len(reasons)} sentence(s) give a reason, e.g. \"{_short(reasons[0])}\".")
    bottleneck = BOTTLENECK.search(text.lower())
    failure = FAILURE.search(text.lower())
    said = [f"a bottleneck (\"{bottleneck.group(0)}\")" if bottleneck else "no bottleneck",
            f"a failure mode (\"{failure.group(0)}\")" if failure else "no failure mode"]
    answers_out["failure"] = ("yes" if bottleneck and failure else "partly" if bottleneck or failure else "no",
                              f"Across all answers: {said[0]} and {said[1]}.")
    questions = [s for s in sentences if s.rstrip().endswith("?")]
    checks = [s for s in sentences if CHECK_IN.search(s.lower())]
    monologue = "no_signposts" in mistakes
    verdict = "yes" if (questions or checks) and not monologue else "partly" if questions or checks else "no"
    answers_out["collaborate"] = (verdict, f"{len(questions)} question(s) to the interviewer and {len(checks)} "
                                           "check-in(s) (\"does that make sense?\")" +
                                  ("; long stretches with no signpost." if monologue else "."))
    answers_out["proportion"] = (None, "Listen back: compare the size of the design with the scale you stated"
                                       + (" (you stated none)." if "no_numbers" in mistakes else "."))
    return [SelfCheck(cid, q, *answers_out[cid]) for cid, q in SELF_REVIEW]


def _clarify_check(steps: dict[str, Any], kind: str) -> tuple[str | None, str]:
    if kind != "design":
        situation = steps.get("situation", {})
        if situation.get("covered"):
            return "yes", "You set out the situation before the actions."
        return "no", "The situation (context, stakes) was never set out."
    clarify, arch = steps.get("clarify", {}), steps.get("architecture", {})
    if not clarify.get("covered"):
        return "no", "No clarifying questions: ask about users, scale and what matters most before designing."
    first, arch_at = clarify.get("first_at"), arch.get("first_at")
    spent = clarify.get("seconds")
    if first is not None and arch_at is not None and first > arch_at:
        return "partly", "You clarified only after the architecture had started."
    detail = f" for {spent:.0f} s" if spent else ""
    quote = f": \"{_short(clarify['evidence'])}\"" if clarify.get("evidence") else ""
    return "yes", f"You clarified first{detail}{quote}."


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

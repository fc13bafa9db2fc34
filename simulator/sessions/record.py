"""What a saved session holds, typed: session.json's record and turns, transcript.json's answers, and the
two read together. The store opens the files; everything after it reads these dataclasses.

Reading is strict about shape (ValueError saying what is wrong) so that nothing past the store has to
guard against a damaged file; a damaged stored analysis or transcript entry is dropped, not fatal, since
it can be worked out again from what was said.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from simulator.json_shape import loose, optional, required
from simulator.judging.analysis import Analysis
from simulator.sessions.context import AskedQuestion, Practice
from simulator.transcript import Segment, as_seconds

SCHEMA_VERSION = 1


class _Value(str, Enum):
    """A name kept in JSON as its plain string value."""

    def __str__(self) -> str:
        return str(self.value)


class Role(_Value):
    """Who speaks a turn."""

    INTERVIEWER = "interviewer"
    CANDIDATE = "candidate"

    @property
    def label(self) -> str:
        """How transcripts show this speaker to the candidate."""
        return "Interviewer" if self == Role.INTERVIEWER else "You"

    @property
    def subtitle(self) -> str:
        """How exported subtitles, read by others too, name this speaker."""
        return "Interviewer" if self == Role.INTERVIEWER else "Candidate"


class Status(_Value):
    """Where a session stands. RECORDING: a rehearsal is running (or was killed; the next command recovers
    it). RECOVERED: it was killed and its audio repaired afterwards, so its last answer has no transcript."""

    RECORDING = "recording"
    COMPLETE = "complete"
    INTERRUPTED = "interrupted"
    RECOVERED = "recovered"


STATUSES = tuple(s.value for s in Status)


class TurnKind(_Value):
    """Why the interviewer spoke. Mid-answer kinds (clarification, interjection, change) sit inside the
    candidate's turn on the session clock; the candidate's recording goes on under them."""

    PROMPT = "prompt"
    CLARIFICATION = "clarification"  # an answer to the candidate's question, from the fact sheet
    INTERJECTION = "interjection"  # a time cue or a nudge, with its reason
    CHANGE = "change"  # a requirement changed mid-answer, with its reason
    FOLLOWUP = "followup"
    ACKNOWLEDGEMENT = "acknowledgement"
    SILENCE_PROMPT = "silence_prompt"  # a gentle word into a long silence mid-answer, with its reason

    @property
    def mid_answer(self) -> bool:
        return self in (TurnKind.CLARIFICATION, TurnKind.INTERJECTION, TurnKind.CHANGE, TurnKind.SILENCE_PROMPT)


@dataclass
class Turn:
    """One spoken turn; start and end are seconds from the session start."""

    role: Role
    text: str
    audio: str | None
    start: float
    end: float
    target: str | None = None  # what an interviewer's follow-up aims at (a step id or mistake code)
    analysis: Analysis | None = None  # a candidate turn's analysis
    reply_latency: float | None = None  # a follow-up's wait: from the answer's end to the voice starting
    kind: TurnKind | None = None  # an interviewer turn's kind; None for the candidate's
    reason: str | None = None  # why the interviewer spoke: the question answered, the rule that fired

    def __post_init__(self) -> None:
        self.role = Role(self.role)
        if self.kind is not None:
            self.kind = TurnKind(self.kind)

    @property
    def seconds(self) -> float:
        return max(0.0, self.end - self.start)

    def to_json(self) -> dict[str, Any]:
        return {"role": str(self.role), "text": self.text, "audio": self.audio, "start": self.start,
                "end": self.end, "target": self.target,
                "analysis": self.analysis.to_json() if self.analysis is not None else None,
                "reply_latency": self.reply_latency, "kind": str(self.kind) if self.kind is not None else None,
                "reason": self.reason}

    @classmethod
    def from_json(cls, data: Any) -> Turn:
        if not isinstance(data, dict):
            raise ValueError("a turn is not an object")
        audio = optional(data, "audio", str)
        if audio is not None and not is_plain_name(audio):
            raise ValueError(f"a turn's audio {audio!r:.60} points outside the session folder")
        start, end = as_seconds(required(data, "start", (int, float))), as_seconds(required(data, "end", (int, float)))
        kind = optional(data, "kind", str)
        return cls(_choice(Role, required(data, "role", str), "role"), optional(data, "text", str) or "", audio,
                   start, end, optional(data, "target", str), _stored_analysis(data.get("analysis")),
                   optional(data, "reply_latency", (int, float)),
                   _choice(TurnKind, kind, "kind") if kind is not None else None, loose(data, "reason", str))


@dataclass
class SessionRecord:
    """session.json: the question, how the session went, and its turns in order."""

    id: str
    question: AskedQuestion
    started_at: str
    status: Status = Status.RECORDING
    model: str | None = None
    turns: list[Turn] = field(default_factory=list)
    engine: str | None = None  # which Whisper engine transcribed it (engines.ENGINES); None when typed or older
    ended_at: str | None = None
    input_overflows: int = 0  # times the microphone delivered faster than the program read it
    practice: Practice | None = None  # what the session was tailored to
    schema_version: int = SCHEMA_VERSION

    def __post_init__(self) -> None:
        self.status = Status(self.status)
        if isinstance(self.question, dict):  # as the loop builds it, and as older callers pass it
            self.question = AskedQuestion.from_json(self.question)
        if isinstance(self.practice, dict):
            self.practice = Practice.from_json(self.practice)
        _infer_kinds(self.turns)

    def answers(self) -> list[Turn]:
        return [t for t in self.turns if t.role == Role.CANDIDATE]

    def asked_before(self, turn: Turn) -> str | None:
        """What the follow-up this candidate turn answers aimed at; None for the walkthrough."""
        at = next((i for i, t in enumerate(self.turns) if t is turn), 0)
        before = self.turns[at - 1] if at > 0 else None
        return before.target if before is not None and before.role == Role.INTERVIEWER else None

    def answer_seconds(self) -> float:
        """Length of the first answer, the walkthrough that the 8–12 minute target is about."""
        answers = self.answers()
        return answers[0].seconds if answers else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"schema_version": self.schema_version, "id": self.id, "question": self.question.to_json(),
                "started_at": self.started_at, "status": str(self.status), "model": self.model,
                **({"engine": self.engine} if self.engine is not None else {}),
                "turns": [t.to_json() for t in self.turns], "ended_at": self.ended_at,
                "input_overflows": self.input_overflows,
                **({"practice": self.practice.to_json()} if self.practice is not None else {})}

    @classmethod
    def from_json(cls, data: Any) -> SessionRecord:
        """A record as session.json holds it; ValueError saying what is wrong with anything else."""
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        question = AskedQuestion.from_json(required(data, "question", dict))
        practice = loose(data, "practice", dict)
        turns = optional(data, "turns", list) or []
        status = optional(data, "status", str)
        read = [Turn.from_json(t) for t in turns]
        return cls(id=required(data, "id", str), question=question,
                   started_at=required(data, "started_at", str),
                   status=_choice(Status, status, "status") if status is not None else Status.COMPLETE,
                   model=optional(data, "model", str), turns=read, engine=loose(data, "engine", str),
                   ended_at=optional(data, "ended_at", str),
                   input_overflows=optional(data, "input_overflows", int) or 0,
                   practice=Practice.from_json(practice) if practice is not None else None,
                   schema_version=optional(data, "schema_version", int) or SCHEMA_VERSION)


@dataclass
class TranscriptAnswer:
    """One answer in transcript.json: its segments, times from the answer's start, and how its
    transcription went. `offset` repeats the turn's start for readers of the file alone; the review goes
    by the turn (None in files written before it was kept)."""

    audio: str | None
    offset: float | None
    text: str
    segments: list[Segment] = field(default_factory=list)
    ended_by: str | None = None
    dropped_segments: int = 0  # thrown away as made up (loops, text over silence)
    silent_pieces: int = 0  # stretches never transcribed because nobody spoke
    resumed: list[float] = field(default_factory=list)  # answer seconds where it went on after a closing sentence

    def to_json(self) -> dict[str, Any]:
        resumed = {"resumed": self.resumed} if self.resumed else {}  # written only where an answer went on
        return {"audio": self.audio, "offset": self.offset, "text": self.text, "ended_by": self.ended_by, **resumed,
                "dropped_segments": self.dropped_segments, "silent_pieces": self.silent_pieces,
                "segments": [s.to_json() for s in self.segments]}

    @classmethod
    def from_json(cls, data: Any) -> TranscriptAnswer:
        if not isinstance(data, dict):
            raise ValueError("an answer is not an object")
        segments = optional(data, "segments", list) or []
        offset = optional(data, "offset", (int, float))
        return cls(optional(data, "audio", str), as_seconds(offset) if offset is not None else None,
                   optional(data, "text", str) or "",
                   sorted((Segment.from_json(s) for s in segments), key=lambda s: (s.start, s.end)),
                   optional(data, "ended_by", str), optional(data, "dropped_segments", int) or 0,
                   optional(data, "silent_pieces", int) or 0,
                   [as_seconds(at) for at in optional(data, "resumed", list) or []])


@dataclass
class Transcript:
    """transcript.json: every answer's segments with word times, in the order the answers were given.
    Read back, a damaged entry is None in its place, so the entries after it still line up."""

    answers: list[TranscriptAnswer | None]
    model: str | None = None
    keep_fillers: bool = False  # whisper was asked to keep "um" and "uh"
    schema_version: int = SCHEMA_VERSION

    def to_json(self) -> dict[str, Any]:
        return {"schema_version": self.schema_version, "model": self.model, "keep_fillers": self.keep_fillers,
                "answers": [a.to_json() for a in self.answers if a is not None]}

    @classmethod
    def from_json(cls, data: Any) -> Transcript:
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        answers = []
        for entry in optional(data, "answers", list) or []:
            try:
                answers.append(TranscriptAnswer.from_json(entry))
            except (ValueError, RecursionError):
                answers.append(None)
        return cls(answers, loose(data, "model", str), data.get("keep_fillers") is True,
                   loose(data, "schema_version", int) or SCHEMA_VERSION)


@dataclass(frozen=True)
class SavedSession:
    """A session as the store read it, in one pass: the record, each answer's own transcript entry, the
    audio files that are there, and what could not be read."""

    folder: Path
    record: SessionRecord
    transcripts: dict[int, TranscriptAnswer]  # by the answer turn's index in record.turns
    audio: dict[str, Path]  # the turns' audio files that exist, by name
    keep_fillers: bool = False
    notes: tuple[str, ...] = ()

    @classmethod
    def of(cls, folder: Path, record: SessionRecord, transcript: Transcript | None, audio: dict[str, Path],
           notes: tuple[str, ...] = ()) -> SavedSession:
        """Entry N of the transcript belongs to answer N when it names the same audio (a typed answer has
        none); any other entry belongs to no answer."""
        entries = transcript.answers if transcript is not None else []
        answers = [i for i, t in enumerate(record.turns) if t.role == Role.CANDIDATE]
        own = {i: e for i, e in zip(answers, entries) if e is not None and e.audio == record.turns[i].audio}
        return cls(folder, record, own, audio, transcript is not None and transcript.keep_fillers, notes)

    @property
    def id(self) -> str:
        return self.record.id


def _infer_kinds(turns: list[Turn]) -> None:
    """Sessions saved before turns had a kind: the first interviewer turn asked the question, one with a
    target was a follow-up, any other an acknowledgement."""
    first = True
    for turn in turns:
        if turn.role != Role.INTERVIEWER:
            continue
        if turn.kind is None:
            turn.kind = (TurnKind.PROMPT if first else TurnKind.FOLLOWUP if turn.target is not None
                         else TurnKind.ACKNOWLEDGEMENT)
        first = False


def is_plain_name(name: str) -> bool:
    """A bare file name that stays in its folder: no separators, no `..`, not absolute."""
    return bool(name) and name not in (".", "..") and not any(c in name for c in "/\\\0")


def _stored_analysis(data: Any) -> Analysis | None:
    """A stored analysis, else None: it is worked out again from the transcript when needed, so a damaged
    one costs nothing and must not break a report."""
    if data is None:
        return None
    try:
        return Analysis.from_json(data)
    except (ValueError, RecursionError):
        return None


def _choice(kind: type[_Value], value: str, key: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        names = ", ".join(v.value for v in kind)
        raise ValueError(f"{key} {value!r:.40} is not one of {names}") from None

"""The session as it is written: the record, its turns on one timeline, and every save of them.

One writer per turn field: the interview, the answer recorder and the mid-answer turns change a turn only
through these methods, so each change reaches session.json the way the others do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from simulator.audio import AudioClip, write_wav
from simulator.errors import DeviceError
from simulator.judging.analysis import Analysis
from simulator.judging.followups import FollowUp
from simulator.ports import Clock
from simulator.sessions.record import Role, SessionRecord, Transcript, TranscriptAnswer, Turn, TurnKind
from simulator.sessions.store import SessionFolder
from simulator.transcript import Segment, text_of

INTERVIEWER = Role.INTERVIEWER
CANDIDATE = Role.CANDIDATE


@dataclass
class Answer:
    turn: Turn
    segments: list[Segment]
    reason: str
    analysis: Analysis | None = None
    dropped: int = 0
    silent_pieces: int = 0
    ended_at: float = 0.0  # clock time the candidate stopped, for the interviewer's reply latency
    transcribed: bool = False  # every piece is in; False while the last is still being transcribed
    fault: DeviceError | None = None  # the device failure that cut this answer short
    resumed: list[float] = field(default_factory=list)  # answer seconds at which it went on after a closing cue
    replied: FollowUp | None = None  # the follow-up put while the microphone stayed open after a closing cue
    acknowledged: bool = False  # "Okay." said then already, while the last words were being transcribed


class SessionLog:
    """The record and its folder, the turns on the session clock (zero when the log opens), and the answers."""

    def __init__(self, folder: SessionFolder, record: SessionRecord, clock: Clock) -> None:
        self.folder = folder
        self.record = record
        self.clock = clock
        self.t0 = clock.now()
        self.answers: list[Answer] = []

    @property
    def turns(self) -> list[Turn]:
        return self.record.turns

    def save(self) -> None:
        self.folder.save(self.record)

    # the timeline

    def elapsed(self) -> float:
        return self.clock.now() - self.t0

    def last_end(self) -> float:
        return max((t.end for t in self.record.turns), default=0.0)

    def timeline(self) -> float:
        """Where the next turn starts: now, but never before the last turn's audio ended."""
        return max(self.elapsed(), self.last_end())

    # what was said so far

    def candidate_turns(self) -> list[Turn]:
        return [t for t in self.record.turns if t.role == CANDIDATE]

    def said(self) -> str:
        """Everything the candidate has said so far, as one text."""
        return " ".join(t.text for t in self.candidate_turns())

    def acknowledgements(self) -> list[str]:
        return [t.text for t in self.record.turns if t.kind == TurnKind.ACKNOWLEDGEMENT]

    def asked_followups(self) -> int:
        return sum(t.role == INTERVIEWER and t.target is not None for t in self.record.turns)

    # the turns and their fields, each written here only

    def keep_turn(self, text: str, clip: AudioClip | None, start: float, kind: TurnKind, reason: str | None = None,
                  target: str | None = None) -> Turn:
        """An interviewer turn into the session, its voice kept beside it for replay."""
        number = sum(t.role == INTERVIEWER for t in self.record.turns) + 1
        audio = None
        if clip is not None:
            audio = f"prompt-{number:02d}.wav"
            write_wav(self.folder.file(audio), clip.samples, clip.rate)
        end = start + clip.seconds if clip is not None else max(start, self.elapsed())
        turn = Turn(INTERVIEWER, text, audio, round(start, 3), round(end, 3), target, kind=kind, reason=reason)
        self.record.turns.append(turn)
        self.save()
        return turn

    def open_answer(self, audio: str | None) -> Turn:
        """The candidate's turn, started on the timeline; a spoken one names its audio from the start, so a crash
        from here on leaves a turn that says where its recording is."""
        start = round(self.timeline(), 3)
        turn = Turn(CANDIDATE, "", audio, start, start)
        self.record.turns.append(turn)
        if audio is not None:
            self.save()
        return turn

    def answer_number(self) -> int:
        """The number the next answer gets: 1 for the first."""
        return len(self.candidate_turns()) + 1

    def reply_latency(self, turn: Turn, seconds: float) -> None:
        turn.reply_latency = round(max(0.0, seconds), 3)
        self.save()

    def placed(self, turn: Turn, latency: float | None) -> None:
        """A mid-answer turn is in place: how long the candidate waited for it, if known."""
        if latency is not None:
            turn.reply_latency = round(max(0.0, latency), 3)
        self.save()

    def stopped(self, turn: Turn, end: float, why: str) -> None:
        """The interviewer's voice was cut short at `end` (session seconds)."""
        turn.end = round(end, 3)
        turn.reason = f"{turn.reason}; {why}" if turn.reason else why
        self.save()

    def withdrawn(self, turn: Turn) -> None:
        """A follow-up cut short because the answer went on: not asked, so it may be asked again later."""
        turn.target = None
        self.save()

    def end_answer(self, turn: Turn, end: float) -> None:
        turn.end = round(end, 3)
        self.save()

    def draft(self, turn: Turn, segments: Sequence[Segment]) -> None:
        """The answer's text so far, for choosing the follow-up while the candidate speaks; not saved until done."""
        turn.text = text_of(segments)

    def transcribed(self, answer: Answer, segments: list[Segment], dropped: int = 0, silent_pieces: int = 0) -> None:
        answer.segments = segments
        answer.turn.text = text_of(segments)
        answer.dropped, answer.silent_pieces = dropped, silent_pieces
        answer.transcribed = True

    def kept_partial(self, answer: Answer, segments: list[Segment]) -> None:
        """Stopped before the last piece was in: what was transcribed, rather than nothing."""
        answer.segments = segments
        answer.turn.text = text_of(segments)

    def analysed(self, answer: Answer, analysis: Analysis) -> None:
        answer.analysis = answer.turn.analysis = analysis
        self.save()

    def save_transcript(self, keep_fillers: bool) -> None:
        answers: list[TranscriptAnswer | None] = [
            TranscriptAnswer(answer.turn.audio, answer.turn.start, answer.turn.text, answer.segments, answer.reason,
                             answer.dropped, answer.silent_pieces, [round(at, 3) for at in answer.resumed])
            for answer in self.answers]
        if answers:
            self.folder.save_transcript(Transcript(answers, self.record.model, keep_fillers))

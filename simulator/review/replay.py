"""Play a saved session back: both voices in order, each transcript line shown as it is spoken.

The plan is built from the session's review (its lines and the WAVs it found), so a replay shows what
the report shows, never touches what it plays, and works on interrupted sessions. Playing takes a
Player, a Clock and a show callback, so tests drive it with fakes and the CLI wires in the real speaker.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from simulator.audio import AudioClip, read_wav, resample
from simulator.config import format_duration
from simulator.errors import UserError
from simulator.ports import Clock, Player
from simulator.review.diagram_view import kept_snapshots
from simulator.review.review import Line, Review, TurnReview
from simulator.sessions.record import Role, SessionRecord, Status

MAX_GAP = 1.0  # seconds of dead air between turns (model work, follow-up planning) kept in a replay
SHORT_AUDIO = 0.5  # a WAV this much shorter than its turn is reported as cut short
NOTHING_SAID = "(nothing said)"


@dataclass(frozen=True)
class DrawingSaved(Line):
    """A save of the candidate's drawing, shown at its time among the lines: "(drawing saved: 3 boxes, 2 arrows)"."""


def render(line: Line) -> str:
    if isinstance(line, DrawingSaved):
        return f"[{format_duration(line.start)}] ({line.text})"
    return f"[{format_duration(line.start)}] {line.speaker.label}: {line.text}"


@dataclass
class Piece:
    """One turn as it is replayed: its lines, its audio if any, and what was wrong with the audio."""

    turn: TurnReview
    lines: list[Line]
    audio: AudioClip | None = None
    problem: str | None = None

    @property
    def start(self) -> float:
        return self.turn.start

    @property
    def end(self) -> float:
        """The turn's end, or later where its audio or lines run past it (a session killed mid-answer)."""
        heard = self.start + self.audio.seconds if self.audio is not None else self.start
        return max(self.turn.end, heard, *(line.start for line in self.lines))


@dataclass
class Replay:
    record: SessionRecord
    pieces: list[Piece] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return max((p.end for p in self.pieces), default=0.0)

    @property
    def has_audio(self) -> bool:
        return any(p.audio is not None for p in self.pieces)

    def start_of_turn(self, number: int) -> float:
        """Where turn `number` (1-based, every turn counted) starts, or one sentence on a bad number."""
        if not 1 <= number <= len(self.pieces):
            raise UserError(f"The session has {len(self.pieces)} turns; pick --turn between 1 and "
                            f"{len(self.pieces)}." if self.pieces else "The session has no turns to replay.")
        return self.pieces[number - 1].start

    def check_start(self, seconds: float) -> float:
        if self.pieces and seconds >= self.seconds:
            raise UserError(f"The session is {format_duration(self.seconds)} long; pick a --from time before "
                            "that.")
        return seconds


def parse_time(text: str) -> float:
    """--from: M:SS, H:MM:SS or plain seconds."""
    value = text.strip()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value)
    match = re.fullmatch(r"(?:(\d+):)?(\d+):([0-5]\d(?:\.\d+)?)", value)
    if match is None:
        raise UserError(f"--from takes a time as MM:SS or seconds, such as 2:30 or 150, not {text!r}.")
    hours, minutes, seconds = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)


def plan_replay(review: Review) -> Replay:
    """Every turn with its lines and audio; missing or broken audio becomes a note, not an error. What the
    interviewer said during an answer is replayed inside it, at its time, its voice over the recording."""
    plan = Replay(review.record)
    inside = _mid_answer(review)
    for turn in review.turns:
        if turn.number in inside:
            plan.pieces.append(Piece(turn, []))  # replayed inside its answer; kept so --turn numbers hold
            continue
        lines = [line for line in review.lines if line.turn == turn.number] or \
            [Line(turn.start, max(turn.start, turn.end), turn.role, NOTHING_SAID, turn.number)]
        piece = Piece(turn, lines, *_audio(turn))
        for mid in (t for t in review.turns if inside.get(t.number) == turn.number):
            piece.lines += [Line(line.start, line.end, line.speaker, _with_reason(line.text, review, mid),
                                 line.turn) for line in review.lines if line.turn == mid.number]
            voice, _ = _audio(mid)
            if piece.audio is not None and voice is not None:
                piece.audio = _mixed(piece.audio, voice, mid.start - turn.start)
        piece.lines.sort(key=lambda line: line.start)
        plan.pieces.append(piece)
    _add_drawings(plan, review)
    return plan


def _add_drawings(plan: Replay, review: Review) -> None:
    """Each drawing the session kept, as a line at its time, in the turn it was saved during (or the last one
    before it), so the replay shows the drawing growing as the answer did."""
    shown = [p for p in plan.pieces if p.lines]
    for n, snapshot in enumerate(kept_snapshots(review.folder, review.notes) if shown else []):
        piece = next((p for p in reversed(shown) if p.start <= snapshot.at), shown[0])
        what = "drawing saved" if n else "drawing"
        piece.lines.append(DrawingSaved(snapshot.at, snapshot.at, Role.CANDIDATE,
                                        f"{what}: {snapshot.diagram.summary()}", piece.turn.number))
        piece.lines.sort(key=lambda line: line.start)


def _mid_answer(review: Review) -> dict[int, int]:
    """Mid-answer interviewer turns (clarifications, interjections, changes) by number: the answer they are in."""
    inside: dict[int, int] = {}
    for turn in review.turns:
        kind = review.record.turns[turn.number - 1].kind
        if kind is None or not kind.mid_answer:
            continue
        for answer in review.answers:
            if answer.start <= turn.start < max(answer.end, answer.start + 1e-9):
                inside[turn.number] = answer.number
    return inside


def _with_reason(text: str, review: Review, turn: TurnReview) -> str:
    said = review.record.turns[turn.number - 1]
    return f"({said.kind}) {text}" + (f" [why: {said.reason}]" if said.reason and said.kind != "clarification" else "")


def _mixed(recording: AudioClip, voice: AudioClip, at: float) -> AudioClip:
    """The interviewer's voice laid over the answer's recording from `at` seconds, as it was heard."""
    import numpy as np

    samples = resample(voice.samples, voice.rate, recording.rate) if voice.rate != recording.rate else voice.samples
    track = recording.samples.astype(np.float32).copy()
    start = max(0, int(round(at * recording.rate)))
    end = min(len(track), start + len(samples))
    if end > start:
        track[start:end] = np.clip(track[start:end] + samples[:end - start], -1.0, 1.0)
    return AudioClip(track, recording.rate)


def _audio(turn: TurnReview) -> tuple[AudioClip | None, str | None]:
    if not turn.audio:
        return None, None
    if turn.audio_path is None:
        return None, f"{turn.audio} is missing; its lines are shown without sound."
    try:
        clip = read_wav(turn.audio_path)
    except Exception as exc:  # soundfile raises its own error types for broken files
        return None, f"{turn.audio} cannot be read ({type(exc).__name__}); its lines are shown without sound."
    if clip.samples.size == 0:
        return None, f"{turn.audio} holds no audio; its lines are shown without sound."
    if clip.seconds < turn.seconds - SHORT_AUDIO:
        return clip, (f"{turn.audio} holds {format_duration(clip.seconds)} of the {format_duration(turn.seconds)} "
                      "turn; the rest is shown without sound.")
    return clip, None


class Replayer:
    """Walks the plan on one clock: audio (when there is a player) moves it, silence is slept through."""

    def __init__(self, plan: Replay, *, player: Player | None, clock: Clock, show: Callable[[str], None],
                 speed: float = 1.0, fast: bool = False) -> None:
        if not (speed > 0 and math.isfinite(speed)):
            raise ValueError("speed must be a positive number")
        self.plan = plan
        self.player = None if fast else player
        self.clock = clock
        self.show = show
        self.speed = speed
        self.fast = fast
        self._head = 0.0  # where the replay is, in seconds on the session clock

    def run(self, start: float = 0.0) -> None:
        record = self.plan.record
        self.show(f"Session {record.id} ({record.status}, {format_duration(self.plan.seconds)}): "
                  f"{record.question.text}")
        if self.player is not None and self.plan.pieces and not self.plan.has_audio:
            self.show("This session has no audio; the transcript follows the session's own timing.")
        self._head = start
        played = 0
        for piece in self.plan.pieces:
            if piece.end <= start and piece.start < start:
                continue
            if played:
                self._wait(min(MAX_GAP, max(0.0, piece.start - self._head)))
            self._head = max(self._head, piece.start)
            self._play(piece)
            played += 1
        ending = "the session was interrupted here" if record.status == Status.INTERRUPTED else "end of the session"
        self.show(f"[{format_duration(self._head)}] ({ending})")

    def _play(self, piece: Piece) -> None:
        begin = self._head
        if piece.problem is not None and self.player is not None:
            self.show(f"[{format_duration(begin)}] ({piece.problem})")
        pending = [line for line in piece.lines if line.end > begin or line.start >= begin]
        pending = self._reach(pending, begin)
        audio_end = piece.start + piece.audio.seconds if piece.audio is not None else begin
        if self.player is not None and piece.audio is not None and audio_end > begin:
            clip = self._clip(piece.audio, begin - piece.start)
            with contextlib.closing(self.player.playing(clip)) as positions:
                for position in positions:
                    self._head = begin + position * self.speed
                    pending = self._reach(pending, self._head)
            self._head = max(self._head, audio_end)
        for line in pending:
            self._wait(line.start - self._head)
            self._head = max(self._head, line.start)
            self.show(render(line))
        self._wait(piece.end - self._head)
        self._head = max(self._head, piece.end)

    def _reach(self, pending: list[Line], head: float) -> list[Line]:
        """Show the lines the playhead has reached and return the ones still ahead."""
        while pending and pending[0].start <= head + 1e-9:
            self.show(render(pending.pop(0)))
        return pending

    def _clip(self, clip: AudioClip, offset: float) -> AudioClip:
        """The clip from offset on, resampled so it plays `speed` times faster (and higher) at its own rate."""
        samples = clip.samples[int(max(0.0, offset) * clip.rate):]
        if self.speed != 1.0:
            samples = resample(samples, clip.rate, max(1, round(clip.rate / self.speed)))
        return AudioClip(samples, clip.rate)

    def _wait(self, session_seconds: float) -> None:
        if session_seconds > 0 and not self.fast:
            self.clock.sleep(session_seconds / self.speed)

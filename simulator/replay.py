"""Play a saved session back: both voices in order, each transcript line shown as it is spoken.

The plan is read from the session folder alone (session.json, transcript.json,
the WAVs), so a replay never touches what it plays and works on interrupted
sessions. Playing takes a Player, a Clock and a show callback, so tests drive
it with fakes and the CLI wires in the real speaker.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .audio import AudioClip, read_wav, resample
from .config import format_duration
from .errors import UserError
from .ports import Clock, Player
from .store import TRANSCRIPT_FILE, SessionFolder, SessionRecord, Turn
from .transcript import Segment

MAX_GAP = 1.0  # seconds of dead air between turns (model work, follow-up planning) kept in a replay
SHORT_AUDIO = 0.5  # a WAV this much shorter than its turn is reported as cut short
LABELS = {"interviewer": "Interviewer", "candidate": "You"}


@dataclass(frozen=True)
class Line:
    """One line of the transcript; at and end are seconds on the session clock."""

    at: float
    end: float
    role: str
    text: str

    def render(self) -> str:
        return f"[{format_duration(self.at)}] {LABELS.get(self.role, self.role)}: {self.text}"


@dataclass
class Piece:
    """One turn as it is replayed: its lines, its audio if any, and what was wrong with the audio."""

    number: int  # 1-based, counting every turn
    turn: Turn
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
        return max(self.turn.end, heard, *(line.at for line in self.lines))


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


def load(folder: SessionFolder) -> Replay:
    """Everything a replay needs from the folder; missing or broken pieces become notes, not errors."""
    record = folder.load()
    answers = _transcript_answers(folder)
    plan = Replay(record)
    candidate_index = 0
    for number, turn in enumerate(record.turns, start=1):
        segments: list[Segment] = []
        if turn.role == "candidate":
            entry = answers[candidate_index] if candidate_index < len(answers) else None
            candidate_index += 1
            if entry is not None and entry.get("audio") == turn.audio:
                segments = _segments(entry)
        audio, problem = _audio(folder, turn)
        plan.pieces.append(Piece(number, turn, _lines(turn, segments), audio, problem))
    return plan


def _transcript_answers(folder: SessionFolder) -> list[dict[str, Any]]:
    try:
        data = json.loads(folder.file(TRANSCRIPT_FILE).read_text(encoding="utf-8"))
        answers = data["answers"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return [a if isinstance(a, dict) else {} for a in answers] if isinstance(answers, list) else []


def _segments(entry: dict[str, Any]) -> list[Segment]:
    try:
        segments = [Segment.from_json(s) for s in entry.get("segments") or []]
    except (ValueError, KeyError, TypeError, AttributeError):
        return []
    return sorted((s for s in segments if s.text.strip()), key=lambda s: s.start)


def _lines(turn: Turn, segments: list[Segment]) -> list[Line]:
    if segments:
        return [Line(turn.start + s.start, turn.start + s.end, turn.role, s.text.strip()) for s in segments]
    text = turn.text.strip() or ("(no transcript)" if turn.audio else "(nothing said)")
    return [Line(turn.start, max(turn.start, turn.end), turn.role, text)]


def _audio(folder: SessionFolder, turn: Turn) -> tuple[AudioClip | None, str | None]:
    if not turn.audio:
        return None, None
    path = folder.file(turn.audio)
    if not path.is_file():
        return None, f"{turn.audio} is missing; its lines are shown without sound."
    try:
        clip = read_wav(path)
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
                  f"{record.question.get('text', '')}")
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
        ending = "the session was interrupted here" if record.status == "interrupted" else "end of the session"
        self.show(f"[{format_duration(self._head)}] ({ending})")

    def _play(self, piece: Piece) -> None:
        begin = self._head
        if piece.problem is not None and self.player is not None:
            self.show(f"[{format_duration(begin)}] ({piece.problem})")
        pending = [line for line in piece.lines if line.end > begin or line.at >= begin]
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
            self._wait(line.at - self._head)
            self._head = max(self._head, line.at)
            self.show(line.render())
        self._wait(piece.end - self._head)
        self._head = max(self._head, piece.end)

    def _reach(self, pending: list[Line], head: float) -> list[Line]:
        """Show the lines the playhead has reached and return the ones still ahead."""
        while pending and pending[0].at <= head + 1e-9:
            self.show(pending.pop(0).render())
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

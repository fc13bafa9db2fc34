"""When an answer is over: Enter, a time limit, or a silence after speech.

A thinking pause is not the end of an answer, so silence only counts once the
candidate has said something, and only past ListenSettings.end_silence, unless
the words before the pause say otherwise (wait: a closing sentence ends it sooner,
a holding one keeps it open longer; see interviewer/turn_end.py).
Speech is what the voice activity detector hears, not mere loudness, so a fan
or a noisy room neither starts the answer nor keeps it going for ever.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.audio import AudioChunk
from simulator.config import ListenSettings
from simulator.hearing.pauses import Block, Pauses
from simulator.hearing.vad import VoiceActivity
from simulator.vocab import EndReason

ENTER = EndReason.ENTER
SILENCE = EndReason.SILENCE
TIME_LIMIT = EndReason.TIME_LIMIT
SOURCE_ENDED = EndReason.SOURCE_ENDED
DEVICE_LOST = EndReason.DEVICE_LOST
CLOSING_CUE = EndReason.CLOSING_CUE


@dataclass(frozen=True)
class Wait:
    """How long a silence after this pause's speech ends the answer, and the end's reason then."""

    seconds: float
    reason: str


class Endpointer:
    def __init__(self, settings: ListenSettings, vad: VoiceActivity | None = None) -> None:
        self.settings = settings
        self.pauses = Pauses(vad or VoiceActivity(settings.speech_dbfs))  # for update(); a loop passes its own
        self.heard_speech = False
        self.last_speech_end = 0.0
        self.elapsed = 0.0
        self.wait: Wait | None = None  # this pause's own silence, set from its words; None: end_silence

    def hold(self, until: float) -> None:
        """The interviewer spoke until then (seconds into the answer): silence counts from there, as after speech."""
        self.heard_speech = True
        self.last_speech_end = max(self.last_speech_end, until)

    def update(self, chunk: AudioChunk) -> str | None:
        """Take one chunk; return why the answer ended, or None to keep listening."""
        return self.take(self.pauses.block(chunk))

    def take(self, block: Block) -> str | None:
        """Take one block as heard (pauses.py); return why the answer ended, or None to keep listening."""
        self.elapsed = block.end
        if block.sustained:
            self.heard_speech = True
            self.last_speech_end = block.speech_end if block.speech_end is not None else 0.0
        limit = self.settings.max_seconds
        if limit is not None and self.elapsed >= limit:
            return TIME_LIMIT
        wait = self.wait or Wait(self.settings.end_silence, SILENCE)
        if self.heard_speech and self.silence >= wait.seconds:
            return wait.reason
        return None

    @property
    def silence(self) -> float:
        """Seconds since the candidate (or the interviewer mid-answer) last spoke; 0 before any speech."""
        return self.elapsed - self.last_speech_end if self.heard_speech else 0.0

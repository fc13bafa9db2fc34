"""When an answer is over: Enter, a time limit, or a long silence after speech.

A thinking pause is not the end of an answer, so silence only counts once the
candidate has said something, and only past ListenSettings.end_silence.
Speech is what the voice activity detector hears, not mere loudness, so a fan
or a noisy room neither starts the answer nor keeps it going for ever.
"""

from __future__ import annotations

from simulator.audio import AudioChunk
from simulator.config import ListenSettings
from simulator.hearing.vad import SustainedSpeech, VoiceActivity, block_is_speech

ENTER = "enter"
SILENCE = "silence"
TIME_LIMIT = "time limit"
SOURCE_ENDED = "end of recording"
DEVICE_LOST = "input device lost"


class Endpointer:
    def __init__(self, settings: ListenSettings, vad: VoiceActivity | None = None) -> None:
        self.settings = settings
        self.speech = SustainedSpeech(vad or VoiceActivity(settings.speech_dbfs))
        self.heard_speech = False
        self.last_speech_end = 0.0
        self.elapsed = 0.0
        self._last_voiced_end = 0.0

    def hold(self, until: float) -> None:
        """The interviewer spoke until then (seconds into the answer): silence counts from there, as after speech."""
        self.heard_speech = True
        self.last_speech_end = max(self.last_speech_end, until)

    def update(self, chunk: AudioChunk) -> str | None:
        """Take one chunk; return why the answer ended, or None to keep listening."""
        self.elapsed = chunk.end
        frames = self.speech.vad.heard(chunk)
        if block_is_speech(frames):
            self._last_voiced_end = chunk.end
        if self.speech.push(frames):
            self.heard_speech = True
            self.last_speech_end = self._last_voiced_end
        limit = self.settings.max_seconds
        if limit is not None and self.elapsed >= limit:
            return TIME_LIMIT
        if self.heard_speech and self.elapsed - self.last_speech_end >= self.settings.end_silence:
            return SILENCE
        return None

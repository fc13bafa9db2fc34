"""When an answer is over: Enter, a time limit, or a long silence after speech.

A thinking pause is not the end of an answer, so silence only counts once the
candidate has said something, and only past ListenSettings.end_silence.
"""

from __future__ import annotations

from .audio import AudioChunk
from .config import ListenSettings

ENTER = "enter"
SILENCE = "silence"
TIME_LIMIT = "time limit"
SOURCE_ENDED = "end of recording"
DEVICE_LOST = "input device lost"


class Endpointer:
    def __init__(self, settings: ListenSettings) -> None:
        self.settings = settings
        self.heard_speech = False
        self.last_speech_end = 0.0
        self.elapsed = 0.0

    def is_speech(self, chunk: AudioChunk) -> bool:
        return chunk.level_dbfs > self.settings.speech_dbfs

    def update(self, chunk: AudioChunk) -> str | None:
        """Take one chunk; return why the answer ended, or None to keep listening."""
        self.elapsed = chunk.end
        if self.is_speech(chunk):
            self.heard_speech = True
            self.last_speech_end = chunk.end
        limit = self.settings.max_seconds
        if limit is not None and self.elapsed >= limit:
            return TIME_LIMIT
        if self.heard_speech and self.elapsed - self.last_speech_end >= self.settings.end_silence:
            return SILENCE
        return None

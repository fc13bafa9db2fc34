"""A stand-in speaker for the voice tests: it keeps every clip it is asked to play, or fails like a missing
output device."""

from __future__ import annotations

from simulator.audio import AudioClip
from simulator.errors import UserError


class ListeningPlayer:
    def __init__(self, fail: bool = False) -> None:
        self.played: list[AudioClip] = []
        self.fail = fail

    def play(self, clip: AudioClip) -> None:
        if self.fail:
            raise UserError("No output device is available.")
        self.played.append(clip)

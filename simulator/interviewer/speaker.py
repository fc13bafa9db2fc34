"""The interviewer saying something: shown on the screen, spoken, and timed on the clock."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.audio import AudioClip
from simulator.ports import Clock, Screen, Voice


@dataclass(frozen=True)
class Spoken:
    clip: AudioClip | None
    before: float  # clock time the interviewer set out to speak
    heard: float  # clock time the voice was heard (or the text shown)


@dataclass(frozen=True)
class Speaker:
    """The voice, the screen and the clock a turn of the interviewer's needs."""

    voice: Voice
    screen: Screen
    clock: Clock

    def say(self, text: str, title: str = "") -> Spoken:
        """Speak to the end, in place."""
        self.screen.question(title, text)
        started: list[float] = []
        before = self.clock.now()
        clip = self.voice.say(text, on_start=lambda: started.append(self.clock.now()))
        return Spoken(clip, before, started[0] if started else self.clock.now())

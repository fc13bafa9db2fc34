"""The interviewer saying something: shown on the screen, spoken, and timed on the clock."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from simulator import prompt_data
from simulator.audio import AudioClip
from simulator.ports import NO_TRACE, Clock, Screen, Speaking, Tracer, Voice
from simulator.vocab import Traced


@lru_cache(maxsize=1)
def _spoken_forms() -> tuple[tuple[re.Pattern[str], str], ...]:
    table = prompt_data.load("interviewer.toml").get("spoken", {})
    return tuple((re.compile(rf"(?<![\w.]){re.escape(written)}(?![\w])"), str(said))
                 for written, said in table.items())


def as_spoken(text: str) -> str:
    """The words the voice says for text written for the screen: "like bit.ly" is said "like bit dot ly"."""
    for pattern, said in _spoken_forms():
        text = pattern.sub(said, text)
    return text


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
    trace: Tracer = field(default=NO_TRACE, compare=False)

    def say(self, text: str, title: str = "") -> Spoken:
        """Speak to the end, in place."""
        self.screen.question(title, text)
        return self._in_place(text, self.clock.now())

    def begin(self, text: str) -> tuple[Spoken, Speaking | None]:
        """Start speaking and go on, where the voice can (heard: when it started, rendering included); a voice
        that cannot speaks to the end in place, and no Speaking comes back."""
        self.screen.question("", text)
        before = self.clock.now()
        self.trace.event(Traced.VOICE_START, text=text, over_answer=True)
        playing = self.voice.begin(as_spoken(text))
        if playing is None:
            return self._in_place(text, before), None
        return Spoken(playing.clip, before, self.clock.now()), playing

    def _in_place(self, text: str, before: float) -> Spoken:
        started: list[float] = []

        def heard() -> None:
            started.append(self.clock.now())
            self.trace.event(Traced.VOICE_START, text=text)

        clip = self.voice.say(as_spoken(text), on_start=heard)
        self.trace.event(Traced.VOICE_END, text=text)
        return Spoken(clip, before, started[0] if started else self.clock.now())

"""The interviewer's voices: espeak-ng through pyttsx3 (the default), Piper (optional), or none.

Every voice renders a prompt to a clip, plays it and returns it, so the
session keeps what the candidate heard. They share one way of rendering
ahead of time (prepare), so a follow-up chosen mid-answer is spoken at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from typing import Protocol

from simulator.audio import AudioClip
from simulator.errors import UserError

Ready = Callable[[], "AudioClip | None"]  # the clip of a prepared prompt, waiting for it if still rendering
PREPARED_CLIPS = 4  # prompts kept rendered ahead of time


class ClipPlayer(Protocol):
    def play(self, clip: AudioClip) -> None: ...


class Speaking:
    """A clip playing on a thread of its own while the loop goes on listening; stop() silences it within a
    block of playback (0.1 s), as when the candidate talks over the interviewer with headphones on."""

    def __init__(self, clip: AudioClip | None, player: ClipPlayer | None, warn: Callable[[str], None],
                 on_start: Callable[[], None] | None = None) -> None:
        self.clip = clip
        self.stopped = False
        self._stop = threading.Event()
        self._done = threading.Event()
        self._player = player
        self._warn = warn
        self._on_start = on_start
        threading.Thread(target=self._play, name="interviewer-voice", daemon=True).start()

    def _play(self) -> None:
        try:
            if self._on_start is not None:
                self._on_start()
            if self.clip is None or self._player is None:
                return
            playing: Generator[float, None, None] | None = getattr(self._player, "playing", lambda clip: None)(self.clip)
            if playing is None:  # a player that cannot stop mid-clip
                self._player.play(self.clip)
                return
            try:
                for _ in playing:
                    if self._stop.is_set():
                        self.stopped = True
                        break
            finally:
                playing.close()  # aborts: what is still buffered is dropped
        except UserError as exc:
            self._warn(f"{exc} The interviewer's reply is printed instead.")
        finally:
            self._done.set()

    def stop(self) -> None:
        self._stop.set()
        self._done.wait(2.0)

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)


class RenderedVoice:
    """Renders text to a clip, plays it, and returns it for replay.

    A voice that cannot play falls back to the printed prompt, once warned,
    rather than ending the interview. Subclasses say how to render.
    """

    def __init__(self, player: ClipPlayer, warn: Callable[[str], None]) -> None:
        self.player = player
        self.warn = warn
        self._can_play = True
        self._ready: dict[str, Ready] = {}  # rendered ahead: a follow-up and an acknowledgement

    def render(self, text: str) -> AudioClip | None:
        """The prompt as audio, or None (after one warning) when this voice cannot render."""
        raise NotImplementedError

    def start(self, text: str) -> Ready:
        """Begin rendering; the default renders here and now, a voice with its own worker renders there."""
        clip = self.render(text)
        return lambda: clip

    def prepare(self, text: str) -> None:
        if text in self._ready:
            self._ready[text] = self._ready.pop(text)  # the most recently wanted is the last to go
            return
        while len(self._ready) >= PREPARED_CLIPS:
            del self._ready[next(iter(self._ready))]
        self._ready[text] = self.start(text)

    def say(self, text: str, on_start: Callable[[], None] | None = None) -> AudioClip | None:
        self.prepare(text)
        clip = self._ready.pop(text)()
        if on_start is not None:
            on_start()
        if clip is not None and self._can_play:
            try:
                self.player.play(clip)
            except UserError as exc:
                self._can_play = False
                self.warn(f"{exc} The prompt is printed instead.")
        return clip


    def begin(self, text: str, on_start: Callable[[], None] | None = None) -> Speaking:
        """Start speaking and return at once: the microphone is read on while the voice plays."""
        self.prepare(text)
        clip = self._ready.pop(text)()
        return Speaking(clip, self.player if self._can_play else None, self.warn, on_start)


class Pyttsx3Voice(RenderedVoice):
    """espeak-ng through pyttsx3, rendered to a WAV first, since say() returns before the audio ends on Linux."""

    def __init__(self, player: ClipPlayer, warn: Callable[[str], None], rate_wpm: int = 165) -> None:
        super().__init__(player, warn)
        self.rate_wpm = rate_wpm
        self._can_render = True

    def render(self, text: str) -> AudioClip | None:
        if not self._can_render:
            return None
        from simulator.interviewer.espeak import render_speech

        try:
            return render_speech(text, self.rate_wpm)
        except Exception as exc:
            self._can_render = False
            self.warn(f"The interviewer voice is unavailable ({type(exc).__name__}: {exc}); install espeak-ng "
                      "with `sudo apt-get install espeak-ng`. Prompts are printed instead.")
            return None


class SilentVoice:
    """--no-voice: the prompt is only printed."""

    def prepare(self, text: str) -> None:
        pass

    def say(self, text: str, on_start: Callable[[], None] | None = None) -> AudioClip | None:
        if on_start is not None:
            on_start()
        return None

    def begin(self, text: str, on_start: Callable[[], None] | None = None) -> Speaking:
        return Speaking(None, None, lambda message: None, on_start)

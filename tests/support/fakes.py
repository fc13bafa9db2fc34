"""Fakes for the four seams and the screen. They import no device code and never sleep."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from simulator.audio import CHUNK_SAMPLES, SAMPLE_RATE, AudioChunk, AudioClip, read_audio
from simulator.errors import DeviceError
from simulator.transcript import Heard, Segment, Transcription


class FakeClock:
    """Time moves only when told to (or when something sleeps on it)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.t = start
        self.t0 = start
        self.started = datetime.now().astimezone()  # so sessions made one after another still sort in order

    def now(self) -> float:
        return self.t

    def wall(self) -> datetime:
        return self.started + timedelta(seconds=self.t - self.t0)

    def sleep(self, seconds: float) -> None:
        self.t += max(0.0, seconds)

    advance = sleep


class WavMicrophone:
    """Plays a WAV (or an array) as microphone chunks, moving the fake clock as a live one would.

    interrupt_at: Ctrl-C at that second; lost_at: the device disappears then; overflow_at: seconds at which
    the device reports it dropped input, counted in `overflows` as the real microphone does.
    """

    def __init__(self, source: Path | np.ndarray, clock: FakeClock | None = None,
                 interrupt_at: float | None = None, lost_at: float | None = None,
                 overflow_at: tuple[float, ...] = ()) -> None:
        self.samples = read_audio(source) if isinstance(source, Path) else source.astype(np.float32)
        self.clock = clock
        self.interrupt_at = interrupt_at
        self.lost_at = lost_at
        self.overflow_at = overflow_at
        self.overflows = 0
        self.closed = False
        self.opened_ahead = 0  # times the interview opened it ahead of an answer
        self.answers_from: list[float] = []  # the clock when each answer was marked to start

    def open_ahead(self) -> None:
        self.opened_ahead += 1

    def answer_from_now(self) -> None:
        self.answers_from.append(self.clock.now() if self.clock is not None else 0.0)

    def chunks(self) -> Iterator[AudioChunk]:
        try:
            for offset in range(0, len(self.samples), CHUNK_SAMPLES):
                chunk = AudioChunk(self.samples[offset:offset + CHUNK_SAMPLES], offset / SAMPLE_RATE)
                if self.clock is not None:
                    self.clock.advance(chunk.seconds)
                if self.interrupt_at is not None and chunk.end > self.interrupt_at:
                    raise KeyboardInterrupt
                if self.lost_at is not None and chunk.end > self.lost_at:
                    raise DeviceError("The input device stopped sending audio.")
                self.overflows += sum(chunk.timestamp <= t < chunk.end for t in self.overflow_at)
                yield chunk
        finally:
            self.closed = True


class RecordingVoice:
    """Remembers what it said and returns a silent clip of a plausible length."""

    def __init__(self, clock: FakeClock | None = None, seconds_per_word: float = 0.4) -> None:
        self.said: list[str] = []
        self.prepared: list[str] = []
        self.clock = clock
        self.seconds_per_word = seconds_per_word

    def prepare(self, text: str) -> None:
        self.prepared.append(text)

    def say(self, text: str, on_start: object = None) -> AudioClip:
        if callable(on_start):
            on_start()
        self.said.append(text)
        seconds = len(text.split()) * self.seconds_per_word
        if self.clock is not None:
            self.clock.advance(seconds)
        return AudioClip(np.zeros(int(seconds * 22050), dtype=np.float32), 22050)

    def begin(self, text: str, on_start: object = None) -> Playback | None:
        return None  # speaks only to the end: the loop says it in place


class Playback:
    """A clip 'playing' while the loop reads on; remembers whether it was stopped."""

    def __init__(self, clip: AudioClip) -> None:
        self.clip = clip
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True

    def wait(self, timeout: float | None = None) -> bool:
        return True


class BackgroundVoice(RecordingVoice):
    """A voice that plays on while the microphone is read, as the real ones do mid-answer."""

    def __init__(self, clock: FakeClock | None = None, seconds_per_word: float = 0.4) -> None:
        super().__init__(clock, seconds_per_word)
        self.playbacks: list[Playback] = []

    def begin(self, text: str, on_start: object = None) -> Playback:
        if callable(on_start):
            on_start()
        self.said.append(text)
        seconds = len(text.split()) * self.seconds_per_word
        self.playbacks.append(Playback(AudioClip(np.zeros(int(seconds * 22050), dtype=np.float32), 22050)))
        return self.playbacks[-1]


class InterruptingVoice(RecordingVoice):
    """Ctrl-C while the n-th prompt (1 = the question) is being spoken."""

    def __init__(self, clock: FakeClock | None = None, at_prompt: int = 1) -> None:
        super().__init__(clock)
        self.at_prompt = at_prompt

    def say(self, text: str, on_start: object = None) -> AudioClip:
        if len(self.said) + 1 == self.at_prompt:
            self.said.append(text)
            raise KeyboardInterrupt
        return super().say(text, on_start)


class ScriptedTranscriber:
    """Returns the segments it was given; counts the audio it was fed.

    While an answer goes on, partial() gives the segments that end within the audio fed so far, as a
    transcriber that keeps up with the speaker would. error: raised by check(), as a model that failed to load; finish_error: raised by finish(), as Ctrl-C
    while the last piece is transcribed.
    """

    def __init__(self, segments: list[Segment], error: BaseException | None = None,
                 finish_error: BaseException | None = None) -> None:
        self.segments = segments
        self.error = error
        self.finish_error = finish_error
        self.fed_seconds = 0.0
        self.finished = 0
        self.flushed = 0

    def check(self) -> None:
        if self.error is not None:
            raise self.error

    def feed(self, chunk: AudioChunk) -> None:
        self.fed_seconds += chunk.seconds

    def flush(self) -> None:
        self.flushed += 1

    def settle(self, timeout: float | None = None) -> bool:
        return True

    def partial(self) -> list[Segment]:
        return [s for s in self.segments if s.end <= self.fed_seconds]

    def heard(self, since: float) -> Heard | None:
        return None  # no quick hearing: the clarifications wait for partial(), as with a slow model

    def rehear(self, until: float) -> Heard | None:
        return None  # no quick hearing

    def written(self, since: float) -> Heard | None:
        after = [s for s in self.partial() if s.end > since]
        return Heard(after[0].start, self.fed_seconds, " ".join(s.text for s in after)) if after else None

    def draft(self, timeout: float | None = 0) -> list[Segment] | None:
        return self.partial() if self.settle(timeout) else None  # no quick hearing of the rest: the transcript

    def finish(self) -> Transcription:
        self.finished += 1
        if self.finish_error is not None:
            raise self.finish_error
        self.fed_seconds = 0.0
        return Transcription(list(self.segments))

    def close(self) -> None:
        self.closed = True


class RecordingScreen:
    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []

    def question(self, title: str, text: str) -> None:
        self.events.append(("question", text))

    def listening(self, turn: int) -> None:
        self.events.append(("listening", turn))

    def progress(self, seconds: float, level_dbfs: float) -> None:
        self.events.append(("progress", seconds))

    def answer_done(self, seconds: float, reason: str) -> None:
        self.events.append(("answer_done", reason))

    def notice(self, message: str) -> None:
        self.events.append(("notice", message))

    def warn(self, message: str) -> None:
        self.events.append(("warn", message))

    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.events if kind != "progress"]


class RecordingPlayer:
    """Plays nothing: remembers each clip and when it started, and moves the fake clock as the sound would."""

    def __init__(self, clock: FakeClock, block_seconds: float = 0.1) -> None:
        self.clock = clock
        self.block_seconds = block_seconds
        self.played: list[tuple[float, AudioClip]] = []  # (clock time at the start, clip)
        self.stopped_early = 0

    def playing(self, clip: AudioClip) -> Generator[float, None, None]:
        self.played.append((self.clock.now(), clip))
        block = max(1, int(clip.rate * self.block_seconds))
        done = False
        try:
            for offset in range(0, len(clip.samples), block):
                frames = min(block, len(clip.samples) - offset)
                self.clock.advance(frames / clip.rate)
                yield (offset + frames) / clip.rate
            done = True
        finally:
            if not done:
                self.stopped_early += 1

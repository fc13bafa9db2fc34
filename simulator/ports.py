"""The seams: everything the interview loop touches outside itself.

The loop takes each of these through its constructor, so tests drive it with
fakes and the CLI wires in real devices and the real model.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Generator, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol

from simulator.audio import AudioChunk, AudioClip

if TYPE_CHECKING:
    from simulator.transcript import Heard, Segment, Transcription


class Speaking(Protocol):
    """A clip playing on a thread of its own while the loop goes on listening."""

    clip: AudioClip | None  # what is playing, kept for replay (None when it only prints)

    def stop(self) -> None:
        """Silence it now (within a block of playback)."""
        ...

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for it to play out; say whether it did."""
        ...


class Voice(Protocol):
    """Speaks text; returns the audio it played (None when it only printed), for replay."""

    def prepare(self, text: str) -> None:
        """Get ready to say this, so a later say(text) starts at once (a follow-up chosen mid-answer)."""
        ...

    def say(self, text: str, on_start: Callable[[], None] | None = None) -> AudioClip | None:
        """Speak, calling on_start the moment the voice is heard (or the text shown)."""
        ...

    def begin(self, text: str, on_start: Callable[[], None] | None = None) -> Speaking | None:
        """Start speaking on a thread of its own and return at once, so the microphone is read on meanwhile;
        None from a voice that can only speak to the end (say() then speaks in place)."""
        ...


class Player(Protocol):
    """Plays a clip on the output device, yielding how far into it the listener is (seconds) every block.

    Closing the iterator early stops the sound at once, so Ctrl-C during a replay is silent at once.
    """

    def playing(self, clip: AudioClip) -> Generator[float, None, None]: ...


class Microphone(Protocol):
    """Yields 16 kHz mono chunks of one answer until the consumer stops iterating."""

    overflows: int  # times the device dropped input because the program fell behind, since it was opened

    def open_ahead(self) -> None:
        """Start hearing before the question is shown or said, so the answer need not wait for the device."""
        ...

    def answer_from_now(self) -> None:
        """The question is over: what was heard before now is not the answer."""
        ...

    def chunks(self) -> Iterator[AudioChunk]: ...


class Transcriber(Protocol):
    """Fed audio as it arrives; finish() gives the answer's segments with word times from its start."""

    def check(self) -> None:
        """Raise now if transcription cannot happen, before the candidate talks into the void."""
        ...

    def feed(self, chunk: AudioChunk) -> None:
        """Take the next block of the answer; raise if transcription has failed, so the answer stops."""
        ...

    def flush(self) -> None:
        """The answer is over: start on what is left, without waiting for it."""
        ...

    def settle(self, timeout: float | None = None) -> bool:
        """Wait up to timeout seconds for the audio fed so far; say whether it is all transcribed."""
        ...

    def partial(self) -> list[Segment]:
        """The answer as transcribed so far."""
        ...

    def heard(self, since: float) -> Heard | None:
        """A quick hearing, text only, of the speech after `since` (answer seconds), ahead of the transcript;
        None when nothing is heard that way (yet)."""
        ...

    def rehear(self, until: float) -> Heard | None:
        """The speech that stopped at `until` heard again with what was said just before it: asked for on the
        first call, given once heard; None until then (and always, where nothing hears quickly)."""
        ...

    def written(self, since: float) -> Heard | None:
        """The transcript's own words after `since`, as far as it reaches (speech_end: where it stops); None when
        it has none there yet."""
        ...

    def draft(self, timeout: float | None = 0) -> list[Segment] | None:
        """The answer to its last words for choosing the reply: the transcript once it is in, or before then the
        transcript so far and the quick hearing of the rest once that reaches the end of the speech; None when
        neither is in within timeout seconds."""
        ...

    def finish(self) -> Transcription:
        """The whole answer, once every piece is transcribed; then ready for the next answer."""
        ...

    def close(self) -> None:
        """The interview ended early: stop work under way, so nothing is cut off mid-computation."""
        ...


class Clock(Protocol):
    """Time in seconds for the session's timeline, the date for its record; sleep lets a fake clock move
    time without waiting."""

    def now(self) -> float: ...

    def wall(self) -> datetime:
        """The local date and time, for the record (when a session started and ended)."""
        ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock: monotonic, so a change of the system time never bends the session's."""

    def now(self) -> float:
        return time.monotonic()

    def wall(self) -> datetime:
        return datetime.now().astimezone()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class Screen(Protocol):
    """What the candidate sees while the loop runs: the prompt, a live timer, short notices."""

    def question(self, title: str, text: str) -> None: ...

    def listening(self, turn: int) -> None: ...

    def progress(self, seconds: float, level_dbfs: float) -> None: ...

    def answer_done(self, seconds: float, reason: str) -> None: ...

    def notice(self, message: str) -> None: ...

    def warn(self, message: str) -> None:
        """Something went wrong that the candidate should know about; the session goes on."""
        ...


class Tracer(Protocol):
    """Where --trace sends each pipeline event, from any thread: hearing, the loop and the voice alike."""

    def event(self, what: str, **fields: object) -> None:
        """Something happened now; fields say what (spans in answer seconds, text, a reason)."""
        ...

    def begin(self, path: Path, zero: float) -> None:
        """The session's folder exists: write there, times counted from `zero` (the session clock's start)."""
        ...

    def close(self) -> None: ...


class NoTrace:
    """Tracing off (the default): an event costs one call."""

    def event(self, what: str, **fields: object) -> None:
        pass

    def begin(self, path: Path, zero: float) -> None:
        pass

    def close(self) -> None:
        pass


NO_TRACE = NoTrace()


class TraceFile:
    """--trace: one JSON line per event, {"t": seconds on the session clock, "event": ..., fields}, flushed as it
    happens, so a killed session keeps its trace. Events from before the folder exists (the question asked while
    the model loads) are held and written first."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._held: list[tuple[float, str, dict[str, object]]] = []
        self._file: IO[str] | None = None
        self._zero = 0.0

    def event(self, what: str, **fields: object) -> None:
        now = self.clock.now()
        with self._lock:
            if self._file is None:
                self._held.append((now, what, fields))
            else:
                self._write(now, what, fields)

    def begin(self, path: Path, zero: float) -> None:
        with self._lock:
            self._file = path.open("a", encoding="utf-8")
            self._zero = zero
            for now, what, fields in self._held:
                self._write(now, what, fields)
            self._held = []

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None

    def _write(self, now: float, what: str, fields: dict[str, object]) -> None:
        assert self._file is not None
        line = {"t": round(now - self._zero, 3), "event": str(what),
                **{k: round(v, 3) if isinstance(v, float) else v for k, v in fields.items()}}
        self._file.write(json.dumps(line, default=str) + "\n")
        self._file.flush()

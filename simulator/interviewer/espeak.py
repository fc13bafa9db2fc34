"""espeak-ng speech through pyttsx3, rendered to a clip: the default interviewer voice's sound.

pyttsx3 is imported only when the first clip is rendered.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import signal
import tempfile
import threading
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from simulator.audio import AudioClip, read_wav

RENDER_TIMEOUT = 30.0
RENDER_ATTEMPTS = 3


@contextlib.contextmanager
def interrupt_deferred() -> Iterator[None]:
    """Hold Ctrl-C until the block ends, then raise it.

    espeak-ng calls back into Python from C while it renders; a
    KeyboardInterrupt raised inside such a callback is printed and dropped,
    so Ctrl-C during rendering would be lost.
    """
    pressed: list[int] = []
    try:
        previous = signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    except ValueError:  # not the main thread, where Ctrl-C never lands anyway
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pressed:
        raise KeyboardInterrupt


def render_speech(text: str, rate_wpm: int = 165) -> AudioClip:
    """Speech as audio, through pyttsx3 into a temporary WAV."""
    engine = _engine()
    engine.setProperty("rate", rate_wpm)
    with tempfile.TemporaryDirectory(prefix="mock-interview-") as tmp, interrupt_deferred():
        path = Path(tmp) / "prompt.wav"
        with contextlib.redirect_stdout(io.StringIO()):  # pyttsx3 prints "Audio saved to ..."
            _render_to_file(engine, text, path)
        clip = read_wav(path)
    return AudioClip(clip.samples, clip.rate)


def _render_to_file(engine: Any, text: str, path: Path) -> None:
    """save_to_file, checked: pyttsx3's espeak-ng driver can return from runAndWait before the WAV is
    written, or cancel the synthesis and write nothing, so wait for the utterance and retry an empty one."""
    for _ in range(RENDER_ATTEMPTS):
        done = threading.Event()
        outcome: dict[str, bool] = {}

        def finished(completed: bool = True, **_: Any) -> None:
            outcome["completed"] = completed
            done.set()

        token = engine.connect("finished-utterance", finished)
        try:
            path.unlink(missing_ok=True)
            engine.save_to_file(text, str(path))
            engine.runAndWait()
            if not done.wait(RENDER_TIMEOUT):
                raise TimeoutError(f"speech was not rendered within {RENDER_TIMEOUT:.0f} s")
        finally:
            engine.disconnect(token)
        if outcome.get("completed") and _wav_frames(path) > 0:
            return
    raise RuntimeError(f"espeak-ng rendered no audio in {RENDER_ATTEMPTS} attempts")


def _wav_frames(path: Path) -> int:
    try:
        with wave.open(str(path)) as wav:
            return wav.getnframes()
    except (OSError, EOFError, wave.Error):
        return 0


_ENGINE: Any = None


def _engine() -> Any:
    """One pyttsx3 engine per process: a second espeak-ng driver fights the first for its callback."""
    global _ENGINE
    if _ENGINE is None:
        import pyttsx3

        _ENGINE = pyttsx3.init()
        atexit.register(_drop_engine)
    return _ENGINE


def _drop_engine() -> None:
    """Let pyttsx3 clean up while the interpreter is whole; its destructor fails during shutdown."""
    global _ENGINE
    _ENGINE = None

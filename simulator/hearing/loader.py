"""Which engine decodes, and the model it loads: a bound model whose decode() and probe() need no engine name.

The engine modules are imported only when a model loads, so choosing one costs nothing until then.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from simulator.config import TranscribeSettings
from simulator.hearing.engines import FASTER_WHISPER
from simulator.hearing.models import ModelSpec
from simulator.transcript import Segment

if TYPE_CHECKING:
    import numpy as np


class Decoder(Protocol):
    """What an engine module offers: load a model from disk, decode one piece of audio, probe a short span."""

    def load(self, spec: ModelSpec) -> Any: ...

    def decode(self, model: Any, audio: np.ndarray, settings: TranscribeSettings, last: bool,
               between: Callable[[], None] | None = None) -> list[Segment]: ...

    def probe(self, model: Any, audio: np.ndarray, settings: TranscribeSettings, context: str = "",
              prefix: str = "") -> str: ...


def decoder(name: str) -> Decoder:
    """The engine's module, imported only now (it does not import its engine until a model loads)."""
    if name == FASTER_WHISPER:
        from simulator.hearing import engine_faster

        return engine_faster  # type: ignore[return-value]
    from simulator.hearing import engine_whisper

    return engine_whisper  # type: ignore[return-value]


@dataclass(frozen=True)
class LoadedModel:
    """A model with the engine that loaded it."""

    engine: Decoder
    model: Any

    def decode(self, audio: np.ndarray, settings: TranscribeSettings, last: bool,
               between: Callable[[], None] | None = None) -> list[Segment]:
        """One piece; `between` is called wherever the engine can pause its decoding for a probe."""
        return self.engine.decode(self.model, audio, settings, last, between)

    def probe(self, audio: np.ndarray, settings: TranscribeSettings, context: str = "", prefix: str = "") -> str:
        """A span's text only; prefix, the words at its start heard already, is not in it."""
        return self.engine.probe(self.model, audio, settings, context, prefix)


def load_model(spec: ModelSpec) -> LoadedModel:
    engine = decoder(spec.engine)
    return LoadedModel(engine, engine.load(spec))


class ModelLoader:
    """Loads the model in a background thread; get() waits and re-raises its error."""

    def __init__(self, spec: ModelSpec) -> None:
        self.spec = spec
        self._model: LoadedModel | None = None
        self._error: BaseException | None = None
        self._started = False
        self._thread = threading.Thread(target=self._load, name="whisper-loader", daemon=True)

    def start(self) -> ModelLoader:
        if not self._started:
            self._started = True
            self._thread.start()
        return self

    def failed(self) -> BaseException | None:
        """The load error if the load has already failed (a missing download fails at once)."""
        return None if self._thread.is_alive() else self._error

    def get(self) -> LoadedModel:
        self.start()
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._model is not None
        return self._model

    def _load(self) -> None:
        try:
            self._model = load_model(self.spec)
        except BaseException as exc:  # handed to the thread that asks for the model
            self._error = exc
            return

"""A model that loads only when a test says so, and an engine that hears one word over each stretch of sound:
enough to watch pieces wait for the model, catch up, and come back on the answer's clock."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from simulator.audio import SAMPLE_RATE
from simulator.config import TranscribeSettings
from simulator.hearing.loader import LoadedModel, ModelLoader
from simulator.hearing.models import ModelSpec
from simulator.transcript import Segment, Word

LOUD = 0.01
GIVE_UP = 10.0  # seconds a released model is waited for before a test fails rather than hangs


class EchoEngine:
    """Hears one word over the loud stretch of each piece it is given, and keeps what it was given."""

    def __init__(self) -> None:
        self.decoded: list[int] = []  # samples of each piece decoded, in order

    def load(self, spec: ModelSpec) -> Any:
        return None

    def decode(self, model: Any, audio: np.ndarray, settings: TranscribeSettings, last: bool,
               between: Any = None) -> list[Segment]:
        self.decoded.append(len(audio))
        loud = np.flatnonzero(np.abs(audio) > LOUD)
        if len(loud) == 0:
            return []
        start, end = loud[0] / SAMPLE_RATE, (loud[-1] + 1) / SAMPLE_RATE
        return [Segment(start, end, "said", (Word("said", start, end),))]

    def probe(self, model: Any, audio: np.ndarray, settings: TranscribeSettings, context: str = "",
              prefix: str = "") -> str:
        return ""


class SlowLoader(ModelLoader):
    """Loads only once `ready` is set (or fails then, with `error`); `loaded` is set when it is in."""

    def __init__(self, engine: EchoEngine, error: BaseException | None = None) -> None:
        super().__init__(ModelSpec("base"))
        self.engine = engine
        self.error = error
        self.ready = threading.Event()
        self.loaded = threading.Event()

    def _load(self) -> None:
        self.ready.wait(GIVE_UP)
        if self.error is not None:
            self._error = self.error
        else:
            self._model = LoadedModel(self.engine, None)  # type: ignore[arg-type]
        self.loaded.set()

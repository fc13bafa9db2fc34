"""Audio cut into the microphone's blocks, each stamped with its time, as the live loop receives them."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from simulator.audio import CHUNK_SAMPLES, SAMPLE_RATE, AudioChunk


def chunks(samples: np.ndarray) -> Iterator[AudioChunk]:
    for offset in range(0, len(samples), CHUNK_SAMPLES):
        yield AudioChunk(samples[offset:offset + CHUNK_SAMPLES], offset / SAMPLE_RATE)

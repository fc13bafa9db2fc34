"""Is this block speech? WebRTC's voice activity detector, gated by loudness.

The detector alone calls steady noise speech, and loudness alone calls a
fan speech; a block must pass both. Silence must never reach Whisper, which
turns it into "Thanks for watching".
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace

import numpy as np

from simulator.audio import SAMPLE_RATE, AudioChunk, dbfs, to_pcm16
from simulator.config import VadOptions

FRAME_SAMPLES = SAMPLE_RATE * 20 // 1000  # webrtcvad takes 10, 20 or 30 ms frames
DEFAULTS = VadOptions()


class VoiceActivity:
    def __init__(self, speech_dbfs: float = -42.0, options: VadOptions = DEFAULTS) -> None:
        self.speech_dbfs = speech_dbfs
        self.options = options
        try:
            import webrtcvad

            self._vad = webrtcvad.Vad(options.aggressiveness)
        except ImportError:  # pragma: no cover - a broken install: loudness alone still gates
            self._vad = None

    def frames(self, samples: np.ndarray) -> tuple[int, int]:
        """(voiced, all) 20 ms frames in a block; a block under the loudness gate has none voiced."""
        pcm = to_pcm16(samples)
        frame_bytes = FRAME_SAMPLES * 2
        count = len(pcm) // frame_bytes
        if dbfs(samples) <= self.speech_dbfs:
            return 0, count
        if self._vad is None:
            return count, count
        voiced = sum(self._vad.is_speech(pcm[i:i + frame_bytes], SAMPLE_RATE)
                     for i in range(0, count * frame_bytes, frame_bytes))
        return voiced, count

    def hear(self, chunk: AudioChunk) -> AudioChunk:
        """The chunk with its voice activity attached, so the endpointer and the transcriber share one pass."""
        return chunk if chunk.voice is not None else replace(chunk, voice=self.frames(chunk.samples))

    def heard(self, chunk: AudioChunk) -> tuple[int, int]:
        """(voiced, all) frames of a chunk: what was heard already, or heard now."""
        return chunk.voice if chunk.voice is not None else self.frames(chunk.samples)

    def is_speech(self, samples: np.ndarray) -> bool:
        return block_is_speech(self.frames(samples), self.options)


def block_is_speech(frames: tuple[int, int], options: VadOptions = DEFAULTS) -> bool:
    voiced, count = frames
    return count > 0 and voiced >= min(options.min_voiced_frames, count)


class SustainedSpeech:
    """Speech held over half a second: noise makes the detector fire on scattered frames, a voice does not.

    Deciding when an answer is over, or whether a piece holds any speech at all,
    must not be swayed by a fan, so these ask for most of the last half second
    to be voiced rather than a couple of frames in one block.
    """

    def __init__(self, vad: VoiceActivity) -> None:
        self.vad = vad
        self._window: deque[tuple[int, int]] = deque(maxlen=vad.options.sustained_blocks)

    def update(self, samples: np.ndarray) -> bool:
        return self.push(self.vad.frames(samples))

    def push(self, frames: tuple[int, int]) -> bool:
        """Take one block's (voiced, all) frame counts; say whether the last half second is speech."""
        self._window.append(frames)
        voiced = sum(v for v, _ in self._window)
        count = sum(c for _, c in self._window)
        options = self.vad.options
        return count > 0 and voiced >= options.sustained_fraction * max(count, options.sustained_blocks * 5)

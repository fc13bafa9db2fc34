"""Is this block speech? WebRTC's voice activity detector, gated by loudness.

The detector alone calls steady noise speech, and loudness alone calls a
fan speech; a block must pass both. Silence must never reach Whisper, which
turns it into "Thanks for watching".
"""

from __future__ import annotations

import numpy as np

from .audio import SAMPLE_RATE, dbfs, to_pcm16

FRAME_SAMPLES = SAMPLE_RATE * 20 // 1000  # webrtcvad takes 10, 20 or 30 ms frames
MIN_VOICED_FRAMES = 2  # of the five 20 ms frames in a 100 ms block
AGGRESSIVENESS = 3  # webrtcvad's strictest mode


class VoiceActivity:
    def __init__(self, speech_dbfs: float = -42.0) -> None:
        self.speech_dbfs = speech_dbfs
        try:
            import webrtcvad

            self._vad = webrtcvad.Vad(AGGRESSIVENESS)
        except ImportError:  # pragma: no cover - a broken install: loudness alone still gates
            self._vad = None

    def is_speech(self, samples: np.ndarray) -> bool:
        if dbfs(samples) <= self.speech_dbfs:
            return False
        if self._vad is None:
            return True
        pcm = to_pcm16(samples)
        frame_bytes = FRAME_SAMPLES * 2
        voiced = sum(self._vad.is_speech(pcm[i:i + frame_bytes], SAMPLE_RATE)
                     for i in range(0, len(pcm) - frame_bytes + 1, frame_bytes))
        frames = len(pcm) // frame_bytes
        return voiced >= min(MIN_VOICED_FRAMES, max(1, frames))

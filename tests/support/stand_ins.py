"""Stand-ins for the transcriber shared by several test modules: Whisper stands aside, the worker, the pieces and
the quick hearing are the program's own."""

from __future__ import annotations

import threading

import numpy as np

from simulator.audio import SAMPLE_RATE, read_audio
from simulator.config import TranscribeSettings
from simulator.hearing.probe import heard_since
from simulator.hearing.transcriber import WhisperTranscriber
from simulator.hearing.vad import VoiceActivity
from simulator.transcript import Heard, Segment

from .blocks import chunks
from .fakes import ScriptedTranscriber
from .spoken import spoken

ASKED = "Do we need custom aliases?"


def answer(*parts: tuple[str, float], voice: str = "espeak-ng") -> np.ndarray:
    """Speech fixtures and silences, back to back."""
    speech = read_audio(spoken("short-answer", voice))
    out = []
    for kind, seconds in parts:
        n = int(seconds * SAMPLE_RATE)
        out.append(speech[:n] if kind == "speech" else np.zeros(n, dtype=np.float32))
    return np.concatenate(out)


class RunTranscriber(WhisperTranscriber):
    """Whisper stands aside: each voiced run of the audio it is given becomes one 'word'."""

    def __init__(self, stream: bool) -> None:
        super().__init__(loader=None, settings=TranscribeSettings(), stream=stream)  # type: ignore[arg-type]
        self.calls: list[float] = []

    def transcribe(self, audio: np.ndarray, fallback: bool = True) -> list[Segment]:
        self.calls.append(len(audio) / SAMPLE_RATE)
        vad, runs, start = VoiceActivity(), [], None
        for chunk in chunks(audio):
            speech = vad.is_speech(chunk.samples)
            if speech and start is None:
                start = chunk.timestamp
            if not speech and start is not None:
                runs.append(Segment(round(start, 1), round(chunk.timestamp, 1), f"word{len(runs)}"))
                start = None
        if start is not None:
            runs.append(Segment(round(start, 1), round(len(audio) / SAMPLE_RATE, 1), "word-end"))
        return runs


def spans(segments: list[Segment]) -> list[tuple[float, float]]:
    return [(round(s.start, 1), round(s.end, 1)) for s in segments]


def one_pass(samples: np.ndarray) -> list[Segment]:
    transcriber = RunTranscriber(stream=False)
    for chunk in chunks(samples):
        transcriber.feed(chunk)
    return transcriber.finish().segments


class Ears(WhisperTranscriber):
    """The worker as it is, the engine stood aside: pieces and probes are recorded, the first piece waits for
    `release` so the test can queue work behind it."""

    def __init__(self) -> None:
        super().__init__(loader=None, settings=TranscribeSettings(), probe=True)  # type: ignore[arg-type]
        self.calls: list[tuple[str, float]] = []
        self.release = threading.Event()
        self.release.set()

    def transcribe(self, audio: np.ndarray, fallback: bool = True) -> list[Segment]:
        self.release.wait(10)
        self.calls.append(("piece", len(audio) / SAMPLE_RATE))
        return [Segment(0.0, len(audio) / SAMPLE_RATE, "words")]

    def quick(self, audio: np.ndarray, context: str = "", prefix: str = "") -> str:
        self.calls.append(("probe", len(audio) / SAMPLE_RATE))
        return ASKED

    def feed_all(self, samples: np.ndarray, offset: float = 0.0) -> None:
        from simulator.audio import AudioChunk

        for chunk in chunks(samples):
            self.feed(AudioChunk(chunk.samples, round(offset + chunk.timestamp, 3)))


class QuickHearing(ScriptedTranscriber):
    """No transcript, but a quick hearing of each stretch of speech, ready `probe_lag` seconds after it stopped."""

    probing = True
    probe_lag = 0.4

    def __init__(self, said: list[Heard]) -> None:
        super().__init__([])
        self.said = said

    def heard(self, since: float) -> Heard | None:
        ready = [h for h in self.said if h.speech_end + self.probe_lag <= self.fed_seconds]
        return heard_since(ready, since)

"""The loop built with fakes, and the audio it is fed: the test modules about the loop share these. `interview`
builds one from one flat set of keywords, so a test names only the parts it varies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from simulator.audio import SAMPLE_RATE, read_audio
from simulator.config import ListenSettings
from simulator.interviewer.interview import Interview
from simulator.interviewer.options import Conduct, Devices, SessionInfo
from simulator.questions import Question
from simulator.sessions.store import Store
from simulator.transcript import Segment, Word

from .fakes import FakeClock, RecordingScreen, RecordingVoice, ScriptedTranscriber, WavMicrophone

QUESTION = Question("url-shortener", "design", "URL shortener", "Design a URL shortener.")
SEGMENTS = [Segment(0.5, 2.0, "First I'd clarify the scope.", (Word("First", 0.5, 0.8),)),
            Segment(2.5, 4.0, "Who are the users?", ())]


FIXTURES = Path(__file__).resolve().parent.parent.parent / "audio_fixtures"


def talk(repeat: int = 1) -> np.ndarray:
    """Speech, trimmed to its first and last sound, so the silence after it is exactly what is added."""
    audio = read_audio(FIXTURES / "short-answer.wav")
    loud = np.flatnonzero(np.abs(audio) > 0.01)
    return np.tile(audio[loud[0]:loud[-1] + 1], repeat)


def seconds(audio: np.ndarray) -> float:
    return len(audio) / SAMPLE_RATE


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)


def make(tmp_path: Path, audio: np.ndarray, listen: ListenSettings = ListenSettings(), **kw: object) -> Interview:
    clock = FakeClock()
    defaults: dict[str, object] = dict(
        store=Store(tmp_path), question=QUESTION, voice=RecordingVoice(clock),
        transcriber=ScriptedTranscriber(SEGMENTS), clock=clock, screen=RecordingScreen(),
        microphone=WavMicrophone(audio, clock), listen=listen, model_name="tiny.pt")
    defaults.update(kw)
    return interview(**defaults)  # type: ignore[arg-type]


DEVICES = ("voice", "clock", "screen", "transcriber", "microphone", "typist", "enter", "diagram", "trace")
INFO = ("model_name", "engine", "keep_fillers", "practice")
CONDUCT = ("followups", "answers_available", "shape", "headphones", "persona", "settings")


def interview(store: Store, question: Question, listen: ListenSettings = ListenSettings(), **parts: Any) -> Interview:
    """Each keyword goes to Devices, SessionInfo or Conduct by name; an unknown one is a TypeError."""
    unknown = set(parts) - set(DEVICES) - set(INFO) - set(CONDUCT)
    if unknown:
        raise TypeError(f"no interview part named {', '.join(sorted(unknown))}")

    def picked(names: tuple[str, ...]) -> dict[str, Any]:
        return {name: parts[name] for name in names if name in parts}

    return Interview(store, question, Devices(**picked(DEVICES)), listen, SessionInfo(**picked(INFO)),
                     Conduct(**picked(CONDUCT)))

"""Listening from the moment the question is asked: the microphone does not wait for Whisper to load.

The model here loads only when the test releases it (an event), so what the candidate says before it is ready is
fed first and must come back in the transcript once it is; nothing waits a fixed time.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from simulator.audio import CHUNK_SAMPLES, SAMPLE_RATE, AudioChunk
from simulator.config import TranscribeSettings
from simulator.errors import UserError
from simulator.hearing.transcriber import WhisperTranscriber
from simulator.sessions.store import SessionFolder

from .support.fakes import FakeClock, WavMicrophone
from .support.interviews import make, silence, talk
from .support.slow_model import GIVE_UP, LOUD, EchoEngine, SlowLoader


def chunks(audio: np.ndarray) -> list[AudioChunk]:
    return [AudioChunk(audio[o:o + CHUNK_SAMPLES], o / SAMPLE_RATE) for o in range(0, len(audio), CHUNK_SAMPLES)]


def answer_audio() -> np.ndarray:
    """Speech from the first block, a pause that cuts a piece, and speech again."""
    return np.concatenate([talk(), silence(1.5), talk(), silence(0.5)])


def test_check_does_not_wait_for_a_model_still_loading() -> None:
    loader = SlowLoader(EchoEngine()).start()
    transcriber = WhisperTranscriber(loader, TranscribeSettings())
    returned = threading.Event()
    threading.Thread(target=lambda: (transcriber.check(), returned.set()), daemon=True).start()
    assert returned.wait(GIVE_UP), "check() waited for the model"
    assert not loader.loaded.is_set()
    loader.ready.set()


def test_speech_fed_while_the_model_loads_is_transcribed_once_it_is_in() -> None:
    engine = EchoEngine()
    loader = SlowLoader(engine).start()
    transcriber = WhisperTranscriber(loader, TranscribeSettings())
    audio = answer_audio()
    for chunk in chunks(audio):
        transcriber.feed(chunk)
    assert engine.decoded == [] and transcriber.partial() == [], "nothing can be decoded before the model is in"
    assert not transcriber.settle(0)
    loader.ready.set()
    segments = transcriber.finish().segments
    speech = np.flatnonzero(np.abs(audio) > LOUD)
    assert segments, "the speech came back"
    assert segments[0].start == pytest.approx(speech[0] / SAMPLE_RATE, abs=0.05), "the first words were kept"
    assert segments[-1].end == pytest.approx((speech[-1] + 1) / SAMPLE_RATE, abs=0.05)


def test_a_load_that_fails_while_the_candidate_talks_stops_the_answer_with_its_own_sentence() -> None:
    error = UserError("The Whisper model base is corrupt or not a Whisper model; download it again.")
    loader = SlowLoader(EchoEngine(), error=error).start()
    transcriber = WhisperTranscriber(loader, TranscribeSettings())
    pieces = chunks(answer_audio())
    for chunk in pieces[:30]:
        transcriber.feed(chunk)
    loader.ready.set()
    assert loader.loaded.wait(GIVE_UP)
    with pytest.raises(UserError) as raised:  # at the next block once a piece met the failed load, or at the end
        for chunk in pieces[30:]:
            transcriber.feed(chunk)
        transcriber.finish()
    assert raised.value is error


class OpeningMicrophone(WavMicrophone):
    """Releases the model once `after` seconds of the answer have been heard: only a loop that listens while the
    model loads gets that far before the model is in."""

    def __init__(self, audio: np.ndarray, clock: FakeClock, loader: SlowLoader, after: float) -> None:
        super().__init__(audio, clock)
        self.loader = loader
        self.after = after
        self.heard_before_model: float | None = None
        self.opened_before_model: bool | None = None

    def chunks(self) -> Any:
        for chunk in super().chunks():
            if self.opened_before_model is None:
                self.opened_before_model = not self.loader.loaded.is_set()
            if chunk.end >= self.after and not self.loader.ready.is_set():
                self.heard_before_model = chunk.end
                self.loader.ready.set()
            yield chunk


def test_the_interview_listens_while_the_model_loads_and_keeps_the_first_words(tmp_path: Path) -> None:
    clock = FakeClock()
    engine = EchoEngine()
    loader = SlowLoader(engine).start()
    audio = np.concatenate([talk(), silence(1.5), talk(), silence(7.0)])
    microphone = OpeningMicrophone(audio, clock, loader, after=3.0)
    interview = make(tmp_path, audio, clock=clock, microphone=microphone, followups=0,
                     transcriber=WhisperTranscriber(loader, TranscribeSettings()))
    record = interview.run()
    assert microphone.opened_before_model, "the microphone waited for the model"
    assert microphone.heard_before_model == pytest.approx(3.0, abs=0.1)
    assert record.status == "complete"
    kept = SessionFolder(interview.folder.path).read()
    segments = interview.answers[0].segments
    speech = np.flatnonzero(np.abs(audio) > LOUD)
    assert segments and segments[0].start == pytest.approx(speech[0] / SAMPLE_RATE, abs=0.05), segments
    assert kept.record.turns[1].text.startswith("said")

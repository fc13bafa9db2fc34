"""A probe does not wait for a piece's decoding: where the engine can pause (openai-whisper before each encoder
layer and each token), the speech before a pause is heard in that pause, on a twin of the model over the same
weights, and the piece's transcript is the same as without the pause."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from simulator.audio import SAMPLE_RATE, AudioChunk, read_audio
from simulator.config import TranscribeSettings
from simulator.hearing import engine_whisper
from simulator.hearing.loader import LoadedModel
from simulator.hearing.models import ModelSpec
from simulator.hearing.scheduler import JobKind
from simulator.hearing.transcriber import WhisperTranscriber
from simulator.transcript import Segment

from .support.blocks import chunks
from .support.speech import silence, speak
from .support.waiting import wait_for

FIXTURES = Path(__file__).resolve().parent.parent / "audio_fixtures"
ASKED = "Do we need custom aliases?"
BODY = ("I would put a cache in front of the key value store so that every redirect is served from memory, and "
        "the database only sees the misses.")


class SteppingEngine:
    """A decoding that goes on until the test releases it, pausing between its steps as whisper's does."""

    def __init__(self, pauses: bool = True) -> None:
        self.pauses = pauses
        self.release = threading.Event()
        self.probed_while_decoding = 0
        self.decoding = False

    def load(self, spec: ModelSpec) -> Any:
        return None

    def decode(self, model: Any, audio: np.ndarray, settings: TranscribeSettings, last: bool,
               between: Any = None) -> list[Segment]:
        self.decoding = True
        while not self.release.wait(0.005):
            if between is not None and self.pauses:
                between()
        self.decoding = False
        return [Segment(0.0, len(audio) / SAMPLE_RATE, "words")]

    def probe(self, model: Any, audio: np.ndarray, settings: TranscribeSettings, context: str = "",
              prefix: str = "") -> str:
        self.probed_while_decoding += self.decoding
        return ASKED


class Loader:
    spec = ModelSpec("tiny.en")

    def __init__(self, engine: SteppingEngine) -> None:
        self.model = LoadedModel(engine, None)  # type: ignore[arg-type]

    def get(self) -> LoadedModel:
        return self.model

    def failed(self) -> None:
        return None


def feed(ears: WhisperTranscriber, samples: np.ndarray, offset: float = 0.0) -> None:
    for chunk in chunks(samples):
        ears.feed(AudioChunk(chunk.samples, round(offset + chunk.timestamp, 3)))


@pytest.mark.parametrize("pauses", [True, False])
def test_a_question_is_heard_while_a_long_piece_is_still_being_decoded(pauses: bool) -> None:
    engine = SteppingEngine(pauses)
    ears = WhisperTranscriber(Loader(engine), TranscribeSettings(), probe=True)  # type: ignore[arg-type]
    long = np.concatenate([speak(BODY), silence(0.7)])
    feed(ears, long)  # a piece, cut at the pause: its decoding goes on until released
    assert wait_for(lambda: ears.running in (JobKind.PIECE, JobKind.EARLY) and engine.decoding)
    asked = np.concatenate([speak(ASKED), silence(0.5)])
    feed(ears, asked, offset=len(long) / SAMPLE_RATE)
    since = len(long) / SAMPLE_RATE
    if pauses:
        assert wait_for(lambda: ears.heard(since) is not None), "the question waited for the piece"
        assert ears.heard(since).text == ASKED  # type: ignore[union-attr]
        assert engine.decoding and engine.probed_while_decoding >= 1
    else:  # an engine that cannot pause: the probe goes next, as before
        assert not wait_for(lambda: ears.heard(since) is not None, timeout=0.3)
    engine.release.set()
    assert wait_for(lambda: ears.heard(since) is not None)
    assert [s.text for s in ears.finish().segments][:1] == ["words"], "the piece's transcript is kept"


@pytest.mark.weights
def test_a_probe_run_in_a_pause_of_a_real_decoding_changes_neither(real_tiny: Any) -> None:
    """whisper hangs a key-value cache on the model's layers while it decodes: the probe in the pause runs on
    a twin over the same weights, so both texts are what each gives alone, and the twin costs no memory."""
    model = engine_whisper.load(real_tiny.spec("whisper"))
    settings = TranscribeSettings()
    piece = read_audio(FIXTURES / "short-answer.wav")
    question = np.concatenate([speak(ASKED), silence(0.3)])
    alone = engine_whisper.decode(model, piece, settings, last=False)
    asked_alone = engine_whisper.probe(model, question, settings)
    heard: list[str] = []
    steps = 0

    def between() -> None:
        nonlocal steps
        steps += 1
        if steps in (3, 12):  # in the encoder, then among the tokens
            heard.append(engine_whisper.probe(model, question, settings))

    paused = engine_whisper.decode(model, piece, settings, last=False, between=between)
    assert [(s.start, s.end, s.text) for s in paused] == [(s.start, s.end, s.text) for s in alone]
    assert heard == [asked_alone, asked_alone] and "aliases" in asked_alone.lower()
    twin = engine_whisper.prober(model)
    assert twin is not model and twin.decoder is not model.decoder
    assert all(a.data_ptr() == b.data_ptr() for a, b in zip(model.parameters(), twin.parameters(), strict=True))


@pytest.mark.weights
def test_faster_whisper_pauses_between_segments_and_its_transcript_is_unchanged(real_tiny: Any) -> None:
    """CTranslate2 decodes a window in one call: a probe can wait only between the segments it gives."""
    from simulator.hearing import engine_faster

    model = engine_faster.load(real_tiny.spec("faster-whisper"))
    settings = TranscribeSettings()
    piece = read_audio(FIXTURES / "pause-answer.wav")
    alone = engine_faster.decode(model, piece, settings, last=False)
    question = np.concatenate([speak(ASKED), silence(0.3)])
    asked_alone = engine_faster.probe(model, question, settings)
    heard: list[str] = []
    paused = engine_faster.decode(model, piece, settings, last=False,
                                  between=lambda: heard.append(engine_faster.probe(model, question, settings)))
    assert [(s.start, s.end, s.text) for s in paused] == [(s.start, s.end, s.text) for s in alone]
    assert len(alone) >= 2 and len(heard) >= len(alone) and set(heard) == {asked_alone}


def test_a_pause_heard_again_takes_the_speech_before_it_and_stays_out_of_what_the_probes_heard() -> None:
    class Wide(SteppingEngine):
        def __init__(self) -> None:
            super().__init__()
            self.release.set()
            self.heard_seconds: list[float] = []

        def probe(self, model: Any, audio: np.ndarray, settings: TranscribeSettings, context: str = "",
              prefix: str = "") -> str:
            self.heard_seconds.append(len(audio) / SAMPLE_RATE)
            # the first sentence, the closing one alone, then both as heard again
            return ("Writes go to a store.", "And a smite design.",
                    "Writes go to a store. And that's my design.")[len(self.heard_seconds) - 1]

    engine = Wide()
    ears = WhisperTranscriber(Loader(engine), TranscribeSettings(), probe=True)  # type: ignore[arg-type]
    body = np.concatenate([speak("Writes go to a sharded store."), silence(0.7)])
    closing = speak("And that's my design.")
    feed(ears, body)
    assert wait_for(lambda: ears.heard(0.0) is not None)
    feed(ears, np.concatenate([closing, silence(0.5)]), offset=len(body) / SAMPLE_RATE)
    assert wait_for(lambda: ears.heard(len(body) / SAMPLE_RATE) is not None)
    alone = ears.heard(len(body) / SAMPLE_RATE)
    assert alone is not None and alone.text == "And a smite design."
    until = alone.speech_end
    assert ears.rehear(until) is None, "asked for now, heard in a moment"
    assert wait_for(lambda: ears.rehear(until) is not None)
    again = ears.rehear(until)
    assert again is not None and again.text.endswith("And that's my design.") and again.speech_end == until
    wide_seconds = ears.options.probes.wide_seconds
    assert engine.heard_seconds[-1] >= (len(body) + len(closing)) / SAMPLE_RATE, "the speech before it, too"
    assert engine.heard_seconds[-1] <= wide_seconds + 1.0
    heard = ears.heard(0.0)
    assert heard is not None and heard.text == "Writes go to a store. And a smite design.", "nothing said twice"
    assert len(engine.heard_seconds) == 3, "asked once: a pause is heard again only once"
    ears.finish()

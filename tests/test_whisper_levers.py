"""openai-whisper's speed levers for the piece the reply waits for: a window over the audio there is, and int8
linear layers. Whether each keeps the hearing is benchmarks/bench_levers.py's word error; here, that each does
what it says and changes nothing else."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from simulator.audio import SAMPLE_RATE
from simulator.config import DecodeOptions, TranscribeSettings
from simulator.hearing.engine_whisper import encoding_only, last_window_frames
from simulator.hearing.loader import ModelLoader
from simulator.hearing.models import ModelSpec, load_whisper
from simulator.hearing.transcriber import WhisperTranscriber
from simulator.transcript import text_of

from .support.speech import edit_ops, normalized_words, speak_sentences

SHORT = DecodeOptions(short_last_window=True)


def test_the_last_window_is_the_audio_and_a_margin_in_whole_seconds_never_under_the_safe_minimum() -> None:
    assert last_window_frames(4.2, DecodeOptions(short_last_window=False)) is None, "off: whisper's 30 s"
    assert last_window_frames(4.2, SHORT) == 1000, "a short piece gets the safe minimum"
    assert last_window_frames(12.3, SHORT) == 1600, "12.3 s and 3 s of margin, whole seconds"
    assert last_window_frames(27.5, SHORT) is None, "a piece that needs the whole window gets it"


def test_within_a_short_window_the_encoder_sees_only_those_frames_and_is_restored_after(
        tiny_checkpoint: Path) -> None:
    import torch

    from simulator.hearing.whisper_memory import EncoderCache

    model = ModelLoader(ModelSpec(str(tiny_checkpoint))).start().get().model
    whole = torch.zeros(1, 80, 3000)
    with torch.no_grad(), encoding_only(model, 1000):
        assert model.encoder(whole).shape[1] == 500, "ten seconds: 500 audio positions, not 1,500"
    assert isinstance(model.encoder.forward, EncoderCache)
    with torch.no_grad():
        assert model.encoder(whole).shape[1] == 1500


def test_int8_reaches_whisper_s_own_linear_layers_quietly_and_the_model_still_decodes(
        tiny_checkpoint: Path) -> None:
    import torch

    linear = sum(isinstance(m, torch.nn.Linear) for m in load_whisper(ModelSpec(str(tiny_checkpoint))).modules())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loader = ModelLoader(ModelSpec(str(tiny_checkpoint), int8_linear=True)).start()
        model = loader.get().model
    quantised = sum(isinstance(m, torch.ao.nn.quantized.dynamic.Linear) for m in model.modules())
    assert linear > 0 and quantised == linear, "every linear layer, whisper's own subclass included"
    assert not [w for w in caught if "quantiz" in str(w.message).lower()], "no deprecation notice for the user"
    audio = np.zeros(2 * SAMPLE_RATE, dtype=np.float32)
    audio[SAMPLE_RATE // 2:SAMPLE_RATE] = 0.1 * np.sin(np.arange(SAMPLE_RATE // 2) / 5)
    assert isinstance(WhisperTranscriber(loader, TranscribeSettings()).transcribe(audio, fallback=False), list)


@pytest.mark.weights
def test_a_last_piece_heard_over_a_short_window_has_the_words_of_the_whole_window(real_tiny) -> None:  # type: ignore[no-untyped-def]
    text = ("I would put a cache in front of the database. Reads are far more common than writes. "
            "And that's my design.")
    audio, _ = speak_sentences(text)
    loader = ModelLoader(real_tiny.spec("whisper")).start()
    heard = {}
    for short in (False, True):
        ears = WhisperTranscriber(loader, TranscribeSettings(decoding=DecodeOptions(short_last_window=short)))
        heard[short] = normalized_words(text_of(ears.transcribe(audio, fallback=False)))
    reference = normalized_words(text)
    assert sum(edit_ops(reference, heard[True])) <= sum(edit_ops(reference, heard[False])) + 1
    assert len(heard[True]) >= 0.8 * len(reference), "the whole piece is heard, not its first part"

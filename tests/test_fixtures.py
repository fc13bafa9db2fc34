"""The audio fixtures match their manifest, and every spoken answer comes in the Piper voice too."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from .support.spoken import FIXTURES, VOICES, manifest

ENTRIES = manifest()
SIZE_BUDGET = 1_500_000  # bytes, all fixtures together


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["file"] for e in ENTRIES])
def test_each_fixture_is_what_its_manifest_entry_says(entry: dict) -> None:  # type: ignore[type-arg]
    info = sf.info(str(FIXTURES / entry["file"]))
    assert info.samplerate == entry["sample_rate"] and info.channels == entry["channels"]
    assert info.frames / info.samplerate == pytest.approx(entry["seconds"], abs=1e-6)
    assert entry["voice"] in (*VOICES, "none")
    assert bool(entry["text"]) == (entry["voice"] != "none"), "speech has its exact text, silence none"
    assert entry["voice_detail"] or entry["voice"] == "none"


def test_every_spoken_answer_comes_in_the_piper_voice_as_well() -> None:
    espeak = {e["text"] for e in ENTRIES if e["voice"] == "espeak-ng" and e["channels"] == 1}
    piper = {e["text"] for e in ENTRIES if e["voice"] == "piper"}
    assert espeak and espeak == piper


@pytest.mark.parametrize("entry", [e for e in ENTRIES if "pause_start" in e], ids=lambda e: e["file"])
def test_the_inserted_pause_is_exact_digital_silence_between_speech(entry: dict) -> None:  # type: ignore[type-arg]
    audio, rate = sf.read(str(FIXTURES / entry["file"]), dtype="int16")
    start, end = round(entry["pause_start"] * rate), round(entry["pause_end"] * rate)
    assert end - start == 3 * rate
    assert not audio[start:end].any()
    assert audio[start - 1] != 0 and audio[end] != 0, "speech right up to the pause on both sides"


def test_the_fixtures_stay_small() -> None:
    sizes = [p.stat().st_size for p in FIXTURES.iterdir() if p.suffix in (".wav", ".flac")]
    assert sum(sizes) < SIZE_BUDGET


def test_the_piper_answers_are_speech_at_the_fixtures_level() -> None:
    piper = [entry for entry in ENTRIES if entry["voice"] == "piper"]
    assert piper, "the manifest lists answers in the Piper voice"
    for entry in piper:
        audio, _ = sf.read(str(FIXTURES / entry["file"]), dtype="float32")
        assert float(np.max(np.abs(audio))) == pytest.approx(10 ** (-3 / 20), abs=0.01), entry["file"]

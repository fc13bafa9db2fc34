"""The Piper voice: real rendering with the bundled joe voice, and the one-line fallback to espeak-ng."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from simulator.audio import AudioClip, dbfs
from simulator.interviewer.piper_voice import PROMPT_RATE, NeuralVoice, bundled_model
from simulator.interviewer.voice_choice import build_voice
from simulator.interviewer.voices import Pyttsx3Voice

from .support.player import ListeningPlayer

QUESTION = "Design a URL shortener. Walk me through it."


def piper(player: ListeningPlayer, warnings: list[str], model: Path | None = None) -> NeuralVoice:
    voice = build_voice("piper", model, player, warnings.append)  # type: ignore[arg-type]
    assert isinstance(voice, NeuralVoice), warnings
    return voice


def test_the_bundled_voice_is_installed_with_the_test_extra() -> None:
    model = bundled_model()
    assert model is not None and model.name == "en_US-joe-medium.onnx"


def test_piper_renders_the_prompt_to_speech_that_is_played_and_returned() -> None:
    player = ListeningPlayer()
    warnings: list[str] = []
    clip = piper(player, warnings).say(QUESTION)
    assert warnings == []
    assert clip is not None and player.played == [clip]
    assert clip.rate == PROMPT_RATE, "kept at the rate espeak-ng prompts have"
    assert 1.5 < clip.seconds < 8.0, "about seven words"
    assert dbfs(clip.samples) > -40, "speech, not silence"
    assert float(np.max(np.abs(clip.samples))) <= 0.9, "no louder than the espeak-ng voice"


def longest_quiet(clip: AudioClip) -> float:
    """The longest stretch, in seconds, quieter than -60 dBFS, leaving out the voice's lead-in and tail."""
    edge = int(0.3 * clip.rate)
    quiet = np.abs(clip.samples[edge:-edge]) < 1e-3
    longest = run = 0
    for q in quiet:
        run = run + 1 if q else 0
        longest = max(longest, run)
    return longest / clip.rate


def test_sentences_are_separated_by_a_pause() -> None:
    voice = piper(ListeningPlayer(), [])
    one = voice.render("Walk me through it.")
    two = voice.render("Walk me through it. What breaks first?")
    assert one is not None and two is not None
    assert longest_quiet(one) < 0.1, "no pause inside a sentence"
    assert longest_quiet(two) >= 0.3, "a breath between sentences, as a person takes"


def test_a_prepared_prompt_renders_while_the_caller_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """prepare() returns before the rendering ends; say() then plays it without rendering again."""
    import simulator.interviewer.piper_voice as module

    calls: list[str] = []
    real = module.synthesize

    def slow(engine: object, text: str) -> AudioClip:
        calls.append(text)
        time.sleep(0.5)  # a slow rendering, so that returning before it ends shows
        return real(engine, text)

    monkeypatch.setattr(module, "synthesize", slow)
    player = ListeningPlayer()
    voice = piper(player, [])
    began = time.monotonic()
    voice.prepare("What happens when the cache node dies?")
    assert time.monotonic() - began < 0.3, "prepare does not wait for the rendering"
    voice.prepare("What happens when the cache node dies?")
    clip = voice.say("What happens when the cache node dies?")
    assert clip is not None and player.played == [clip]
    assert calls == ["What happens when the cache node dies?"], "rendered once"


def test_rendering_another_text_leaves_a_prepared_prompt_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    import simulator.interviewer.piper_voice as module

    real = module.synthesize

    def slow(engine: object, text: str) -> AudioClip:
        time.sleep(0.3)  # a slow rendering, so that a second prepared prompt queues behind the first
        return real(engine, text)

    monkeypatch.setattr(module, "synthesize", slow)
    warnings: list[str] = []
    voice = piper(ListeningPlayer(), warnings)
    voice.prepare("Walk me through it.")  # renders at once, so the next one waits in the queue
    voice.prepare("What breaks first?")
    assert voice.render("How many users?") is not None
    assert voice.say("What breaks first?") is not None
    assert warnings == [], "the prepared prompt was still rendered by Piper"


def broken_model(folder: Path) -> Path:
    """Looks like a Piper voice to the up-front check, but onnxruntime cannot load it."""
    model = folder / "broken.onnx"
    model.write_bytes(b"\x08" + bytes(range(256)) * 8)
    bundled = bundled_model()
    assert bundled is not None
    (folder / "broken.onnx.json").write_text(bundled.with_name(bundled.name + ".json").read_text())
    return model


def test_a_broken_piper_voice_is_one_warning_and_the_espeak_voice(tmp_path: Path) -> None:
    player = ListeningPlayer()
    warnings: list[str] = []
    voice = piper(player, warnings, broken_model(tmp_path))
    first = voice.say(QUESTION)
    second = voice.say("And how would it scale?")
    assert len(warnings) == 1, warnings
    assert "Piper voice failed" in warnings[0] and "espeak-ng voice instead" in warnings[0]
    assert "\n" not in warnings[0]
    expected = Pyttsx3Voice(ListeningPlayer(), warnings.append).render(QUESTION)  # type: ignore[arg-type]
    assert first is not None and expected is not None and second is not None
    assert first.rate == expected.rate and first.seconds == pytest.approx(expected.seconds, abs=0.05), "espeak-ng spoke"
    assert player.played == [first, second]


def test_piper_not_installed_is_one_warning_and_the_espeak_voice(monkeypatch: pytest.MonkeyPatch) -> None:
    import simulator.interviewer.piper_voice as module

    monkeypatch.setattr(module, "find_spec", lambda name: None)
    warnings: list[str] = []
    voice = build_voice("piper", None, ListeningPlayer(), warnings.append)  # type: ignore[arg-type]
    assert isinstance(voice, Pyttsx3Voice)
    assert warnings == ["The Piper voice is not installed; install it with `pip install 'mock-interview[voice]'` "
                        "(or `make rehearse VOICE=piper`). Speaking with the espeak-ng voice instead."]


def test_the_espeak_voice_is_the_default() -> None:
    assert isinstance(build_voice("espeak", None, ListeningPlayer(), print), Pyttsx3Voice)  # type: ignore[arg-type]

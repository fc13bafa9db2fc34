"""When an answer ends: thinking pauses of 2-3 s never end it, a long silence does, noise is not speech."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.audio import CHUNK_SAMPLES, CHUNK_SECONDS, SAMPLE_RATE, AudioChunk, read_audio
from simulator.config import ListenSettings
from simulator.hearing.endpoint import SILENCE, TIME_LIMIT, Endpointer

from .support.spoken import VOICES, spoken


def speech(voice: str = "espeak-ng") -> np.ndarray:
    """Six to seven seconds of talk, trimmed so a pause after it is exactly as long as the silence added."""
    audio = read_audio(spoken("short-answer", voice))
    loud = np.flatnonzero(np.abs(audio) > 0.01)
    return audio[loud[0]:loud[-1] + 1]


def quiet(seconds: float, noise_dbfs: float | None = None, seed: int = 0) -> np.ndarray:
    """Digital silence, or steady white noise at a given loudness (a fan, a noisy room)."""
    n = int(seconds * SAMPLE_RATE)
    if noise_dbfs is None:
        return np.zeros(n, dtype=np.float32)
    rms = 10 ** (noise_dbfs / 20)
    return (np.random.default_rng(seed).standard_normal(n) * rms).astype(np.float32)


def run(audio: np.ndarray, settings: ListenSettings = ListenSettings()) -> tuple[str | None, float]:
    """Feed the audio in 100 ms chunks; return why and when (seconds) the answer ended."""
    endpointer = Endpointer(settings)
    for offset in range(0, len(audio), CHUNK_SAMPLES):
        chunk = AudioChunk(audio[offset:offset + CHUNK_SAMPLES], offset / SAMPLE_RATE)
        reason = endpointer.update(chunk)
        if reason:
            return reason, chunk.end
    return None, len(audio) / SAMPLE_RATE


def last_speech_end(audio: np.ndarray) -> float:
    loud = np.flatnonzero(np.abs(audio) > 0.01)
    return loud[-1] / SAMPLE_RATE


@pytest.mark.parametrize("voice", VOICES)
@pytest.mark.parametrize("pause", [2.0, 3.0, 5.0])
def test_a_thinking_pause_does_not_end_the_answer(pause: float, voice: str) -> None:
    audio = np.concatenate([speech(voice), quiet(pause), speech(voice), quiet(1.0)])
    reason, _ = run(audio)
    assert reason is None, f"a {pause:g} s pause ended the answer"


@pytest.mark.parametrize("voice", VOICES)
@pytest.mark.parametrize("pause", [7.0, 12.0])
def test_a_long_silence_ends_the_answer_end_silence_after_the_last_word(pause: float, voice: str) -> None:
    first = np.concatenate([speech(voice), quiet(0.2)])
    audio = np.concatenate([first, quiet(pause), speech(voice)])
    reason, at = run(audio)
    assert reason == SILENCE
    # it ends on a chunk boundary: the last voiced chunk runs past the word, and silence is counted at chunk ends
    late = at - (last_speech_end(first) + ListenSettings.end_silence)
    assert -CHUNK_SECONDS <= late <= 2 * CHUNK_SECONDS, late


def test_end_silence_is_the_users_choice() -> None:
    audio = np.concatenate([speech(), quiet(3.5), speech()])
    reason, _ = run(audio, ListenSettings(end_silence=2.5))
    assert reason == SILENCE


def test_silence_before_the_first_word_never_ends_the_answer() -> None:
    reason, _ = run(np.concatenate([quiet(15.0), speech()]))
    assert reason is None


@pytest.mark.parametrize("voice", VOICES)
@pytest.mark.parametrize("noise_dbfs", [-38.0, -30.0])
def test_steady_noise_louder_than_the_gate_is_not_speech(noise_dbfs: float, voice: str) -> None:
    """A fan above the loudness gate must not keep the answer open: the voice detector decides."""
    assert noise_dbfs > ListenSettings.speech_dbfs
    talk = np.concatenate([quiet(3.0), speech(voice)])
    audio = np.concatenate([talk, quiet(10.0)])
    audio += quiet(len(audio) / SAMPLE_RATE, noise_dbfs)
    reason, at = run(audio)
    assert reason == SILENCE
    assert at == pytest.approx(last_speech_end(talk) + ListenSettings.end_silence, abs=0.25)


def test_noise_alone_never_starts_an_answer() -> None:
    reason, _ = run(quiet(20.0, -30.0))
    assert reason is None


def test_time_limit() -> None:
    reason, at = run(np.concatenate([speech(), speech()]), ListenSettings(max_seconds=10.0))
    assert reason == TIME_LIMIT
    assert at == pytest.approx(10.0, abs=0.11)


def test_the_endpointer_reads_voice_activity_heard_before_it() -> None:
    from simulator.audio import AudioChunk
    from simulator.hearing.vad import VoiceActivity

    class Deaf(VoiceActivity):
        def frames(self, samples: np.ndarray) -> tuple[int, int]:
            raise AssertionError("the block was heard already")

    endpointer = Endpointer(ListenSettings(end_silence=1.0), Deaf())
    quiet = np.zeros(1600, dtype=np.float32)
    ended = [endpointer.update(AudioChunk(quiet, i / 10, voice=(5, 5) if i < 10 else (0, 5))) for i in range(30)]
    assert ended.index(SILENCE) == 19, "speech heard for a second, then a second of silence ends the answer"

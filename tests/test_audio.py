"""The audio contract: what goes in is 16 kHz mono float32; what reaches disk survives a crash."""

from __future__ import annotations

import threading
import wave
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from simulator.audio import SAMPLE_RATE, AudioChunk, WavWriter, dbfs, read_audio, read_wav, write_wav
from simulator.errors import UserError

FIXTURES = Path(__file__).resolve().parent.parent / "audio_fixtures"


def test_a_44k_stereo_flac_arrives_as_16k_mono_of_the_same_length() -> None:
    samples = read_audio(FIXTURES / "stereo-44k.flac")
    info = sf.info(str(FIXTURES / "stereo-44k.flac"))
    assert samples.dtype == np.float32 and samples.ndim == 1
    assert len(samples) / SAMPLE_RATE == pytest.approx(info.duration, abs=0.01)


def test_resampling_keeps_the_content(tmp_path: Path) -> None:
    t = np.arange(48000) / 48000
    sf.write(tmp_path / "tone.wav", 0.5 * np.sin(2 * np.pi * 440 * t), 48000)
    samples = read_audio(tmp_path / "tone.wav")
    spectrum = np.abs(np.fft.rfft(samples))
    peak_hz = np.argmax(spectrum) * SAMPLE_RATE / len(samples)
    assert peak_hz == pytest.approx(440, abs=2)


@pytest.mark.parametrize("make, words", [
    (lambda p: p, "does not exist"),
    (lambda p: (p.write_bytes(b""), p)[1], "is empty"),
    (lambda p: (p.write_text("this is not audio at all " * 50), p)[1], "not a readable WAV or FLAC"),
])
def test_bad_answer_files_get_one_sentence(tmp_path: Path, make, words: str) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path / "answer.wav")
    with pytest.raises(UserError, match=words) as info:
        read_audio(path)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("cut, words", [
    (10, "not a readable WAV or FLAC"),  # inside the header
    (44, "holds 0"),  # the header alone
    (1000, "holds 956"),  # the header and a little of the audio it promises
])
def test_a_truncated_wav_is_refused_in_one_sentence_that_says_what_it_holds(tmp_path: Path, cut: int,
                                                                             words: str) -> None:
    path = tmp_path / f"cut{cut}.wav"
    path.write_bytes((FIXTURES / "short-answer.wav").read_bytes()[:cut])
    with pytest.raises(UserError, match=words) as info:
        read_audio(path)
    assert "\n" not in str(info.value)


def test_dbfs_of_silence_and_full_scale() -> None:
    assert dbfs(np.zeros(100, dtype=np.float32)) == -120.0
    assert dbfs(np.ones(100, dtype=np.float32)) == pytest.approx(0.0)
    chunk = AudioChunk(np.zeros(1600, dtype=np.float32), timestamp=2.0)
    assert chunk.seconds == pytest.approx(0.1) and chunk.end == pytest.approx(2.1)


def test_the_writer_keeps_a_valid_wav_on_disk_while_it_records(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "answer.wav"
    block = (0.2 * np.ones(SAMPLE_RATE // 10)).astype(np.float32)
    synced = threading.Event()
    sync = WavWriter._sync

    def sync_and_tell(writer: WavWriter) -> None:
        sync(writer)
        if writer.frames == 30 * len(block):
            synced.set()

    monkeypatch.setattr(WavWriter, "_sync", sync_and_tell)
    writer = WavWriter(path, flush_seconds=0.05)
    for _ in range(30):
        writer.write(block)
    assert synced.wait(10), "the writer never synced the whole answer to disk"
    # read the file while the writer is still open, as a crash would leave it
    with open(path, "rb") as raw, wave.open(raw) as wav:
        assert wav.getframerate() == SAMPLE_RATE and wav.getnchannels() == 1
        assert wav.getnframes() == 30 * len(block)
    writer.close()
    clip = read_wav(path)
    assert clip.seconds == pytest.approx(3.0)
    assert np.allclose(clip.samples, 0.2, atol=1e-3)
    assert path.stat().st_mode & 0o077 == 0


def test_write_wav_round_trip(tmp_path: Path) -> None:
    samples = np.linspace(-0.5, 0.5, 22050, dtype=np.float32)
    clip = read_wav(write_wav(tmp_path / "p.wav", samples, 22050))
    assert clip.rate == 22050 and np.allclose(clip.samples, samples, atol=1e-4)

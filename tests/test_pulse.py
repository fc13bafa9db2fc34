"""The virtual microphone and speaker carry real audio through sounddevice.

Each program runs in a subprocess with ``env=virtual_audio.env``, because
PortAudio has to find the PulseAudio server when it starts (see pulse.py).
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import numpy as np
import pytest
import soundfile as sf

from .support.matching import best_match, read_line
from .support.pulse import VirtualAudio

pytestmark = pytest.mark.device

RATE = 16000

# Records `seconds` from the default input at 16 kHz mono with a callback
# stream; prints READY once the first callback has arrived.
RECORDER = r"""
import sys, threading, time
import numpy as np, sounddevice as sd, soundfile as sf

out, seconds = sys.argv[1], float(sys.argv[2])
rate = 16000
total = int(seconds * rate)
chunks, got = [], [0]
first, done = threading.Event(), threading.Event()

def callback(indata, frames, t, status):
    if got[0] < total:
        chunks.append(indata.copy())
        got[0] += frames
    first.set()
    if got[0] >= total:
        done.set()

print("device", sd.query_devices(kind="input")["name"], file=sys.stderr)
stream = sd.InputStream(samplerate=rate, channels=1, dtype="float32",
                        callback=callback)
with stream:
    t0 = time.monotonic()
    if not first.wait(10):
        sys.exit("no input callback within 10 s")
    print(f"READY {time.monotonic() - t0:.3f}", flush=True)
    if not done.wait(seconds + 10):
        sys.exit("recording did not finish")
sf.write(out, np.concatenate(chunks)[:total, 0], rate, subtype="FLOAT")
"""

# Plays a WAV through the default output and waits for it to finish.
PLAYER = r"""
import sys
import sounddevice as sd, soundfile as sf

data, rate = sf.read(sys.argv[1], dtype="float32")
print("device", sd.query_devices(kind="output")["name"], file=sys.stderr)
sd.play(data, rate)
sd.wait()
"""


def chirp(seconds: float = 1.5, f0: float = 300.0, f1: float = 5000.0) -> np.ndarray:
    """A linear chirp with 10 ms fades, amplitude 0.5."""
    t = np.arange(int(seconds * RATE)) / RATE
    x = 0.5 * np.sin(2 * np.pi * (f0 * t + (f1 - f0) / (2 * seconds) * t**2))
    fade = int(0.01 * RATE)
    ramp = np.linspace(0.0, 1.0, fade)
    x[:fade] *= ramp
    x[-fade:] *= ramp[::-1]
    return x


def test_best_match_finds_a_delayed_copy():
    ref = chirp()
    rec = np.concatenate([np.zeros(1234), 0.3 * ref, np.zeros(500)])
    score, lag = best_match(ref, rec)
    assert score > 0.999 and abs(lag - 1234) < 0.1
    assert best_match(ref[::-1], rec)[0] < 0.5
    # a third of a sample later, as after 16 -> 48 -> 16 kHz resampling
    shifted = np.fft.irfft(np.fft.rfft(rec) * np.exp(
        -2j * np.pi * np.fft.rfftfreq(len(rec)) / 3), len(rec))
    score, lag = best_match(ref, shifted)
    assert score > 0.995 and abs(lag - 1234.33) < 0.1


def test_microphone_hears_what_is_played(virtual_audio, tmp_path):
    played = tmp_path / "chirp.wav"
    sf.write(played, chirp(), RATE, subtype="PCM_16")
    recorded = tmp_path / "recorded.wav"

    proc = subprocess.Popen(
        [sys.executable, "-c", RECORDER, str(recorded), "4.0"],
        env=virtual_audio.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    try:
        line = read_line(proc, 15)
        assert line.startswith("READY"), (line, proc.communicate()[1])
        first_callback = float(line.split()[1])
        virtual_audio.play(played)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "device default" in err

    rec, rate = sf.read(recorded)
    assert rate == RATE and len(rec) == 4 * RATE
    ref, _ = sf.read(played)
    score, lag = best_match(ref, rec)
    print(f"first callback {first_callback:.3f}s, score {score:.4f}, "
          f"chirp starts at {lag / RATE:.3f}s of the recording")
    assert score >= 0.95, (score, lag)
    assert best_match(ref[::-1], rec)[0] < 0.5


def test_speaker_recording_captures_sounddevice_playback(virtual_audio, tmp_path):
    # Scores ~0.991, not ~1.0: sd.play(); sd.wait() through ALSA's pulse
    # plugin loses the last ~32 ms (512 samples) of the clip.
    played = tmp_path / "chirp.wav"
    sf.write(played, chirp(f0=500.0, f1=3000.0), RATE, subtype="PCM_16")
    recorded = tmp_path / "speaker.wav"

    started = threading.Event()
    failure: list[BaseException] = []

    def record():
        try:
            virtual_audio.record_speaker(4.0, recorded, started=started)
        except BaseException as e:  # reported below
            failure.append(e)
            started.set()

    recorder = threading.Thread(target=record)
    recorder.start()
    try:
        assert started.wait(10), "record_speaker got no audio"
        t0 = time.monotonic()
        player = subprocess.run(
            [sys.executable, "-c", PLAYER, str(played)],
            env=virtual_audio.env, capture_output=True, text=True, timeout=20)
        play_time = time.monotonic() - t0
    finally:
        recorder.join(timeout=20)
    assert not failure, failure
    assert player.returncode == 0, player.stderr
    assert "device default" in player.stderr

    rec, rate = sf.read(recorded)
    assert rate == RATE and len(rec) == 4 * RATE
    ref, _ = sf.read(played)
    score, lag = best_match(ref, rec)
    print(f"player ran {play_time:.3f}s, score {score:.4f}, "
          f"chirp starts at {lag / RATE:.3f}s of the recording")
    assert score >= 0.9, (score, lag)


def test_microphone_and_speaker_are_separate(virtual_audio, tmp_path):
    played = tmp_path / "chirp.wav"
    sf.write(played, chirp(seconds=1.0), RATE, subtype="PCM_16")
    recorded = tmp_path / "speaker.wav"
    started = threading.Event()
    recorder = threading.Thread(
        target=virtual_audio.record_speaker, args=(1.5, recorded),
        kwargs={"started": started})
    recorder.start()
    try:
        assert started.wait(10)
        virtual_audio.play(played)
    finally:
        recorder.join(timeout=20)
    rec, _ = sf.read(recorded)
    assert np.max(np.abs(rec)) < 1e-3


def test_stop_leaves_no_daemon_behind(virtual_audio):
    # a second daemon, next to the session one (the fixture only supplies the
    # skip-or-fail policy when PulseAudio is missing)
    va = VirtualAudio()
    t0 = time.monotonic()
    va.start()
    started = time.monotonic() - t0
    proc, folder = va._proc, va.dir
    assert va.running and folder.exists()
    t0 = time.monotonic()
    va.stop()
    stopped = time.monotonic() - t0
    print(f"start {started:.3f}s, stop {stopped:.3f}s")
    assert proc.returncode is not None
    assert not folder.exists()
    assert not va.running
    va.stop()  # idempotent
    assert virtual_audio.running

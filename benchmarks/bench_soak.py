"""Soak: a long answer spoken in real time into the virtual microphone is recorded whole, in flat memory.

Runs `mock-interview rehearse` as a user would (PulseAudio virtual microphone,
real sounddevice, streaming transcription with real tiny.en Whisper
weights), plays an answer of --minutes (default 12) into the microphone in
real time, and checks the recorded answer-01.wav against the source second by
second: each second of the source must sit exactly one second after the
previous one in the recording, so any lost or duplicated frame shows as a
jump. The source is built at run time from the speech fixtures, looped, with
low-level seeded noise added so every second of it is unique. The program's
resident memory is sampled throughout.

Prints the figures and writes them as JSON to $BENCH_OUT (a folder, or a path
ending in .json), default benchmarks/results/soak.json.

    python benchmarks/bench_soak.py [--minutes 12]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.audio import SAMPLE_RATE, read_audio, read_wav, write_wav  # noqa: E402
from tests.support.matching import best_match  # noqa: E402
from tests.support.pulse import VirtualAudio, available  # noqa: E402
from tests.support.realmodels import cache_dir, model_folder  # noqa: E402

FIXTURES = ROOT / "audio_fixtures"
SPEECH = ("short-answer.wav", "pause-answer.wav", "experience-answer.wav")
MARKER_LEVEL = 0.02  # seeded noise under the speech: unique everywhere, quieter than the speech
END_SILENCE = 6.0  # longer than the 3 s pause inside pause-answer.wav, so only the tail ends the answer
TAIL_SECONDS = 8.0  # silence after the answer, so it ends on END_SILENCE
WINDOW = SAMPLE_RATE  # one-second windows are located in the recording one by one
SEARCH = SAMPLE_RATE // 4  # how far from where it should be a window is looked for first
TOLERANCE = 2  # samples: the 16 -> 48 -> 16 kHz round trip through PulseAudio shifts by a fraction
RSS_EVERY = 2.0


def build_source(minutes: float, seed: int = 6) -> np.ndarray:
    """The speech fixtures looped to `minutes`, with seeded noise on top and silence at the end."""
    pieces = [read_audio(FIXTURES / name) for name in SPEECH]
    loop = np.concatenate(pieces)
    total = int(minutes * 60 * SAMPLE_RATE)
    speech = np.tile(loop, total // len(loop) + 1)[:total]
    marker = np.random.default_rng(seed).uniform(-MARKER_LEVEL, MARKER_LEVEL, total).astype(np.float32)
    tail = np.zeros(int(TAIL_SECONDS * SAMPLE_RATE), dtype=np.float32)
    return np.concatenate([0.8 * speech + marker, tail]).astype(np.float32)


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def watch_memory(pid: int, samples: list[tuple[float, int]], stop: threading.Event) -> None:
    while not stop.wait(RSS_EVERY):
        kib = rss_kib(pid)
        if kib is not None:
            samples.append((time.monotonic(), kib))


def align(source: np.ndarray, recording: np.ndarray) -> dict[str, object]:
    """Locate every second of the source in the recording; count frames missing and repeated between them."""
    speech = len(source) - int(TAIL_SECONDS * SAMPLE_RATE)
    _, first = best_match(source[:WINDOW], recording[: 30 * SAMPLE_RATE], oversample=4)
    missing = duplicated = 0
    jumps: list[dict[str, float]] = []
    weak: list[int] = []
    expected = first
    checked = 0
    for start in range(0, speech - WINDOW + 1, WINDOW):
        window = source[start:start + WINDOW]
        for reach in (SEARCH, 5 * SAMPLE_RATE):
            lo = max(0, int(expected) - reach)
            hi = min(len(recording), int(expected) + WINDOW + reach)
            if hi - lo < WINDOW:
                break
            score, lag = best_match(window, recording[lo:hi], oversample=4)
            if score >= 0.9:
                break
        if hi - lo < WINDOW:
            missing += speech - start  # the recording stops before the source does
            jumps.append({"at_seconds": start / SAMPLE_RATE, "frames": -(speech - start)})
            break
        found = lo + lag
        checked += 1
        if score < 0.9:
            weak.append(start // WINDOW)
        shift = found - expected
        if abs(shift) > TOLERANCE:
            frames = int(round(shift))
            if frames > 0:
                duplicated += frames  # more recorded than the source has here: repeated or inserted frames
            else:
                missing -= frames
            jumps.append({"at_seconds": start / SAMPLE_RATE, "frames": frames})
        expected = found + WINDOW
    return {"start_lag_frames": round(first, 2), "windows_checked": checked, "weak_windows": weak,
            "missing_frames": missing, "duplicated_frames": duplicated, "jumps": jumps,
            "aligned_frames": int(round(expected - first))}


def out_path() -> Path:
    target = Path(os.environ.get("BENCH_OUT") or ROOT / "benchmarks" / "results")
    return target if target.suffix == ".json" else target / "soak.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=12.0, help="length of the answer (default 12)")
    args = parser.parse_args(argv)
    reason = available()
    if reason:
        print(f"soak: {reason}; run `make system-test` to install PulseAudio", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="soak-") as tmp, VirtualAudio() as audio:
        work = Path(tmp)
        source = build_source(args.minutes)
        source_path = write_wav(work / "answer.wav", source)
        model = model_folder("tiny.en")
        home = work / "home"
        limit = len(source) / SAMPLE_RATE + 30
        proc = subprocess.Popen(
            [sys.executable, "-m", "simulator", "rehearse", "--no-voice", "--followups", "0", "--model",
             str(model), "--question", "url-shortener", "--end-silence", str(END_SILENCE), "--max-seconds",
             str(limit), "--home", str(home)],
            env={**audio.env, "PYTHONUNBUFFERED": "1", "XDG_CACHE_HOME": str(cache_dir() / "cache")},
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        memory: list[tuple[float, int]] = []
        stop = threading.Event()
        watcher = threading.Thread(target=watch_memory, args=(proc.pid, memory, stop), daemon=True)
        watcher.start()
        assert proc.stdout is not None
        for line in proc.stdout:
            if "Listening for answer 1" in line:
                break
        else:
            print(f"soak: the rehearsal never listened:\n{proc.communicate()[1]}", file=sys.stderr)
            return 1
        listening_kib = rss_kib(proc.pid)
        started = time.monotonic()
        audio.play(source_path, timeout=limit + 60)
        played_seconds = time.monotonic() - started
        out, err = proc.communicate(timeout=600)
        stop.set()
        watcher.join()
        if proc.returncode != 0:
            print(f"soak: rehearse exited {proc.returncode}:\n{err}", file=sys.stderr)
            return 1
        folder = next((home / "sessions").iterdir())
        recording = read_wav(folder / "answer-01.wav").samples
        session = json.loads((folder / "session.json").read_text())
        alignment = align(source, recording)

    expected_frames = len(source) - int(TAIL_SECONDS * SAMPLE_RATE)
    per_minute: dict[int, int] = {}  # minutes of the answer, from when the program started listening
    for when, kib in memory:
        if when >= started:
            minute = int((when - started) // 60)
            per_minute[minute] = max(kib, per_minute.get(minute, 0))
    peaks = [per_minute[m] for m in sorted(per_minute)] or [0]
    growth = (peaks[-1] - peaks[0]) / 1024
    result = {
        "benchmark": "real-time answer through the virtual microphone",
        "minutes": args.minutes,
        "played_seconds": round(played_seconds, 1),
        "frames_expected": expected_frames,
        "frames_recorded": len(recording),
        "frames_aligned": alignment["aligned_frames"],
        "frames_missing": alignment["missing_frames"],
        "frames_duplicated": alignment["duplicated_frames"],
        "windows_checked": alignment["windows_checked"],
        "weak_windows": alignment["weak_windows"],
        "jumps": alignment["jumps"],
        "input_overflows": session.get("input_overflows"),
        "rss_mib_listening": round((listening_kib or 0) / 1024, 1),
        "rss_mib_peak": round(max(peaks) / 1024, 1),
        "rss_mib_peak_per_minute": [round(k / 1024, 1) for k in peaks],
        "rss_growth_mib_first_to_last_minute": round(growth, 1),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    lost_or_repeated = result["frames_missing"] or result["frames_duplicated"] or result["weak_windows"]
    print(f"soak: {args.minutes:g}-minute answer through the virtual microphone")
    rows = [
        ("frames expected", f"{expected_frames} ({expected_frames / SAMPLE_RATE:.1f} s)"),
        ("frames recorded", f"{len(recording)} (answer-01.wav, with the lead-in and the silence that ended it)"),
        ("frames aligned", f"{result['frames_aligned']} over {result['windows_checked']} one-second windows"),
        ("frames missing", str(result["frames_missing"])),
        ("frames duplicated", str(result["frames_duplicated"])),
        ("input overflows", str(result["input_overflows"])),
        ("RSS when listening", f"{result['rss_mib_listening']} MiB"),
        ("RSS peak, each minute", " ".join(f"{v:g}" for v in result["rss_mib_peak_per_minute"]) + " MiB"),
        ("RSS growth", f"{growth:+.1f} MiB (first minute's peak to the last's)"),
        ("verdict", "no frame lost or repeated" if not lost_or_repeated else "FRAMES LOST OR REPEATED"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    path = out_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"  written to {path}")
    return 0 if not lost_or_repeated else 1


if __name__ == "__main__":
    sys.exit(main())

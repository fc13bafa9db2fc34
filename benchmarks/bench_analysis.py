"""How long the analysis of one full walkthrough takes: analyze_segments + plan() on a 12-minute answer.

Builds a whisper-style transcript of about 1,800 words over 12 minutes (timed segments with word times
and a few thinking pauses, sentences taken from the test corpus), runs the analysis and the follow-up
plan N times, and prints the median and p95 milliseconds per run against the goal. The figures are also
written as JSON to $BENCH_OUT (a folder, or a path ending in .json), default benchmarks/results/.

    python benchmarks/bench_analysis.py [--runs 50]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.judging.analysis import analyze_segments  # noqa: E402
from simulator.judging.design.extract import build_design  # noqa: E402
from simulator.judging.followups import plan  # noqa: E402
from simulator.questions import load_bank, pick  # noqa: E402
from simulator.transcript import Segment, Word  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"
SOURCES = ("d01-url-shortener-strong.txt", "d02-chat-app-strong-long.txt", "d10-autocomplete-paraphrased.txt",
           "d05-rate-limiter-no-tradeoffs.txt", "d06-file-sync-no-summary.txt")
TARGET_WORDS = 1800
TARGET_SECONDS = 12 * 60
PAUSE_EVERY = 12  # sentences between thinking pauses
PAUSE_SECONDS = 3.0
GOAL_MS = 50.0
DESIGN_GOAL_MS = 20.0  # what building the design model may add to the analysis


def corpus_sentences() -> list[str]:
    out: list[str] = []
    for name in SOURCES:
        flat = " ".join((CORPUS / name).read_text(encoding="utf-8").split())
        out += [s for s in re.split(r"(?<=[.!?])\s+", flat) if s]
    return out


def build_transcript(words_wanted: int = TARGET_WORDS, seconds: float = TARGET_SECONDS) -> list[Segment]:
    """About `words_wanted` words of corpus sentences spread over `seconds`, one segment per sentence."""
    pool = corpus_sentences()
    chosen: list[str] = []
    count = 0
    while count < words_wanted:
        sentence = pool[len(chosen) % len(pool)]
        chosen.append(sentence)
        count += len(sentence.split())
    pauses = len(chosen) // PAUSE_EVERY
    per_word = (seconds - pauses * PAUSE_SECONDS) / count  # spoken time per word
    segments = []
    t = 0.0
    for index, sentence in enumerate(chosen):
        if index and index % PAUSE_EVERY == 0:
            t += PAUSE_SECONDS
        words = []
        for token in sentence.split():
            words.append(Word(token, round(t, 3), round(t + per_word, 3)))
            t += per_word
        segments.append(Segment(words[0].start, words[-1].end, " " + sentence, tuple(words)))
    return segments


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def out_path() -> Path:
    target = Path(os.environ.get("BENCH_OUT") or ROOT / "benchmarks" / "results")
    return target if target.suffix == ".json" else target / "analysis.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="timed runs (default 50)")
    args = parser.parse_args(argv)
    runs = max(1, args.runs)

    segments = build_transcript()
    question = pick(load_bank(), "url-shortener")
    first = analyze_segments(segments)  # warm-up: loads and compiles the rubric and the templates once
    followups = plan(first, question)

    total_ms: list[float] = []
    analysis_ms: list[float] = []
    for run in range(runs):
        started = time.perf_counter()
        analysis = analyze_segments(segments)
        analysed = time.perf_counter()
        plan(analysis, question, seed=str(run))
        done = time.perf_counter()
        analysis_ms.append((analysed - started) * 1000)
        total_ms.append((done - started) * 1000)
    design_ms: list[float] = []
    for _ in range(runs):  # the design model alone, on the sentences as the analysis has read them already
        started = time.perf_counter()
        build_design(first.sentences)
        design_ms.append((time.perf_counter() - started) * 1000)

    result = {
        "benchmark": "analyze_segments + plan on a 12-minute walkthrough",
        "runs": runs,
        "words": first.delivery.words,
        "segments": len(segments),
        "duration_seconds": round(segments[-1].end, 1),
        "steps_covered": sum(r.covered for r in first.steps.values()),
        "followups": len(followups),
        "median_ms": round(statistics.median(total_ms), 2),
        "p95_ms": round(percentile(total_ms, 0.95), 2),
        "max_ms": round(max(total_ms), 2),
        "analysis_median_ms": round(statistics.median(analysis_ms), 2),
        "plan_median_ms": round(statistics.median(t - a for t, a in zip(total_ms, analysis_ms)), 2),
        "goal_ms": GOAL_MS,
        "design_components": len(first.design.components) if first.design else 0,
        "design_median_ms": round(statistics.median(design_ms), 2),
        "design_p95_ms": round(percentile(design_ms, 0.95), 2),
        "design_goal_ms": DESIGN_GOAL_MS,
        "design_goal_met": percentile(design_ms, 0.95) <= DESIGN_GOAL_MS,
        "goal_met": percentile(total_ms, 0.95) < GOAL_MS,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    rows = [
        ("transcript", f"{result['words']} words, {result['segments']} segments, "
                       f"{result['duration_seconds'] / 60:.1f} min"),
        ("runs", str(runs)),
        ("median per analysis", f"{result['median_ms']:.1f} ms  (analysis {result['analysis_median_ms']:.1f} + "
                                f"plan {result['plan_median_ms']:.1f})"),
        ("p95 per analysis", f"{result['p95_ms']:.1f} ms"),
        ("max", f"{result['max_ms']:.1f} ms"),
        ("goal", f"< {GOAL_MS:.0f} ms (p95): {'met' if result['goal_met'] else 'MISSED'}"),
        ("design model", f"{result['design_median_ms']:.1f} ms median, {result['design_p95_ms']:.1f} ms p95, "
                         f"{result['design_components']} components (goal <= {DESIGN_GOAL_MS:.0f} ms p95: "
                         f"{'met' if result['design_goal_met'] else 'MISSED'})"),
    ]
    width = max(len(name) for name, _ in rows)
    print("analyze_segments + plan, 12-minute walkthrough")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")

    path = out_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"  {'written':<{width}}  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

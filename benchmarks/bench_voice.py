"""Time to first audio for each interviewer voice: espeak-ng (pyttsx3) and Piper.

Each voice is built and used exactly as a rehearsal does (build_voice, prepare, say), with a stand-in
speaker that notes when a clip is handed to it; "first audio" is that moment. Three cases:

* first question: from building the voice (which starts rendering the question, as the CLI does) to
  its audio, which for Piper includes importing onnxruntime and loading the voice;
* follow-up rendered at the answer's end: say() of a follow-up that was not prepared, the worst case;
* follow-up prepared mid-answer: prepare() while the candidate talks, then say() when they stop,
  the usual case.

It also reports each voice's rendering real-time factor (seconds of rendering per second of speech).
The follow-ups are the question bank's own. The table is printed and written as JSON to $BENCH_OUT (a
folder, or a path ending in .json), default benchmarks/results/voice.json.

    python benchmarks/bench_voice.py [--runs 10]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.audio import AudioClip  # noqa: E402
from simulator.interviewer.piper_voice import NeuralVoice, unavailable  # noqa: E402
from simulator.interviewer.voice_choice import build_voice  # noqa: E402
from simulator.questions import load_bank  # noqa: E402

MID_ANSWER_SECONDS = 3.0  # how long before the answer ends a prepared follow-up was chosen
GOAL_S = 0.1  # a prepared follow-up should be heard at once


class Speaker:
    """Notes when each clip reaches it, and plays nothing."""

    def __init__(self) -> None:
        self.at: list[float] = []

    def play(self, clip: AudioClip) -> None:
        self.at.append(time.perf_counter())


def first_audio(voice: Any, speaker: Speaker, text: str, prepared_for: float | None) -> tuple[float, AudioClip]:
    """Seconds from say() (or from building, when prepared_for is None) to the clip reaching the speaker."""
    if prepared_for:
        voice.prepare(text)
        time.sleep(prepared_for)
    began = time.perf_counter()
    clip = voice.say(text)
    assert clip is not None, "the voice rendered nothing"
    return speaker.at[-1] - began, clip


def measure(choice: str, question: str, followups: list[str], runs: int) -> dict[str, Any]:
    warnings: list[str] = []
    speaker = Speaker()
    built = time.perf_counter()
    voice = build_voice(choice, None, speaker, warnings.append)
    voice.prepare(question)
    clip = voice.say(question)
    assert clip is not None and not warnings, warnings
    first = speaker.at[-1] - built
    cold: list[float] = []
    warm: list[float] = []
    rendered = spoken = 0.0
    for run in range(runs):
        text = followups[run % len(followups)]
        seconds, clip = first_audio(voice, speaker, text, None)
        cold.append(seconds)
        rendered, spoken = rendered + seconds, spoken + clip.seconds
        warm.append(first_audio(voice, speaker, text, MID_ANSWER_SECONDS)[0])
    return {
        "voice": choice,
        "engine": "piper en_US-joe-medium" if isinstance(voice, NeuralVoice) else "espeak-ng via pyttsx3",
        "first_question_s": round(first, 3),
        "followup_unprepared_median_s": round(statistics.median(cold), 3),
        "followup_unprepared_max_s": round(max(cold), 3),
        "followup_prepared_median_s": round(statistics.median(warm), 4),
        "real_time_factor": round(rendered / spoken, 4),
        "prompt_rate_hz": clip.rate,
    }


def out_path() -> Path:
    target = Path(os.environ.get("BENCH_OUT") or ROOT / "benchmarks" / "results")
    return target if target.suffix == ".json" else target / "voice.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="follow-ups timed per voice (default 10)")
    args = parser.parse_args(argv)
    bank = load_bank()
    question = next(q for q in bank if q.id == "url-shortener").prompt
    followups = [f for q in bank for f in q.followups]
    problem = unavailable(None)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    voices = [measure(choice, question, followups, max(1, args.runs)) for choice in ("espeak", "piper")]
    result = {"benchmark": "interviewer voice: time to first audio", "runs": args.runs, "voices": voices,
              "goal_prepared_s": GOAL_S,
              "goal_met": all(v["followup_prepared_median_s"] <= GOAL_S for v in voices),
              "cpus": os.cpu_count(), "python": platform.python_version(), "machine": platform.machine()}

    rows = [("", *(v["voice"] for v in voices)),
            ("first question, from start", *(f"{v['first_question_s']:.2f} s" for v in voices)),
            ("follow-up at the answer's end", *(f"{v['followup_unprepared_median_s']:.2f} s (max "
                                                f"{v['followup_unprepared_max_s']:.2f})" for v in voices)),
            ("follow-up prepared mid-answer", *(f"{v['followup_prepared_median_s'] * 1000:.1f} ms" for v in voices)),
            ("rendering real-time factor", *(f"{v['real_time_factor']:.3f}" for v in voices))]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    print("time to first audio, per interviewer voice")
    for row in rows:
        print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    print(f"  goal: a prepared follow-up heard within {GOAL_S * 1000:.0f} ms: "
          f"{'met' if result['goal_met'] else 'MISSED'}")
    path = out_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"  written: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

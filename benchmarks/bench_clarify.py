"""How soon the interviewer answers a clarifying question: from the candidate's last word to its voice.

Runs the interview loop as a rehearsal does, in-process: real Whisper weights (base by default), the
espeak-ng voice with a stand-in speaker, and a spoken answer fed in real time (FileMicrophone --realtime):
two clarifying questions, a pause long enough for the reply, then the candidate going on. The figure is
each clarification turn's `reply_latency` in session.json, the same one a rehearsal records. Prints the
median and worst of --runs (default 10) and writes JSON to $BENCH_OUT (default benchmarks/results/clarify.json).

    python benchmarks/bench_clarify.py [--runs 10] [--model base] [--engine whisper]

With --held-out it puts the frozen held-out set (tests/corpus/clarify-heldout.toml: single, compound,
either/or, "What if" and "Is it fair to assume" questions across several bank questions, and statements that
must get no reply) to the interviewer in both voices (espeak-ng and Piper), and reports the share of questions
answered whole (every part, in order, fitting the question's kind), the false replies to statements, and
the reply time; JSON to clarify-heldout-<engine>.json. By default each item is heard at rest (every quick
hearing done before the next block, so the figures do not hang on a busy machine; the reply time is the
interviewer's pause or the last span's decoding, whichever ends later); --realtime runs the whole loop.

    python benchmarks/bench_clarify.py --held-out [--model tiny.en] [--voices espeak-ng piper]

--set tuning does the same with the tuning set (tests/corpus/clarify-tuning.toml), the one the rules are tuned
on; JSON to clarify-tuning-<engine>.json. --set tuning-b is the second tuning set (tests/corpus/clarify-tuning-b.toml,
in words the sheets do not use). --typed judges a set's text as typed, without speech or weights.

    python benchmarks/bench_clarify.py --set tuning [--typed]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from simulator.audio import AudioClip  # noqa: E402
from simulator.cli.sources import FileMicrophone  # noqa: E402
from simulator.config import ListenSettings, TranscribeSettings  # noqa: E402
from simulator.hearing.loader import ModelLoader
from simulator.hearing.models import ModelSpec  # noqa: E402
from simulator.hearing.transcriber import WhisperTranscriber  # noqa: E402
from simulator.hearing.vad import VoiceActivity  # noqa: E402
from simulator.interviewer.interview import Interview  # noqa: E402
from simulator.interviewer.options import Devices, SessionInfo  # noqa: E402
from simulator.interviewer.voices import Pyttsx3Voice  # noqa: E402
from simulator.ports import SystemClock  # noqa: E402
from simulator.questions import load_bank, pick  # noqa: E402
from simulator.sessions.store import Store  # noqa: E402
from tests.support.realmodels import model_folder  # noqa: E402
from tests.support.speech import silence, speak  # noqa: E402

ASKED = ["Before I start, I have two questions. How many users should I plan for? And do we need custom aliases?",
         "Okay, before I design anything, one question. What matters most to you, latency or availability?",
         "Let me check the scope first. Do we need analytics in the first version?",
         "I have a question about the data. How long should we keep the links?"]
GOING_ON = "Thanks. Then I will begin with the API, a post request that returns the short code."
GOAL_S = 1.5


class Speaker:
    def play(self, clip: AudioClip) -> None:
        pass


class QuietScreen:
    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return lambda *args, **kwargs: None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--model", default="base")
    parser.add_argument("--engine", default="whisper", choices=["whisper", "faster-whisper"])
    parser.add_argument("--held-out", action="store_true", help="the frozen held-out set, in both voices")
    parser.add_argument("--set", choices=["held-out", "tuning", "tuning-b"], default=None,
                        help="a set of spoken questions and statements, in both voices (--held-out: held-out)")
    parser.add_argument("--typed", action="store_true", help="with --set: the text as typed, no speech")
    parser.add_argument("--voices", nargs="+", default=["espeak-ng", "piper"])
    parser.add_argument("--realtime", action="store_true",
                        help="held-out set through the whole interview loop in real time (a quiet machine)")
    args = parser.parse_args()
    os.environ.setdefault("XDG_CACHE_HOME", str(ROOT / "tests" / ".models" / "cache"))
    if args.held_out or args.set:
        args.set = args.set or "held-out"
        held_out(args)
        return
    question = pick(load_bank(), "url-shortener")
    loader = ModelLoader(ModelSpec(str(model_folder(args.model)), args.engine)).start()
    loader.get()
    latencies: list[float] = []
    missed = 0
    with tempfile.TemporaryDirectory() as home:
        for run in range(args.runs):
            audio = np.concatenate([silence(0.5), speak(ASKED[run % len(ASKED)]), silence(30.0), speak(GOING_ON),
                                    silence(2.0)])
            clock = SystemClock()
            listen = ListenSettings(end_silence=40.0, realtime=True)
            transcriber = WhisperTranscriber(loader, TranscribeSettings(model=args.model,
                                                                        vocabulary=question.vocabulary),
                                             vad=VoiceActivity(listen.speech_dbfs), probe=True)
            devices = Devices(Pyttsx3Voice(Speaker(), warn=print), clock, QuietScreen(), transcriber,
                              FileMicrophone([audio], clock, realtime=True))
            interview = Interview(Store(Path(home)), question, devices, listen, SessionInfo(model_name=args.model))
            record = interview.run()
            replies = [t.reply_latency for t in record.turns if str(t.kind) == "clarification"]
            if replies and replies[0] is not None:
                latencies.append(replies[0])
                print(f"run {run + 1}: replied after {replies[0]:.2f} s", flush=True)
            else:
                missed += 1
                print(f"run {run + 1}: no reply", flush=True)
    result = {"model": args.model, "engine": args.engine, "runs": args.runs, "missed": missed, "latencies_s": latencies,
              "median_s": statistics.median(latencies) if latencies else None,
              "worst_s": max(latencies) if latencies else None, "goal_s": GOAL_S, "cpus": os.cpu_count()}
    print(f"clarifying question answered ({args.model}, {args.engine}): median {result['median_s']} s, worst {result['worst_s']} s "
          f"of {len(latencies)} (goal {GOAL_S} s); {missed} without a reply")
    out = Path(os.environ.get("BENCH_OUT", ROOT / "benchmarks" / "results"))
    path = out if out.suffix == ".json" else out / f"clarify-{args.engine}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2))


def held_out(args: argparse.Namespace) -> None:
    from tests.support import clarify_heldout

    sets = {"held-out": clarify_heldout.HELD_OUT, "tuning": clarify_heldout.TUNING,
            "tuning-b": clarify_heldout.TUNING.with_name("clarify-tuning-b.toml")}
    items = clarify_heldout.load(sets[args.set])
    if args.typed:
        args.voices = ["typed"]
    else:
        loader = ModelLoader(ModelSpec(str(model_folder(args.model)), args.engine)).start()
        loader.get()
    outcomes = []
    for voice in args.voices:
        for item in items:
            outcome = (clarify_heldout.typed(item) if args.typed
                       else clarify_heldout.put(loader, item, voice, args.model) if args.realtime
                       else clarify_heldout.settled(loader.get(), item, voice))
            outcomes.append(outcome)
            mark = "ok " if outcome.answered else "BAD"
            said = " | ".join(f"{text} ({latency:.2f} s)" if latency is not None else text
                              for text, latency in outcome.replies) or "(nothing)"
            print(f"{mark} {voice:9} {item.text[:70]!r} -> {said}", flush=True)
            if outcome.heard and not outcome.answered:
                print(f"    heard: {outcome.heard!r}", flush=True)
    summary: dict[str, object] = {"set": args.set, "model": args.model, "engine": args.engine, "cpus": os.cpu_count(), "goal_s": GOAL_S,
                                  "load_average": os.getloadavg()[0],
                                  "mode": "realtime" if args.realtime else "settled"}
    for voice in [*args.voices, "all"]:
        mine = [o for o in outcomes if voice in ("all", o.voice)]
        asked = [o for o in mine if o.item.asks]
        said = [o for o in mine if not o.item.asks]
        times = [o.latency for o in asked if o.latency is not None]
        summary[voice] = {
            "questions": len(asked), "answered_whole": sum(o.answered for o in asked),
            "answered_rate": round(sum(o.answered for o in asked) / max(1, len(asked)), 3),
            "statements": len(said), "false_replies": sum(not o.answered for o in said),
            "reply_median_s": round(statistics.median(times), 2) if times else None,
            "reply_worst_s": round(max(times), 2) if times else None,
            "missed": [o.item.text for o in asked if not o.answered],
            "false": [o.item.text for o in said if not o.answered]}
        row = summary[voice]
        print(f"{args.set} {voice}: every question answered {row['answered_whole']}/{row['questions']} "
              f"({row['answered_rate']:.0%}), "
              f"false replies {row['false_replies']}/{row['statements']}, reply median {row['reply_median_s']} s, "
              f"worst {row['reply_worst_s']} s (goal {GOAL_S} s)", flush=True)
    out = Path(os.environ.get("BENCH_OUT", ROOT / "benchmarks" / "results"))
    name = f"clarify-{args.set.replace('-', '')}-{'typed' if args.typed else args.engine}.json"
    path = out if out.suffix == ".json" else out / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()

"""How soon a rehearsal listens once the question is shown, and whether an answer begun at once is heard whole.

`mock-interview rehearse --no-voice` runs as a user runs it, against a private PulseAudio daemon whose virtual
microphone is the input, with real Whisper weights (base by default, as a user who keeps the folder passes it).
The moment the question's panel is printed, the answer (the short espeak-ng fixture, which opens "First I'd like
to clarify the scope") is played into the microphone. For each run:

* listening: from the question shown to "Listening for answer 1" on the screen;
* first words: whether the transcript opens with the answer's first words (nothing said after the question lost);
* input overflows: blocks PortAudio dropped because the program fell behind while the model loaded beside it.

    python benchmarks/bench_listen.py [--models base] [--engines whisper,faster-whisper] [--runs 3]

The machine's load (from /proc/loadavg) is printed with the figures: on a shared machine they move with it.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.pulse import VirtualAudio, available  # noqa: E402
from tests.support.realmodels import cache_dir, model_folder  # noqa: E402

ANSWER = ROOT / "audio_fixtures" / "short-answer.wav"
FIRST_WORDS = ("first", "clarify", "scope")
GOAL_S = 1.0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def one_run(va: VirtualAudio, model: Path, engine: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-listen-") as tmp:
        home = Path(tmp)
        env = {**va.env, "PYTHONUNBUFFERED": "1", "XDG_CACHE_HOME": str(cache_dir() / "cache")}
        proc = subprocess.Popen([sys.executable, "-m", "simulator", "rehearse", "--no-voice", "--followups", "0",
                                 "--question", "url-shortener", "--model", str(model), "--engine", engine,
                                 "--end-silence", "2", "--max-seconds", "60", "--home", str(home)],
                                env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        shown = listening = None
        player: threading.Thread | None = None
        assert proc.stdout is not None
        deadline = time.monotonic() + 120
        while listening is None and time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stdout], [], [], 1.0)
            if not ready:
                continue
            line = proc.stdout.readline()
            if not line:
                break
            now = time.monotonic()
            if shown is None and "Interviewer" in line:
                shown = now
                player = threading.Thread(target=va.play, args=(ANSWER,))  # the candidate starts at once
                player.start()
            elif "Listening for answer 1" in line:
                listening = now
        out, err = proc.communicate(timeout=180)
        if player is not None:
            player.join(60)
        if proc.returncode != 0 or shown is None or listening is None:
            raise SystemExit(f"rehearse failed ({proc.returncode}):\n{out}\n{err}")
        folder = next((home / "sessions").iterdir())
        record = json.loads((folder / "session.json").read_text())
        text = json.loads((folder / "transcript.json").read_text())["answers"][0]["text"].lower()
        opening = " ".join(text.split()[:8])
        return {"listening_s": round(listening - shown, 2), "first_words": all(w in opening for w in FIRST_WORDS),
                "opening": opening, "input_overflows": record.get("input_overflows", 0)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", default="base")
    parser.add_argument("--engines", default="whisper,faster-whisper")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    reason = available()
    if reason:
        raise SystemExit(f"PulseAudio is needed for the virtual microphone: {reason}; run `make bench`.")
    results: dict[str, Any] = {"load_before": os.getloadavg(), "goal_s": GOAL_S, "by_model": {}}
    with VirtualAudio() as va:
        for name in [m for m in args.models.split(",") if m]:
            folder = model_folder(name)
            for engine in [e for e in args.engines.split(",") if e]:
                runs = []
                for n in range(args.runs):
                    log(f"{name} {engine}: run {n + 1} of {args.runs}...")
                    runs.append(one_run(va, folder, engine))
                    log(f"  {runs[-1]}")
                results["by_model"][f"{name} {engine}"] = runs
    results["load_after"] = os.getloadavg()
    print(f"Load average (1, 5, 15 min): before {results['load_before'][0]:.2f}, after {results['load_after'][0]:.2f}; "
          f"{os.cpu_count()} cores")
    for key, runs in results["by_model"].items():
        median = statistics.median(r["listening_s"] for r in runs)
        whole = sum(r["first_words"] for r in runs)
        overflows = sum(r["input_overflows"] for r in runs)
        print(f"{key}: listening {median:.2f} s after the question is shown (median of {len(runs)}; goal ≤ {GOAL_S:g} s); "
              f"first words heard in {whole} of {len(runs)}; input overflows {overflows}")
    out = Path(os.environ.get("BENCH_OUT", ROOT / "benchmarks" / "results"))
    out = out if out.suffix == ".json" else out / "listen.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {out}")


if __name__ == "__main__":
    main()

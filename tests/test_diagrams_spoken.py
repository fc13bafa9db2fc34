"""A diagram saved three times during a spoken answer, heard by real tiny.en in real time: three new drawings
kept, each at the time it was saved on the session clock."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

from simulator.audio import write_wav
from simulator.diagrams.watch import DIAGRAM_FOLDER, read_snapshots

from .support.speech import silence, speak
from .support.waiting import wait_for

ANSWER = ("Let me start with the clients. They reach a load balancer, which spreads requests over stateless API "
          "servers. The API servers write new links to Postgres, keyed on the short code. Reads go through Redis "
          "first, because the load is read heavy. Click events go to Kafka, and workers count them in the "
          "background. So to summarize, a cache in front of one database, and a queue for the clicks.")
VERSIONS = ["flowchart LR\n  c[Clients] --> lb[Load balancer] --> api[API servers]\n"]
VERSIONS.append(VERSIONS[-1] + "  api --> db[(Postgres)]\n")
VERSIONS.append(VERSIONS[-1] + "  api --> cache[(Redis)]\n")
VERSIONS.append(VERSIONS[-1] + "  api --> q[Kafka] --> w[Workers]\n")
GAP = 4.0  # seconds between saves


def save(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def test_three_saves_during_a_spoken_answer_are_kept_at_their_times(real_tiny, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    answer = write_wav(tmp_path / "answer.wav", np.concatenate([silence(0.5), speak(ANSWER), silence(1.0)]))
    drawing = tmp_path / "design.mmd"
    save(drawing, VERSIONS[0])
    home = tmp_path / "home"
    saved_at: list[float] = []

    def draw() -> None:
        """The candidate draws while talking: three saves, GAP seconds apart, once the answer is being recorded."""
        if not wait_for(lambda: any(home.glob("sessions/*/answer-01.wav")), timeout=300):
            return
        for text in VERSIONS[1:]:
            time.sleep(GAP)  # the candidate's own pace, not a wait for the program
            save(drawing, text)
            saved_at.append(time.monotonic())

    drawer = threading.Thread(target=draw)
    drawer.start()
    done = subprocess.run([sys.executable, "-m", "simulator", "rehearse", "--no-voice", "--question", "url-shortener",
                           "--model", str(real_tiny.folder), "--followups", "0", "--answer-file", str(answer),
                           "--realtime", "--diagram", str(drawing), "--home", str(home)],
                          env={**real_tiny.env, "PYTHONUNBUFFERED": "1"}, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=600)
    drawer.join()
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert len(saved_at) == 3, "the answer ended before the three saves"
    # the parts added during the answer (one box, one box, then two, with their arrows) weighed against the speech
    assert re.search(r"\b\d+ of \d+ parts of your drawing \(\d+%\) appeared while you were silent", done.stdout), \
        done.stdout
    folder = next((home / "sessions").iterdir())
    kept = read_snapshots(folder / DIAGRAM_FOLDER)
    assert len(kept) == 4 and kept[0].at < 1.0, [s.at for s in kept]
    assert [len(s.diagram.boxes) for s in kept] == [3, 4, 5, 7]
    # each save is read within two looks (a second) of being made, so the gaps between them are kept
    gaps = [b.at - a.at for a, b in zip(kept[1:], kept[2:])]
    made = [b - a for a, b in zip(saved_at, saved_at[1:])]
    assert all(abs(g - m) <= 1.2 for g, m in zip(gaps, made)), (gaps, made)
    turns = json.loads((folder / "session.json").read_text())["turns"]
    answer_turn = next(t for t in turns if t["role"] == "candidate")
    assert all(answer_turn["start"] <= s.at <= answer_turn["end"] for s in kept[1:]), \
        ([s.at for s in kept], answer_turn["start"], answer_turn["end"])

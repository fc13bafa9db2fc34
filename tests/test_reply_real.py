"""The interviewer's reply is right as well as fast: with real tiny.en weights, the follow-up is chosen on the
whole answer, its last words included, even when those are still being transcribed when the answer ends.

The answers are fed at once (--answer-file without --realtime) and end on their
last word, so the end of each is always still being transcribed when the reply
is due: the interviewer acknowledges first and asks once every word is in.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from simulator.audio import write_wav

from .support.speech import silence, speak

OPENING = ("Let me clarify the requirements first. Who are the users, and how many links per day? Is analytics in "
           "scope? I'll assume a hundred million new links a month, about forty writes a second and a hundred reads "
           "per write. The API is POST slash links, which returns a short code, and GET slash code, which redirects. ")
DESIGN = ("High level, clients go through a load balancer to stateless app servers, with a cache in front of the "
          "database. For storage I'd use a key value store keyed on the code, partitioned by hash, because every "
          "lookup is by key. To scale, the cache absorbs hot links, the store is replicated three ways, and if a node "
          "fails we fail over to a replica. The tradeoff is a 302 redirect instead of a 301, at the cost of more "
          "load, because we keep click counts. ")
SUMMARY = ("So to summarize: stateless servers, a partitioned key value store and a cache for hot links, trading a "
           "little consistency for availability.")
ARCHITECTURE = ("Now the high level architecture. Clients talk to a load balancer, which spreads requests over "
                "stateless app servers, and the app servers read from a cache in front of the database.")


def rehearse(real_tiny, tmp_path: Path, text: str) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    answer = write_wav(tmp_path / "answer.wav", np.concatenate([silence(0.5), speak(text)]))
    reply = write_wav(tmp_path / "reply.wav", np.concatenate([silence(0.5), speak("I would shard by code."),
                                                              silence(1)]))
    home = tmp_path / "home"
    done = subprocess.run([sys.executable, "-m", "simulator", "rehearse", "--no-voice", "--question", "url-shortener",
                           "--model", str(real_tiny.folder), "--followups", "1", "--answer-file", str(answer),
                           "--answer-file", str(reply), "--home", str(home)],
                          env={**real_tiny.env, "PYTHONUNBUFFERED": "1"}, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    folder = next((home / "sessions").iterdir())
    return json.loads((folder / "session.json").read_text())["turns"]


def followup(turns: list[dict[str, object]]) -> dict[str, object]:
    return next(t for t in turns[2:] if t["role"] == "interviewer" and t["target"] is not None)


def acknowledged_first(turns: list[dict[str, object]]) -> bool:
    from simulator.judging.followups import _load

    first = turns[2]
    if first["target"] is not None:
        return False
    assert first["text"] in _load()["acknowledgements"]["phrases"]
    assert turns[3]["role"] == "interviewer" and turns[4]["role"] == "candidate"
    return True


def test_an_answer_that_ends_with_its_summary_is_not_asked_for_one(real_tiny, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    turns = rehearse(real_tiny, tmp_path, OPENING + DESIGN + SUMMARY)
    assert "summarize" in str(turns[1]["text"]).lower(), turns[1]["text"]
    question = followup(turns)
    assert question["target"] not in ("no_summary", "summary", "over_time"), question
    assert acknowledged_first(turns), "the last words were still being transcribed, so the interviewer said so"


def test_an_answer_that_ends_with_its_architecture_is_not_asked_for_it(real_tiny, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    turns = rehearse(real_tiny, tmp_path, OPENING + ARCHITECTURE)
    assert "load balancer" in str(turns[1]["text"]).lower(), turns[1]["text"]
    question = followup(turns)
    assert question["target"] != "architecture", question
    assert question["reply_latency"] >= turns[2]["reply_latency"]

"""rehearse --drill STEP (one timed part of the 2/3/3/2 budget, judged alone) and rehearse --round N (several
questions in one sitting, one report for the round and each its own), typed and spoken."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from simulator.audio import write_wav
from simulator.cli.main import cli
from simulator.practice.drill import drill_question, find_drill
from simulator.questions import load_bank

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "audio_fixtures"
CLARIFY = ("Who are the users? What matters most, latency or consistency? Is analytics in scope? "
           "I assume 100 million users a day and 1000 writes per second.")


def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), input=input)


def sessions(home: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(p.read_text()) for p in sorted((home / "sessions").glob("*/session.json"))]


def test_a_drill_sets_up_one_part_of_the_budget() -> None:
    question = next(q for q in load_bank() if q.id == "url-shortener")
    asked = drill_question(question, find_drill("assumptions"))
    assert asked.prompt.startswith("Design a URL shortener, like bit.ly. This is a two minute drill on clarifying.")
    assert find_drill("tradeoffs").id == "scale" and find_drill("scale").seconds == 120
    assert find_drill("interfaces").id == "data" and find_drill("data").seconds == 180


def test_a_typed_drill_is_judged_on_its_part_alone(tmp_path: Path) -> None:
    result = invoke("rehearse", "--type", "--no-voice", "--drill", "clarify", "--question", "url-shortener",
                    "--home", str(tmp_path), input=CLARIFY)
    assert result.exit_code == 0, result.output
    assert "Drill on clarify requirements: done · typed (budget 2:00)" in result.output
    assert "bar:" not in result.output  # a drill is not a whole answer, so it gets no level verdict
    report = json.loads(invoke("report", "last", "--json", "--home", str(tmp_path)).stdout)
    drill = report["practice"]["drill_result"]
    assert drill["covered"] == {"clarify": True, "assumptions": True} and drill["verdict"] == "done"
    assert drill["evidence"]["assumptions"] == "I assume 100 million users a day and 1000 writes per second."
    scale = invoke("rehearse", "--type", "--no-voice", "--drill", "scale", "--question", "url-shortener",
                   "--home", str(tmp_path), input=CLARIFY)
    assert "Drill on scale, reliability, tradeoffs: missed" in scale.output


def test_in_a_clarify_drill_the_interviewer_answers_the_questions_asked(tmp_path: Path) -> None:
    """Two minutes of clarifying are practice only if someone answers: each typed question gets the sheet's
    answer, printed as it is asked, and kept in the session as a clarification."""
    result = invoke("rehearse", "--type", "--no-voice", "--drill", "clarify", "--question", "url-shortener",
                    "--home", str(tmp_path),
                    input="Who are the users?\nDo we need custom aliases?\nI assume 100 million links a month.\n")
    assert result.exit_code == 0, result.output
    users = "most short links are made by marketing teams"
    assert users in result.output and "Custom aliases, yes" in result.output
    report = json.loads(invoke("report", "last", "--json", "--home", str(tmp_path)).stdout)
    session = next((tmp_path / "sessions").iterdir())
    turns = json.loads((session / "session.json").read_text())["turns"]
    answered = [t["text"] for t in turns if t.get("kind") == "clarification"]
    assert len(answered) == 2 and users in answered[0], answered
    assert report["practice"]["drill_result"]["covered"]["clarify"] is True


def test_a_spoken_drill_stops_at_its_budget(tmp_path: Path, tiny_checkpoint: Path) -> None:
    """A drill's answer ends at the part's two minutes, however long the candidate goes on."""
    long = tmp_path / "long.wav"
    write_wav(long, np.zeros(16000 * 150, dtype=np.float32))
    result = invoke("rehearse", "--no-voice", "--drill", "clarify", "--question", "chat-app", "--model",
                    str(tiny_checkpoint), "--decode-limit", "8", "--answer-file", str(long), "--home", str(tmp_path))
    assert result.exit_code == 0, result.output
    record = sessions(tmp_path)[0]
    answer = record["turns"][1]
    assert answer["end"] - answer["start"] == 120.0
    assert record["practice"] == {"level": "senior", "drill": "clarify"}


def test_a_spoken_drill_is_heard_and_judged(real_tiny, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = subprocess.run(
        [sys.executable, "-m", "simulator", "rehearse", "--no-voice", "--drill", "clarify", "--question",
         "url-shortener", "--model", str(real_tiny.folder), "--answer-file", str(FIXTURES / "short-answer.wav"),
         "--followups", "0", "--home", str(tmp_path)], env=real_tiny.env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Drill on clarify requirements: partly" in result.stdout  # clarified, but stated no numbers
    assert "clarify: \"" in result.stdout and "missed: assumptions" in result.stdout


def test_a_typed_round_runs_each_question_and_reports_the_round(tmp_path: Path) -> None:
    answers = "\n---\n".join([CLARIFY, "I'd add a cache because reads dominate.", "I led the migration."])
    result = invoke("rehearse", "--type", "--no-voice", "--round", "3", "--level", "mid", "--home", str(tmp_path),
                    input=answers)
    assert result.exit_code == 0, result.output
    records = sessions(tmp_path)
    assert len(records) == 3 and len({r["question"]["id"] for r in records}) == 3
    rounds = {r["practice"]["round"]["id"] for r in records}
    assert len(rounds) == 1
    assert sorted(r["practice"]["round"]["index"] for r in records) == [1, 2, 3]
    assert [r["question"]["kind"] for r in sorted(records, key=lambda r: r["practice"]["round"]["index"])][-1] \
        == "experience"  # the walk-through of your own system comes after the designs
    said = [r["turns"][1]["text"] for r in sorted(records, key=lambda r: r["practice"]["round"]["index"])]
    assert said == [CLARIFY, "I'd add a cache because reads dominate.", "I led the migration."]
    round_id = rounds.pop()
    assert f"Round {round_id}: 3 of 3 questions · level mid" in result.output
    page = tmp_path / "rounds" / f"{round_id}.html"
    assert f"Round report: {page}" in result.output and page.is_file()
    summary = json.loads(invoke("round", "last", "--json", "--home", str(tmp_path)).stdout)
    assert summary["id"] == round_id and len(summary["questions"]) == 3
    assert summary["overall"] == "below"  # a loop is decided by its weakest answer
    for item in summary["questions"]:
        assert (tmp_path / "sessions" / item["session"]).is_dir()


def test_a_spoken_round_shares_the_answer_files_out(real_tiny, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = subprocess.run(
        [sys.executable, "-m", "simulator", "rehearse", "--no-voice", "--round", "2", "--kind", "design",
         "--model", str(real_tiny.folder), "--answer-file", str(FIXTURES / "short-answer.wav"),
         "--answer-file", str(FIXTURES / "pause-answer.wav"), "--home", str(tmp_path)],
        env=real_tiny.env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    records = sorted(sessions(tmp_path), key=lambda r: r["practice"]["round"]["index"])
    assert len(records) == 2
    assert "how many links" in records[0]["turns"][1]["text"].lower()
    assert "actually" in records[1]["turns"][1]["text"].lower()
    assert all(len([t for t in r["turns"] if t["role"] == "candidate"]) == 1 for r in records)
    assert "Round report:" in result.stdout

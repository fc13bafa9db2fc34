"""The command line as a user meets it: commands, output, and one-line errors with exit code 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli.main import cli

from .support.imports import heavy_imports

FIXTURES = Path(__file__).resolve().parent.parent / "audio_fixtures"


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.mark.parametrize("args", [["--help"], ["sessions"], ["questions"], ["rehearse", "--help"]])
def test_light_commands_do_not_import_torch_or_whisper(args: list[str], tmp_path: Path) -> None:
    home = ["--home", str(tmp_path)] if args[0] in ("sessions", "questions") else []
    heavy, _ = heavy_imports([*args, *home], expect_success=False)
    assert heavy == []


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run([sys.executable, "-m", "simulator", "--help"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0 and "rehearse" in result.stdout


def test_questions_lists_the_bank_and_filters_by_kind(tmp_path: Path) -> None:
    everything = json.loads(run("questions", "--json", "--home", str(tmp_path)).output)
    assert {"url-shortener", "chat-app", "notification-system", "system-you-designed"} <= {q["id"] for q in everything}
    experience = json.loads(run("questions", "--kind", "experience", "--json", "--home", str(tmp_path)).output)
    assert experience and all(q["kind"] == "experience" for q in experience)
    table = run("questions", "--home", str(tmp_path)).output
    assert "url-shortener" in table


def test_a_typed_rehearsal_is_saved_and_listed(tmp_path: Path) -> None:
    answer = "First I'd clarify who the users are.\nThen I'd estimate the traffic.\n"
    result = run("rehearse", "--type", "--no-voice", "--question", "url-shortener", "--home", str(tmp_path),
                 input=answer)
    assert result.exit_code == 0, result.output
    assert "Design a URL shortener" in result.output
    assert "Words: 12" in result.output
    listed = json.loads(run("sessions", "--json", "--home", str(tmp_path)).output)
    assert len(listed) == 1 and listed[0]["status"] == "complete" and listed[0]["question"] == "url-shortener"
    folder = tmp_path / "sessions" / listed[0]["id"]
    record = json.loads((folder / "session.json").read_text())
    assert record["turns"][1]["text"] == "First I'd clarify who the users are. Then I'd estimate the traffic."


def test_simulator_home_overrides_the_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIMULATOR_HOME", str(tmp_path / "elsewhere"))
    result = run("rehearse", "--type", "--no-voice", "--kind", "experience", input="I led a migration.")
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "elsewhere" / "sessions").iterdir())) == 1


def test_a_rehearsal_from_an_answer_file_is_transcribed_by_whisper(tmp_path: Path, tiny_checkpoint: Path) -> None:
    result = run("rehearse", "--no-voice", "--question", "chat-app", "--model", str(tiny_checkpoint),
                 "--answer-file", str(FIXTURES / "stereo-44k.flac"), "--decode-limit", "8", "--home", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "0:04 against 8:00–12:00 (short by 7:56)" in result.output
    assert "words per minute" in result.output
    folder = next((tmp_path / "sessions").iterdir())
    record = json.loads((folder / "session.json").read_text())
    assert record["status"] == "complete" and record["model"] == str(tiny_checkpoint)
    assert record["turns"][1]["end"] - record["turns"][1]["start"] == pytest.approx(4.04, abs=0.05)
    transcript = json.loads((folder / "transcript.json").read_text())
    first = transcript["answers"][0]
    assert first["audio"] == "answer-01.wav" and isinstance(first["dropped_segments"], int)
    assert all(0 <= s["start"] <= s["end"] <= 4.1 for s in first["segments"])


def test_sessions_with_none_yet_says_how_to_start(tmp_path: Path) -> None:
    assert "mock-interview rehearse" in run("sessions", "--home", str(tmp_path)).output
    assert json.loads(run("sessions", "--json", "--home", str(tmp_path)).output) == []


def _one_line_error(args: list[str], words: str, tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "simulator", *args, "--home", str(tmp_path / "home")],
                            capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
                            env={**os.environ, "PULSE_SERVER": "unix:/nonexistent/pulse"})
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], result.stderr
    assert not (tmp_path / "home" / "sessions").exists(), "nothing is written for bad input"


@pytest.mark.parametrize("args, words", [
    (["--question", "no-such-question"], "There is no question 'no-such-question'"),
    (["--answer-file", "missing.wav"], "does not exist"),
    (["--answer-file", str(FIXTURES / "manifest.toml")], "not a readable WAV or FLAC"),
    (["--type", "--answer-file", str(FIXTURES / "silence.wav")], "use one of them"),
    (["--realtime"], "--realtime paces an --answer-file"),
    (["--model", "/nowhere/model.pt", "--answer-file", str(FIXTURES / "silence.wav")], "does not exist"),
    (["--model", "enormous", "--answer-file", str(FIXTURES / "silence.wav")], "no model named 'enormous'"),
    ([], "No input device is available"),
    (["--input-device", "no such microphone"], "no such microphone"),
])
def test_bad_rehearse_input_is_one_line_and_exit_2(args: list[str], words: str, tmp_path: Path) -> None:
    _one_line_error(["rehearse", "--no-voice", *args], words, tmp_path)


def test_an_empty_answer_file_is_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    _one_line_error(["rehearse", "--no-voice", "--answer-file", str(empty)], "is empty", tmp_path)


def test_a_malformed_user_question_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "home" / "questions").mkdir(parents=True)
    (tmp_path / "home" / "questions" / "mine.toml").write_text("[[question]]\nid = 3\n")
    _one_line_error(["questions"], "mine.toml", tmp_path)


def test_a_rehearsal_with_two_answer_files_asks_a_gap_aimed_follow_up(tmp_path: Path, tiny_checkpoint: Path) -> None:
    result = run("rehearse", "--no-voice", "--question", "url-shortener", "--model", str(tiny_checkpoint),
                 "--answer-file", str(FIXTURES / "short-answer.wav"), "--answer-file",
                 str(FIXTURES / "pause-answer.wav"), "--decode-limit", "8", "--home", str(tmp_path))
    assert result.exit_code == 0, result.output
    folder = next((tmp_path / "sessions").iterdir())
    record = json.loads((folder / "session.json").read_text())
    # a "Got it." covers the wait when the last words take a while to transcribe, as on a busy machine
    turns = [t for t in record["turns"] if t.get("kind") != "acknowledgement"]
    assert [t["role"] for t in turns] == ["interviewer", "candidate", "interviewer", "candidate"]
    followup = turns[2]
    assert followup["target"] == "clarify" and followup["text"][:30] in result.output
    assert turns[3]["audio"] == "answer-02.wav" and (folder / "answer-02.wav").exists()
    assert turns[3]["analysis"]["kind"] == "design"
    transcript = json.loads((folder / "transcript.json").read_text())
    assert [a["audio"] for a in transcript["answers"]] == ["answer-01.wav", "answer-02.wav"]
    assert "Follow-up on clarify" in result.output


def test_the_rehearsal_summary_names_covered_and_missed_steps_and_warns_about_fillers(
        tmp_path: Path, tiny_checkpoint: Path) -> None:
    base = ["rehearse", "--no-voice", "--question", "url-shortener", "--model", str(tiny_checkpoint),
            "--answer-file", str(FIXTURES / "short-answer.wav"), "--decode-limit", "8"]
    plain = run(*base, "--home", str(tmp_path / "a"))
    assert plain.exit_code == 0, plain.output
    assert "missed: clarify" in plain.output and "Fillers:" in plain.output
    assert "--keep-fillers" in plain.output
    kept = run(*base, "--keep-fillers", "--home", str(tmp_path / "b"))
    assert kept.exit_code == 0, kept.output
    assert "--keep-fillers" not in kept.output
    folder = next((tmp_path / "b" / "sessions").iterdir())
    assert json.loads((folder / "transcript.json").read_text())["keep_fillers"] is True
    typed = run("rehearse", "--type", "--no-voice", "--home", str(tmp_path / "c"), input="Um, I'd clarify first.")
    assert "Fillers:" in typed.output and "--keep-fillers" not in typed.output


def test_sessions_shows_each_id_in_full_at_80_columns(tmp_path: Path) -> None:
    """The id is what report, replay and export take, so it must be readable off the screen; the question wraps."""
    from simulator.questions import load_bank

    from .support.sessions import typed_session

    for question_id in ("ecommerce-checkout", "collaborative-editor"):
        question = next(q for q in load_bank() if q.id == question_id)
        typed_session(tmp_path, "First I'd clarify who the users are.", question)
    ids = [row["id"] for row in json.loads(run("sessions", "--json", "--home", str(tmp_path)).output)]
    table = CliRunner().invoke(cli, ["sessions", "--home", str(tmp_path)], env={"COLUMNS": "80"}).output
    lines = table.splitlines()
    assert len(ids) == 2 and all(any(i in line for line in lines) for i in ids), table
    assert max(len(line) for line in lines) <= 80


def test_questions_shows_every_id_whole_in_an_80_column_terminal(tmp_path: Path) -> None:
    """The id is what --question takes: cut to "backend-inventory-…" it cannot be copied."""
    ids = [q["id"] for q in json.loads(run("questions", "--json", "--home", str(tmp_path)).output)]
    table = CliRunner().invoke(cli, ["questions", "--home", str(tmp_path)], env={"COLUMNS": "80"}).output
    assert max(len(line) for line in table.splitlines()) <= 80
    assert [i for i in ids if i not in table] == []

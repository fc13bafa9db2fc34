"""`mock-interview analyze FILE_OR_SESSION` as a user meets it: one JSON object with --json, a checklist
and the next follow-ups as text, transcripts or saved sessions as input, and one-line errors with exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli.main import cli

from .support.designs import SHORTENER

CORPUS = Path(__file__).resolve().parent / "corpus"
DESIGN_IDS = ["clarify", "assumptions", "interfaces", "architecture", "data", "scale", "tradeoffs", "summary"]
STAR_IDS = ["situation", "task", "action", "result"]
DELIVERY_KEYS = {"words", "speaking_seconds", "wpm", "fillers", "filler_rate", "hedges", "long_pauses"}
COLLIDE = "How do you generate short codes so that two different links never collide?"
TYPED_ANSWER = ("Before I start, who uses this and what matters most?\n"
                "Let's say a hundred million new links a month.\n"
                "Clients talk to a load balancer, then stateless app servers, then a database with a cache.\n")


def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), input=input, env=env, catch_exceptions=False)


def run_cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "simulator", *args, "--home", str(home)], capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL,
                          env={**os.environ, "PULSE_SERVER": "unix:/nonexistent/pulse", "COLUMNS": "200"})


DESIGN_KEYS = {"components", "choices", "figures", "flows", "safeguards", "findings"}
FINDING_KEYS = {"rule", "component", "detail", "slip", "said", "against", "quote", "why"}


def check_contract(data: dict, kind: str) -> None:
    # a design answer always has its design (empty when nothing was named); a story only when it names parts
    assert set(data) - {"design"} == {"kind", "steps", "mistakes", "delivery", "followups"}
    assert "design" in data or kind == "experience"
    if "design" in data:
        assert set(data["design"]) == DESIGN_KEYS
        for finding in data["design"]["findings"] if kind == "design" else ():
            assert set(finding) == FINDING_KEYS and finding["detail"]
            assert finding["why"] == f"{finding['rule']}: “{' '.join(finding['quote']['text'].split())}”" \
                or finding["why"].endswith("…”")
        if kind == "experience":
            assert data["design"]["findings"] == []  # a story is not checked as a design
    assert data["kind"] == kind
    assert list(data["steps"]) == (DESIGN_IDS if kind == "design" else STAR_IDS)
    for step in data["steps"].values():
        assert set(step) - {"thin"} == {"covered", "first_at", "seconds", "evidence"}
        assert isinstance(step["covered"], bool) and step.get("thin", False) in (True, False)
        assert step.get("thin") in (None, True), "thin is written only where a step is thin"
    for mistake in data["mistakes"]:
        assert set(mistake) == {"code", "detail"} and mistake["detail"]
    assert set(data["delivery"]) == DELIVERY_KEYS
    for pause in data["delivery"]["long_pauses"]:
        assert set(pause) == {"at", "seconds"}
    assert isinstance(data["followups"], list)
    for item in data["followups"]:
        design = item["target"] in ("design_finding", "design_probe") or "why" in item
        assert set(item) == ({"target", "question", "why"} if design else {"target", "question"})
        assert isinstance(item["target"], str) and item["question"].strip()
        if design:  # a question on the candidate's own design says which rule chose it, on which words
            assert set(item["why"]) == {"rule", "quote", "at"} and item["why"]["rule"] and item["why"]["quote"]


def rehearse(home: Path, answer: str = TYPED_ANSWER) -> str:
    result = invoke("rehearse", "--type", "--no-voice", "--question", "url-shortener", "--home", str(home),
                    input=answer)
    assert result.exit_code == 0, result.output
    listed = json.loads(invoke("sessions", "--json", "--home", str(home)).stdout)
    return listed[-1]["id"]


# ---------------------------------------------------------------------------- files


def test_a_text_transcript_gives_exactly_one_json_object(tmp_path: Path) -> None:
    result = run_cli("analyze", str(CORPUS / "d01-url-shortener-strong.txt"), "--json", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)  # the whole of stdout is one JSON document
    assert isinstance(data, dict)
    check_contract(data, "design")
    assert all(step["covered"] for step in data["steps"].values())
    assert all(step["first_at"] is None for step in data["steps"].values())
    assert data["mistakes"] == []
    assert data["followups"], "a strong answer still gets pressure"
    assert not (tmp_path / "sessions").exists(), "analysing a file writes nothing"


def test_a_whisper_style_json_transcript_is_analysed_with_times(tmp_path: Path) -> None:
    result = run_cli("analyze", str(CORPUS / "d13-chat-app-paraphrased.json"), "--json", home=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    check_contract(data, "design")
    assert data["steps"]["clarify"]["covered"] and data["steps"]["clarify"]["first_at"] is not None
    assert data["delivery"]["wpm"] is not None and 100 < data["delivery"]["wpm"] < 200
    assert data["delivery"]["long_pauses"], "the corpus file has 3-6 s thinking pauses"
    assert "under_time" in {m["code"] for m in data["mistakes"]}  # about 4.5 minutes


def test_kind_can_be_forced(tmp_path: Path) -> None:
    result = run_cli("analyze", str(CORPUS / "d01-url-shortener-strong.txt"), "--kind", "experience", "--json",
                     home=tmp_path)
    assert result.returncode == 0, result.stderr
    check_contract(json.loads(result.stdout), "experience")


def test_an_experience_story_is_guessed(tmp_path: Path) -> None:
    result = run_cli("analyze", str(CORPUS / "e01-migration-strong.txt"), "--json", home=tmp_path)
    check_contract(json.loads(result.stdout), "experience")


def test_the_text_report_shows_the_checklist_and_the_next_follow_ups(tmp_path: Path) -> None:
    source = str(CORPUS / "d03-notification-no-clarify.txt")
    text = invoke("analyze", source, "--home", str(tmp_path), env={"COLUMNS": "200"})
    assert text.exit_code == 0, text.output
    out = text.stdout
    for title in ("Clarify the problem and scope", "State assumptions and constraints", "Sketch a high-level baseline",
                  "Closing summary"):
        assert title in out
    assert "✓" in out and "✗" in out  # d03 never clarifies
    assert "Delivery" in out and "words" in out
    assert "The interviewer would ask next" in out
    followups = json.loads(invoke("analyze", source, "--json", "--home", str(tmp_path)).stdout)["followups"]
    assert followups[0]["target"] == "clarify"
    assert followups[0]["question"] in out  # the same question, first, in both forms
    assert "1. " in out and "(clarify the problem and scope)" in out  # what it aims at, in words


def test_a_typed_answer_shows_the_design_as_heard_in_its_own_words(tmp_path: Path) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text(SHORTENER)
    out = invoke("analyze", str(answer), "--home", str(tmp_path), env={"COLUMNS": "250"}).stdout
    section = out[out.index("Your design as heard"):out.index("The interviewer would ask next")]
    for line in ("services: API servers, key service", "caches: Redis", "databases: DynamoDB",
                 "flow: clients → load balancer → API servers", "✓ 100 million new links a day (≈ 1,160 a second)",
                 "✗ 100 writes a second", "choice: DynamoDB over Postgres: because lookups are by a single key",
                 "choice: Redis: no reason given",
                 "why: arithmetic: “I'll assume 100 million new links a day, so about 100 writes a second.”",
                 "why: lone_stateful: “Codes come from a counter range handed out by a key service.”"):
        assert line in section, line
    assert "Postgres" not in section.replace("DynamoDB over Postgres", "")  # only named as the road not taken
    asked = out[out.index("The interviewer would ask next"):].splitlines()
    whys = [line.strip() for line in asked if line.strip().startswith("why: ")]
    assert whys and all(w.endswith("”") and w.split("“", 1)[1].rstrip("”") in SHORTENER for w in whys)
    # each under its own question, which is on the candidate's design
    for i, line in enumerate(asked):
        if line.strip().startswith("why: "):
            assert asked[i - 1].lstrip()[:3] in ("1. ", "2. ", "3. ") and "you" in asked[i - 1].split("(")[-1]

    data = json.loads(invoke("analyze", str(answer), "--json", "--home", str(tmp_path)).stdout)
    check_contract(data, "design")
    design = data["design"]
    assert [c["name"] for c in design["components"]] == ["clients", "load balancer", "API servers", "key service",
                                                         "Redis", "DynamoDB"]
    rules = [f["rule"] for f in design["findings"]]
    assert "arithmetic" in rules and "lone_stateful" in rules and "cache_cold" in rules
    slip = design["findings"][rules.index("arithmetic")]
    assert "about 1,160 a second" in slip["detail"] and slip["quote"]["text"] in SHORTENER


def test_an_answer_that_names_no_component_is_told_so_in_one_line(tmp_path: Path) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text("Before I start, who uses this? I would keep it simple and make it fast for everyone.")
    out = invoke("analyze", str(answer), "--kind", "design", "--home", str(tmp_path), env={"COLUMNS": "200"}).stdout
    section = out[out.index("Your design as heard"):out.index("The interviewer would ask next")].splitlines()
    assert section == ["Your design as heard",
                       "  No components were named: say what you would build and how the parts talk."]
    data = json.loads(invoke("analyze", str(answer), "--kind", "design", "--json", "--home", str(tmp_path)).stdout)
    assert data["design"]["components"] == [] and data["design"]["findings"] == []


def test_the_end_of_a_typed_rehearsal_shows_the_design_as_heard(tmp_path: Path) -> None:
    result = invoke("rehearse", "--type", "--no-voice", "--question", "url-shortener", "--followups", "0", "--home",
                    str(tmp_path), input=SHORTENER + "\n", env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Your design as heard" in out and "caches: Redis" in out and "✗ 100 writes a second" in out
    assert out.index("Covered:") < out.index("Your design as heard") < out.index("Session ")
    # checked against the question's own sheet, as the interviewer checks it: a day where it said a month
    assert "✗ 100 million new links a day" in out and "why: contradiction: “" in out


# ------------------------------------------------------------------------- sessions


def test_the_last_session_and_an_id_prefix_can_be_analysed(tmp_path: Path) -> None:
    session_id = rehearse(tmp_path)
    result = invoke("analyze", "last", "--json", "--home", str(tmp_path))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    check_contract(data, "design")
    assert data["steps"]["clarify"]["covered"] and data["steps"]["assumptions"]["covered"]
    assert data["steps"]["clarify"]["evidence"] == "Before I start, who uses this and what matters most?"
    questions = [f["question"] for f in data["followups"]]
    assert COLLIDE in questions, "the session's own question brings its prompt-specific follow-ups"
    assert all("{" not in q for q in questions)

    by_prefix = invoke("analyze", session_id[:12], "--json", "--home", str(tmp_path))
    assert by_prefix.exit_code == 0, by_prefix.output
    assert json.loads(by_prefix.stdout)["steps"] == data["steps"]
    by_id = invoke("analyze", session_id, "--home", str(tmp_path), env={"COLUMNS": "200"})
    assert by_id.exit_code == 0, by_id.output
    assert "Clarify the problem and scope" in by_id.stdout and "The interviewer would ask next" in by_id.stdout


# --------------------------------------------------------------------------- errors


def one_line_error(args: list[str], words: str, home: Path) -> None:
    before = sorted(p.relative_to(home) for p in home.rglob("*")) if home.exists() else []
    result = run_cli(*args, home=home)
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], result.stderr
    assert result.stdout == ""
    after = sorted(p.relative_to(home) for p in home.rglob("*")) if home.exists() else []
    assert after == before, "a failed analyze writes nothing"


@pytest.mark.parametrize("content, words", [
    (None, "does not exist"),
    ('{"text": "I would use a cache."}', "is not a transcript"),
    ('{"segments": [{"start": 0, "end": 1, "text": "a"}', "is not a transcript"),  # malformed JSON
    ('{"segments": [{"start": 5, "end": 1, "text": "backwards"}]}', "is not a transcript"),
    ('{"segments": "nope"}', "is not a transcript"),
    (b"\xff\xfe\x00caf\xe9", "Cannot read"),
])
def test_a_bad_transcript_file_is_one_line_and_exit_2(content: str | bytes | None, words: str,
                                                     tmp_path: Path) -> None:
    suffix = ".txt" if isinstance(content, bytes) else ".json"
    path = tmp_path / f"answer{suffix}"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    one_line_error(["analyze", str(path), "--json"], words, tmp_path / "home")


def test_a_missing_txt_file_is_one_line(tmp_path: Path) -> None:
    one_line_error(["analyze", str(tmp_path / "nowhere.txt")], "does not exist", tmp_path / "home")


@pytest.mark.parametrize("ref, words", [
    ("20990101-000000-nothing", "There is no session"),
    ("../etc", "is not a session id"),
    ("last", "no sessions yet"),
])
def test_an_unknown_session_is_one_line(ref: str, words: str, tmp_path: Path) -> None:
    one_line_error(["analyze", ref], words, tmp_path / "home")


def test_unknown_and_ambiguous_session_ids_among_real_sessions_are_one_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first, second = rehearse(home), rehearse(home)
    assert first != second
    prefix = os.path.commonprefix([first, second])[:15]  # at most the date and time: never a whole id
    assert prefix and prefix not in (first, second)
    one_line_error(["analyze", prefix], "matches 2 sessions", home)
    one_line_error(["analyze", "zz-no-such-session"], "There is no session", home)
    one_line_error(["analyze", "../etc"], "is not a session id", home)
    one_line_error(["analyze", f"../{first}"], "is not a session id", home)
    assert invoke("analyze", second, "--json", "--home", str(home)).exit_code == 0


def test_a_whisper_transcript_warns_that_filler_counts_may_be_low(tmp_path: Path) -> None:
    whisper_json = invoke("analyze", str(CORPUS / "d13-chat-app-paraphrased.json"), "--home", str(tmp_path))
    assert "--keep-fillers" in " ".join(whisper_json.output.split())
    typed_text = invoke("analyze", str(CORPUS / "d01-url-shortener-strong.txt"), "--home", str(tmp_path))
    assert "--keep-fillers" not in typed_text.output

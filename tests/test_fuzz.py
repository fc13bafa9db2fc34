"""Every loader, fed generated files: the only failure a user may see is a one-line UserError.

Question files, session.json, transcripts (.txt, .json, segments) and the transcript.json
that `analyze` reads from a session. The examples below add up to EXAMPLES (over 10,000);
derandomized, so every run tries the same cases.
"""

from __future__ import annotations

import json
import math
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.cli.main import cli
from simulator.config import TimingTargets, format_duration
from simulator.errors import UserError
from simulator.questions import load_bank, parse_bank
from simulator.sessions.record import STATUSES, SessionRecord
from simulator.sessions.store import SessionFolder, Store
from simulator.transcript import Segment, read_transcript_file

COUNTS = {"question_text": 1500, "question_toml": 2000, "session_record": 2000, "session_file": 1000,
          "session_bytes": 300, "segment": 1500, "transcript_json": 800, "transcript_bytes": 400,
          "session_analyze": 600, "user_bank": 200}
EXAMPLES = sum(COUNTS.values())


def fuzz(name: str) -> Callable[[Any], Any]:
    return settings(max_examples=COUNTS[name], deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def one_line(exc: UserError) -> None:
    text = str(exc)
    assert text and "\n" not in text and "\r" not in text, repr(text)


scalars = (st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.just(10**400)
           | st.floats() | st.text(max_size=12))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=10)
seconds = st.floats(min_value=0, max_value=1e6) | st.integers(min_value=-5, max_value=10**6) | json_values


# --- question files ----------------------------------------------------------------


def toml_value(value: Any) -> str:
    """Just enough of a TOML writer for generated values (what it cannot say comes out invalid, on purpose)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return "nan" if isinstance(value, float) and math.isnan(value) else \
            ("inf" if value == math.inf else "-inf" if value == -math.inf else repr(value))
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    return "null"  # None has no TOML form


good_strings = st.text(min_size=1, max_size=30)
entries = st.fixed_dictionaries({}, optional={
    "id": st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True) | good_strings | json_values,
    "kind": st.sampled_from(["design", "experience", "quiz", ""]) | json_values,
    "title": good_strings | json_values,
    "prompt": good_strings | json_values,
    "followups": st.lists(good_strings, max_size=3) | json_values,
    "extra": json_values,
})


def bank_text(items: list[dict[str, Any]], top: Any) -> str:
    text = "".join("[[question]]\n" + "".join(f"{json.dumps(k)} = {toml_value(v)}\n" for k, v in item.items())
                   for item in items)
    return text if top is None else f"question = {toml_value(top)}\n" + text


@fuzz("question_text")
@given(st.text(max_size=300))
def test_any_text_as_a_question_file(text: str) -> None:
    try:
        questions = parse_bank(text, "mine.toml", "user")
    except UserError as exc:
        one_line(exc)
        assert "mine.toml" in str(exc)
        return
    assert all(q.id and q.kind in ("design", "experience") and q.title and q.prompt for q in questions)


@fuzz("question_toml")
@given(st.lists(entries, max_size=4), st.none() | json_values)
def test_any_table_as_a_question_file(items: list[dict[str, Any]], top: Any) -> None:
    try:
        questions = parse_bank(bank_text(items, top), "mine.toml", "user")
    except UserError as exc:
        one_line(exc)
        return
    for q in questions:
        assert isinstance(q.id, str) and q.id and not any(c.isspace() for c in q.id)
        json.dumps(q.to_json())


@fuzz("user_bank")
@given(st.lists(st.lists(entries, max_size=3), min_size=1, max_size=3))
def test_a_folder_of_question_files(files: list[list[dict[str, Any]]]) -> None:
    with tempfile.TemporaryDirectory() as home:
        folder = Path(home, "questions")
        folder.mkdir()
        for n, items in enumerate(files):
            (folder / f"q{n}.toml").write_text(bank_text(items, None), encoding="utf-8", errors="surrogatepass")
        try:
            bank = load_bank(Path(home))
        except UserError as exc:
            one_line(exc)
            return
        assert len({q.id for q in bank}) == len(bank)


# --- session.json ------------------------------------------------------------------

turns = st.fixed_dictionaries({}, optional={
    "role": st.sampled_from(["interviewer", "candidate"]) | json_values,
    "text": st.text(max_size=40) | json_values,
    "audio": st.sampled_from(["answer-01.wav", "prompt-01.wav", "../x.wav", "/etc/passwd", "", ".", "..", "a\\b",
                              "a\0b"]) | json_values,
    "start": seconds, "end": seconds,
    "target": st.sampled_from(["clarify", "scale"]) | json_values,
    "analysis": st.dictionaries(st.text(max_size=8), json_values, max_size=3) | json_values,
})
records = st.fixed_dictionaries({}, optional={
    "schema_version": st.integers(min_value=-1, max_value=3) | json_values,
    "id": st.text(max_size=30) | json_values,
    "question": st.dictionaries(st.sampled_from(["id", "kind", "text"]), st.text(max_size=20)) | json_values,
    "started_at": st.text(max_size=30) | json_values,
    "status": st.sampled_from(STATUSES) | json_values,
    "model": st.text(max_size=10) | json_values,
    "turns": st.lists(turns, max_size=4) | json_values,
    "ended_at": st.text(max_size=30) | json_values,
})


def use(record: SessionRecord) -> None:
    """What `sessions` and the reports do with a loaded record must work on anything a loader accepts."""
    json.dumps(record.to_json(), allow_nan=False)
    length = record.answer_seconds()
    TimingTargets().verdict(length)
    format_duration(length)
    for turn in record.turns:
        assert turn.audio is None or ("/" not in turn.audio and turn.audio not in ("", ".", ".."))
        assert math.isfinite(turn.start) and math.isfinite(turn.end) and turn.seconds >= 0


@fuzz("session_record")
@given(st.one_of(records, json_values))
def test_any_json_as_a_session_record(data: Any) -> None:
    try:
        record = SessionRecord.from_json(data)
    except ValueError:
        return
    use(record)


def load_file(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "session.json").write_bytes(content)
        try:
            record = SessionFolder(Path(folder)).load()
        except UserError as exc:
            one_line(exc)
            return
        use(record)


@fuzz("session_file")
@given(st.one_of(records, json_values), st.booleans())
def test_any_session_json_file(data: Any, indent: bool) -> None:
    load_file(json.dumps(data, indent=2 if indent else None).encode())


@fuzz("session_bytes")
@given(st.binary(max_size=200) | st.sampled_from([b"[" * 100000, b'{"a":' * 50000, b"\xff\xfe{}"]))
def test_any_bytes_as_session_json(content: bytes) -> None:
    load_file(content)


# --- transcripts ---------------------------------------------------------------------

words = st.fixed_dictionaries({}, optional={"word": st.text(max_size=8) | json_values, "start": seconds,
                                            "end": seconds, "probability": st.floats(0, 1) | json_values})
segments = st.fixed_dictionaries({}, optional={
    "start": seconds, "end": seconds, "text": st.text(max_size=60) | json_values,
    "words": st.lists(words, max_size=4) | json_values,
    "no_speech_prob": st.floats(0, 1) | json_values, "avg_logprob": st.floats(-5, 0) | json_values,
})
transcripts = st.one_of(st.fixed_dictionaries({"segments": st.lists(segments, max_size=5) | json_values}),
                        st.lists(segments, max_size=5), json_values)


@fuzz("segment")
@given(st.one_of(segments, json_values))
def test_any_json_as_a_segment(data: Any) -> None:
    try:
        segment = Segment.from_json(data)
    except ValueError:
        return
    assert 0 <= segment.start <= segment.end and math.isfinite(segment.end)
    assert Segment.from_json(json.loads(json.dumps(segment.to_json(), allow_nan=False))) == segment


def analyze_file(name: str, content: bytes) -> None:
    """read_transcript_file, then the whole `analyze` command on the same file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, name)
        path.write_bytes(content)
        try:
            read_transcript_file(path)
        except UserError as exc:
            one_line(exc)
        result = CliRunner().invoke(cli, ["analyze", str(path), "--json", "--home", folder])
        assert result.exit_code in (0, 2) and isinstance(result.exception, (SystemExit, type(None))), \
            (result.output, result.exception)


@fuzz("transcript_json")
@given(transcripts)
def test_any_whisper_style_json_transcript(data: Any) -> None:
    analyze_file("answer.json", json.dumps(data).encode())


@fuzz("transcript_bytes")
@given(st.sampled_from(["answer.json", "answer.txt"]), st.binary(max_size=200) | st.text(max_size=300).map(str.encode))
def test_any_bytes_as_a_transcript(name: str, content: bytes) -> None:
    analyze_file(name, content)


# --- transcript.json in a session, as `analyze SESSION` reads it ----------------------

session_transcripts = st.one_of(
    st.fixed_dictionaries({"answers": st.lists(st.fixed_dictionaries({}, optional={
        "text": st.text(max_size=60) | json_values, "segments": st.lists(segments, max_size=4) | json_values,
        "audio": json_values}), max_size=2) | json_values}, optional={"keep_fillers": json_values}),
    json_values)


@fuzz("session_analyze")
@given(session_transcripts)
def test_any_transcript_json_in_a_session(data: Any) -> None:
    with tempfile.TemporaryDirectory() as home:
        store = Store(Path(home))
        folder = store.create("url-shortener")
        folder.save(SessionRecord(id=folder.id, question={"id": "url-shortener", "kind": "design", "text": "Q"},
                                  started_at="2026-01-01T10:00:00+00:00"))
        folder.file("transcript.json").write_text(json.dumps(data))
        result = CliRunner().invoke(cli, ["analyze", folder.id, "--json", "--home", home])
        assert result.exit_code == 0, (result.output, result.exception)
        json.loads(result.stdout)


def test_the_fuzzers_try_over_ten_thousand_cases() -> None:
    assert EXAMPLES >= 10_000

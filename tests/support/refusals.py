"""A refused command, checked as the README's "When something is wrong" table promises: exit 2, one `error:`
line, no traceback, and the data folder (a saved session in it) left exactly as it was."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from simulator.audio import write_wav
from simulator.cli.main import cli
from simulator.sessions.record import SessionRecord, Transcript, TranscriptAnswer, Turn
from simulator.sessions.store import Store
from simulator.transcript import Segment

from .snapshot import snapshot

SAVED = "20260101-100000-url-shortener"


def saved_home(home: Path) -> Path:
    """A data folder holding one complete session, so a test can show it is left alone."""
    folder = Store(home).create("url-shortener", when=datetime(2026, 1, 1, 10, 0, 0, tzinfo=timezone.utc))
    assert folder.id == SAVED
    write_wav(folder.file("answer-01.wav"), np.zeros(16000, dtype=np.float32))
    folder.save(SessionRecord(id=folder.id, question={"id": "url-shortener", "kind": "design", "text": "Design it."},
                              started_at="2026-01-01T10:00:00+00:00", status="complete",
                              turns=[Turn("interviewer", "Design it.", None, 0.0, 1.0),
                                     Turn("candidate", "First I'd clarify the users.", "answer-01.wav", 1.0, 2.0)]))
    folder.save_transcript(Transcript([TranscriptAnswer("answer-01.wav", 1.0, "First I'd clarify the users.",
                                                         [Segment(0.0, 1.0, "First I'd clarify the users.")])]))
    return home


def invoke(args: list[str], home: Path, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, [*args, "--home", str(home)], input=input)


def assert_refused(result, words: str) -> str:  # type: ignore[no-untyped-def]
    """Exit 2, one `error:` line on stderr naming the problem, and no exception escaping the CLI."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert words in lines[0], lines[0]
    assert "Traceback" not in result.output
    return lines[0]


def refused(args: list[str], home: Path, words: str) -> str:
    before = snapshot(home)
    line = assert_refused(invoke(args, home), words)
    assert snapshot(home) == before, "a refused command changed the data folder"
    return line

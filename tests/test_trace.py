"""--trace: each step of hearing and replying, with its time on the session clock, in the session's trace.jsonl."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from simulator.cli.main import cli
from simulator.config import TranscribeSettings
from simulator.hearing.transcriber import WhisperTranscriber
from simulator.interviewer.interview import TRACE_FILE
from simulator.ports import TraceFile

from .support.fakes import FakeClock, WavMicrophone
from .support.interviews import FIXTURES, make, silence, talk
from .support.slow_model import EchoEngine, SlowLoader


def events(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_events_before_the_folder_exists_are_kept_and_timed_on_the_session_clock(tmp_path: Path) -> None:
    clock = FakeClock(start=100.0)
    trace = TraceFile(clock)
    trace.event("voice_start", text="Design a URL shortener.")
    clock.advance(2.5)
    trace.begin(tmp_path / "trace.jsonl", zero=101.0)
    clock.advance(0.25)
    trace.event("pause", at=np.float64(1.23456))
    trace.close()
    assert events(tmp_path / "trace.jsonl") == [
        {"t": -1.0, "event": "voice_start", "text": "Design a URL shortener."},
        {"t": 1.75, "event": "pause", "at": 1.235}]


class TwoAnswers(WavMicrophone):
    """The same answer for the walkthrough and the follow-up."""

    def chunks(self):  # type: ignore[no-untyped-def]
        self.closed = False
        yield from super().chunks()


def traced_interview(tmp_path: Path) -> tuple[list[dict[str, object]], object]:
    clock = FakeClock()
    engine = EchoEngine()
    loader = SlowLoader(engine).start()
    loader.ready.set()
    trace = TraceFile(clock)
    answer = np.concatenate([talk(), silence(7.0)])
    interview = make(tmp_path, answer, clock=clock, followups=1, trace=trace, microphone=TwoAnswers(answer, clock),
                     transcriber=WhisperTranscriber(loader, TranscribeSettings(), trace=trace))
    record = interview.run()
    return events(interview.folder.file(TRACE_FILE)), record


def test_a_traced_session_says_when_each_step_happened_and_why_the_answer_ended(tmp_path: Path) -> None:
    found, record = traced_interview(tmp_path)
    kinds = [e["event"] for e in found]
    times = [e["t"] for e in found]
    assert times == sorted(times), "one clock, in order"
    for kind in ("voice_start", "voice_end", "speech", "pause", "cut", "model_ready", "decode_start", "decode_end",
                 "answer_end", "transcribed", "followup"):
        assert kind in kinds, kind
    ended = next(e for e in found if e["event"] == "answer_end")
    assert ended["reason"] == "silence"
    pause = [e for e in found[:found.index(ended)] if e["event"] == "pause"][-1]
    assert pause["at"] == pytest.approx(len(talk()) / 16000, abs=0.11), "the last pause is where the speech stopped"
    decoded = next(e for e in found if e["event"] == "decode_end")
    assert decoded["start"] == 0.0 and decoded["end"] > pause["at"] and decoded["segments"] == 1
    chosen = next(e for e in found if e["event"] == "followup")
    asked = next(t for t in record.turns if t.kind == "followup")  # type: ignore[attr-defined]
    assert chosen["target"] == asked.target
    spoken = [e for e in found if e["event"] == "voice_start"]
    assert spoken[0]["text"].startswith("Design a URL shortener") and spoken[-1]["text"] == asked.text
    assert kinds.index("answer_end") < kinds.index("transcribed") < kinds.index("followup") < len(kinds) - kinds[::-1].index("voice_start")


def test_without_trace_the_session_folder_has_no_trace(tmp_path: Path) -> None:
    interview = make(tmp_path, np.concatenate([talk(), silence(7.0)]), followups=0)
    interview.run()
    assert not interview.folder.file(TRACE_FILE).exists()


def test_rehearse_trace_writes_the_file_and_says_so_in_help(tmp_path: Path, tiny_checkpoint: Path) -> None:
    home = tmp_path / "home"
    result = CliRunner().invoke(cli, ["rehearse", "--no-voice", "--trace", "--followups", "0", "--question",
                                      "url-shortener", "--model", str(tiny_checkpoint), "--answer-file",
                                      str(FIXTURES / "short-answer.wav"), "--decode-limit", "8", "--home", str(home)])
    assert result.exit_code == 0, result.output
    folder = next((home / "sessions").iterdir())
    found = events(folder / TRACE_FILE)
    kinds = {e["event"] for e in found}
    assert {"voice_start", "answer_end", "cut", "decode_start", "decode_end", "transcribed"} <= kinds, kinds
    assert next(e for e in found if e["event"] == "answer_end")["reason"] == "end of recording"
    assert "--trace" in CliRunner().invoke(cli, ["rehearse", "--help"]).output

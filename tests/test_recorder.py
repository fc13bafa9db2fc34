"""An answer stepped by hand, block by block, as the interview steps it: no microphone loop, no threads to wait on."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest

from simulator.audio import CHUNK_SAMPLES, AudioChunk, WavWriter
from simulator.config import ListenSettings
from simulator.hearing.endpoint import ENTER, SILENCE
from simulator.hearing.vad import VoiceActivity
from simulator.interviewer.factsheets import sheet_for
from simulator.interviewer.floor import Floor
from simulator.interviewer.recorder import AnswerRecorder, Live
from simulator.interviewer.session_log import SessionLog
from simulator.interviewer.speaker import Speaker
from simulator.sessions.record import SessionRecord, TurnKind
from simulator.sessions.store import SessionFolder
from simulator.transcript import Segment, Word

from .support.fakes import FakeClock, RecordingScreen, RecordingVoice, ScriptedTranscriber

URL = sheet_for("url-shortener", "design")
ASKED = "How many users should I plan for?"


def asked(start: float, end: float) -> Segment:
    parts = ASKED.split()
    step = (end - start) / len(parts)
    return Segment(start, end, ASKED, tuple(Word(w, start + i * step, start + (i + 1) * step)
                                            for i, w in enumerate(parts)))


def block(at: float, speech: bool) -> AudioChunk:
    return AudioChunk(np.zeros(CHUNK_SAMPLES, dtype=np.float32), round(at, 3), voice=(5 if speech else 0, 5))


def recorder(tmp_path: Path, segments: list[Segment], listen: ListenSettings = ListenSettings(end_silence=3.0),
             enter: threading.Event | None = None) -> tuple[AnswerRecorder, SessionLog, RecordingVoice]:
    clock = FakeClock()
    folder = SessionFolder(tmp_path)
    log = SessionLog(folder, SessionRecord("s1", {"id": "url-shortener", "kind": "design", "text": "Design."},
                                           "2026-01-01T00:00:00+00:00"), clock)
    voice = RecordingVoice(clock)
    live = Live(Speaker(voice, RecordingScreen(), clock), ScriptedTranscriber(segments), VoiceActivity(),
                Floor(URL), listen, enter or threading.Event())
    turn = log.open_answer("answer-01.wav")
    return AnswerRecorder(live, log, turn, WavWriter(folder.file("answer-01.wav")), 1), log, voice


def steps(rec: AnswerRecorder, pattern: list[tuple[float, bool]]) -> tuple[str | None, float]:
    """Step (seconds, speaking) stretches; why and at which answer second the answer ended."""
    at = 0.0
    for seconds, speaking in pattern:
        for _ in range(round(seconds / 0.1)):
            ended = rec.step(block(at, speaking))
            at = round(at + 0.1, 3)
            if ended:
                return ended, at
    return None, at


def test_an_answer_stepped_by_hand_gets_its_question_answered_and_ends_after_a_whole_silence(tmp_path: Path) -> None:
    rec, log, voice = recorder(tmp_path, [asked(0.2, 2.0)])
    reason, at = steps(rec, [(2.0, True), (20.0, False)])
    rec.close()
    rec.writer.close()
    assert voice.said and "hundred million" in voice.said[0], "answered at the pause"
    reply = [t for t in log.turns if t.kind == TurnKind.CLARIFICATION][0]
    assert reply.start == pytest.approx(3.0, abs=0.01)
    # the end silence counts from where the interviewer's voice (and its echo) stopped, not from the speech
    assert reason == SILENCE and at == pytest.approx(reply.end - log.turns[0].start + 0.4 + 3.0, abs=0.11)
    saved = json.loads((tmp_path / "session.json").read_text())
    assert [t["kind"] for t in saved["turns"] if t["role"] == "interviewer"] == ["clarification"]


def test_enter_ends_the_answer_at_the_next_block(tmp_path: Path) -> None:
    enter = threading.Event()
    rec, _, _ = recorder(tmp_path, [], enter=enter)
    assert steps(rec, [(1.0, True)]) == (None, 1.0)
    enter.set()
    assert rec.step(block(1.0, True)) == ENTER
    rec.close()
    rec.writer.close()

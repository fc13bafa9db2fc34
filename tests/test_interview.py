"""The loop with fakes: what lands in the session folder, and when the answer ends."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest

from simulator.audio import read_wav
from simulator.config import ListenSettings
from simulator.errors import DeviceError, UserError
from simulator.sessions.store import SessionFolder
from simulator.transcript import Segment, Transcription

from .support.fakes import (
    FakeClock,
    InterruptingVoice,
    RecordingScreen,
    RecordingVoice,
    ScriptedTranscriber,
    WavMicrophone,
)
from .support.interviews import SEGMENTS, make, seconds, silence, talk


def test_a_session_folder_holds_prompt_answer_transcript_and_record(tmp_path: Path) -> None:
    interview = make(tmp_path, np.concatenate([talk(), silence(7)]))
    record = interview.run()
    folder = interview.folder
    assert folder is not None
    names = sorted(p.name for p in folder.path.iterdir())
    assert names == ["answer-01.wav", "prompt-01.wav", "session.json", "transcript.json"]
    data = json.loads(folder.file("session.json").read_text())
    assert data["schema_version"] == 1 and data["status"] == "complete"
    assert data["question"] == {"id": "url-shortener", "kind": "design", "text": "Design a URL shortener."}
    roles = [(t["role"], t["audio"]) for t in data["turns"]]
    assert roles == [("interviewer", "prompt-01.wav"), ("candidate", "answer-01.wav")]
    prompt, answer = data["turns"]
    assert prompt["start"] == 0.0 and prompt["end"] == pytest.approx(4 * 0.4, abs=0.01)
    assert answer["start"] >= prompt["end"]
    # the answer ended 6 s (the default end silence) after the talk stopped
    assert answer["end"] - answer["start"] == pytest.approx(seconds(talk()) + 6.0, abs=0.15)
    assert answer["text"] == "First I'd clarify the scope. Who are the users?"
    transcript = json.loads(folder.file("transcript.json").read_text())
    assert transcript["answers"][0]["segments"][0]["words"][0]["word"] == "First"
    assert transcript["answers"][0]["ended_by"] == "silence"
    assert read_wav(folder.file("answer-01.wav")).seconds == pytest.approx(seconds(talk()) + 6.0, abs=0.15)
    assert record.status == "complete"


def test_a_thinking_pause_does_not_end_the_answer(tmp_path: Path) -> None:
    audio = np.concatenate([talk(), silence(3), talk(), silence(8)])
    interview = make(tmp_path, audio)
    interview.run()
    answer = interview.answers[0]
    assert answer.reason == "silence"
    assert answer.turn.seconds == pytest.approx(2 * seconds(talk()) + 3 + 6, abs=0.15)


def test_max_seconds_ends_a_long_answer(tmp_path: Path) -> None:
    interview = make(tmp_path, talk(5), ListenSettings(max_seconds=10))
    interview.run()
    assert interview.answers[0].reason == "time limit"
    assert interview.answers[0].turn.seconds == pytest.approx(10.0, abs=0.11)


def test_enter_ends_the_answer(tmp_path: Path) -> None:
    enter = threading.Event()
    clock = FakeClock()

    class PressEnterAfter(WavMicrophone):
        def chunks(self):  # type: ignore[no-untyped-def]
            for chunk in super().chunks():
                if chunk.end > 4:
                    enter.set()
                yield chunk

    interview = make(tmp_path, talk(5), enter=enter, clock=clock, microphone=PressEnterAfter(talk(5), clock))
    interview.run()
    assert interview.answers[0].reason == "enter"
    assert interview.answers[0].turn.seconds == pytest.approx(4.1, abs=0.11)


def test_ctrl_c_mid_answer_keeps_the_audio_and_saves_interrupted(tmp_path: Path) -> None:
    clock = FakeClock()
    transcriber = ScriptedTranscriber(SEGMENTS)
    interview = make(tmp_path, talk(4), clock=clock, microphone=WavMicrophone(talk(4), clock, interrupt_at=5.0),
                     transcriber=transcriber)
    with pytest.raises(KeyboardInterrupt):
        interview.run()
    assert getattr(transcriber, "closed", False), "work under way is stopped before the program exits"
    assert interview.folder is not None
    record = SessionFolder(interview.folder.path).load()
    assert record.status == "interrupted"
    assert record.turns[-1].audio == "answer-01.wav"
    assert record.turns[-1].seconds == pytest.approx(4.9, abs=0.11)
    assert read_wav(interview.folder.file("answer-01.wav")).seconds == pytest.approx(4.9, abs=0.11)


def test_a_model_that_failed_to_load_stops_before_the_candidate_talks(tmp_path: Path) -> None:
    error = UserError("The Whisper model base.en is not downloaded.")
    interview = make(tmp_path, talk(), transcriber=ScriptedTranscriber([], error=error))
    with pytest.raises(UserError):
        interview.run()
    assert interview.folder is not None
    record = SessionFolder(interview.folder.path).load()
    assert record.status == "interrupted"
    assert [t.role for t in record.turns] == ["interviewer"]


def test_a_typed_answer_needs_no_microphone_or_model(tmp_path: Path) -> None:
    clock = FakeClock()
    interview = make(tmp_path, talk(), clock=clock, microphone=None, transcriber=None,
                     typist=lambda on_line: "First I would clarify\nthe scope.")
    record = interview.run()
    answer = record.turns[-1]
    assert answer.role == "candidate" and answer.audio is None
    assert answer.text == "First I would clarify the scope."
    assert record.model is None
    assert interview.folder is not None
    assert not interview.folder.file("answer-01.wav").exists()


def test_the_interviewer_speaks_the_question_and_the_screen_shows_it(tmp_path: Path) -> None:
    voice = RecordingVoice()
    screen = RecordingScreen()
    make(tmp_path, np.concatenate([talk(), silence(7)]), voice=voice, screen=screen).run()
    assert voice.said == ["Design a URL shortener."]
    assert screen.kinds()[:3] == ["question", "listening", "answer_done"]


def test_follow_ups_aim_at_the_gaps_one_at_a_time_and_each_answer_is_kept(tmp_path: Path) -> None:
    thin = [Segment(0.0, 4.0, "I'd use Kafka and Cassandra with microservices behind a load balancer.")]
    voice = RecordingVoice()
    interview = make(tmp_path, np.concatenate([talk(), silence(7)]), voice=voice,
                     transcriber=ScriptedTranscriber(thin), followups=2)
    record = interview.run()
    roles = [t.role for t in record.turns]
    assert roles == ["interviewer", "candidate"] * 3
    followups = [t for t in record.turns[2:] if t.role == "interviewer"]
    assert followups[0].target == "clarify", "no clarification is the first gap to press on"
    assert len({t.target for t in followups}) == 2 and len({t.text for t in followups}) == 2
    assert voice.said[1:] == [t.text for t in followups]
    assert [t.audio for t in record.turns if t.role == "candidate"] == ["answer-01.wav", "answer-02.wav",
                                                                         "answer-03.wav"]
    for turn in record.turns:
        if turn.role == "candidate":
            assert turn.analysis is not None
            assert set(turn.analysis.to_json()) - {"design"} == {"kind", "steps", "mistakes", "delivery"}
    assert interview.folder is not None
    saved = json.loads(interview.folder.file("session.json").read_text())
    assert saved["turns"][2]["target"] == "clarify"
    assert saved["turns"][1]["analysis"]["steps"]["clarify"]["covered"] is False


def test_the_microphone_opens_before_each_question_and_each_answer_starts_where_its_question_ends(
        tmp_path: Path) -> None:
    """Opening a device takes a while on a busy machine: it is opened before the question is said or shown, and
    what it heard until the question was over is not the answer."""
    clock = FakeClock()
    voice = RecordingVoice(clock)
    events: list[tuple[str, int]] = []

    class Watched(WavMicrophone):
        def open_ahead(self) -> None:
            events.append(("open", len(voice.said)))

        def answer_from_now(self) -> None:
            events.append(("answer from", len(voice.said)))

        def chunks(self):  # type: ignore[no-untyped-def]
            events.append(("read", len(voice.said)))
            yield from super().chunks()

    thin = [Segment(0.0, 4.0, "I'd use Kafka and Cassandra with microservices behind a load balancer.")]
    make(tmp_path, np.concatenate([talk(), silence(7)]), voice=voice, transcriber=ScriptedTranscriber(thin),
         followups=1, clock=clock, microphone=Watched(np.concatenate([talk(), silence(7)]), clock)).run()
    assert events == [("open", 0), ("answer from", 1), ("read", 1), ("open", 1), ("answer from", 2), ("read", 2)]


def test_follow_ups_stop_when_the_recorded_answers_run_out(tmp_path: Path) -> None:
    interview = make(tmp_path, np.concatenate([talk(), silence(7)]), followups=3, answers_available=2)
    record = interview.run()
    assert [t.role for t in record.turns] == ["interviewer", "candidate"] * 2


class LaggingTranscriber(ScriptedTranscriber):
    """The last segment is still being transcribed for `lag` seconds of the fake clock after the answer ends."""

    def __init__(self, segments: list[Segment], clock: FakeClock, lag: float) -> None:
        super().__init__(segments)
        self.clock = clock
        self.lag = lag
        self.flushed_at: float | None = None

    def flush(self) -> None:
        super().flush()
        self.flushed_at = self.clock.now()

    def _done(self) -> bool:
        return self.flushed_at is not None and self.clock.now() >= self.flushed_at + self.lag

    def settle(self, timeout: float | None = None) -> bool:
        if self.flushed_at is None:
            return True
        wait = max(0.0, self.flushed_at + self.lag - self.clock.now())
        self.clock.advance(wait if timeout is None else min(wait, timeout))
        return self._done()

    def partial(self) -> list[Segment]:
        heard = super().partial()
        return heard if self._done() else heard[:-1]

    def finish(self) -> Transcription:
        self.settle()
        self.flushed_at = None
        return super().finish()


THIN_THEN_CLARIFY = [Segment(0.0, 4.0, "I'd use Kafka and Cassandra behind a load balancer."),
                     Segment(4.5, 6.0, "First let me clarify the requirements and who the users are.")]


def test_the_follow_up_is_ready_before_the_answer_ends(tmp_path: Path) -> None:
    voice = RecordingVoice()
    interview = make(tmp_path, np.concatenate([talk(), silence(7)]), voice=voice,
                     transcriber=ScriptedTranscriber(THIN_THEN_CLARIFY), followups=1)
    record = interview.run()
    assert voice.prepared, "the follow-up was chosen and rendered while the candidate talked"
    assert voice.said[1] in voice.prepared
    followup = record.turns[2]
    assert followup.target != "clarify", "the clarifying sentence was heard before the follow-up was chosen"
    assert followup.reply_latency == 0.0


def test_a_slow_last_piece_gets_an_acknowledgement_in_time_and_the_question_on_the_whole_answer(
        tmp_path: Path) -> None:
    """The end of the answer is still being transcribed when the reply is due: the interviewer says "Okay." at
    once, and asks only when every word is in, so it never presses on what the candidate just covered."""
    from simulator.judging.followups import _load

    clock = FakeClock()
    audio = np.concatenate([talk(), silence(7)])
    voice = RecordingVoice(clock)
    interview = make(tmp_path, audio, clock=clock, microphone=WavMicrophone(audio, clock), voice=voice,
                     transcriber=LaggingTranscriber(THIN_THEN_CLARIFY, clock, lag=5.0),
                     followups=1, listen=ListenSettings(reply_within=0.8))
    record = interview.run()
    ack, followup = record.turns[2], record.turns[3]
    assert ack.role == "interviewer" and ack.target is None
    assert ack.text in _load()["acknowledgements"]["phrases"] and ack.text in voice.prepared
    assert ack.reply_latency == pytest.approx(0.8, abs=1e-6)
    assert followup.target is not None and followup.target != "clarify", "the clarifying sentence was heard"
    assert followup.reply_latency == pytest.approx(5.0, abs=1e-6)
    assert record.turns[1].text.endswith("who the users are.")
    assert record.turns[4].role == "candidate", "the candidate answers the question, not the acknowledgement"
    assert interview.folder is not None
    saved = json.loads(interview.folder.file("session.json").read_text())
    assert [t["reply_latency"] for t in saved["turns"][2:4]] == pytest.approx([0.8, 5.0], abs=1e-6)


def test_a_last_piece_in_within_the_budget_gets_the_question_straight_away(tmp_path: Path) -> None:
    clock = FakeClock()
    audio = np.concatenate([talk(), silence(7)])
    interview = make(tmp_path, audio, clock=clock, microphone=WavMicrophone(audio, clock),
                     voice=RecordingVoice(clock), transcriber=LaggingTranscriber(THIN_THEN_CLARIFY, clock, lag=0.5),
                     followups=1, listen=ListenSettings(reply_within=0.8))
    record = interview.run()
    assert [t.role for t in record.turns] == ["interviewer", "candidate", "interviewer", "candidate"]
    assert record.turns[2].target != "clarify" and record.turns[2].reply_latency == pytest.approx(0.5, abs=1e-6)


def test_without_a_reply_budget_the_follow_up_waits_for_the_whole_answer(tmp_path: Path) -> None:
    clock = FakeClock()
    audio = np.concatenate([talk(), silence(7)])
    interview = make(tmp_path, audio, clock=clock, microphone=WavMicrophone(audio, clock),
                     voice=RecordingVoice(clock), transcriber=LaggingTranscriber(THIN_THEN_CLARIFY, clock, lag=5.0),
                     followups=1, listen=ListenSettings(reply_within=None))
    record = interview.run()
    assert record.turns[2].reply_latency == pytest.approx(5.0, abs=1e-6)
    assert record.turns[2].target != "clarify"


def test_stopping_during_a_follow_up_keeps_what_was_transcribed_of_the_answer(tmp_path: Path) -> None:
    clock = FakeClock()
    audio = np.concatenate([talk(), silence(7)])
    interview = make(tmp_path, audio, clock=clock, microphone=WavMicrophone(audio, clock),
                     voice=InterruptingVoice(clock, at_prompt=2), followups=1,
                     transcriber=LaggingTranscriber(THIN_THEN_CLARIFY, clock, lag=5.0))
    with pytest.raises(KeyboardInterrupt):
        interview.run()
    assert interview.folder is not None
    saved = json.loads(interview.folder.file("session.json").read_text())
    assert saved["status"] == "interrupted"
    assert saved["turns"][1]["text"] == THIN_THEN_CLARIFY[0].text
    transcript = json.loads(interview.folder.file("transcript.json").read_text())
    assert transcript["answers"][0]["text"] == THIN_THEN_CLARIFY[0].text


def reportable(folder: SessionFolder) -> list[str]:
    """What the end-of-session report prints for a saved session; it must not fail on a cut-short one."""
    from simulator.review.report import followup_lines, summarize, summary_lines, walkthrough_lines

    record = folder.load()
    summary = summarize(record)
    return (summary_lines(summary) if summary else []) + walkthrough_lines(record, False) + followup_lines(record)


@pytest.mark.parametrize("moment", ["question", "answer", "transcription", "follow-up", "follow-up answer"])
def test_ctrl_c_at_any_moment_saves_an_interrupted_reportable_session(tmp_path: Path, moment: str) -> None:
    clock = FakeClock()
    audio = np.concatenate([talk(), silence(7)])
    transcriber = ScriptedTranscriber(SEGMENTS, finish_error=KeyboardInterrupt() if moment == "transcription"
                                      else None)
    voice = InterruptingVoice(clock, at_prompt={"question": 1, "follow-up": 2}.get(moment, 0))
    mic = WavMicrophone(audio, clock, interrupt_at=2.0 if moment == "answer" else None)
    interview = make(tmp_path, audio, clock=clock, voice=voice, transcriber=transcriber, microphone=mic,
                     followups=1)
    if moment == "follow-up answer":
        original = interview.answer

        def answer_then_interrupt():  # type: ignore[no-untyped-def]
            if interview.answers:
                mic.interrupt_at = 1.0
            return original()

        interview.answer = answer_then_interrupt  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        interview.run()
    assert interview.folder is not None
    folder = SessionFolder(interview.folder.path)
    record = folder.load()
    assert record.status == "interrupted" and record.ended_at is not None
    assert transcriber.closed, "work under way is stopped before the program exits"
    assert not folder.file(".owner.lock").exists(), "the session is closed, not left for recovery"
    answers = record.answers()
    expected = {"question": 0, "answer": 1, "transcription": 1, "follow-up": 1, "follow-up answer": 2}[moment]
    assert len(answers) == expected
    for turn in answers:
        assert turn.seconds == pytest.approx(read_wav(folder.file(turn.audio or "")).seconds, abs=0.01)
    if moment in ("follow-up", "follow-up answer"):
        assert answers[0].text == "First I'd clarify the scope. Who are the users?"
        transcript = json.loads(folder.file("transcript.json").read_text())
        assert transcript["answers"][0]["text"] == answers[0].text
    reportable(folder)


def test_a_lost_input_device_keeps_and_transcribes_the_answer_then_ends_the_session(tmp_path: Path) -> None:
    clock = FakeClock()
    voice = RecordingVoice(clock)
    interview = make(tmp_path, talk(4), clock=clock, voice=voice, followups=2,
                     microphone=WavMicrophone(talk(4), clock, lost_at=5.0))
    with pytest.raises(DeviceError):
        interview.run()
    assert interview.folder is not None
    record = SessionFolder(interview.folder.path).load()
    assert record.status == "interrupted"
    [answer] = record.answers()
    assert answer.seconds == pytest.approx(4.9, abs=0.11)
    assert answer.text == "First I'd clarify the scope. Who are the users?", "the audio so far is transcribed"
    assert answer.analysis is not None
    transcript = json.loads(interview.folder.file("transcript.json").read_text())
    assert transcript["answers"][0]["ended_by"] == "input device lost"
    assert len(voice.said) == 1, "no follow-up is asked of a microphone that is gone"


def test_input_overflows_are_counted_in_the_session_and_told_once_per_answer(tmp_path: Path) -> None:
    clock = FakeClock()
    screen = RecordingScreen()
    mic = WavMicrophone(np.concatenate([talk(), silence(7)]), clock, overflow_at=(1.0, 2.5, 3.0))
    interview = make(tmp_path, talk(), clock=clock, microphone=mic, screen=screen, followups=1)
    interview.run()
    assert interview.folder is not None
    saved = json.loads(interview.folder.file("session.json").read_text())
    assert saved["input_overflows"] == 6, "three in the walkthrough and three in the follow-up answer"
    warnings = [m for kind, m in screen.events if kind == "warn"]
    assert len(warnings) == 2 and "fell behind the microphone 3 times" in warnings[0]


def test_a_clean_session_reports_no_overflows_and_no_warning(tmp_path: Path) -> None:
    screen = RecordingScreen()
    interview = make(tmp_path, np.concatenate([talk(), silence(7)]), screen=screen)
    interview.run()
    assert interview.folder is not None
    assert json.loads(interview.folder.file("session.json").read_text())["input_overflows"] == 0
    assert "warn" not in screen.kinds()


def test_each_block_is_heard_once_and_shared_by_the_endpointer_and_the_transcriber(tmp_path: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from simulator.hearing.vad import VoiceActivity

    passes = 0
    frames = VoiceActivity.frames

    def counted(self: VoiceActivity, samples: np.ndarray) -> tuple[int, int]:
        nonlocal passes
        passes += 1
        return frames(self, samples)

    monkeypatch.setattr(VoiceActivity, "frames", counted)
    fed: list[tuple[int, int] | None] = []
    transcriber = ScriptedTranscriber(SEGMENTS)
    feed = transcriber.feed
    transcriber.feed = lambda chunk: (fed.append(chunk.voice), feed(chunk))[1]  # type: ignore[method-assign]
    interview = make(tmp_path, np.concatenate([talk(), silence(7)]), transcriber=transcriber)
    interview.run()
    assert fed and None not in fed, "every block reaches the transcriber with its voice activity"
    assert passes == len(fed), "one voice-activity pass per block, not one for the endpointer and one for whisper"


def test_the_record_s_start_and_end_come_from_the_session_s_clock(tmp_path: Path) -> None:
    from datetime import datetime

    interview = make(tmp_path, np.concatenate([talk(), silence(7)]))
    record = interview.run()
    took = datetime.fromisoformat(record.ended_at) - datetime.fromisoformat(record.started_at)
    assert took.total_seconds() == pytest.approx(record.turns[-1].end, abs=1.5), \
        "the fake clock's minutes, not the instant the test took"

"""Going on after a closing sentence: within the window after "...and that's my design." the candidate's speech
stops the interviewer and the same answer goes on; after the window, noise, the interviewer's own voice or an
Enter, it does not. The whole loop with fakes: real speech audio, a quick hearing scripted on its times."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from simulator.audio import SAMPLE_RATE, AudioChunk
from simulator.interviewer.turn_end import Cue, Cues, cue_of
from simulator.interviewer.window import WITHDRAWN
from simulator.sessions.record import Role, TurnKind
from simulator.transcript import Heard, Segment, Transcription
from simulator.vocab import EndReason

from .support.fakes import BackgroundVoice, FakeClock, WavMicrophone
from .support.interviews import make, seconds, silence, talk
from .support.stand_ins import QuickHearing

CUES = Cues.load()
FIRST = "Reads hit a cache in front of the store. And that's my design."
MORE = "Actually, one more thing: we'd add a CDN."


class Hearing(QuickHearing):
    """The quick hearing of each stretch, and a transcript of the same words at the same times: what was fed."""

    def __init__(self, said: list[Heard]) -> None:
        super().__init__(said)
        self.segments = [Segment(h.start, h.speech_end, h.text, ()) for h in said]

    def finish(self) -> Transcription:
        done = Transcription(self.partial())
        self.finished += 1
        self.fed_seconds = 0.0
        return done


def spoken(pause: float, tail: np.ndarray | None = None) -> tuple[np.ndarray, Hearing, float]:
    """Speech, `pause` seconds of silence, then more speech (or `tail`), then a long silence; where the first
    speech ends."""
    speech = talk()
    first_end = seconds(speech)
    said = [Heard(0.0, first_end, FIRST)]
    more = speech if tail is None else tail
    if tail is None:
        said.append(Heard(first_end + pause, first_end + pause + seconds(more), MORE))
    audio = np.concatenate([speech, silence(pause), more, silence(12.0)])
    return audio, Hearing(said), first_end


def first_answer(folder: Path) -> tuple[dict, dict]:
    """transcript.json's and session.json's first answer."""
    ended = json.loads((folder / "transcript.json").read_text())["answers"][0]
    turn = next(t for t in json.loads((folder / "session.json").read_text())["turns"] if t["role"] == "candidate")
    return ended, turn


def test_speech_within_the_window_stops_the_voice_and_goes_on_with_the_same_answer(tmp_path: Path) -> None:
    clock = FakeClock()
    voice = BackgroundVoice(clock)
    audio, hearing, first_end = spoken(1.8)
    session = make(tmp_path, audio, transcriber=hearing, voice=voice, clock=clock,
                   microphone=WavMicrophone(audio, clock), followups=1, headphones=True)
    record = session.run()
    ended, turn = first_answer(session.folder.path)
    assert len(ended["resumed"]) == 1 and first_end + 1.0 <= ended["resumed"][0] < first_end + 3.0
    assert ended["ended_by"] == EndReason.SILENCE, "the end is worked out again when the answer finally ends"
    assert FIRST in ended["text"] and MORE in ended["text"], "one answer holds both parts"
    assert turn["end"] - turn["start"] > first_end + 1.8 + seconds(talk()), "its audio runs on past the second part"
    # the follow-up begun in the window was stopped and withdrawn; it is asked again once the answer is over
    cut = [t for t in record.turns if t.kind == TurnKind.FOLLOWUP and t.reason and WITHDRAWN in t.reason]
    assert len(cut) == 1 and cut[0].target is None and voice.playbacks[0].stopped
    asked = [t for t in record.turns if t.kind == TurnKind.FOLLOWUP and t.target is not None]
    answer = next(t for t in record.turns if t.role == Role.CANDIDATE)
    assert asked and asked[0].start >= answer.end, "the question comes after the second part"
    assert session.answers[0].resumed == ended["resumed"]


def test_speech_after_the_window_is_not_a_resume(tmp_path: Path) -> None:
    audio, hearing, first_end = spoken(4.0)
    session = make(tmp_path, audio, transcriber=hearing, followups=0)
    session.run()
    ended, turn = first_answer(session.folder.path)
    assert ended["ended_by"] == EndReason.CLOSING_CUE and ended.get("resumed", []) == []
    assert MORE not in ended["text"]
    assert turn["end"] - turn["start"] < first_end + 1.6, "the answer keeps its own length, not the window's"


def test_noise_and_a_cough_in_the_window_are_not_a_resume(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    hiss = (rng.standard_normal(SAMPLE_RATE) * 0.003).astype(np.float32)  # a fan
    keys = np.zeros(SAMPLE_RATE, dtype=np.float32)  # typing
    for at in range(0, SAMPLE_RATE, int(0.15 * SAMPLE_RATE)):
        keys[at:at + 80] = rng.uniform(-0.3, 0.3, 80)
    cough = talk()[:int(0.2 * SAMPLE_RATE)]
    audio, hearing, first_end = spoken(1.3, tail=np.concatenate([hiss, keys, cough]))
    clock = FakeClock()
    voice = BackgroundVoice(clock)
    session = make(tmp_path, audio, transcriber=hearing, voice=voice, clock=clock,
                   microphone=WavMicrophone(audio, clock), followups=1, headphones=True)
    record = session.run()
    ended, _ = first_answer(session.folder.path)
    assert ended["ended_by"] == EndReason.CLOSING_CUE and ended.get("resumed", []) == []
    assert not any(p.stopped for p in voice.playbacks), "the question plays on"
    asked = [t for t in record.turns if t.kind == TurnKind.FOLLOWUP]
    assert len(asked) == 1 and asked[0].target is not None and not (asked[0].reason or "").count(WITHDRAWN)


def test_through_speakers_the_interviewers_own_voice_is_not_a_resume(tmp_path: Path) -> None:
    """The question, coming back through the speakers into the microphone while it plays, is not the candidate."""
    clock = FakeClock()
    voice = BackgroundVoice(clock)
    echo = talk()
    audio, hearing, first_end = spoken(1.6, tail=echo[:int(1.5 * SAMPLE_RATE)])
    session = make(tmp_path, audio, transcriber=hearing, voice=voice, clock=clock,
                   microphone=WavMicrophone(audio, clock), followups=1, headphones=False)
    record = session.run()
    ended, _ = first_answer(session.folder.path)
    follow = next(t for t in record.turns if t.kind == TurnKind.FOLLOWUP)
    answer = next(t for t in record.turns if t.role == Role.CANDIDATE)
    assert follow.start - answer.start <= first_end + 1.6, "the question was playing when the echo came"
    assert ended.get("resumed", []) == [] and ended["ended_by"] == EndReason.CLOSING_CUE
    assert not voice.playbacks[0].stopped and follow.target is not None


class EnterAt(WavMicrophone):
    """Enter pressed at a second of the answer (the first answer only)."""

    def __init__(self, audio: np.ndarray, clock: FakeClock, enter: threading.Event, at: float) -> None:
        super().__init__(audio, clock)
        self.enter, self.at, self.opened = enter, at, 0

    def chunks(self) -> Iterator[AudioChunk]:
        self.opened += 1
        for chunk in super().chunks():
            if self.opened == 1 and chunk.timestamp >= self.at:
                self.enter.set()
            yield chunk


def test_no_resume_after_an_answer_ended_with_enter(tmp_path: Path) -> None:
    clock = FakeClock()
    enter = threading.Event()
    audio, hearing, first_end = spoken(1.8)
    session = make(tmp_path, audio, transcriber=hearing, clock=clock, enter=enter,
                   microphone=EnterAt(audio, clock, enter, first_end + 0.3), followups=0)
    session.run()
    ended, turn = first_answer(session.folder.path)
    assert ended["ended_by"] == EndReason.ENTER and ended.get("resumed", []) == []
    assert MORE not in ended["text"] and turn["end"] - turn["start"] < first_end + 0.6


def test_a_window_of_nought_ends_on_the_closing_sentence_for_good(tmp_path: Path) -> None:
    from simulator.config import TurnOptions

    audio, hearing, first_end = spoken(1.8)
    session = make(tmp_path, audio, transcriber=hearing, followups=0)
    session.turns = TurnOptions(resume_window=0.0)
    session.run()
    ended, _ = first_answer(session.folder.path)
    assert ended["ended_by"] == EndReason.CLOSING_CUE and ended.get("resumed", []) == []


def test_a_sentence_that_ends_on_a_way_of_going_on_holds_the_answer() -> None:
    for sentence in ("That's my design. Oh, and one more thing.", "That's it. Actually.", "So that's it. Wait."):
        assert cue_of(sentence, CUES) is Cue.HOLDING, sentence
    assert cue_of("That's my design.", CUES) is Cue.CLOSING
    assert cue_of("Actually, one more thing: we'd add a CDN.", CUES) is not Cue.HOLDING, "it goes on, then ends"


def test_the_report_says_the_answer_went_on_after_a_closing_sentence(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from simulator.cli.main import cli
    from simulator.review.html import render
    from simulator.review.review import build_review
    from simulator.sessions.store import SessionFolder

    clock = FakeClock()
    audio, hearing, _ = spoken(1.8)
    session = make(tmp_path, audio, transcriber=hearing, voice=BackgroundVoice(clock), clock=clock,
                   microphone=WavMicrophone(audio, clock), followups=0, headphones=True)
    session.run()
    review = build_review(SessionFolder(session.folder.path).read())
    said = "ended by a long silence; went on once after a closing sentence (\"Actually, one more thing: we'd add a CDN.\")"
    assert review.answers[0].how_ended == said
    page = render(review)
    assert "went on once after a closing sentence" in page and "one more thing" in page
    out = CliRunner().invoke(cli, ["report", "last", "--home", str(tmp_path)], env={"COLUMNS": "250"}).output
    assert "went on once after a closing sentence" in out, out


class SlowHearing(Hearing):
    """The last words still being transcribed for `lag` seconds of the fake clock after the answer ends."""

    def __init__(self, said: list[Heard], clock: FakeClock, lag: float) -> None:
        super().__init__(said)
        self.clock, self.lag = clock, lag
        self.flushed_at: float | None = None

    def flush(self) -> None:
        super().flush()
        self.flushed_at = self.clock.now() if self.flushed_at is None else self.flushed_at

    def settle(self, timeout: float | None = None) -> bool:
        if self.flushed_at is None:
            return True
        wait = max(0.0, self.flushed_at + self.lag - self.clock.now())
        self.clock.advance(wait if timeout is None else min(wait, timeout))
        return self.clock.now() >= self.flushed_at + self.lag

    def finish(self) -> Transcription:
        self.settle()
        self.flushed_at = None
        return super().finish()


def test_a_slow_transcript_gets_one_acknowledgement_in_the_window_and_the_question_after_it(tmp_path: Path) -> None:
    clock = FakeClock()
    audio, _, first_end = spoken(6.0, tail=silence(0.1))
    hearing = SlowHearing([Heard(0.0, first_end, FIRST)], clock, lag=3.0)
    session = make(tmp_path, audio, transcriber=hearing, voice=BackgroundVoice(clock), clock=clock,
                   microphone=WavMicrophone(audio, clock), followups=1, answers_available=2)
    record = session.run()
    first_reply = record.turns[2:4]
    assert [t.kind for t in first_reply] == [TurnKind.ACKNOWLEDGEMENT, TurnKind.FOLLOWUP], record.turns
    assert first_reply[0].reply_latency is not None and first_reply[0].reply_latency < 1.0, "said in the window"
    assert first_reply[1].target is not None


def test_the_trace_says_when_the_answer_ended_the_follow_up_was_chosen_and_the_answer_went_on(tmp_path: Path) -> None:
    from simulator.ports import TraceFile

    clock = FakeClock()
    audio, hearing, first_end = spoken(1.8)
    session = make(tmp_path, audio, transcriber=hearing, voice=BackgroundVoice(clock), clock=clock,
                   microphone=WavMicrophone(audio, clock), followups=1, headphones=True, trace=TraceFile(clock))
    session.run()
    events = [json.loads(line) for line in (session.folder.path / "trace.jsonl").read_text().splitlines()]
    names = [e["event"] for e in events]
    first_end_event = names.index("answer_end")
    assert events[first_end_event]["reason"] == EndReason.CLOSING_CUE and events[first_end_event]["window"] == 2.0
    assert events[first_end_event]["read_in"] == "quick hearing" and "design" in events[first_end_event]["words"]
    assert names[first_end_event:].index("followup") < names[first_end_event:].index("resumed"), names
    resumed = next(e for e in events if e["event"] == "resumed")
    assert resumed["stopped"] is True and resumed["at"] < first_end + 3.0
    final = names.index("answer_end", names.index("resumed"))
    assert events[final]["reason"] == EndReason.SILENCE, "the answer that went on ends once more, for its own reason"


class HeardAhead(SlowHearing):
    """A slow transcript, but the quick hearing has the last words: the draft is what it heard."""

    def draft(self, timeout: float | None = 0) -> list[Segment] | None:
        if self.flushed_at is None or self.settle(0):
            return self.partial()
        return [Segment(h.start, h.speech_end, h.text) for h in self.said if h.speech_end <= self.fed_seconds]


def test_a_slow_transcript_does_not_hold_the_question_once_the_last_words_are_heard(tmp_path: Path) -> None:
    clock = FakeClock()
    audio, _, first_end = spoken(6.0, tail=silence(0.1))
    hearing = HeardAhead([Heard(0.0, first_end, FIRST)], clock, lag=3.0)
    session = make(tmp_path, audio, transcriber=hearing, voice=BackgroundVoice(clock), clock=clock,
                   microphone=WavMicrophone(audio, clock), followups=1, answers_available=2)
    record = session.run()
    first_reply = record.turns[2]
    assert first_reply.kind == TurnKind.FOLLOWUP and first_reply.target is not None, record.turns
    assert first_reply.reply_latency is not None and first_reply.reply_latency < 0.5, "no wait for the last piece"
    ended, _ = first_answer(session.folder.path)
    assert ended["text"] == FIRST, "the saved transcript is the decoding's, once it is in"


def test_after_a_long_silence_too_the_question_comes_on_the_last_words_heard(tmp_path: Path) -> None:
    clock = FakeClock()
    audio, _, first_end = spoken(7.0, tail=silence(0.1))
    plain = "Reads hit a cache in front of the store."
    hearing = HeardAhead([Heard(0.0, first_end, plain)], clock, lag=3.0)
    session = make(tmp_path, audio, transcriber=hearing, voice=BackgroundVoice(clock), clock=clock,
                   microphone=WavMicrophone(audio, clock), followups=1, answers_available=2)
    record = session.run()
    ended, _ = first_answer(session.folder.path)
    assert ended["ended_by"] == EndReason.SILENCE
    first_reply = record.turns[2]
    assert first_reply.kind == TurnKind.FOLLOWUP and first_reply.target is not None, record.turns
    assert first_reply.reply_latency is not None and first_reply.reply_latency < 0.5, "no wait for the last piece"
    assert ended["text"] == plain


def test_the_microphone_opens_for_the_reply_before_the_last_answer_s_transcript_is_in(tmp_path: Path) -> None:
    """Asked on the last words as heard, with no voice to cover the wait: the reply's first words are recorded
    while the answer before it is still being transcribed, and both transcripts are whole."""
    clock = FakeClock()
    audio, _, first_end = spoken(7.0, tail=silence(0.1))
    plain = "Reads hit a cache in front of the store."
    hearing = HeardAhead([Heard(0.0, first_end, plain)], clock, lag=3.0)
    opened: list[int] = []  # answers finished when the microphone gave each answer's first block

    class Watched(WavMicrophone):
        def chunks(self) -> Iterator[AudioChunk]:
            first = True
            for chunk in super().chunks():
                if first:
                    opened.append(hearing.finished)
                    first = False
                yield chunk

    session = make(tmp_path, audio, transcriber=hearing, voice=BackgroundVoice(clock), clock=clock,
                   microphone=Watched(audio, clock), followups=1, answers_available=2)
    session.run()
    assert opened == [0, 0], "the reply was listened to from its first block, the answer before still finishing"
    assert [a.turn.text for a in session.answers][0] == plain and all(a.transcribed for a in session.answers)

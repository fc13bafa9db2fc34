"""The loop as a conversation, with fakes: the interviewer answers a question asked mid-answer, the
recording goes on under it, and the session holds the dialogue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from simulator.audio import read_wav
from simulator.interviewer.interview import Interview
from simulator.sessions.record import SessionRecord, Turn, TurnKind
from simulator.sessions.store import Store
from simulator.transcript import Heard, Segment, Word

from .support.fakes import FakeClock, RecordingScreen, RecordingVoice, ScriptedTranscriber, WavMicrophone
from .support.interviews import QUESTION, seconds, silence, talk
from .support.interviews import interview as build


def said(text: str, start: float, end: float) -> Segment:
    parts = text.split()
    step = (end - start) / len(parts)
    return Segment(start, end, text, tuple(Word(w, start + i * step, start + (i + 1) * step)
                                           for i, w in enumerate(parts)))


def run(tmp_path: Path, audio: np.ndarray, segments: list[Segment], transcriber: type = ScriptedTranscriber,
        voice: type = RecordingVoice, **kw: object) -> tuple[Interview, Any]:
    clock = FakeClock()
    speaker = voice(clock)
    interview = build(store=Store(tmp_path), question=QUESTION, voice=speaker,
                          transcriber=transcriber(segments), clock=clock, screen=RecordingScreen(),
                          microphone=WavMicrophone(audio, clock), model_name="tiny.pt", **kw)  # type: ignore[arg-type]
    interview.run()
    return interview, speaker


GOING_ON = "Okay so I will assume that and start with the API."


def asked_and_went_on(pause: float = 2.0, going_on: str = GOING_ON, asked: str = "Do we need custom aliases?"
                      ) -> tuple[np.ndarray, list[Segment], float]:
    """The candidate asks, pauses, and goes on: the audio, what it says, and when the question ends."""
    speech = talk()
    first = seconds(speech)
    audio = np.concatenate([speech, silence(pause), speech, silence(7.0)])
    return audio, [said(asked, 0.2, first - 0.1), said(going_on, first + pause + 0.2, 2 * first + pause - 0.1)], first


def test_a_question_and_a_pause_get_the_sheets_answer_and_the_answer_goes_on(tmp_path: Path) -> None:
    audio, segments, first = asked_and_went_on(asked="How many users should I plan for? And do we need custom aliases?")
    interview, voice = run(tmp_path, audio, segments)
    assert len(voice.said) == 2
    assert "hundred million new links" in voice.said[1] and "Custom aliases, yes" in voice.said[1]

    record = interview.record
    prompt, answer, clarification = record.turns
    assert clarification.kind == TurnKind.CLARIFICATION and clarification.role == "interviewer"
    assert clarification.reason == 'asked: "How many users should I plan for? And do we need custom aliases?"'
    assert clarification.audio == "prompt-02.wav"
    # inside the answer, on its clock: about a second after the candidate stopped
    assert answer.start < clarification.start < answer.end
    assert clarification.start - answer.start == pytest.approx(first + 1.0, abs=0.25)
    assert clarification.reply_latency == pytest.approx(1.0, abs=0.25)
    # the recording is whole, and the answer heard every word on both sides of the reply
    assert read_wav(interview.folder.file("answer-01.wav")).seconds == pytest.approx(seconds(audio), abs=0.05)
    assert "start with the API" in answer.text

    saved = json.loads(interview.folder.file("session.json").read_text())
    assert [t.get("kind") for t in saved["turns"]] == ["prompt", None, "clarification"]


class QuickEar(ScriptedTranscriber):
    """A transcript a whole answer behind, as a slow model's would be, and a quick hearing that keeps up."""

    def partial(self) -> list[Segment]:
        return []

    def heard(self, since: float) -> Heard | None:
        said = [s for s in self.segments if s.end <= self.fed_seconds and s.end > since]
        return Heard(said[0].start, said[-1].end + 0.1, " ".join(s.text for s in said)) if said else None


class Lagging(QuickEar):
    def heard(self, since: float) -> Heard | None:
        return None


def test_a_question_heard_quickly_is_answered_at_the_pause_though_the_transcript_lags(tmp_path: Path) -> None:
    audio, segments, _ = asked_and_went_on()

    def clarifications(transcriber: type, home: Path) -> list[Turn]:
        interview, _ = run(home, audio, segments, transcriber=transcriber)
        return [t for t in interview.record.turns if t.kind == TurnKind.CLARIFICATION]

    quick = clarifications(QuickEar, tmp_path / "quick")
    assert len(quick) == 1 and "Custom aliases, yes" in quick[0].text
    assert quick[0].reply_latency == pytest.approx(1.0, abs=0.25)
    assert clarifications(Lagging, tmp_path / "slow") == [], "the transcript alone never caught up"


class SlowEar(QuickEar):
    """A quick hearing on a busy machine: each sentence heard 8 s after it was said, past the 6 s silence."""

    probing = True
    LAG = 8.0

    def heard(self, since: float) -> Heard | None:
        said = [s for s in self.segments if s.end + self.LAG <= self.fed_seconds and s.end > since]
        return Heard(said[0].start, said[-1].end + 0.1, " ".join(s.text for s in said)) if said else None


def test_a_question_heard_after_the_long_silence_is_still_answered_before_the_answer_ends(tmp_path: Path) -> None:
    """Its words come in when the silence has already run out: the answer is held until they are heard, and
    the question then gets its reply rather than the end of the answer."""
    speech = talk()
    first = seconds(speech)
    audio = np.concatenate([speech, silence(25.0)])
    interview, voice = run(tmp_path, audio, [said("How many users should I plan for?", 0.2, first - 0.1)],
                           transcriber=SlowEar)
    replies = [t for t in interview.record.turns if t.kind == TurnKind.CLARIFICATION]
    assert len(replies) == 1 and "hundred million" in replies[0].text, interview.record.turns
    answer = interview.record.turns[1]
    assert replies[0].start - answer.start == pytest.approx(first - 0.1 + SlowEar.LAG, abs=0.3)


def test_a_question_gone_straight_on_from_gets_no_answer(tmp_path: Path) -> None:
    audio, segments, _ = asked_and_went_on(0.3, "The database, because every redirect reads it.", "What breaks first?")
    interview, voice = run(tmp_path, audio, segments)
    assert voice.said == [QUESTION.prompt]
    assert [t.kind for t in interview.record.turns if t.role == "interviewer"] == [TurnKind.PROMPT]


def test_the_answer_ends_a_whole_silence_after_the_interviewer_stops(tmp_path: Path) -> None:
    """The reply takes seconds of the pause; the answer is not over until the candidate has had the end
    silence after it."""
    speech = talk()
    first = seconds(speech)
    audio = np.concatenate([speech, silence(25.0)])
    segments = [said("How many users should I plan for?", 0.2, first - 0.1)]
    interview, voice = run(tmp_path, audio, segments)
    clarification = interview.record.turns[2]
    answer = interview.record.turns[1]
    assert answer.end - answer.start == pytest.approx(
        clarification.end - answer.start + 0.4 + 6.0, abs=0.25)


def test_a_typed_question_gets_a_printed_answer_and_typing_goes_on(tmp_path: Path) -> None:
    clock = FakeClock()
    screen = RecordingScreen()

    def typist(on_line):  # type: ignore[no-untyped-def]
        lines = ["Do we need custom aliases?", "Then I would start with the API."]
        for line in lines:
            on_line(line)
        return "\n".join(lines)

    interview = build(store=Store(tmp_path), question=QUESTION, voice=RecordingVoice(clock), transcriber=None,
                          clock=clock, screen=screen, typist=typist)
    record = interview.run()
    assert ("question", "Custom aliases, yes, but only as an option; most links get a generated code.") in screen.events
    kinds = [t.kind for t in record.turns]
    assert kinds == [TurnKind.PROMPT, None, TurnKind.CLARIFICATION]
    assert record.turns[1].text == "Do we need custom aliases? Then I would start with the API."


def test_old_sessions_without_kinds_read_with_kinds_inferred() -> None:
    data = {"id": "x", "question": {"id": "url-shortener", "kind": "design", "text": "q"}, "started_at": "now",
            "turns": [{"role": "interviewer", "text": "q", "audio": None, "start": 0, "end": 1},
                      {"role": "candidate", "text": "a", "audio": None, "start": 1, "end": 2},
                      {"role": "interviewer", "text": "Okay.", "audio": None, "start": 2, "end": 3},
                      {"role": "interviewer", "text": "Why?", "audio": None, "start": 3, "end": 4,
                       "target": "data"}]}
    record = SessionRecord.from_json(data)
    assert [t.kind for t in record.turns] == [TurnKind.PROMPT, None, TurnKind.ACKNOWLEDGEMENT, TurnKind.FOLLOWUP]


def test_report_page_and_replay_show_the_dialogue_in_order_with_reasons(tmp_path: Path) -> None:
    from rich.console import Console

    from simulator.review.html import render
    from simulator.review.report import print_report
    from simulator.review.review import build_review

    audio, segments, _ = asked_and_went_on()
    interview, _ = run(tmp_path, audio, segments)
    review = build_review(interview.folder.read())
    texts = [line.text for line in review.lines]
    reply = "Custom aliases, yes, but only as an option; most links get a generated code."
    assert texts.index("Do we need custom aliases?") < texts.index(reply) < texts.index(
        "Okay so I will assume that and start with the API.")
    console = Console(record=True, width=200)
    print_report(console, review)
    out = console.export_text()
    assert "Dialogue" in out and "interviewer clarification: " + reply in out
    assert 'why: asked: "Do we need custom aliases?"' in out
    page = render(review)
    assert 'id="dialogue"' in page and "clarification" in page and "asked: &quot;Do we need custom aliases?&quot;" in page
    assert review.walkthrough is not None and review.walkthrough.analysis is not None
    assert review.walkthrough.analysis.steps["clarify"].evidence == "Do we need custom aliases?"


def test_with_headphones_talking_over_the_interviewer_stops_it_at_once(tmp_path: Path) -> None:
    from .support.fakes import BackgroundVoice

    # the candidate asks, waits a second for the reply, then talks over it half a second into it
    audio, segments, first = asked_and_went_on(1.5, "Sorry, go on, I will assume we do and start with the API.")
    interview, voice = run(tmp_path, audio, segments, voice=BackgroundVoice, headphones=True)
    record = interview.record
    reply = record.turns[2]
    assert reply.kind == TurnKind.CLARIFICATION and voice.playbacks[0].stopped
    answer = record.turns[1]
    cut_at = reply.end - answer.start
    assert cut_at == pytest.approx(first + 1.5 + 0.2, abs=0.15)  # two blocks of speech over it, then stopped
    assert "stopped when the candidate spoke over it" in (reply.reason or "")
    assert "start with the API" in answer.text  # nothing the candidate said over it was lost


def test_through_speakers_the_interviewer_is_not_stopped_and_its_echo_is_not_heard(tmp_path: Path) -> None:
    from .support.fakes import BackgroundVoice

    speech = talk()
    first = seconds(speech)
    echo = speech[: int(3.0 * 16000)]  # the voice coming back: speech while it plays, and only then
    audio = np.concatenate([speech, silence(1.5), echo, silence(25.0)])
    segments = [said("Do we need custom aliases?", 0.2, first - 0.1)]
    interview, voice = run(tmp_path, audio, segments, voice=BackgroundVoice)
    record = interview.record
    reply = record.turns[2]
    assert not voice.playbacks[0].stopped
    assert reply.seconds == pytest.approx(voice.playbacks[0].clip.seconds, abs=0.01)
    # the speech under the voice was the voice coming back: the answer ends a whole silence after the voice,
    # not after that "speech"
    answer = record.turns[1]
    assert answer.end - answer.start == pytest.approx(reply.end - answer.start + 0.4 + 6.0, abs=0.25)


def test_replay_plays_the_reply_inside_the_answer_at_its_time(tmp_path: Path) -> None:
    from simulator.review.replay import Replayer, plan_replay
    from simulator.review.review import build_review

    from .support.fakes import RecordingPlayer

    audio, segments, _ = asked_and_went_on()
    interview, _ = run(tmp_path, audio, segments)
    plan = plan_replay(build_review(interview.folder.read()))
    shown: list[str] = []
    clock = FakeClock()
    player = RecordingPlayer(clock)
    Replayer(plan, player=player, clock=clock, show=shown.append).run()
    said_lines = [line.split(": ", 1)[1] for line in shown if ": " in line and line.startswith("[")]
    reply = "(clarification) Custom aliases, yes, but only as an option; most links get a generated code."
    assert said_lines.index("Do we need custom aliases?") < said_lines.index(reply) < said_lines.index(
        "Okay so I will assume that and start with the API.")
    assert len(player.played) == 2  # the question, then the answer with the reply laid over it: never twice

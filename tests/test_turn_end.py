"""When an answer is finished, heard in its last words: closing and holding cues, the gentle prompt into a long
silence, stepped by hand with a quick hearing that has the words a few blocks after each pause."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from simulator.audio import CHUNK_SAMPLES, AudioChunk, WavWriter
from simulator.config import ListenSettings, TurnOptions
from simulator.hearing.endpoint import CLOSING_CUE, SILENCE
from simulator.hearing.probe import heard_since
from simulator.hearing.vad import VoiceActivity
from simulator.interviewer.factsheets import sheet_for
from simulator.interviewer.floor import Floor
from simulator.interviewer.recorder import AnswerRecorder, Live
from simulator.interviewer.session_log import SessionLog
from simulator.interviewer.speaker import Speaker
from simulator.interviewer.turn_end import Cue, Cues, cue_of, turn_options
from simulator.sessions.record import SessionRecord, TurnKind
from simulator.sessions.store import SessionFolder
from simulator.transcript import Heard
from simulator.vocab import EndReason

from .support.fakes import FakeClock, RecordingScreen, RecordingVoice
from .support.stand_ins import QuickHearing

CUES = Cues.load()
PROBE_SECONDS = QuickHearing.probe_lag  # the quick hearing's text arrives this long after the speech stopped
LISTEN = ListenSettings(end_silence=6.0)
LISTEN_PATIENCE = turn_options("standard").patience


def block(at: float, speech: bool) -> AudioChunk:
    return AudioChunk(np.zeros(CHUNK_SAMPLES, dtype=np.float32), round(at, 3), voice=(5 if speech else 0, 5))


class MisHearing(QuickHearing):
    """The quick hearing mishears the last sentence; the transcript made ahead has it right, `lag` seconds after
    the speech stopped."""

    def __init__(self, said: list[Heard], misheard: str, lag: float) -> None:
        super().__init__(said)
        self.misheard, self.lag = misheard, lag

    def heard(self, since: float) -> Heard | None:
        heard = super().heard(since)
        if heard is None or heard.speech_end < self.said[-1].speech_end:
            return heard
        return Heard(heard.start, heard.speech_end, heard.text.replace(self.said[-1].text, self.misheard))

    def written(self, since: float) -> Heard | None:
        ready = [h for h in self.said if h.speech_end + self.lag <= self.fed_seconds]
        return heard_since(ready, since)


class Rehearing(MisHearing):
    """...and heard again with the sentence before it, `wide` seconds after the speech stopped, it is right."""

    def __init__(self, said: list[Heard], misheard: str, lag: float, wide: float) -> None:
        super().__init__(said, misheard, lag)
        self.wide = wide
        self.asked: list[float] = []

    def rehear(self, until: float) -> Heard | None:
        if until not in self.asked:
            self.asked.append(until)
        ready = [h for h in self.said if h.speech_end <= until and until + self.wide <= self.fed_seconds]
        return heard_since(ready[-2:], 0.0) if ready else None


def answer(tmp_path: Path, script: list[tuple[str, float, float]], persona: str = "standard",
           enter: threading.Event | None = None,
           hearing: Callable[[list[Heard]], QuickHearing] = QuickHearing) -> tuple[str | None, float, SessionLog]:
    """Speak `script` (words, seconds spoken, pause after) into a recorder; why and when the answer ended."""
    said, at = [], 0.5
    for words, seconds, pause in script:
        said.append(Heard(at, at + seconds, words))
        at += seconds + pause
    clock = FakeClock()
    tmp_path.mkdir(parents=True, exist_ok=True)
    folder = SessionFolder(tmp_path)
    log = SessionLog(folder, SessionRecord("s1", {"id": "url-shortener", "kind": "design", "text": "Design."},
                                           "2026-01-01T00:00:00+00:00"), clock)
    heard = hearing(said)
    live = Live(Speaker(RecordingVoice(clock), RecordingScreen(), clock), heard, VoiceActivity(),
                Floor(sheet_for("url-shortener", "design")), LISTEN, enter or threading.Event(),
                turns=turn_options(persona))
    turn = log.open_answer("answer-01.wav")
    rec = AnswerRecorder(live, log, turn, WavWriter(folder.file("answer-01.wav")), 2)
    t = 0.0
    try:
        while t < at + 60.0:
            speaking = any(h.start <= t < h.speech_end for h in said)
            ended = rec.step(block(t, speaking)) or (CLOSING_CUE if rec.announced else None)
            t = round(t + 0.1, 3)
            if ended:  # a closing sentence's end is decided when the window after it opens (test_resume_window)
                return ended, t - said[-1].speech_end, log
        return None, t, log
    finally:
        rec.close()
        rec.writer.close()


@pytest.mark.parametrize("sentence", [
    "So to sum up, stateless servers, a sharded store and a cache. And that's my design.",
    "That's the high-level picture.", "I think that covers it.", "I'll stop there.", "Any questions?",
    "Does that answer your question?", "That is it, really.",
    "So to summarise, a durable job table, leased claims and retrying workers."])
def test_a_closing_sentence_is_heard_as_the_end(sentence: str) -> None:
    assert cue_of(sentence, CUES) is Cue.CLOSING


@pytest.mark.parametrize("sentence", [
    "Hmm, let me think about the cache for a second.", "Give me a second to work out the numbers.",
    "Messages go into a queue per conversation, and", "Each request increments the counter, so",
    "The balance is derived from it, because...", "So, um,", "That's it for the write path, and"])
def test_a_holding_sentence_keeps_the_turn(sentence: str) -> None:
    assert cue_of(sentence, CUES) is Cue.HOLDING


@pytest.mark.parametrize("sentence", [
    "That's it for the write path.", "Writes go to a key value store, keyed by the short code.",
    "How many users should I plan for?", "The job is done when every worker reports back.", ""])
def test_a_sentence_that_says_neither_waits_for_the_long_silence(sentence: str) -> None:
    assert cue_of(sentence, CUES) is Cue.NONE


def test_a_closing_sentence_ends_the_answer_after_about_a_second(tmp_path: Path) -> None:
    reason, wait, log = answer(tmp_path, [("Writes go to a sharded store.", 2.0, 2.0),
                                          ("So to sum up, a store and a cache. And that's my design.", 3.0, 0.0)])
    assert reason == CLOSING_CUE == EndReason.CLOSING_CUE
    assert wait == pytest.approx(1.0, abs=0.15), "well before the 6 s silence"
    assert not [t for t in log.turns if t.kind == TurnKind.SILENCE_PROMPT]


def test_a_closing_sentence_whose_words_come_late_ends_the_answer_when_they_come(tmp_path: Path) -> None:
    QuickHearing.probe_lag, before = 1.8, QuickHearing.probe_lag
    try:
        reason, wait, _ = answer(tmp_path, [("I'll stop there.", 1.0, 0.0)])
    finally:
        QuickHearing.probe_lag = before
    assert reason == CLOSING_CUE and wait == pytest.approx(1.8, abs=0.15)


def test_a_closing_sentence_the_quick_hearing_misheard_ends_the_answer_when_the_transcript_has_it(
        tmp_path: Path) -> None:
    """"And that's my design." heard alone as "and a smideyline.": the buffer transcribed ahead at the pause has
    it right 3 s later, and the answer ends then, not after the 6 s silence."""
    script = [("Writes go to a sharded store.", 2.0, 1.0), ("And that's my design.", 1.3, 0.0)]
    reason, wait, _ = answer(tmp_path, script, hearing=lambda said: MisHearing(said, "and a smideyline.", 3.0))
    assert reason == CLOSING_CUE and wait == pytest.approx(3.0, abs=0.15)
    reason, wait, _ = answer(tmp_path / "holding", [("Writes go to a sharded store.", 2.0, 1.0),
                                                    ("Let me think about the cache.", 1.3, 0.0)],
                             hearing=lambda said: MisHearing(said, "let me sing about the cash.", 3.0))
    assert reason == SILENCE and wait >= LISTEN_PATIENCE, "held past the 6 s silence by the transcript's words"


def test_a_short_closing_sentence_misheard_alone_ends_the_answer_once_heard_with_the_sentence_before_it(
        tmp_path: Path) -> None:
    """base heard espeak-ng's "And that's my design." alone as "And a smite design.", and with the sentence
    before it right: that rehearing is in well before the transcript made ahead (3 s here)."""
    script = [("Writes go to a sharded store.", 2.0, 1.0), ("And that's my design.", 1.3, 0.0)]
    hearings: list[Rehearing] = []

    def hearing(said: list[Heard]) -> Rehearing:
        hearings.append(Rehearing(said, "And a smite design.", 3.0, 0.8))
        return hearings[-1]

    reason, wait, _ = answer(tmp_path, script, hearing=hearing)
    assert reason == CLOSING_CUE and wait == pytest.approx(TurnOptions().closing_pause, abs=0.15)
    assert hearings[0].asked == [pytest.approx(2.5), pytest.approx(4.8)], "once for each short sentence's pause"
    script = [("Writes go to a sharded store.", 2.0, 1.0), ("Let me think about the cache.", 1.3, 0.0)]
    reason, wait, _ = answer(tmp_path / "holding", script, hearing=lambda said: Rehearing(
        said, "let me sing about the cash.", 30.0, 0.8))
    assert reason == SILENCE and wait >= LISTEN_PATIENCE, "held past the 6 s silence by the words heard again"


def test_a_short_closing_sentence_misheard_alone_as_an_unfinished_one_ends_the_answer_once_heard_again(
        tmp_path: Path) -> None:
    """base heard espeak-ng's "And that's my design." alone as "and a smithess I.", which reads as a sentence cut
    off after "I": a holding cue, once the end of a 10-minute answer's hearing. Heard again with the sentence
    before it, it is the closing sentence it was; a real holding sentence heard again stays holding."""
    script = [("Writes go to a sharded store.", 2.0, 1.0), ("And that's my design.", 1.3, 0.0)]
    reason, wait, _ = answer(tmp_path, script, hearing=lambda said: Rehearing(said, "and a smithess I.", 30.0, 0.8))
    assert reason == CLOSING_CUE and wait == pytest.approx(TurnOptions().closing_pause, abs=0.15)
    reason, wait, _ = answer(tmp_path / "written", script, hearing=lambda said: MisHearing(said, "and a smithess I.",
                                                                                          3.0))
    assert reason == CLOSING_CUE and wait == pytest.approx(3.0, abs=0.15), "or once the transcript has it right"
    script = [("Writes go to a sharded store.", 2.0, 1.0), ("And then I", 1.0, 0.0)]
    reason, wait, _ = answer(tmp_path / "holding", script, hearing=lambda said: Rehearing(
        said, "and then I.", 30.0, 0.8))
    assert reason == SILENCE and wait >= LISTEN_PATIENCE, "still held open after being heard again"


def test_a_long_last_sentence_with_no_cue_is_not_heard_again(tmp_path: Path) -> None:
    """Whisper mishears a few words alone, not a long sentence: no second hearing for it, and the long silence
    ends the answer as before."""
    script = [("Writes go to a sharded store and reads go to the replicas behind a cache.", 4.0, 0.0)]
    hearings: list[Rehearing] = []

    def hearing(said: list[Heard]) -> Rehearing:
        hearings.append(Rehearing(said, "Rights go to a sharded store and reads go to the replicas behind a cash.",
                                  30.0, 0.8))
        return hearings[-1]

    reason, wait, _ = answer(tmp_path, script, hearing=hearing)
    assert reason == SILENCE and wait == pytest.approx(LISTEN.end_silence, abs=0.15)
    assert hearings[0].asked == []


def test_words_heard_later_than_the_long_silence_are_waited_for_and_a_holding_cue_then_keeps_the_answer(
        tmp_path: Path) -> None:
    """A slow machine: the quick hearing lags 8 s. The 7 s thinking pause is not ended by the 6 s silence."""
    QuickHearing.probe_lag, before = 8.0, QuickHearing.probe_lag
    try:
        reason, wait, _ = answer(tmp_path, [("Let me think about the storage.", 2.0, 7.0),
                                            ("A key value store. Reads go to the cache first.", 3.0, 0.0)])
    finally:
        QuickHearing.probe_lag = before
    assert reason == SILENCE and wait == pytest.approx(8.0, abs=0.15), "its words came in 8 s: none was holding"


def test_without_a_quick_hearing_every_pause_waits_for_the_long_silence(tmp_path: Path) -> None:
    QuickHearing.probing = False
    try:
        reason, wait, _ = answer(tmp_path, [("Let me think about the storage.", 2.0, 0.0)])
    finally:
        QuickHearing.probing = True
    assert reason == SILENCE and wait == pytest.approx(LISTEN.end_silence, abs=0.15)


def test_a_plain_sentence_still_waits_for_the_long_silence(tmp_path: Path) -> None:
    reason, wait, _ = answer(tmp_path, [("Reads hit the cache first.", 2.0, 0.0)])
    assert reason == SILENCE and wait == pytest.approx(LISTEN.end_silence, abs=0.15)


def test_a_holding_sentence_keeps_the_answer_open_past_the_long_silence_until_the_personas_patience(
        tmp_path: Path) -> None:
    reason, wait, log = answer(tmp_path, [("Let me think about the cache.", 2.0, 12.0),
                                          ("Reads far outnumber writes, so the cache takes most of them.", 3.0, 0.0)])
    assert reason == SILENCE and wait == pytest.approx(LISTEN.end_silence, abs=0.15), "the 12 s pause kept it open"
    reason, wait, log = answer(tmp_path / "b", [("Give me a second.", 1.0, 0.0)], persona="friendly")
    prompt = [t for t in log.turns if t.kind == TurnKind.SILENCE_PROMPT][0]
    assert reason == SILENCE
    # open for the patience, counted from the end of the one prompt said into the silence
    assert wait == pytest.approx(prompt.end - log.turns[0].start - 1.5 + 0.4 + turn_options("friendly").patience,
                                 abs=0.2)


@pytest.mark.parametrize("persona,after", [("friendly", 20.0), ("standard", 15.0), ("tough", 10.0)])
def test_a_silence_that_goes_on_gets_one_gentle_prompt_at_the_personas_time(tmp_path: Path, persona: str,
                                                                         after: float) -> None:
    _, _, log = answer(tmp_path, [("Let me think about retries.", 1.5, 0.0)], persona=persona)
    prompts = [t for t in log.turns if t.kind == TurnKind.SILENCE_PROMPT]
    assert len(prompts) == 1, "once, not again after it"
    assert prompts[0].text == "Take your time. What are you weighing?"
    assert prompts[0].start - log.turns[0].start == pytest.approx(0.5 + 1.5 + after, abs=0.15)
    saved = json.loads((tmp_path / "session.json").read_text())
    kept = [t for t in saved["turns"] if t["kind"] == "silence_prompt"][0]
    assert f"{after:g} seconds of silence" in kept["reason"] and "Let me think about retries." in kept["reason"]


def test_no_prompt_after_a_closing_sentence_even_with_a_long_wait(tmp_path: Path) -> None:
    """With a closing pause longer than the prompt's wait, the closing cue still gets no prompt."""
    options = TurnOptions(closing_pause=12.0, prompt_after=10.0)
    clock = FakeClock()
    folder = SessionFolder(tmp_path)
    log = SessionLog(folder, SessionRecord("s1", {"id": "url-shortener", "kind": "design", "text": "D."},
                                           "2026-01-01T00:00:00+00:00"), clock)
    hearing = QuickHearing([Heard(0.5, 2.0, "That's the high-level picture.")])
    live = Live(Speaker(RecordingVoice(clock), RecordingScreen(), clock), hearing, VoiceActivity(),
                Floor(sheet_for("url-shortener", "design")), ListenSettings(end_silence=30.0), threading.Event(),
                turns=options)
    rec = AnswerRecorder(live, log, log.open_answer("answer-01.wav"), WavWriter(folder.file("answer-01.wav")), 2)
    t, ended = 0.0, None
    while ended is None and t < 40:
        ended = rec.step(block(t, 0.5 <= t < 2.0)) or (CLOSING_CUE if rec.announced else None)
        t = round(t + 0.1, 3)
    rec.close()
    rec.writer.close()
    assert ended == CLOSING_CUE and t == pytest.approx(14.0, abs=0.15)
    assert not [t for t in log.turns if t.kind == TurnKind.SILENCE_PROMPT]


def test_enter_still_ends_an_answer_that_is_holding(tmp_path: Path) -> None:
    enter = threading.Event()
    enter.set()
    reason, _, _ = answer(tmp_path, [("Let me think.", 1.0, 0.0)], enter=enter)
    assert reason == "enter"


def test_how_an_answer_ended_is_kept_and_shown_in_the_report(tmp_path: Path) -> None:
    """A saved spoken session whose walkthrough ended on a closing sentence: the text and HTML reports say so."""
    from click.testing import CliRunner

    from simulator.cli.main import cli
    from simulator.review.html import render
    from simulator.review.review import build_review

    target = tmp_path / "sessions" / "design-spoken"
    shutil.copytree(Path(__file__).resolve().parent / "saved_sessions" / "design-spoken", target)
    transcript = json.loads((target / "transcript.json").read_text())
    transcript["answers"][0]["ended_by"] = "closing_cue"
    (target / "transcript.json").write_text(json.dumps(transcript))
    out = CliRunner().invoke(cli, ["report", "last", "--home", str(tmp_path)], env={"COLUMNS": "200"}).output
    assert "· ended on a closing sentence ·" in out, out
    review = build_review(SessionFolder(target).read())
    assert [t.ended_by for t in review.answers] == ["closing_cue", "silence"]
    assert review.answers[0].to_json()["ended_by"] == "closing_cue"
    html = render(review)
    assert "ended on a closing sentence" in html and "<td>ended by a long silence</td>" in html


def test_every_persona_has_its_patience_and_prompt_and_the_patience_outlasts_the_prompt() -> None:
    from simulator.vocab import Persona

    for persona in Persona.values():
        options = turn_options(persona)
        assert options.prompt_after is not None and options.patience >= 15.0
        assert options.patience > options.prompt_after, "the prompt comes before a holding answer ends"
    assert [turn_options(p).prompt_after for p in ("friendly", "standard", "tough")] == [20.0, 15.0, 10.0]


def test_the_session_keeps_a_closing_cue_as_the_answers_end(tmp_path: Path) -> None:
    """The whole loop with fakes: real speech audio, a quick hearing that ends on a closing sentence."""
    from .support.interviews import make, seconds, talk
    from .support.interviews import silence as quiet

    speech = talk()
    hearing = QuickHearing([Heard(0.0, seconds(speech), "Reads hit a cache. And that's my design.")])
    session = make(tmp_path, np.concatenate([speech, quiet(20.0)]), transcriber=hearing, followups=0)
    record = session.run()
    folder = session.folder.path
    ended = json.loads((folder / "transcript.json").read_text())["answers"][0]["ended_by"]
    assert ended == "closing_cue"
    answer = record.turns[1]
    assert answer.end - answer.start < seconds(speech) + PROBE_SECONDS + 1.3, "about a second after the words"

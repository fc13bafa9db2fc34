"""The screen shows the question as written; the voice says it as a person reads it aloud."""

from __future__ import annotations

from simulator.interviewer.speaker import Speaker, as_spoken
from simulator.questions import load_bank

from .support.fakes import FakeClock, RecordingScreen, RecordingVoice


def test_the_screen_shows_bit_ly_and_the_voice_says_bit_dot_ly() -> None:
    question = next(q for q in load_bank() if q.id == "url-shortener")
    clock = FakeClock()
    voice, screen = RecordingVoice(clock), RecordingScreen()
    Speaker(voice, screen, clock).say(question.prompt, question.title)
    assert "like bit.ly." in question.prompt and "dot" not in question.prompt
    assert screen.events == [("question", question.prompt)]
    assert voice.said == [question.prompt.replace("bit.ly", "bit dot ly")]


def test_spoken_forms_change_only_whole_words() -> None:
    assert as_spoken("Links like bit.ly, e.g. bit.ly/abc, stay short.") == \
        "Links like bit dot ly, for example bit dot ly/abc, stay short."
    assert as_spoken("orbit.lyrics and see.g. stay as written") == "orbit.lyrics and see.g. stay as written"

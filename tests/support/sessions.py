"""Saved sessions made by the real interview loop with fakes, for the review commands' tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from simulator.audio import SAMPLE_RATE
from simulator.questions import Question
from simulator.sessions.store import Store
from simulator.transcript import Segment, Transcription, Word

from .fakes import FakeClock, RecordingScreen, RecordingVoice, ScriptedTranscriber, WavMicrophone
from .interviews import interview as build

QUESTION = Question("url-shortener", "design", "URL shortener", "Design a URL shortener.")


def timed(*lines: tuple[float, float, str]) -> list[Segment]:
    """Segments with a word time for every word, spread evenly over the segment."""
    out = []
    for start, end, text in lines:
        words = text.split()
        step = (end - start) / len(words)
        out.append(Segment(start, end, text, tuple(Word(w, round(start + i * step, 3), round(start + (i + 1) * step, 3))
                                                   for i, w in enumerate(words))))
    return out


WALKTHROUGH = timed(
    (0.5, 6.0, "Before I design anything, who are the users and what matters most, latency or availability?"),
    (6.5, 12.0, "Let's assume a hundred million new links a month and a read to write ratio of a hundred to one."),
    (13.0, 20.0, "Clients talk to a load balancer, then stateless app servers, then a database with a cache."),
    (20.5, 27.0, "The API is POST /shorten with the long URL, and GET /{code} which redirects."),
    (27.5, 34.0, "The bottleneck is the database on reads, so a cache in front takes most of the traffic."),
    (34.5, 40.0, "If a cache node fails we fall back to the database, and replicas take over."),
    (40.5, 46.0, "To summarize, a simple service with a cache, trading some consistency for latency."),
)
FOLLOWUP = timed((0.4, 4.0, "I would add replicas in a second region."),
                 (4.5, 9.0, "Writes go to the primary and we fail over on an outage."))


class TurnTranscriber(ScriptedTranscriber):
    """Gives each answer its own scripted segments, in order."""

    def __init__(self, answers: list[list[Segment]]) -> None:
        super().__init__([])
        self.answers = list(answers)

    def finish(self) -> Transcription:
        self.finished += 1
        return Transcription(list(self.answers[min(self.finished, len(self.answers)) - 1]))


FIXTURES = Path(__file__).resolve().parent.parent.parent / "audio_fixtures"


def speech(seconds: float) -> np.ndarray:
    """Exactly `seconds` of talk that is still sounding in its last 100 ms, so an answer made of it and
    silence ends end-silence after `seconds`: the fixture looped, started where that comes out right."""
    from simulator.audio import CHUNK_SAMPLES, read_audio
    from simulator.hearing.vad import SustainedSpeech, VoiceActivity

    talk = read_audio(FIXTURES / "short-answer.wav")
    n = int(round(seconds * SAMPLE_RATE))
    looped = np.tile(talk, n // len(talk) + 2)
    vad = VoiceActivity()
    for start in range(0, len(talk), CHUNK_SAMPLES):
        tail = looped[start + n - CHUNK_SAMPLES:start + n]
        sustained = SustainedSpeech(vad)
        held = [sustained.update(looped[i - CHUNK_SAMPLES:i]) for i in range(start + n - 10 * CHUNK_SAMPLES,
                                                                               start + n + 1, CHUNK_SAMPLES)]
        if vad.is_speech(tail) and held[-1] and np.abs(tail[-160:]).max() > 0.05:
            return looped[start:start + n].copy()
    raise AssertionError("no start gives talk that sounds at the end")


def spoken_session(home: Path, answers: list[list[Segment]] | None = None, question: Question = QUESTION,
                   followups: int = 1, interrupt_at: float | None = None, seconds: float = 47.0) -> Path:
    """A session answered aloud: talk for each answer (ending after the default 6 s of silence), the
    scripted transcript for its words. With interrupt_at, Ctrl-C arrives that far into the last answer."""
    answers = answers or [WALKTHROUGH, FOLLOWUP]
    clock = FakeClock()
    audio = np.concatenate([speech(seconds), np.zeros(7 * SAMPLE_RATE, dtype=np.float32)])
    microphone = WavMicrophone(audio, clock)
    if interrupt_at is not None:
        microphone = _InterruptLater(audio, clock, len(answers) if followups else 1, interrupt_at)
    interview = build(store=Store(home), question=question, voice=RecordingVoice(clock),
                          transcriber=TurnTranscriber(answers), clock=clock, screen=RecordingScreen(),
                          microphone=microphone, model_name="tiny.pt", followups=followups)
    try:
        interview.run()
    except KeyboardInterrupt:
        pass
    assert interview.folder is not None
    return interview.folder.path


def typed_session(home: Path, text: str, question: Question = QUESTION) -> Path:
    clock = FakeClock()
    interview = build(store=Store(home), question=question, voice=RecordingVoice(clock), transcriber=None,
                          clock=clock, screen=RecordingScreen(), typist=lambda on_line: text)
    interview.run()
    assert interview.folder is not None
    return interview.folder.path


class _InterruptLater(WavMicrophone):
    """Ctrl-C during the given answer (1-based), this many seconds in."""

    def __init__(self, audio: np.ndarray, clock: FakeClock, answer: int, at: float) -> None:
        super().__init__(audio, clock)
        self.answer, self.at, self.calls = answer, at, 0

    def chunks(self):  # type: ignore[no-untyped-def]
        self.calls += 1
        for chunk in super().chunks():
            if self.calls == self.answer and chunk.end > self.at:
                raise KeyboardInterrupt
            yield chunk

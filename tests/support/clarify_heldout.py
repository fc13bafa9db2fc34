"""The held-out clarifying questions (tests/corpus/clarify-heldout.toml), spoken and put to a live interview.

Each item is spoken in a voice (espeak-ng or Piper) and heard as the interviewer hears it. settled() is the
quick hearing at rest: the answer block by block, each span before a short pause decoded as the transcriber's
probe does it before the next block, and the question watch judging at each pause; its figures do not hang on
how busy the machine is, and the reply time it gives is the pause the interviewer waits or the last span's
decoding after its cut, whichever is later. put() is the whole interview loop in real time (session record,
reply latency as a rehearsal keeps it), for a quiet machine. Shared by benchmarks/bench_clarify.py and the
real-weight test.
"""

from __future__ import annotations

import re
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from simulator.audio import SAMPLE_RATE, AudioClip, resample

from .speech import silence, speak

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

HELD_OUT = Path(__file__).resolve().parent.parent / "corpus" / "clarify-heldout.toml"
TUNING = HELD_OUT.with_name("clarify-tuning.toml")  # the set the rules are tuned on; the held-out set never is
BREATH = 0.6  # between sentences: shorter than the pause the interviewer answers at
CLAUSE = 0.45  # a "|" inside a sentence: longer than the quick hearing's 0.3 s cut
TAIL = 8.0  # silence after the last word: on a busy machine the quick hearing may take seconds
END_SILENCE = 7.0
ANY = "*"
HANDBACK = "state an assumption"  # the design hand-back, never right in an experience answer
EXPERIENCE = ("system-you-designed", "production-incident", "migration-you-led", "reducing-latency",
              "on-call-improvement", "cost-reduction", "scaling-story", "design-disagreement",
              "project-that-failed", "difficult-dependency", "mentoring-design")


@dataclass(frozen=True)
class Item:
    question: str
    text: str
    expect: tuple[str, ...]  # empty for a statement

    @property
    def asks(self) -> bool:
        return bool(self.expect)


@dataclass(frozen=True)
class Outcome:
    item: Item
    voice: str
    replies: tuple[tuple[str, float | None], ...]  # each clarification: its text and reply latency
    heard: str = ""  # what the quick hearing made of it (settled only)

    @property
    def answered(self) -> bool:
        """A question: one reply holding what each part needs, in the order asked, fitting the question's kind.
        A statement: no reply at all."""
        if not self.item.asks:
            return not self.replies
        if len(self.replies) != 1:
            return False
        text = self.replies[0][0]
        if self.item.question in EXPERIENCE and HANDBACK in text:
            return False
        at = 0
        for needed in self.item.expect:
            if needed == ANY:
                continue
            found = text.find(needed, at)
            if found < 0:
                return False
            at = found + len(needed)
        return True

    @property
    def latency(self) -> float | None:
        return self.replies[0][1] if self.replies else None


def load(path: Path = HELD_OUT) -> list[Item]:
    with path.open("rb") as f:
        data = tomllib.load(f)
    return ([Item(a["question"], a["text"], tuple(a["expect"])) for a in data["asked"]]
            + [Item(s["question"], s["text"], ()) for s in data["said"]])


@lru_cache(maxsize=1)
def _piper():  # type: ignore[no-untyped-def]
    from simulator.interviewer.piper_voice import bundled_model
    from simulator.interviewer.piper_voice import load as load_voice

    model = bundled_model()
    assert model is not None, "the Piper voice is not installed"
    return load_voice(model)


def _trimmed(audio: np.ndarray) -> np.ndarray:
    loud = np.flatnonzero(np.abs(audio) > 1e-3)
    return audio[loud[0]:loud[-1] + 1] if loud.size else audio


def say(text: str, voice: str) -> np.ndarray:
    """One stretch of speech (no pauses of our own inside it) in the voice, 16 kHz."""
    if voice == "espeak-ng":
        return speak(text)
    from simulator.interviewer.piper_voice import synthesize

    clip: AudioClip = synthesize(_piper(), text)
    audio = _trimmed(resample(clip.samples, clip.rate, SAMPLE_RATE).astype(np.float32))
    return audio * (0.5 / max(1e-6, float(np.max(np.abs(audio)))))


def render(text: str, voice: str) -> np.ndarray:
    """The item as the candidate says it: a breath between sentences, a short pause at each "|"."""
    parts: list[np.ndarray] = [silence(0.5)]
    for sentence in re.split(r"(?<=[.?!])\s+", text.strip()):
        for index, clause in enumerate(sentence.split("|")):
            if index:
                parts.append(silence(CLAUSE))
            parts.append(say(clause.strip(), voice))
        parts.append(silence(BREATH))
    parts[-1] = silence(TAIL)
    return np.concatenate(parts)


class _Speaker:
    def play(self, clip: AudioClip) -> None:
        pass


class _QuietScreen:
    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return lambda *args, **kwargs: None


def settled(model, item: Item, voice: str, audio: np.ndarray | None = None) -> Outcome:  # type: ignore[no-untyped-def]
    """The item heard by the quick hearing at rest (model: a loaded model, loader.get())."""
    import time

    from simulator.config import INTERVIEWER, TranscribeSettings
    from simulator.hearing.probe import SpanCutter, context_for, heard_since
    from simulator.hearing.vad import VoiceActivity
    from simulator.interviewer.clarifications import QuestionWatch
    from simulator.interviewer.factsheets import sheet_for
    from simulator.questions import load_bank, pick
    from simulator.transcript import Heard

    from .blocks import chunks

    question = pick(load_bank(), item.question)
    settings = TranscribeSettings(vocabulary=question.vocabulary)
    audio = render(item.text, voice) if audio is None else audio
    watch = QuestionWatch(sheet_for(question.id, question.kind))
    cutter, vad = SpanCutter(), VoiceActivity()
    probes: list[Heard] = []
    decoded_at = 0.0  # answer seconds when the latest probe's text was ready
    replies: list[tuple[str, float | None]] = []
    last_word = 0.0
    for chunk in chunks(audio):
        speech = vad.is_speech(chunk.samples)
        last_word = chunk.end if speech else last_word
        span = cutter.push(chunk, speech)
        if span is not None:
            began = time.perf_counter()
            text = model.probe(span.samples, settings, context_for(probes, span))
            decoded_at = chunk.end + time.perf_counter() - began
            probes.append(Heard(span.start, span.speech_end, text))
        watch.hear(chunk, voice=speech)
        answer = watch.check([], heard_since(probes, watch.since))
        if answer is not None:
            replies.append((answer.text, round(max(chunk.end, decoded_at) - last_word, 2)))
            watch.skip(chunk.end + INTERVIEWER.echo_tail)
    whole = heard_since(probes, 0.0)
    return Outcome(item, voice, tuple(replies), whole.text if whole is not None else "")


def put(loader, item: Item, voice: str, model_name: str, audio: np.ndarray | None = None) -> Outcome:  # type: ignore[no-untyped-def]
    """The item spoken as the opening of an answer to its question, in real time, with the espeak interviewer."""
    from simulator.cli.sources import FileMicrophone
    from simulator.config import ListenSettings, TranscribeSettings
    from simulator.hearing.transcriber import WhisperTranscriber
    from simulator.hearing.vad import VoiceActivity
    from simulator.interviewer.interview import Interview
    from simulator.interviewer.options import Devices, SessionInfo
    from simulator.interviewer.voices import Pyttsx3Voice
    from simulator.ports import SystemClock
    from simulator.questions import load_bank, pick
    from simulator.sessions.store import Store

    question = pick(load_bank(), item.question)
    audio = render(item.text, voice) if audio is None else audio
    clock = SystemClock()
    listen = ListenSettings(end_silence=END_SILENCE, realtime=True)
    transcriber = WhisperTranscriber(loader, TranscribeSettings(model=model_name, vocabulary=question.vocabulary),
                                     vad=VoiceActivity(listen.speech_dbfs), probe=True)
    with tempfile.TemporaryDirectory() as home:
        devices = Devices(Pyttsx3Voice(_Speaker(), warn=print), clock, _QuietScreen(), transcriber,
                          FileMicrophone([audio], clock, realtime=True))
        record = Interview(Store(Path(home)), question, devices, listen, SessionInfo(model_name=model_name)).run()
    replies = tuple((t.text, t.reply_latency) for t in record.turns if str(t.kind) == "clarification")
    return Outcome(item, voice, replies)


def typed(item: Item) -> Outcome:
    """The item as typed, words exact: what the rules make of it when nothing is misheard."""
    from simulator.interviewer.asking import trailing_questions
    from simulator.interviewer.clarifications import reply
    from simulator.interviewer.factsheets import sheet_for
    from simulator.questions import load_bank, pick

    question = pick(load_bank(), item.question)
    sheet = sheet_for(question.id, question.kind)
    asked = trailing_questions(" ".join(item.text.replace("|", " ").split()), sheet)
    return Outcome(item, "typed", ((reply(asked, sheet).text, None),) if asked else ())

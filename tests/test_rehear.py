"""Hearing the last sentence again: from where the probe before it started, whose words whisper takes as
written, so it writes only the closing words; the whole 8 s window only when nothing was heard just before."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from simulator.audio import CHUNK_SECONDS, SAMPLE_RATE, AudioChunk
from simulator.config import PieceOptions, ProbeOptions, TranscribeSettings
from simulator.hearing.probe import Ear, Span
from simulator.hearing.transcriber import WhisperTranscriber
from simulator.transcript import Heard, Segment

from .support.blocks import chunks
from .support.stand_ins import answer
from .support.waiting import wait_for

WIDE = ProbeOptions().wide_seconds
BEFORE = "So to sum up, stateless servers and a sharded store."


def kept(seconds: float) -> Ear:
    """An ear that kept `seconds` of audio block by block, each block's samples its own time."""
    ear = Ear()
    block = int(CHUNK_SECONDS * SAMPLE_RATE)
    for i in range(round(seconds / CHUNK_SECONDS)):
        ear.keep(AudioChunk(np.full(block, i, np.float32), round(i * CHUNK_SECONDS, 3)))
    return ear


def probed(ear: Ear, start: float, speech_end: float, text: str) -> None:
    ear.took(Span(np.zeros(1, np.float32), start, speech_end + 0.4, speech_end), text, wide=False)


def test_the_last_sentence_is_heard_again_from_where_the_probe_before_it_started_with_its_words_as_prefix() -> None:
    ear = kept(10.5)
    probed(ear, 5.0, 8.0, BEFORE)
    span = ear.ask(10.0)
    assert span is not None and span.prefix == BEFORE
    assert span.start == pytest.approx(5.0) and span.speech_end == 10.0
    assert span.samples[0] == round(5.0 / CHUNK_SECONDS), "the audio starts with the sentence heard before"
    ear.took(span, "And that's my design.", wide=True)
    assert ear.reheard[10.0].text == f"{BEFORE} And that's my design."
    assert ear.reheard[10.0].start == pytest.approx(5.0)
    assert ear.ask(10.0) is None, "a pause is heard again once"


@pytest.mark.parametrize("start, text", [(1.0, BEFORE), (5.0, "  ")], ids=["too-long-ago", "heard-nothing"])
def test_without_a_probe_just_before_the_whole_window_is_heard_with_no_prefix(start: float, text: str) -> None:
    ear = kept(10.5)
    probed(ear, start, 8.0, text)
    span = ear.ask(10.0)
    assert span is not None and span.prefix == ""
    assert span.start == pytest.approx(10.0 - WIDE, abs=CHUNK_SECONDS)


def test_a_prefix_is_not_given_when_the_audio_it_was_heard_in_is_no_longer_kept() -> None:
    ear = kept(10.5)
    while ear.recent[0].timestamp < 6.0:
        ear.recent.popleft()
    probed(ear, 5.0, 8.0, BEFORE)
    span = ear.ask(10.0)
    assert span is not None and span.prefix == "", "words whose audio is gone would not match what whisper hears"


def test_a_rehearing_that_hears_nothing_past_the_prefix_says_nothing() -> None:
    ear = kept(10.5)
    probed(ear, 5.0, 8.0, BEFORE)
    span = ear.ask(10.0)
    assert span is not None
    ear.took(span, "", wide=True)
    assert ear.reheard[10.0].text == "", "the sentence before is not taken as the pause's own closing words"



class InOrder(WhisperTranscriber):
    """Whisper stands aside; once `hold` is set, each decoding and quick hearing is noted in the order the worker
    runs them, and the first quick hearing (the pause's probe) waits for `release`."""

    def __init__(self) -> None:
        super().__init__(loader=None, settings=TranscribeSettings(), probe=True)  # type: ignore[arg-type]
        self.order: list[str] = []
        self.hold = threading.Event()
        self.probing = threading.Event()
        self.release = threading.Event()

    def transcribe(self, audio: np.ndarray, fallback: bool = True) -> list[Segment]:
        if self.hold.is_set():
            self.order.append("transcript")
        return [Segment(0.0, len(audio) / SAMPLE_RATE, "words")]

    def quick(self, audio: np.ndarray, context: str = "", prefix: str = "") -> str:
        if not self.hold.is_set():
            return "so to sum up"
        first = not self.order
        self.order.append("probe" if first else "rehearing")
        if first:
            self.probing.set()
            assert self.release.wait(10), "the held probe was never let go"
        return "and a smite design"


def test_the_transcript_made_ahead_at_a_pause_waits_for_the_turn_s_end_to_read_its_probe_and_ask_again() -> None:
    """The probe of the last pause comes in just as the pause is long enough for the transcript made ahead; the
    turn's end reads it and asks for the pause to be heard again. That rehearing goes first: faster-whisper decodes
    the transcript in one unbroken call, and a rehearing behind it waited for all of it."""
    speech, silence = answer(("speech", 4)), answer(("silence", 1.5))
    ears = InOrder()
    for chunk in chunks(speech):
        ears.feed(chunk)
    assert wait_for(lambda: ears.heard(0.0) is not None and ears.waiting == 0, timeout=5)
    ears.hold.set()
    later = [AudioChunk(c.samples, round(c.timestamp + len(speech) / SAMPLE_RATE, 3)) for c in chunks(silence)]
    at = 0
    while not ears.probing.is_set():
        ears.feed(later[at])
        at += 1
        assert at < len(later), "the pause was never probed"
        wait_for(ears.probing.is_set, timeout=0.5)
    before_ahead = round((PieceOptions().cut_pause_seconds - ProbeOptions().pause_seconds) / CHUNK_SECONDS) - 1
    for chunk in later[at:at + before_ahead]:
        ears.feed(chunk)
    at += before_ahead
    ears.release.set()
    assert wait_for(lambda: ears.running is None and ears.order == ["probe"], timeout=5), "the probe came in"
    ears.feed(later[at])  # the block that makes the pause long enough to transcribe ahead
    assert not wait_for(lambda: "transcript" in ears.order, timeout=0.5), "it began before the probe was read"
    heard = ears.heard(0.0)  # the turn's end reads the probe, and asks for the pause to be heard again
    assert heard is not None and "smite" in heard.text
    assert ears.rehear(heard.speech_end) is None
    for chunk in later[at + 1:]:
        ears.feed(chunk)
    assert wait_for(lambda: "transcript" in ears.order, timeout=5), "the transcript was made ahead at the pause"
    assert ears.order[:3] == ["probe", "rehearing", "transcript"]


def test_with_no_one_reading_the_probes_the_transcript_made_ahead_does_not_wait_for_them() -> None:
    speech, silence = answer(("speech", 4)), answer(("silence", 1.0))
    ears = InOrder()
    ears.hold.set()
    ears.release.set()
    for chunk in chunks(np.concatenate([speech, silence])):
        ears.feed(chunk)
    assert wait_for(lambda: "transcript" in ears.order, timeout=5), "the transcript was made ahead at the pause"

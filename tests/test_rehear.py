"""Hearing the last sentence again: from where the probe before it started, whose words whisper takes as
written, so it writes only the closing words; the whole 8 s window only when nothing was heard just before."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.audio import CHUNK_SECONDS, SAMPLE_RATE, AudioChunk
from simulator.config import ProbeOptions
from simulator.hearing.probe import Ear, Span

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

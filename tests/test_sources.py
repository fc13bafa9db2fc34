"""Answers that are not live: recorded files (as fast as possible, or paced) and typing."""

from __future__ import annotations

import io

import numpy as np
import pytest

from simulator.audio import SAMPLE_RATE
from simulator.cli.sources import FileMicrophone, read_typed
from simulator.errors import UserError

from .support.fakes import FakeClock


def test_a_file_plays_as_chunks_that_add_up_to_it() -> None:
    samples = np.arange(int(2.05 * SAMPLE_RATE), dtype=np.float32) / 1e6
    clock = FakeClock()
    chunks = list(FileMicrophone([samples], clock).chunks())
    assert np.array_equal(np.concatenate([c.samples for c in chunks]), samples)
    assert [round(c.timestamp, 2) for c in chunks[:3]] == [0.0, 0.1, 0.2]
    assert clock.now() == 1000.0, "not paced: no time passes"


def test_realtime_paces_the_file_like_a_microphone() -> None:
    clock = FakeClock()
    mic = FileMicrophone([np.zeros(3 * SAMPLE_RATE, dtype=np.float32)], clock, realtime=True)
    seen = []
    for chunk in mic.chunks():
        seen.append(clock.now() - 1000.0 - chunk.end)
    assert max(abs(lag) for lag in seen) < 1e-9, "each block is handed over when it would have been recorded"
    assert clock.now() == pytest.approx(1003.0)


def test_one_file_per_answer() -> None:
    mic = FileMicrophone([np.zeros(10, dtype=np.float32)], FakeClock())
    list(mic.chunks())
    with pytest.raises(UserError, match="one --answer-file per answer"):
        list(mic.chunks())


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_typing_at_a_terminal_ends_at_an_empty_line() -> None:
    assert read_typed(Terminal("First the scope.\nThen the numbers.\n\nnot part of it\n")) == \
        "First the scope.\nThen the numbers."


def test_piped_typing_is_read_whole() -> None:
    assert read_typed(io.StringIO("line one\n\nline three\n")) == "line one\n\nline three\n"

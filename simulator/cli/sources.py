"""Answers that do not come from a live microphone: recorded files and typing."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import TextIO

import numpy as np

from simulator.audio import CHUNK_SAMPLES, SAMPLE_RATE, AudioChunk
from simulator.errors import UserError
from simulator.ports import Clock


class FileMicrophone:
    """Plays recorded answers into the loop as if they were a microphone, one file per answer.

    By default as fast as the loop takes them; with realtime, paced like a live
    microphone so the timer and endpointing behave as they would in the room.
    """

    def __init__(self, answers: list[np.ndarray], clock: Clock, realtime: bool = False) -> None:
        self.answers = list(answers)
        self.clock = clock
        self.realtime = realtime
        self.used = 0
        self.overflows = 0  # a file never falls behind

    def open_ahead(self) -> None:
        """A file is there from the start."""

    def answer_from_now(self) -> None:
        """Each answer is its own file, from its start."""

    def chunks(self) -> Iterator[AudioChunk]:
        if self.used >= len(self.answers):
            raise UserError(f"Only {len(self.answers)} --answer-file given for this interview; "
                            "pass one --answer-file per answer.")
        samples = self.answers[self.used]
        self.used += 1
        started = self.clock.now()
        for offset in range(0, len(samples), CHUNK_SAMPLES):
            chunk = AudioChunk(samples[offset:offset + CHUNK_SAMPLES], offset / SAMPLE_RATE)
            if self.realtime:
                self.clock.sleep(max(0.0, started + chunk.end - self.clock.now()))
            yield chunk


def read_typed(stream: TextIO | None = None, on_line: Callable[[str], None] | None = None) -> str:
    """At a terminal, read lines until an empty one, handing each to on_line as it is typed (a question
    gets its answer before typing goes on); from a pipe or file, read it all, each line handed on too."""
    stream = stream or sys.stdin
    if not stream.isatty():
        text = stream.read()
        for line in text.splitlines():
            if on_line is not None and line.strip():
                on_line(line)
        return text
    lines = []
    for line in stream:
        if not line.strip():
            break
        lines.append(line.rstrip("\n"))
        if on_line is not None:
            on_line(lines[-1])
    return "\n".join(lines)

"""Probes: a quick text-only hearing of what the candidate said before each short pause.

A clarifying question deserves its answer about a second after the candidate stops. The transcript
cannot give it that soon: a piece is decoded over a 30 s window with word times, two seconds of work on
2 cores for a sentence or two. So at every short pause the speech since the last one is also decoded as
text only, over its own length (engines.probe_window), which takes a fraction of that and is done by the
time the pause is long enough to answer. The probes are the interviewer's ear, never the transcript.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

from simulator.audio import CHUNK_SECONDS, SAMPLE_RATE, AudioChunk
from simulator.config import ProbeOptions
from simulator.transcript import Heard

DEFAULTS = ProbeOptions()
SINCE_SLACK_SECONDS = 0.05  # a block's rounding


@dataclass(frozen=True)
class Span:
    """Audio to probe; times in seconds from the start of the answer, speech_end where its speech stops. prefix:
    the words already heard at its start (a rehearing's), given to whisper as what it has written so far."""

    samples: np.ndarray
    start: float
    end: float
    speech_end: float
    prefix: str = ""

    def joined(self, later: Span, limit: float = DEFAULTS.max_span_seconds) -> Span:
        """This span and the next, as one; the latest `limit` seconds of it when longer."""
        samples = np.concatenate([self.samples, later.samples])[-int(limit * SAMPLE_RATE):]
        return Span(samples, round(later.end - len(samples) / SAMPLE_RATE, 3), later.end, later.speech_end)


class SpanCutter:
    """Takes the answer block by block (as the transcriber hears it) and gives a span at each short pause."""

    def __init__(self, options: ProbeOptions = DEFAULTS) -> None:
        self.pause_blocks = max(1, round(options.pause_seconds / CHUNK_SECONDS))
        self.min_speech_blocks = max(1, round(options.min_speech_seconds / CHUNK_SECONDS))
        self.lead_blocks = round(options.lead_seconds / CHUNK_SECONDS)
        self.max_blocks = round(options.max_span_seconds / CHUNK_SECONDS)
        self.reset()

    def reset(self) -> None:
        self._blocks: list[np.ndarray] = []
        self._start = 0.0
        self._speech = 0  # blocks of speech in the span so far
        self._silent = 0  # blocks of silence since the last speech

    def push(self, chunk: AudioChunk, speech: bool) -> Span | None:
        if not self._blocks:
            self._start = chunk.timestamp
        self._blocks.append(chunk.samples)
        self._speech += speech
        self._silent = 0 if speech else self._silent + 1
        if self._speech == 0 and len(self._blocks) > self.lead_blocks:
            self._drop(len(self._blocks) - self.lead_blocks)  # only silence so far: keep a lead-in
        elif len(self._blocks) > self.max_blocks:
            self._drop(len(self._blocks) - self.max_blocks)
        if self._silent != self.pause_blocks or self._speech < self.min_speech_blocks:
            return None
        span = Span(np.concatenate(self._blocks), round(self._start, 3), round(chunk.end, 3),
                    round(chunk.end - self._silent * CHUNK_SECONDS, 3))
        self._blocks, self._start, self._speech = [], chunk.end, 0
        return span

    def _drop(self, count: int) -> None:
        self._start += sum(len(b) for b in self._blocks[:count]) / SAMPLE_RATE
        self._blocks = self._blocks[count:]


def context_for(probes: list[Heard], span: Span, options: ProbeOptions = DEFAULTS) -> str:
    """The words heard just before a span that follows them closely, for its decode prompt: a span cut at a
    pause inside a sentence (", | which meant dealers were losing leads") is then heard as the rest of that
    sentence, not as a new one that whisper may write as a question ("Which mandelers were losing leads?")."""
    before = [p for p in probes if p.speech_end <= span.start + SINCE_SLACK_SECONDS]
    if not before or not before[-1].text or span.start - before[-1].speech_end > options.context_seconds:
        return ""
    return " ".join(before[-1].text.split()[-options.context_words:])


def heard_since(probes: list[Heard], since: float) -> Heard | None:
    """The probes of speech after `since` (answer seconds), as one; None when there are none."""
    after = [p for p in probes if p.speech_end > since + SINCE_SLACK_SECONDS]
    if not after:
        return None
    return Heard(after[0].start, after[-1].speech_end, " ".join(p.text for p in after if p.text))


@dataclass
class Ear:
    """What the quick hearing keeps of one answer: each probe's text, the latest blocks of audio, and the pauses
    heard again (by where their speech stopped). No thread of its own: the transcriber holds its lock around it."""

    options: ProbeOptions = DEFAULTS
    probes: list[Heard] = field(default_factory=list)
    recent: deque[AudioChunk] = field(default_factory=deque)
    asked: set[float] = field(default_factory=set)
    reheard: dict[float, Heard] = field(default_factory=dict)

    def keep(self, chunk: AudioChunk) -> None:
        """The latest block, kept with enough before it for a rehearing."""
        self.recent.append(chunk)
        while self.recent and self.recent[0].end < chunk.end - self.options.wide_seconds - 1.0:
            self.recent.popleft()

    def ask(self, until: float) -> Span | None:
        """The span to hear again for the pause whose speech stopped at `until`, the first time it is asked for;
        None when asked already or nothing is kept.

        When the probe before it (within wide_seconds) heard words, the span starts where that probe's did and
        its words are the prefix: whisper then writes only the closing words, with the sentence before them as
        its own start, and is done in under half the time of the whole window (base, 2 cores, a summary and
        "And that's my design.": 0.36 s against 0.82 s). Otherwise the speech with up to wide_seconds
        before it, no prefix."""
        if until in self.asked:
            return None
        self.asked.add(until)
        before = [p for p in self.probes if p.speech_end < until - SINCE_SLACK_SECONDS]
        if before and before[-1].text.strip() and before[-1].start >= until - self.options.wide_seconds:
            span = self._kept(before[-1].start, until, before[-1].text.strip())
            if span is not None:
                return span
        return self._kept(until - self.options.wide_seconds, until, "")

    def _kept(self, since: float, until: float, prefix: str) -> Span | None:
        """The kept audio from `since`; None when none is kept, or, for a prefix, not back to where it starts."""
        blocks = [c for c in self.recent if c.end > since]
        if not blocks or (prefix and blocks[0].timestamp > since + SINCE_SLACK_SECONDS):
            return None
        return Span(np.concatenate([c.samples for c in blocks]), round(blocks[0].timestamp, 3),
                    round(blocks[-1].end, 3), until, prefix)

    def context(self, span: Span) -> str:
        return context_for(self.probes, span, self.options)

    def took(self, span: Span, text: str, wide: bool) -> None:
        """A probe's text (or a rehearing's, kept apart: its words are the probes' said again, after its prefix
        when it has one and heard anything past it)."""
        if wide and span.prefix and text.strip():
            text = f"{span.prefix} {text.strip()}"
        heard = Heard(span.start, span.speech_end, text)
        if wide:
            self.reheard[span.speech_end] = heard
        else:
            self.probes.append(heard)

    def since(self, since: float) -> Heard | None:
        return heard_since(self.probes, since)

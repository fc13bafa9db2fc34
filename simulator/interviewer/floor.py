"""Who has the floor during an answer: when the interviewer may speak mid-answer, and what the
transcriber hears while it does.

The candidate's recording never stops. At a pause, the interviewer may answer a question just asked
(clarifications.py) or interject (timekeeper.py); while its voice plays, what the microphone hears is its
own voice coming back through the speakers, so the transcriber, the endpointer and the question watch get
silence in its place, and the candidate gets a full end-of-answer silence once it stops. With headphones
nothing comes back, so nothing is gated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from simulator.audio import AudioChunk
from simulator.config import INTERVIEWER, InterviewerSettings
from simulator.diagrams.diagram import Diagram
from simulator.hearing.pauses import Block
from simulator.interviewer.clarifications import QuestionWatch
from simulator.interviewer.factsheets import FactSheet
from simulator.interviewer.timekeeper import Progress, Timekeeper, Utterance
from simulator.judging.analysis import Analysis, analyze_segments
from simulator.sessions.record import TurnKind
from simulator.transcript import Heard, Segment
from simulator.vocab import Kind

ECHO_TAIL_SECONDS = INTERVIEWER.echo_tail  # the default, for those that time a session against it


class Floor:
    """Per answer: takes each microphone block, says what the transcriber should hear of it, and, at a pause,
    what the interviewer says (if anything)."""

    def __init__(self, sheet: FactSheet, timekeeper: Timekeeper | None = None, headphones: bool = False,
                 clarify: bool = True, kind: str = Kind.DESIGN, settings: InterviewerSettings = INTERVIEWER,
                 drawing: Callable[[], Diagram | None] = lambda: None) -> None:
        self.sheet = sheet
        self.drawing = drawing  # the candidate's diagram as last saved, for the interjections on it
        self.settings = settings
        self.timekeeper = timekeeper
        self.headphones = headphones
        self.clarify = clarify
        self.kind = kind
        self.begin()

    def begin(self, walkthrough: bool = False) -> None:
        """A new answer: its own clock, nothing asked yet; time is kept aloud only in the walkthrough."""
        self.watch = QuestionWatch(self.sheet, self.settings)
        self.gated_until = -1.0  # answer seconds up to which the microphone hears the interviewer, not the candidate
        self.walkthrough = walkthrough
        self._speech_end: float | None = None  # the latest candidate speech no interjection rule has judged
        self._now = 0.0

    def gate(self, chunk: AudioChunk) -> AudioChunk:
        """The block as the transcriber should hear it: silence while the interviewer's voice comes back."""
        if chunk.timestamp < self.gated_until:
            chunk = replace(chunk, samples=np.zeros_like(chunk.samples),
                            voice=(0, chunk.voice[1]) if chunk.voice is not None else None)
        return chunk

    def take(self, block: Block) -> None:
        """The gated block as heard (pauses.py): the question watch's and the interjections' clock."""
        self.watch.take(block)
        self._now = block.end
        if block.speech:
            self._speech_end = block.end

    def spoke(self, start: float, seconds: float) -> float:
        """The interviewer spoke from `start` (answer seconds) for `seconds`; returns where the candidate's
        floor begins again. Nothing said before it is left to be answered."""
        until = start + seconds + (0.0 if self.headphones else self.settings.echo_tail)
        if not self.headphones:
            self.gated_until = max(self.gated_until, until)
        self.watch.skip(until)
        if self._speech_end is not None and self._speech_end <= until:
            self._speech_end = None
        return until

    def cut(self, at: float) -> None:
        """The voice was stopped at `at` (answer seconds): what follows is the candidate's."""
        self.gated_until = min(self.gated_until, at)
        self.watch.skip(at)

    @property
    def interjects(self) -> bool:
        """The interviewer may interject in this answer: it keeps time aloud only in the walkthrough."""
        return self.timekeeper is not None and self.walkthrough

    def at_pause(self, partial: list[Segment], seconds: float,
                 heard: Callable[[float], Heard | None] | None = None,
                 analysis: Callable[[list[Segment]], Analysis | None] | None = None) -> Utterance | None:
        """What the interviewer says now, if anything: only at a pause after the candidate's speech. A question
        just asked comes first (heard: the transcriber's quick hearing since an answer second); the time and
        the walkthrough's shape (seconds into it) after that, judged on the analysis of the answer so far
        (analysis: where it comes from, when it is made off this thread)."""
        if self.clarify and self.watch.due:
            stopped = self.watch.speech_end
            reply = self.watch.check(partial, heard(self.watch.since) if heard is not None else None)
            if reply is not None:
                asked = " ".join(reply.questions)
                return Utterance(TurnKind.CLARIFICATION, reply.text, f"asked: \"{asked}\"", stopped)
            if self.watch.due:
                return None  # a question may still be coming in: nothing else until it is judged
        if self.timekeeper is None or not self.interjects or self._speech_end is None:
            return None
        if self._now - self._speech_end < self.settings.question_pause:
            return None
        self._speech_end = None  # each pause is judged once
        if analysis is not None:
            so_far = analysis(partial)
        else:
            so_far = analyze_segments(partial, self.kind) if partial else None
        return self.timekeeper.consider(Progress(seconds, so_far, self.kind, self.drawing()))

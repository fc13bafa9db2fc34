"""Who has the floor during an answer: when the interviewer may speak mid-answer, and what the
transcriber hears while it does.

The candidate's recording never stops. At a pause, the interviewer may answer a question just asked
(clarifications.py) or interject (timekeeper.py); while its voice plays, what the microphone hears is its
own voice coming back through the speakers, so the transcriber, the endpointer and the question watch get
silence in its place, and the candidate gets a full end-of-answer silence once it stops. With headphones
nothing comes back, so nothing is gated.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .audio import AudioChunk
from .clarifications import QuestionWatch
from .factsheets import FactSheet
from .session import TurnKind
from .transcript import Segment

ECHO_TAIL_SECONDS = 0.4  # the voice still in the room after the last block was written: buffers and reverb


@dataclass(frozen=True)
class Utterance:
    """Something the interviewer says mid-answer, and why."""

    kind: TurnKind
    text: str
    reason: str
    after: float | None = None  # answer seconds at which the candidate stopped, for the reply's latency


class Floor:
    """Per answer: takes each microphone block, says what the transcriber should hear of it, and, at a pause,
    what the interviewer says (if anything)."""

    def __init__(self, sheet: FactSheet, headphones: bool = False, clarify: bool = True) -> None:
        self.sheet = sheet
        self.headphones = headphones
        self.clarify = clarify
        self.watch = QuestionWatch(sheet)
        self.gated_until = -1.0  # answer seconds up to which the microphone hears the interviewer, not the candidate

    def begin(self) -> None:
        """A new answer: its own clock, nothing asked yet."""
        self.watch = QuestionWatch(self.sheet)
        self.gated_until = -1.0

    def hear(self, chunk: AudioChunk) -> AudioChunk:
        """The block as the transcriber should hear it: silence while the interviewer's voice comes back."""
        if chunk.timestamp < self.gated_until:
            chunk = replace(chunk, samples=np.zeros_like(chunk.samples),
                            voice=(0, chunk.voice[1]) if chunk.voice is not None else None)
        self.watch.hear(chunk)
        return chunk

    def spoke(self, start: float, seconds: float) -> float:
        """The interviewer spoke from `start` (answer seconds) for `seconds`; returns where the candidate's
        floor begins again. Nothing said before it is left to be answered."""
        until = start + seconds + (0.0 if self.headphones else ECHO_TAIL_SECONDS)
        if not self.headphones:
            self.gated_until = max(self.gated_until, until)
        self.watch.skip(until)
        return until

    def at_pause(self, partial: list[Segment]) -> Utterance | None:
        """What the interviewer says now, if anything: only at a pause after the candidate's speech."""
        if self.clarify and self.watch.due:
            stopped = self.watch.speech_end
            reply = self.watch.check(partial)
            if reply is not None:
                asked = " ".join(reply.questions)
                return Utterance(TurnKind.CLARIFICATION, reply.text, f"asked: \"{asked}\"", stopped)
        return None

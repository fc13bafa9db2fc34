"""What an interview is built from, in three parts: the devices it talks through, what its record says of
how it was run, and how the interviewer conducts it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from simulator.config import INTERVIEWER, InterviewerSettings
from simulator.diagrams.watch import DiagramWatch
from simulator.interviewer.followup_choice import Shape
from simulator.ports import NO_TRACE, Clock, Microphone, Screen, Tracer, Transcriber, Voice
from simulator.vocab import Persona

Typist = Callable[[Callable[[str], None]], str]  # reads a typed answer, handing each line over as it comes


@dataclass(frozen=True)
class Devices:
    """The outside parts: real devices and Whisper from the CLI, fakes in tests. An answer is spoken (a
    microphone and a transcriber) or typed (a typist), never both."""

    voice: Voice
    clock: Clock
    screen: Screen
    transcriber: Transcriber | None = None
    microphone: Microphone | None = None
    typist: Typist | None = None
    enter: threading.Event | None = None  # set when the candidate presses Enter (none: never)
    diagram: DiagramWatch | None = None  # the candidate's diagram file, watched while the session runs
    trace: Tracer = NO_TRACE  # --trace: where each pipeline event goes

    def __post_init__(self) -> None:
        if (self.microphone is None) == (self.typist is None):
            raise ValueError("give exactly one of microphone and typist")
        if self.microphone is not None and self.transcriber is None:
            raise ValueError("a spoken answer needs a transcriber")


@dataclass(frozen=True)
class SessionInfo:
    """What session.json and transcript.json say about how the session was run."""

    model_name: str | None = None
    engine: str | None = None
    keep_fillers: bool = False
    practice: dict[str, Any] | None = None  # the role, company, level, drill or round


@dataclass(frozen=True)
class Conduct:
    """How the interviewer runs the conversation."""

    followups: int = 0
    answers_available: int | None = None  # answer files given: one is the walkthrough, the rest follow-ups
    shape: Shape | None = None  # bends the follow-up plan to the practice (tailoring.shape)
    headphones: bool = False  # nothing of the voice comes back through the microphone; talking over it stops it
    persona: str = Persona.STANDARD  # --interviewer
    settings: InterviewerSettings = INTERVIEWER

    @property
    def questions(self) -> int:
        """Follow-ups to ask: no more than there are answers left to give them."""
        return self.followups if self.answers_available is None else min(self.followups, self.answers_available - 1)

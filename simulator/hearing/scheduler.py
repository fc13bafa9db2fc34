"""Which transcription job runs next: the transcriber's order of work, apart from its thread.

One worker decodes everything, so the order is the policy. A probe goes before any piece, since someone may be
waiting for a reply, and probes still waiting are joined into one, so they never pile up behind a busy worker;
where the engine can pause a piece's decoding, a probe given meanwhile runs in that pause (quick_job).
The buffer up to a pause (an early piece) is transcribed ahead only while no real piece waits or runs, and is
skipped once a later cut has made it moot. When the answer ends, probes still waiting are dropped: nobody waits
for a question's reply any more. No threads, no clock, no model: the worker asks, under its own lock.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import Enum
from typing import Generic, TypeVar

from simulator.config import ProbeOptions
from simulator.hearing.pieces import Piece
from simulator.hearing.probe import Span

T = TypeVar("T")  # what a piece's decoding gave, kept for the piece an early transcript is reused by


class JobKind(str, Enum):
    PIECE = "piece"  # a real piece, cut at a pause or at the answer's end: the transcript
    EARLY = "early"  # the buffer up to a pause, transcribed ahead in case the answer ends there
    PROBE = "probe"  # a quick text-only hearing of the speech before a short pause
    REHEAR = "rehear"  # the last sentence heard again, with the speech before it (TurnEnd asks)


@dataclass(frozen=True)
class Job(Generic[T]):
    kind: JobKind
    piece: Piece | None = None
    span: Span | None = None
    ready: T | None = None  # a real piece's transcript, made ahead as an early piece equal to it


class Scheduler(Generic[T]):
    """Takes events (a piece cut, a span to probe, an early piece given, a job done, the answer's end) and says
    which job runs next. The caller keeps it behind one lock, and runs jobs in the order next() gives them."""

    def __init__(self, max_span_seconds: float = ProbeOptions().max_span_seconds) -> None:
        self.max_span_seconds = max_span_seconds  # joined probe spans keep their latest this many seconds
        self._pieces: deque[Piece] = deque()  # real pieces and early ones, in the order given
        self._probes: deque[Span] = deque()
        self._rehear: Span | None = None  # the latest rehearing asked for and not yet started
        self.running: Job[T] | None = None
        self.given = 0  # real pieces given
        self.finished = 0  # real pieces done
        self.early: Piece | None = None  # the latest buffer given to transcribe ahead, until a cut takes it
        self._wanted: Piece | None = None  # the early piece whose transcript a piece to come may still use
        self._ahead: dict[tuple[float, int], T] = {}  # early transcripts by the piece they are of
        self.early_held = False  # a probe is in that its reader has not had a block to act on: early pieces wait

    # --- events -------------------------------------------------------------------------------------------

    def piece_cut(self, piece: Piece) -> None:
        """A real piece to transcribe; it goes after the pieces already waiting, and an early piece held before it
        goes now (it may be this piece's head)."""
        self.given += 1
        self.early_held = False
        self._pieces.append(piece)

    def probe_span(self, span: Span) -> None:
        """A span to probe; one still waiting is joined to it (they are contiguous)."""
        if self._probes:
            span = self._probes.pop().joined(span, self.max_span_seconds)
        self._probes.append(span)

    def rehear_span(self, span: Span) -> None:
        """A wider span to hear again, after the probes: only the latest asked for is kept."""
        self._rehear = span

    def early_free(self) -> bool:
        """Whether an early piece may be given now: no real piece waits or runs, and the last early one is done
        (a probe waiting does not hold it back; it goes after the probe)."""
        return self.finished >= self.given and (self.early is None or self.early.key in self._ahead)

    def early_given(self, piece: Piece) -> None:
        """The buffer up to a pause, to transcribe ahead."""
        self.early = self._wanted = piece
        self._pieces.append(piece)

    def take_early(self) -> Piece | None:
        """A cut is made: the latest early piece, for the cut to reuse; it is no longer the latest."""
        early, self.early = self.early, None
        return early

    def forget_early(self) -> None:
        """A real cut that reuses nothing: early pieces still waiting are moot, and transcripts made ahead are
        of no more use (one that finishes after this is kept: equal to a piece, it is that piece's own)."""
        self.early = self._wanted = None
        self._ahead.clear()

    def answer_ended(self) -> list[Span]:
        """The answer is over: the probes still waiting are dropped, and returned."""
        dropped = list(self._probes)
        self._probes.clear()
        self._rehear = None
        return dropped

    def drop_waiting(self) -> None:
        """Nothing waiting will run (transcription failed, or the interview ended)."""
        self._pieces.clear()
        self._probes.clear()
        self._rehear = None

    # --- what runs -----------------------------------------------------------------------------------------

    def runnable(self) -> bool:
        """Whether next() has a job to give now: anything waiting but an early piece held."""
        if self._probes or self._rehear is not None:
            return True
        return bool(self._pieces) and not (self.early_held and self._pieces[0] is self._wanted)

    @property
    def waiting(self) -> int:
        """Jobs given and not yet started, moot ones included until next() passes them."""
        return len(self._pieces) + len(self._probes) + (self._rehear is not None)

    def next(self) -> Job[T] | None:
        """The job to run now, marked as running; None when nothing is left or an early piece is held. Probes
        first; an early piece made moot by a later cut is passed over; a real piece takes its transcript made
        ahead, when there is one."""
        job = self.quick_job()
        while job is None and self._pieces:
            piece = self._pieces.popleft()
            if piece.early:
                if piece is self._wanted and self.early_held:
                    self._pieces.appendleft(piece)
                    break
                if piece is self._wanted:
                    job = Job(JobKind.EARLY, piece=piece)
            else:
                job = Job(JobKind.PIECE, piece=piece, ready=self._ahead.pop(piece.key, None))
        self.running = job
        return job

    def quick_job(self) -> Job[T] | None:
        """The probe (or else the rehearing) waiting, taken while a piece's decoding is paused for it, or as the
        next job; a piece running stays the job running. None when neither waits."""
        if self._probes:
            return Job(JobKind.PROBE, span=self._probes.popleft())
        if self._rehear is not None:
            span, self._rehear = self._rehear, None
            return Job(JobKind.REHEAR, span=span)
        return None

    def job_done(self, job: Job[T], result: T | None = None) -> None:
        """A job is over; an early piece's result is kept for the real piece equal to it."""
        self.running = None
        if job.kind is JobKind.EARLY and job.piece is not None and result is not None:
            self._ahead[job.piece.key] = result
        elif job.kind is JobKind.PIECE:
            self.finished += 1

    # --- what is known ---------------------------------------------------------------------------------------

    @property
    def pending(self) -> bool:
        """A real piece waits or runs."""
        return self.finished < self.given

    def ahead_of_latest(self) -> T | None:
        """The transcript made ahead of the latest early piece, once every real piece is done: what the candidate
        said before the pause, known before the piece is cut."""
        if self.early is None or self.pending:
            return None
        return self._ahead.get(self.early.key)

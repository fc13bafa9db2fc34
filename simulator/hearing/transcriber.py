"""Whisper behind the Transcriber port, whichever engine runs it.

Everything here is the same for both engines (engines.py): the pieces, the
voice gate, the filter for made-up text (filters.py), word times on the answer's clock and
the worker thread, which runs its jobs in the order scheduler.py gives. The engine itself is imported only when a model is loaded,
so the light commands start fast. Loading runs in a background thread while
the interviewer speaks, and goes on while the candidate does: the microphone opens as the question ends,
pieces wait for the model in the worker, and the worker catches up once it is in.
"""

from __future__ import annotations

import threading
from dataclasses import replace

import numpy as np

from simulator.audio import CHUNK_SECONDS, SAMPLE_RATE, AudioChunk
from simulator.config import TranscriberOptions, TranscribeSettings
from simulator.errors import TranscriptionError, UserError, first_line
from simulator.hearing.filters import kept_from, unheard_from
from simulator.hearing.loader import LoadedModel, ModelLoader
from simulator.hearing.pieces import Piece, PieceCutter
from simulator.hearing.probe import Ear, SpanCutter
from simulator.hearing.scheduler import Job, JobKind, Scheduler
from simulator.hearing.vad import SustainedSpeech, VoiceActivity, block_is_speech
from simulator.hearing.whisper_memory import release_free_memory
from simulator.ports import NO_TRACE, Tracer
from simulator.transcript import Heard, Segment, Transcription
from simulator.vocab import Traced

DETAIL_CHARS = 80  # of an engine error quoted in the one-line message
DEFAULTS = TranscriberOptions()


def _span(piece: Piece) -> dict[str, float]:
    """A piece's place in its answer, for the trace."""
    return {"start": float(piece.offset), "end": float(piece.offset + piece.seconds)}


class WhisperTranscriber:
    """Transcribes an answer while it is spoken: pieces cut at pauses go to a worker thread.

    When the answer ends only the last piece is left, so the wait does not grow
    with the answer's length. With stream=False everything waits for the end.
    Silent pieces never reach whisper, and made-up text is dropped and counted. With probe, the speech
    before each short pause is also heard quickly as text (probe.py), for questions put to the interviewer.
    Which job the worker runs next is the scheduler's (scheduler.py); this class cuts, runs and keeps.
    """

    def __init__(self, loader: ModelLoader, settings: TranscribeSettings, stream: bool = True,
                 vad: VoiceActivity | None = None, probe: bool = False,
                 options: TranscriberOptions = DEFAULTS, trace: Tracer = NO_TRACE, live: bool = True) -> None:
        self.loader = loader
        self.live = live  # a live speaker: listen while the model loads; an answer file read at once waits for it
        self.trace = trace
        self._model_ready = False  # the worker has had the model once (for the trace)
        self.settings = settings
        self.stream = stream
        self.probing = probe
        self.vad = vad or VoiceActivity()
        self.options = options
        self._reset()

    def _reset(self) -> None:
        pieces = self.options.pieces
        self._cutter = PieceCutter(pieces if self.stream else replace(pieces, min_seconds=float("inf"),
                                                                      max_seconds=float("inf")))
        self._sustained = SustainedSpeech(self.vad)
        self._schedule: Scheduler[tuple[list[Segment], int]] = Scheduler(self.options.probes.max_span_seconds)
        self._results: list[list[Segment]] = []
        self._done = threading.Condition()  # guards the schedule and what the worker hands back
        self._stopping = False
        self._error: BaseException | None = None
        self._dropped = 0
        self._skipped = 0
        self._cancelled = False
        self._worker: threading.Thread | None = None
        self._spans = SpanCutter(self.options.probes)
        self._ear = Ear(self.options.probes)
        self._covered = 0.0  # answer seconds the finished real pieces reach
        self._reader = False  # someone reads the probes (the turn's end): an early piece waits for each read
        self._read = False  # the latest probe was read
        self._spoken = 0.0  # answer seconds where the latest block of speech ended

    @property
    def running(self) -> JobKind | None:
        """What the worker is on now (a piece, an early piece, a probe), None when idle: the worker's state for a
        screen or a test, without reaching into its thread."""
        with self._done:
            job = self._schedule.running
            return job.kind if job is not None else None

    @property
    def waiting(self) -> int:
        """Jobs given to the worker and not yet started."""
        with self._done:
            return self._schedule.waiting

    def check(self) -> None:
        """A load that has failed already is said now; one still under way is not waited for, so the
        microphone opens as the question ends and nothing the candidate says first is lost. An answer read from a
        file at once loses nothing by waiting, and is then transcribed as it comes, as it always was."""
        if not self.live:
            self.loader.get()
            return
        failed = self.loader.failed()
        if failed is not None:
            raise failed

    def feed(self, chunk: AudioChunk) -> None:
        if self._error is not None:  # say so now rather than after minutes of talk nobody can transcribe
            raise self._error
        self._let_early_go()
        frames = self.vad.heard(chunk)
        if self.probing:
            self._ear.keep(chunk)
        speech = block_is_speech(frames, self.vad.options)
        if speech:
            self._spoken = chunk.end
        span = self._spans.push(chunk, speech) if self.probing else None
        if span is not None:
            self._probe(span)
        pieces = self._cutter.push(chunk, speech, self._sustained.push(frames))
        for piece in pieces:
            for part in self._after_early(piece, same_pause=True):
                self.submit(part)
        if not pieces and self.stream:
            self._transcribe_early()

    def _let_early_go(self, read: bool = False) -> None:
        """A held early piece goes once its reader has read the latest probe and had the rest of that block to ask
        for a rehearing (or `read`: no one will). See _held."""
        with self._done:
            if self._schedule.early_held and (self._read or read):
                self._schedule.early_held = False
                self._done.notify_all()

    def _held(self) -> None:
        """A probe is in: an early piece given now, or waiting, is held until its reader has acted on it.

        The turn's end reads each probe and may ask for its pause to be heard again, in the same block. Given
        first, the transcript made ahead at the pause would go before that rehearing, and faster-whisper, which
        cannot pause within a segment's decoding, would hold the rehearing for all of it (base, espeak-ng: the
        end 1.82 s after the last word, instead of 1.12 s). Held, it starts a block later at most, and a pause
        too short for the probe to be read in loses nothing: it is given, and goes when the read comes."""
        if self._reader:
            self._schedule.early_held = True
            self._read = False

    def flush(self) -> None:
        """The answer is over: its last piece goes to the worker, and nobody waits for it yet.

        The buffer transcribed ahead at the pause the answer ended in is that last piece (the speculative last
        piece): it was decoded as the last piece is, over the same audio once trimmed, so its transcript is
        taken as it is, ready or under way, and only silence follows it. When the candidate spoke again after
        that pause, only what follows it is left in a long last piece; a short one is decoded whole, since a few
        words alone are misheard more often.
        """
        for piece in self._cutter.flush():
            piece = replace(piece, last=True)
            with self._done:
                early = self._schedule.early
            if early is not None and early.offset == piece.offset and early.seconds <= piece.seconds:
                head, tail = piece.split(len(early.samples))
                if not any(tail.speech):  # ended in the pause it was made at: it is the last piece
                    self.submit(replace(head, last=True))
                    continue
                if (piece.seconds > self.options.pieces.min_seconds
                        and tail.seconds >= self.options.early_min_seconds):
                    self.submit(head)
                    self.submit(tail)
                    continue
            self._forget_early()
            self.submit(piece)
        with self._done:
            self._schedule.take_early()
        self._let_early_go(read=True)

    def _after_early(self, piece: Piece, same_pause: bool = False) -> list[Piece]:
        """A cut piece, split where the buffer transcribed ahead at a pause in it ends: the worker takes the
        head's transcript from the early one, so a cut a moment later in the same pause costs no second
        decoding, and what the candidate said before the pause stays in partial() meanwhile. A cut at a later
        pause transcribes its piece whole, for whisper's context; the answer's end takes what follows."""
        with self._done:
            early = self._schedule.take_early()
        if early is not None and early.offset == piece.offset and early.seconds < piece.seconds:
            head, tail = piece.split(len(early.samples))
            if not same_pause or not any(tail.speech):  # a real cut reuses it only within the same pause
                return [head, tail]
        self._forget_early()
        return [piece]

    def _transcribe_early(self) -> None:
        """At a pause, with no piece waiting or under way, transcribe what is buffered: the answer may end here.

        A probe of the same pause does not hold it back: it goes after the probe. Waiting for an idle worker,
        base lost every early transcript of a 1-minute answer to the probes, and the reply waited for an 18 s
        last piece rather than the 10 s after its last pause.
        """
        with self._done:
            free = self._schedule.early_free()
        early = self._cutter.early() if free else None
        if early is None or not early.voiced or early.seconds < self.options.early_min_seconds:
            return
        self._start_worker()
        with self._done:
            self._schedule.early_given(early)
            self._done.notify_all()

    def _probe(self, span: Span) -> None:
        """Queue a span to probe; the scheduler joins it to one still waiting."""
        self._start_worker()
        with self._done:
            self._schedule.probe_span(span)
            self._done.notify_all()

    def heard(self, since: float) -> Heard | None:
        """What the probes heard of the speech after `since` (answer seconds), once they are done with it."""
        with self._done:
            self._reader = self._read = True
            return self._ear.since(since)

    def rehear(self, until: float) -> Heard | None:
        """The speech up to `until` (answer seconds, where it stopped at a pause) heard again as one span, with
        the sentence heard before it (as the decoding's prefix, see Ear.ask) or up to ProbeOptions.wide_seconds of
        what came before it: asked for on the first call, given once heard.

        A short closing sentence heard alone is often misheard (base: "And that's my design." as "And a smite
        design."); with the sentence before it, whisper has it right, far sooner than the transcript would.
        """
        with self._done:
            if until in self._ear.reheard:
                return self._ear.reheard[until]
            span = self._ear.ask(until)
        if span is not None:
            self._start_worker()
            with self._done:
                self._schedule.rehear_span(span)
                self._done.notify_all()
        return None

    def _forget_early(self) -> None:
        """A real cut: transcripts made ahead of it are of no more use (equal to it, they are its own)."""
        with self._done:
            self._schedule.forget_early()

    def settle(self, timeout: float | None = None) -> bool:
        """Wait up to timeout seconds for every piece so far; say whether all are transcribed."""
        with self._done:
            return self._done.wait_for(lambda: not self._schedule.pending or self._error is not None, timeout)

    def partial(self) -> list[Segment]:
        """What is transcribed so far, in order: enough to choose a follow-up before the last piece is in.

        It includes what was transcribed ahead at the latest pause, so what the candidate said just before
        pausing (a question, say) is known before the piece is cut.
        """
        with self._done:
            heard = [s for piece in self._results for s in piece]
            ahead = self._schedule.ahead_of_latest()
            if ahead is not None:
                heard += ahead[0]
            return heard

    def written(self, since: float) -> Heard | None:
        """The transcript's own words after `since` (answer seconds), what was transcribed ahead at the latest
        pause included, reaching as far as it has transcribed; None when it has no words there yet."""
        with self._done:
            reach = self._covered
            early = self._schedule.early
            segments = [s for piece in self._results for s in piece]
            ahead = self._schedule.ahead_of_latest()
            if early is not None and ahead is not None:
                reach = max(reach, early.offset + early.seconds)
                segments += ahead[0]
        after = [s for s in segments if s.end > since]
        if not after:
            return None
        return Heard(after[0].start, reach, " ".join(s.text.strip() for s in after))

    def draft(self, timeout: float | None = 0) -> list[Segment] | None:
        """The answer to its last words as soon as they are heard, for choosing the reply: the whole transcript
        once it is in; before that, the transcript so far and then what the quick hearing made of the rest, once
        the quick hearing has reached where the speech stopped. None when neither is in within timeout seconds.

        The question then need not wait for the last piece's decoding (seconds on a laptop with openai-whisper):
        the quick hearing is done about half a second after the last word, and the transcript follows for the
        report.
        """
        with self._done:
            self._done.wait_for(lambda: self._error is not None or not self._schedule.pending
                                or self._heard_rest() is not None, timeout)
            segments = [s for piece in self._results for s in piece]
            if not self._schedule.pending:
                return segments
            rest = self._heard_rest()
            if rest is None:
                return None
            return segments + ([Segment(rest.start, rest.speech_end, rest.text)] if rest.text else [])

    def _heard_rest(self) -> Heard | None:
        """What the quick hearing made of the speech after the finished pieces, once it reaches the speech's end
        (under the lock)."""
        if self._spoken <= self._covered:
            return Heard(self._covered, self._covered, "")
        rest = self._ear.since(self._covered)
        if rest is None or rest.speech_end < self._spoken - CHUNK_SECONDS:
            return None
        return rest

    def finish(self) -> Transcription:
        with self._done:
            self._schedule.answer_ended()  # nobody is waiting for a question's reply any more
        self.flush()
        self._stop()
        error = self._error
        done = Transcription(self.partial(), self._dropped, self._skipped)
        self._reset()
        if error is not None:
            raise error
        return done

    def close(self) -> None:
        """Skip what is queued and wait for the piece under way: exiting while torch runs in a thread aborts."""
        self._cancelled = True
        self._stop()
        self._reset()

    def _stop(self) -> None:
        """Let the worker run what is left (nothing, once cancelled) and wait for it to end."""
        if self._worker is not None:
            with self._done:
                self._stopping = True
                self._done.notify_all()
            self._worker.join()

    def submit(self, piece: Piece) -> None:
        """Queue a piece as it is, past the cutter: a silent one is counted as skipped and never decoded."""
        self.trace.event(Traced.CUT, **_span(piece), last=piece.last, voiced=piece.voiced)
        if not piece.voiced:
            self._skipped += 1
            return
        self._start_worker()
        with self._done:
            self._schedule.piece_cut(piece)
            self._done.notify_all()

    def _start_worker(self) -> None:
        if self._worker is None:
            self._worker = threading.Thread(target=self._work, name="transcriber", daemon=True)
            self._worker.start()

    def _work(self) -> None:
        while True:
            with self._done:
                self._done.wait_for(lambda: self._stopping or self._schedule.runnable()
                                    or (self._error is not None or self._cancelled) and self._schedule.waiting > 0)
                if self._error is not None or self._cancelled:
                    self._schedule.drop_waiting()
                job = self._schedule.next()
                if job is None:
                    if self._stopping:
                        return
                    continue
            if job.kind in (JobKind.PROBE, JobKind.REHEAR):
                self._run_probe(job)
                continue
            assert job.piece is not None
            self.trace.event(Traced.DECODE_START, job=job.kind.value, **_span(job.piece), last=job.piece.last,
                             reused=job.ready is not None)
            result = job.ready if job.ready is not None else self._transcribe_piece(job.piece)
            self.trace.event(Traced.DECODE_END, job=job.kind.value, **_span(job.piece), segments=len(result[0]))
            release_free_memory()
            with self._done:
                if job.kind is JobKind.PIECE:
                    kept, dropped = result
                    self._results.append(kept)
                    self._dropped += dropped
                    self._covered = max(self._covered, job.piece.offset + job.piece.seconds)
                self._schedule.job_done(job, result)
                self._done.notify_all()

    def _run_probe(self, job: Job[tuple[list[Segment], int]]) -> None:
        """A probe's text, kept for heard(): someone may be waiting for a reply."""
        self._hear(job)
        with self._done:
            self._schedule.job_done(job)
            self._done.notify_all()

    def _probe_between(self) -> None:
        """Called by the engine while it decodes a piece: a probe given meanwhile runs now, and the piece waits.
        With openai-whisper, a 10 s piece took 5.5 s on base, and the closing sentence's probe waited for all
        of it before the interviewer could know the answer was over."""
        with self._done:
            job = self._schedule.quick_job()
        if job is not None:
            self._hear(job, between=True)

    def _hear(self, job: Job[tuple[list[Segment], int]], between: bool = False) -> None:
        span = job.span
        assert span is not None
        wide = job.kind is JobKind.REHEAR
        self.trace.event(Traced.PROBE_START, start=float(span.start), end=float(span.speech_end), between=between,
                         wide=wide, prefix=bool(span.prefix))
        with self._done:
            context = "" if wide else self._ear.context(span)
        try:
            text = self.quick(span.samples, context, span.prefix)
        except Exception:  # the transcript's own decoding says what is wrong with the model
            text = ""
        self.trace.event(Traced.PROBE_END, start=float(span.start), end=float(span.speech_end), text=text)
        with self._done:
            self._ear.took(span, text, wide)
            if not wide:
                self._held()
            self._done.notify_all()

    def _transcribe_piece(self, piece: Piece) -> tuple[list[Segment], int]:
        """The piece's segments on the answer's clock, and how many made-up ones were dropped; a failure is
        kept for feed() and finish() to raise in the loop's thread."""
        kept: list[Segment] = []
        dropped = 0
        try:
            piece = piece.trimmed(self.options.pieces.trim_margin_seconds)
            samples = piece.samples
            if piece.last or piece.early:  # an answer cut off on its last word: whisper would go on inventing
                # what came next; an early piece is decoded as the last piece it may turn out to be
                pad = np.zeros(int(self.options.last_pad_seconds * SAMPLE_RATE), np.float32)
                samples = np.concatenate([samples, pad])
            # the reply waits for the last piece, and an answer to a question for the early one: one decoding
            # pass, not up to six at rising temperatures
            fallback = not (piece.last or piece.early)
            segments = self.transcribe(samples, fallback=fallback)
            again = unheard_from(piece, segments, self.options)
            if again is not None:  # once: the rest of the piece, which whisper passed over
                rest = self.transcribe(samples[int(again * SAMPLE_RATE):], fallback=fallback)
                segments = [s for s in segments if s.start < again] + [s.shifted(again) for s in rest]
            kept, dropped = kept_from(piece, segments, self.options, self.settings.decoding)
        except UserError as exc:  # the model never loaded (pieces wait for it): its own sentence says how to fix it
            self._error = exc
        except Exception as exc:  # handed to feed() and finish(), in the loop's thread
            detail = first_line(exc)
            detail = detail if len(detail) <= DETAIL_CHARS else detail[:DETAIL_CHARS - 3] + "..."
            self._error = TranscriptionError(
                f"Whisper failed while transcribing the answer ({type(exc).__name__}: {detail}), so the model "
                f"may be damaged; {self.loader.spec.fix}.")
        except BaseException as exc:
            self._error = exc
        return kept, dropped

    def quick(self, audio: np.ndarray, context: str = "", prefix: str = "") -> str:
        """A span's text through the engine's probe: fast, for the interviewer's ear only; context, the words
        heard just before it, is its decode prompt; prefix, the words heard at its start, which whisper takes as
        written already and does not write again."""
        return self._model().probe(audio, self.settings, context, prefix)

    def transcribe(self, audio: np.ndarray, fallback: bool = True) -> list[Segment]:
        """One piece through the engine; fallback=False is the last piece's single bounded pass."""
        if audio.size == 0:
            return []
        return self._model().decode(audio, self.settings, last=not fallback, between=self._probe_between)

    def _model(self) -> LoadedModel:
        """The model, waited for while it loads; the trace notes when the worker first has it."""
        model = self.loader.get()
        if not self._model_ready:
            self._model_ready = True
            self.trace.event(Traced.MODEL_READY)
        return model

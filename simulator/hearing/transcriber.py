"""Whisper behind the Transcriber port, whichever engine runs it.

Everything here is the same for both engines (engines.py): the pieces, the
voice gate, the filter for made-up text, word times on the answer's clock and
the worker thread. The engine itself is imported only when a model is loaded,
so the light commands start fast. Loading runs in a background thread while
the interviewer speaks.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from dataclasses import replace

import numpy as np

from simulator.audio import SAMPLE_RATE, AudioChunk
from simulator.config import TranscribeSettings
from simulator.errors import TranscriptionError, first_line
from simulator.hearing.engines import LOOP_COMPRESSION_RATIO, compression_ratio
from simulator.hearing.loader import ModelLoader
from simulator.hearing.pieces import MIN_PIECE_SECONDS, Piece, PieceCutter
from simulator.hearing.probe import Span, SpanCutter, heard_since
from simulator.hearing.vad import SustainedSpeech, VoiceActivity, block_is_speech
from simulator.hearing.whisper_memory import release_free_memory
from simulator.transcript import Heard, Segment, Transcription

NO_SPEECH_PROB = 0.6
SURE_NO_SPEECH_PROB = 0.8
SHORT_WORDS = 3
MAX_WORDS_PER_SECOND = 10.0  # nobody talks this fast; whisper's invented endings come out at 40 words a second
FAST_MIN_WORDS = 4  # a word or three may be squeezed into a short span by the timing and still be real
REPEAT_MIN_WORDS = 4  # "Okay. Okay." is speech; a whole sentence again, at once, is a loop
EARLY_MIN_SECONDS = 3.0  # the least worth transcribing ahead, and the shortest tail decoded on its own
PROBE = object()  # a job marker: probes are waiting, and go before any piece
LAST_PAD_SECONDS = 0.5  # silence after the last piece; without it base looped on an ending: 8.9 s, not 3.8 s
DETAIL_CHARS = 80  # of an engine error quoted in the one-line message


def is_hallucination(segment: Segment) -> bool:
    """Text whisper made up: a repeated-phrase loop, or words where it thinks nobody spoke."""
    text = segment.text.strip()
    if len(text) >= 24:
        if compression_ratio(text) > LOOP_COMPRESSION_RATIO:
            return True
    if segment.no_speech_prob > NO_SPEECH_PROB and segment.avg_logprob < -1.0:
        return True  # whisper's own rule for text over silence
    words = len(text.split())
    if words >= FAST_MIN_WORDS and words > MAX_WORDS_PER_SECOND * max(0.0, segment.end - segment.start):
        return True  # a sentence squeezed into a blink where the audio ends: "I'm going to start with the first one."
    # a word or three where whisper is all but sure nobody spoke: " you", "Thank you." on silence
    return segment.no_speech_prob > SURE_NO_SPEECH_PROB and words <= SHORT_WORDS


def is_repeat(segment: Segment, previous: Segment | None) -> bool:
    """The sentence just before, word for word: a loop that whisper spreads over segments of its own, each
    too short for the compression test."""
    if previous is None:
        return False
    words = segment.text.lower().split()
    return len(words) >= REPEAT_MIN_WORDS and words == previous.text.lower().split()


def _heard(piece: Piece, segment: Segment) -> bool:
    """Some of the segment lies where the voice detector heard speech."""
    spans = [(w.start, w.end) for w in segment.words] or [(segment.start, segment.end)]
    return any(piece.heard_between(start, end) for start, end in spans)


class WhisperTranscriber:
    """Transcribes an answer while it is spoken: pieces cut at pauses go to a worker thread.

    When the answer ends only the last piece is left, so the wait does not grow
    with the answer's length. With stream=False everything waits for the end.
    Silent pieces never reach whisper, and made-up text is dropped and counted. With probe, the speech
    before each short pause is also heard quickly as text (probe.py), for questions put to the interviewer.
    """

    def __init__(self, loader: ModelLoader, settings: TranscribeSettings, stream: bool = True,
                 vad: VoiceActivity | None = None, probe: bool = False) -> None:
        self.loader = loader
        self.settings = settings
        self.stream = stream
        self.probing = probe
        self.vad = vad or VoiceActivity()
        self._reset()

    def _reset(self) -> None:
        self._cutter = PieceCutter() if self.stream else PieceCutter(min_seconds=float("inf"),
                                                                     max_seconds=float("inf"))
        self._sustained = SustainedSpeech(self.vad)
        self._jobs: queue.Queue[Piece | object | None] = queue.Queue()
        self._results: list[list[Segment]] = []
        self._done = threading.Condition()
        self._submitted = 0
        self._error: BaseException | None = None
        self._dropped = 0
        self._skipped = 0
        self._cancelled = False
        self._worker: threading.Thread | None = None
        self._early: Piece | None = None  # the latest buffer transcribed ahead, at a pause
        self._wanted: Piece | None = None  # the early piece whose transcript a piece to come may still use
        self._early_done: dict[tuple[float, int], tuple[list[Segment], int]] = {}
        self._busy = False  # the worker is on a piece
        self._spans = SpanCutter()
        self._probe_jobs: deque[Span] = deque()
        self._probes: list[Heard] = []

    def check(self) -> None:
        """Wait for the model before the candidate speaks: a failed load is said now, not after the answer,
        and the import does not compete with the microphone's callback for the interpreter."""
        self.loader.get()

    def feed(self, chunk: AudioChunk) -> None:
        if self._error is not None:  # say so now rather than after minutes of talk nobody can transcribe
            raise self._error
        frames = self.vad.heard(chunk)
        speech = block_is_speech(frames)
        span = self._spans.push(chunk, speech) if self.probing else None
        if span is not None:
            self._probe(span)
        pieces = self._cutter.push(chunk, speech, self._sustained.push(frames))
        for piece in pieces:
            for part in self._after_early(piece, same_pause=True):
                self._submit(part)
        if not pieces and self.stream:
            self._transcribe_early()

    def flush(self) -> None:
        """The answer is over: its last piece goes to the worker, and nobody waits for it yet.

        When the buffer up to a pause in a long last piece was transcribed already, only what follows that
        pause is left; a short one is decoded whole, since a few words alone are misheard more often.
        """
        for piece in self._cutter.flush():
            early = self._early
            if (early is not None and piece.seconds > MIN_PIECE_SECONDS
                    and piece.seconds - early.seconds >= EARLY_MIN_SECONDS):
                *done, piece = self._after_early(piece)
                for head in done:
                    self._submit(head)
            else:
                self._forget_early()
            self._submit(replace(piece, last=True))
        self._early = None

    def _after_early(self, piece: Piece, same_pause: bool = False) -> list[Piece]:
        """A cut piece, split where the buffer transcribed ahead at a pause in it ends: the worker takes the
        head's transcript from the early one, so a cut a moment later in the same pause costs no second
        decoding, and what the candidate said before the pause stays in partial() meanwhile. A cut at a later
        pause transcribes its piece whole, for whisper's context; the answer's end takes what follows."""
        early, self._early = self._early, None
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
            free = len(self._results) >= self._submitted and (
                self._early is None or self._early.key in self._early_done)
        early = self._cutter.early() if free else None
        if early is None or not early.voiced or early.seconds < EARLY_MIN_SECONDS:
            return
        self._early = self._wanted = early
        self._start_worker()
        self._jobs.put(early)

    def _probe(self, span: Span) -> None:
        """Queue a span to probe; one still waiting is joined to it (they are contiguous), so probes never pile
        up behind a busy worker."""
        self._start_worker()
        with self._done:
            if self._probe_jobs:
                span = self._probe_jobs.pop().joined(span)
            self._probe_jobs.append(span)
        self._jobs.put(PROBE)

    def heard(self, since: float) -> Heard | None:
        """What the probes heard of the speech after `since` (answer seconds), once they are done with it."""
        with self._done:
            return heard_since(self._probes, since)

    def _forget_early(self) -> None:
        """A real cut: transcripts made ahead of it are of no more use (equal to it, they are its own)."""
        self._early = self._wanted = None
        with self._done:
            self._early_done.clear()

    def settle(self, timeout: float | None = None) -> bool:
        """Wait up to timeout seconds for every piece so far; say whether all are transcribed."""
        with self._done:
            return self._done.wait_for(lambda: len(self._results) >= self._submitted or self._error is not None,
                                       timeout)

    def partial(self) -> list[Segment]:
        """What is transcribed so far, in order: enough to choose a follow-up before the last piece is in.

        It includes what was transcribed ahead at the latest pause, so what the candidate said just before
        pausing (a question, say) is known before the piece is cut.
        """
        with self._done:
            heard = [s for piece in self._results for s in piece]
            ahead = self._early_done.get(self._early.key) if self._early is not None else None
            if ahead is not None and len(self._results) >= self._submitted:
                heard += ahead[0]
            return heard

    def finish(self) -> Transcription:
        with self._done:
            self._probe_jobs.clear()  # the answer is over: nobody is waiting for a question's reply
        self.flush()
        if self._worker is not None:
            self._jobs.put(None)
            self._worker.join()
        error = self._error
        done = Transcription(self.partial(), self._dropped, self._skipped)
        self._reset()
        if error is not None:
            raise error
        return done

    def close(self) -> None:
        """Skip what is queued and wait for the piece under way: exiting while torch runs in a thread aborts."""
        self._cancelled = True
        if self._worker is not None and self._worker.is_alive():
            self._jobs.put(None)
            self._worker.join()
        self._reset()

    def _submit(self, piece: Piece) -> None:
        if not piece.voiced:
            self._skipped += 1
            return
        self._start_worker()
        with self._done:
            self._submitted += 1
        self._jobs.put(piece)

    def _start_worker(self) -> None:
        if self._worker is None:
            self._worker = threading.Thread(target=self._work, name="transcriber", daemon=True)
            self._worker.start()

    def _work(self) -> None:
        while (piece := self._jobs.get()) is not None:
            if self._error is not None or self._cancelled:
                continue
            self._run_probes()
            if piece is PROBE or (piece.early and piece is not self._wanted):  # a cut since made it moot
                continue
            with self._done:
                ready = self._early_done.pop(piece.key, None) if not piece.early else None
                self._busy = ready is None
            kept, dropped = ready if ready is not None else self._transcribe_piece(piece)
            release_free_memory()
            with self._done:
                self._busy = False
                if piece.early:
                    self._early_done[piece.key] = (kept, dropped)
                else:
                    self._results.append(kept)
                    self._dropped += dropped
                self._done.notify_all()

    def _run_probes(self) -> None:
        """Every probe waiting, before the next piece: someone may be waiting for a reply."""
        while True:
            with self._done:
                if not self._probe_jobs:
                    return
                span = self._probe_jobs.popleft()
                self._busy = True
            try:
                text = self.quick(span.samples)
            except Exception:  # the transcript's own decoding says what is wrong with the model
                text = ""
            with self._done:
                self._busy = False
                self._probes.append(Heard(span.start, span.speech_end, text))
                self._done.notify_all()

    def _transcribe_piece(self, piece: Piece) -> tuple[list[Segment], int]:
        """The piece's segments on the answer's clock, and how many made-up ones were dropped; a failure is
        kept for feed() and finish() to raise in the loop's thread."""
        kept: list[Segment] = []
        dropped = 0
        try:
            piece = piece.trimmed()
            previous = None
            samples = piece.samples
            if piece.last:  # an answer cut off on its last word: whisper would go on inventing what came next
                samples = np.concatenate([samples, np.zeros(int(LAST_PAD_SECONDS * SAMPLE_RATE), np.float32)])
            # the reply waits for the last piece, and an answer to a question for the early one: one decoding
            # pass, not up to six at rising temperatures
            for segment in self.transcribe(samples, fallback=not (piece.last or piece.early)):
                if segment.start >= piece.seconds:  # wholly in the silence added
                    dropped += 1
                    previous = segment
                    continue
                segment = segment.ended_by(piece.seconds)
                if is_hallucination(segment) or is_repeat(segment, previous) or not _heard(piece, segment):
                    dropped += 1
                else:
                    kept.append(segment.shifted(piece.offset))
                previous = segment
        except Exception as exc:  # handed to feed() and finish(), in the loop's thread
            detail = first_line(exc)
            detail = detail if len(detail) <= DETAIL_CHARS else detail[:DETAIL_CHARS - 3] + "..."
            self._error = TranscriptionError(
                f"Whisper failed while transcribing the answer ({type(exc).__name__}: {detail}), so the model "
                f"may be damaged; {self.loader.spec.fix}.")
        except BaseException as exc:
            self._error = exc
        return kept, dropped

    def quick(self, audio: np.ndarray) -> str:
        """A span's text through the engine's probe: fast, for the interviewer's ear only."""
        return self.loader.get().probe(audio, self.settings)

    def transcribe(self, audio: np.ndarray, fallback: bool = True) -> list[Segment]:
        """One piece through the engine; fallback=False is the last piece's single bounded pass."""
        if audio.size == 0:
            return []
        model = self.loader.get()
        return model.decode(audio, self.settings, last=not fallback)

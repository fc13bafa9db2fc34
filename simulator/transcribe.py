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
import zlib
from dataclasses import replace

import numpy as np

from .audio import AudioChunk
from .config import TranscribeSettings
from .engines import decoder
from .errors import TranscriptionError, first_line
from .models import ModelLoader
from .pieces import Piece, PieceCutter
from .transcript import Segment, Transcription
from .vad import SustainedSpeech, VoiceActivity, block_is_speech
from .whisper_memory import release_free_memory

LOOP_COMPRESSION_RATIO = 2.4  # whisper's own mark of a repetition loop
NO_SPEECH_PROB = 0.6
SURE_NO_SPEECH_PROB = 0.8
SHORT_WORDS = 3
DETAIL_CHARS = 80  # of an engine error quoted in the one-line message


def is_hallucination(segment: Segment) -> bool:
    """Text whisper made up: a repeated-phrase loop, or words where it thinks nobody spoke."""
    text = segment.text.strip()
    if len(text) >= 24:
        ratio = len(text.encode()) / len(zlib.compress(text.encode()))
        if ratio > LOOP_COMPRESSION_RATIO:
            return True
    if segment.no_speech_prob > NO_SPEECH_PROB and segment.avg_logprob < -1.0:
        return True  # whisper's own rule for text over silence
    # a word or three where whisper is all but sure nobody spoke: " you", "Thank you." on silence
    return segment.no_speech_prob > SURE_NO_SPEECH_PROB and len(text.split()) <= SHORT_WORDS


def _heard(piece: Piece, segment: Segment) -> bool:
    """Some of the segment lies where the voice detector heard speech."""
    spans = [(w.start, w.end) for w in segment.words] or [(segment.start, segment.end)]
    return any(piece.heard_between(start, end) for start, end in spans)


class WhisperTranscriber:
    """Transcribes an answer while it is spoken: pieces cut at pauses go to a worker thread.

    When the answer ends only the last piece is left, so the wait does not grow
    with the answer's length. With stream=False everything waits for the end.
    Silent pieces never reach whisper, and made-up text is dropped and counted.
    """

    def __init__(self, loader: ModelLoader, settings: TranscribeSettings, stream: bool = True,
                 vad: VoiceActivity | None = None) -> None:
        self.loader = loader
        self.settings = settings
        self.stream = stream
        self.vad = vad or VoiceActivity()
        self._reset()

    def _reset(self) -> None:
        self._cutter = PieceCutter() if self.stream else PieceCutter(min_seconds=float("inf"),
                                                                     max_seconds=float("inf"))
        self._sustained = SustainedSpeech(self.vad)
        self._jobs: queue.Queue[Piece | None] = queue.Queue()
        self._results: list[list[Segment]] = []
        self._done = threading.Condition()
        self._submitted = 0
        self._error: BaseException | None = None
        self._dropped = 0
        self._skipped = 0
        self._cancelled = False
        self._worker: threading.Thread | None = None

    def check(self) -> None:
        """Wait for the model before the candidate speaks: a failed load is said now, not after the answer,
        and the import does not compete with the microphone's callback for the interpreter."""
        self.loader.get()

    def feed(self, chunk: AudioChunk) -> None:
        if self._error is not None:  # say so now rather than after minutes of talk nobody can transcribe
            raise self._error
        frames = self.vad.frames(chunk.samples)
        for piece in self._cutter.push(chunk, block_is_speech(frames), self._sustained.push(frames)):
            self._submit(piece)

    def flush(self) -> None:
        """The answer is over: its last piece goes to the worker, and nobody waits for it yet."""
        for piece in self._cutter.flush():
            self._submit(replace(piece, last=True))

    def settle(self, timeout: float | None = None) -> bool:
        """Wait up to timeout seconds for every piece so far; say whether all are transcribed."""
        with self._done:
            return self._done.wait_for(lambda: len(self._results) >= self._submitted or self._error is not None,
                                       timeout)

    def partial(self) -> list[Segment]:
        """What is transcribed so far, in order: enough to choose a follow-up before the last piece is in."""
        with self._done:
            return [s for piece in self._results for s in piece]

    def finish(self) -> Transcription:
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
        if self._worker is None:
            self._worker = threading.Thread(target=self._work, name="transcriber", daemon=True)
            self._worker.start()
        with self._done:
            self._submitted += 1
        self._jobs.put(piece)

    def _work(self) -> None:
        while (piece := self._jobs.get()) is not None:
            if self._error is not None or self._cancelled:
                continue
            kept: list[Segment] = []
            try:
                piece = piece.trimmed()
                # the reply waits for the last piece: one decoding pass, not up to six at rising temperatures
                for segment in self.transcribe(piece.samples, fallback=not piece.last):
                    if is_hallucination(segment) or not _heard(piece, segment):
                        self._dropped += 1
                    else:
                        kept.append(segment.shifted(piece.offset))
            except Exception as exc:  # handed to feed() and finish(), in the loop's thread
                detail = first_line(exc)
                detail = detail if len(detail) <= DETAIL_CHARS else detail[:DETAIL_CHARS - 3] + "..."
                self._error = TranscriptionError(
                    f"Whisper failed while transcribing the answer ({type(exc).__name__}: {detail}), so the model "
                    f"may be damaged; {self.loader.spec.fix}.")
            except BaseException as exc:
                self._error = exc
            release_free_memory()
            with self._done:
                self._results.append(kept)
                self._done.notify_all()

    def transcribe(self, audio: np.ndarray, fallback: bool = True) -> list[Segment]:
        """One piece through the engine; fallback=False is the last piece's single bounded pass."""
        if audio.size == 0:
            return []
        model = self.loader.get()
        return decoder(self.loader.spec.engine).decode(model, audio, self.settings, last=not fallback)

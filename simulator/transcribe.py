"""Whisper behind the Transcriber port.

whisper (and with it torch) is imported only when a model is loaded, so the
light commands start fast. Loading runs in a background thread while the
interviewer speaks.
"""

from __future__ import annotations

import math
import os
import queue
import threading
import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .audio import SAMPLE_RATE, AudioChunk
from .config import FILLER_PROMPT, TranscribeSettings
from .errors import UserError
from .pieces import Piece, PieceCutter
from .transcript import Segment, Word
from .vad import SustainedSpeech, VoiceActivity, block_is_speech


# whisper.available_models() as of openai-whisper 20250625, so a known name is checked without importing torch
WHISPER_MODELS = ("tiny.en", "tiny", "base.en", "base", "small.en", "small", "medium.en", "medium", "large-v1",
                  "large-v2", "large-v3", "large", "large-v3-turbo", "turbo")


def whisper_cache_dir() -> Path:
    """Where whisper.load_model keeps downloaded models (it honours XDG_CACHE_HOME)."""
    default = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(os.getenv("XDG_CACHE_HOME", default)) / "whisper"


def cached_model_file(name: str) -> Path | None:
    """The file a named model downloads to, or None if whisper knows no such name."""
    import whisper

    url = whisper._MODELS.get(name)  # the name-to-URL table is whisper's only record of file names
    return whisper_cache_dir() / os.path.basename(url) if url else None


@dataclass(frozen=True)
class ModelSpec:
    """A model as the user named it: a local checkpoint path or one of whisper's names."""

    value: str

    @property
    def is_path(self) -> bool:
        return os.sep in self.value or self.value.endswith(".pt") or Path(self.value).exists()

    def check(self) -> None:
        """Fail early, before anything is recorded, on a path that is not there or a name whisper lacks."""
        if self.is_path:
            path = Path(self.value).expanduser()
            if not path.is_file():
                raise UserError(f"The Whisper checkpoint {path} does not exist; pass --model with the path "
                                "to a .pt file, or a model name such as base.en.")
        elif self.value not in WHISPER_MODELS:
            import whisper  # slow, but only for a name we do not know; whisper may have added models

            if self.value not in whisper.available_models():
                names = ", ".join(whisper.available_models())
                raise UserError(f"Whisper has no model named {self.value!r}; use one of {names}, "
                                "or a checkpoint path.")


def load_whisper(spec: ModelSpec) -> Any:
    """whisper.load_model with every failure turned into one sentence."""
    spec.check()
    try:
        import whisper
    except ImportError as exc:  # pragma: no cover - a broken install
        raise UserError(f"openai-whisper is not installed ({exc}); run `make rehearse` to set up.") from None
    if spec.is_path:
        path = str(Path(spec.value).expanduser())
        try:
            with warnings.catch_warnings():  # torch warns about odd pickles before failing on them
                warnings.simplefilter("ignore")
                return whisper.load_model(path, device="cpu")
        except Exception as exc:
            raise UserError(f"The Whisper checkpoint {path} is corrupt or not a Whisper model "
                            f"({type(exc).__name__}); download it again or pass another --model.") from None
    cached = cached_model_file(spec.value)
    try:
        return whisper.load_model(spec.value, device="cpu")
    except (OSError, ConnectionError) as exc:
        if cached is not None and not cached.exists():
            raise UserError(f"The Whisper model {spec.value} is not downloaded and could not be fetched "
                            f"({type(exc).__name__}); connect to the internet once so it can download, "
                            "or pass --model PATH to a local checkpoint.") from None
        raise UserError(f"The Whisper model {spec.value} could not be loaded ({exc}); "
                        f"delete {cached} so it downloads again, or pass --model PATH.") from None
    except Exception as exc:
        raise UserError(f"The cached Whisper model {cached} is corrupt ({type(exc).__name__}); delete it so it "
                        "downloads again, or pass --model PATH.") from None


class ModelLoader:
    """Loads the model in a background thread; get() waits and re-raises its error."""

    def __init__(self, spec: ModelSpec) -> None:
        self.spec = spec
        self._model: Any = None
        self._error: BaseException | None = None
        self._started = False
        self._thread = threading.Thread(target=self._load, name="whisper-loader", daemon=True)

    def start(self) -> ModelLoader:
        if not self._started:
            self._started = True
            self._thread.start()
        return self

    def failed(self) -> BaseException | None:
        """The load error if the load has already failed (a missing download fails at once)."""
        return None if self._thread.is_alive() else self._error

    def get(self) -> Any:
        self.start()
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._model

    def _load(self) -> None:
        try:
            self._model = load_whisper(self.spec)
        except BaseException as exc:  # handed to the thread that asks for the model
            self._error = exc


MIN_TOKENS = 8


def whisper_options(settings: TranscribeSettings, on_cpu: bool, seconds: float = 30.0) -> dict[str, Any]:
    """Options for whisper's transcribe(): quiet, word times, no fp16 on CPU.

    A token cap is per 30 s of audio, so a short piece gets its share of it, as much as speech that long holds.
    """
    options: dict[str, Any] = {
        "language": settings.language,
        "word_timestamps": True,
        "condition_on_previous_text": False,
        "fp16": not on_cpu,
        "verbose": None,
    }
    if not settings.temperature_fallback:
        options["temperature"] = 0.0
    if settings.sample_len is not None:
        share = math.ceil(settings.sample_len * min(seconds, 30.0) / 30.0)
        options["sample_len"] = max(share, min(settings.sample_len, MIN_TOKENS))
    if settings.keep_fillers:
        options["initial_prompt"] = FILLER_PROMPT
    return options


def segments_from_whisper(result: dict[str, Any]) -> list[Segment]:
    segments = []
    for raw in result.get("segments", []):
        text = str(raw.get("text", "")).strip()
        if not text:
            continue
        words = tuple(Word(str(w["word"]).strip(), round(float(w["start"]), 3), round(float(w["end"]), 3),
                           round(float(w.get("probability", 1.0)), 4)) for w in raw.get("words", []))
        segments.append(Segment(round(float(raw["start"]), 3), round(float(raw["end"]), 3), text, words,
                                round(float(raw.get("no_speech_prob", 0.0)), 4),
                                round(float(raw.get("avg_logprob", 0.0)), 4)))
    return segments


LOOP_COMPRESSION_RATIO = 2.4  # whisper's own mark of a repetition loop
NO_SPEECH_PROB = 0.6


def is_hallucination(segment: Segment) -> bool:
    """Text whisper made up: a repeated-phrase loop, or words where it thinks nobody spoke."""
    text = segment.text.strip()
    if len(text) >= 24:
        ratio = len(text.encode()) / len(zlib.compress(text.encode()))
        if ratio > LOOP_COMPRESSION_RATIO:
            return True
    return segment.no_speech_prob > NO_SPEECH_PROB and segment.avg_logprob < -1.0


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
        self.dropped = 0  # segments dropped as made up, in the last finished answer
        self.skipped_pieces = 0  # silent pieces never sent to whisper, in the last finished answer
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

    def feed(self, chunk: AudioChunk) -> list[Segment]:
        frames = self.vad.frames(chunk.samples)
        for piece in self._cutter.push(chunk, block_is_speech(frames), self._sustained.push(frames)):
            self._submit(piece)
        return []

    def flush(self) -> None:
        """The answer is over: its last piece goes to the worker, and nobody waits for it yet."""
        for piece in self._cutter.flush():
            self._submit(piece)

    def settle(self, timeout: float | None = None) -> bool:
        """Wait up to timeout seconds for every piece so far; say whether all are transcribed."""
        with self._done:
            return self._done.wait_for(lambda: len(self._results) >= self._submitted or self._error is not None,
                                       timeout)

    def partial(self) -> list[Segment]:
        """What is transcribed so far, in order: enough to choose a follow-up before the last piece is in."""
        with self._done:
            return [s for piece in self._results for s in piece]

    def finish(self) -> list[Segment]:
        self.flush()
        if self._worker is not None:
            self._jobs.put(None)
            self._worker.join()
        error = self._error
        segments = self.partial()
        self.dropped, self.skipped_pieces = self._dropped, self._skipped
        self._reset()
        if error is not None:
            raise error
        return segments

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
                for segment in self.transcribe(piece.samples):
                    if is_hallucination(segment):
                        self._dropped += 1
                    else:
                        kept.append(segment.shifted(piece.offset))
            except BaseException as exc:  # handed to finish(), in the loop's thread
                self._error = exc
            with self._done:
                self._results.append(kept)
                self._done.notify_all()

    def transcribe(self, audio: np.ndarray) -> list[Segment]:
        if audio.size == 0:
            return []
        model = self.loader.get()
        on_cpu = getattr(model, "device", None) is None or model.device.type == "cpu"
        options = whisper_options(self.settings, on_cpu, len(audio) / SAMPLE_RATE)
        result = model.transcribe(audio.astype(np.float32), **options)
        return segments_from_whisper(result)

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
from .whisper_memory import release_free_memory, share_encoder_work

# whisper.available_models() as of openai-whisper 20250625, so a known name is checked without importing torch
WHISPER_MODELS = ("tiny.en", "tiny", "base.en", "base", "small.en", "small", "medium.en", "medium", "large-v1",
                  "large-v2", "large-v3", "large", "large-v3-turbo", "turbo")


# the file each name downloads to, where it is not NAME.pt (as whisper's own download table has it)
WHISPER_FILES = {"large": "large-v3.pt", "turbo": "large-v3-turbo.pt"}
WHISPER_KEYS = ("dims", "model_state_dict")  # what whisper.load_model reads from a checkpoint
TORCH_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C  # the first pickle of torch's pre-zip file format


def whisper_cache_dir() -> Path:
    """Where whisper.load_model keeps downloaded models (it honours XDG_CACHE_HOME)."""
    default = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(os.getenv("XDG_CACHE_HOME", default)) / "whisper"


def cached_model_file(name: str) -> Path:
    """The file a named model downloads to; read without importing whisper, so the check costs nothing."""
    return whisper_cache_dir() / WHISPER_FILES.get(name, f"{name}.pt")


def checkpoint_problem(path: Path) -> str | None:
    """What is wrong with a checkpoint file, found without loading its weights; None when it looks whole.

    torch saves a zip whose data.pkl names the top-level keys; reading the pickle's
    opcodes (never running it) shows whether whisper's keys are there.
    """
    import pickletools
    import zipfile

    try:
        if path.stat().st_size == 0:
            return "is empty"
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                pickle_name = next((n for n in archive.namelist() if n.rsplit("/", 1)[-1] == "data.pkl"), None)
                if pickle_name is None:
                    return "is a zip archive, not a PyTorch checkpoint"
                names = {arg for _, arg, _ in pickletools.genops(archive.read(pickle_name)) if isinstance(arg, str)}
        else:  # torch's legacy format: pickles of its magic number, protocol, system info, then the object
            with open(path, "rb") as f:
                pickles = [[arg for _, arg, _ in pickletools.genops(f)] for _ in range(4)]
            if TORCH_LEGACY_MAGIC not in pickles[0]:
                return "is damaged or not a PyTorch checkpoint"
            names = {arg for arg in pickles[3] if isinstance(arg, str)}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        return f"is damaged or not a PyTorch checkpoint ({type(exc).__name__})"
    if not all(key in names for key in WHISPER_KEYS):
        return "is a PyTorch file but not a Whisper model (it has no dims and model_state_dict)"
    return None


@dataclass(frozen=True)
class ModelSpec:
    """A model as the user named it: a local checkpoint path or one of whisper's names."""

    value: str

    @property
    def is_path(self) -> bool:
        try:
            return os.sep in self.value or self.value.endswith(".pt") or Path(self.value).exists()
        except (OSError, ValueError):  # a name too long for the file system
            return False

    @property
    def file(self) -> Path:
        """The checkpoint this spec loads: the path given, or where the named model was downloaded to."""
        return Path(self.value).expanduser() if self.is_path else cached_model_file(self.value)

    def check_name(self) -> None:
        """A name must be one of whisper's; a path is judged by check()."""
        if not self.is_path and self.value not in WHISPER_MODELS:
            import whisper  # slow, but only for a name we do not know; whisper may have added models

            if self.value not in whisper.available_models():
                names = ", ".join(whisper.available_models())
                raise UserError(f"Whisper has no model named {self.value!r}; use one of {names}, "
                                "or a checkpoint path.")

    def check(self) -> None:
        """Fail before anything is recorded or downloaded: a checkpoint that is missing or not whisper's,
        a name whisper lacks, a named model not downloaded yet (a rehearsal never goes online)."""
        self.check_name()
        path = self.file
        if self.is_path and not path.is_file():
            raise UserError(f"The Whisper checkpoint {path} does not exist; pass --model with the path "
                            "to a .pt file, or a model name such as base.en.")
        if not path.is_file():
            raise UserError(f"The Whisper model {self.value} is not downloaded; run `mock-interview download "
                            f"--model {self.value}` once while online, or pass --model PATH to a local checkpoint.")
        problem = checkpoint_problem(path)
        if problem is not None:
            fix = ("download it again or pass another --model" if self.is_path else
                   f"run `mock-interview download --model {self.value}` to fetch it again")
            raise UserError(f"The Whisper checkpoint {path} {problem}; {fix}.")


def load_whisper(spec: ModelSpec) -> Any:
    """whisper.load_model from a file on disk, never the network, with every failure one sentence."""
    spec.check()
    try:
        import whisper
    except ImportError as exc:  # pragma: no cover - a broken install
        raise UserError(f"openai-whisper is not installed ({exc}); run `make rehearse` to set up.") from None
    path = spec.file
    try:
        with warnings.catch_warnings():  # torch warns about odd pickles before failing on them
            warnings.simplefilter("ignore")
            model = whisper.load_model(str(path), device="cpu")
    except Exception as exc:
        fix = ("download it again or pass another --model" if spec.is_path else
               f"run `mock-interview download --model {spec.value}` to fetch it again")
        raise UserError(f"The Whisper checkpoint {path} is corrupt or not a Whisper model "
                        f"({type(exc).__name__}); {fix}.") from None
    set_alignment_heads(model, spec.value if not spec.is_path else Path(spec.value).name.removesuffix(".pt"))
    return model


def set_alignment_heads(model: Any, name: str) -> None:
    """What load_model(name) adds for a named model: the few attention heads that time words best.

    A checkpoint given by path gets them too when its file keeps whisper's name (base.en.pt), rather than
    whisper's fallback of every head in the upper layers, which times words worse and costs more memory.
    """
    import whisper

    heads = getattr(whisper, "_ALIGNMENT_HEADS", {}).get(name)
    if heads is None:
        return
    try:
        model.set_alignment_heads(heads)
    except (ValueError, RuntimeError):  # not that model's shape after all: keep whisper's fallback
        pass


def download_model(name: str) -> Path:
    """Fetch a named model into whisper's cache (whisper checks its SHA-256); the one network use."""
    spec = ModelSpec(name)
    if spec.is_path:
        raise UserError(f"{name} is a local checkpoint; there is nothing to download, pass it with --model.")
    spec.check_name()
    if spec.file.is_file() and checkpoint_problem(spec.file) is None:
        return spec.file
    import whisper

    try:
        whisper.load_model(name, device="cpu", download_root=str(whisper_cache_dir()))
    except Exception as exc:
        raise UserError(f"Could not download the Whisper model {name} ({type(exc).__name__}); check the "
                        "internet connection and try again.") from None
    return spec.file


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
            self._model = share_encoder_work(load_whisper(self.spec))
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
            release_free_memory()
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

"""Which engine runs Whisper: openai-whisper (PyTorch, the default) or faster-whisper (CTranslate2, int8 on CPU).

Both sit behind the same streaming transcriber (transcriber.py), which cuts the
answer into pieces, gates silence, drops made-up text and puts words on the
answer's clock. An engine only loads a model and decodes one piece (loader.py binds the two), under the
same decoding policy, defined here. Nothing here imports either engine, so the
light commands stay light.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import math
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from simulator import vocab
from simulator.config import FILLER_PROMPT, DecodeOptions, TranscribeSettings
from simulator.errors import UserError
from simulator.transcript import Segment, Word

if TYPE_CHECKING:
    import numpy as np


WHISPER = vocab.Engine.WHISPER
FASTER_WHISPER = vocab.Engine.FASTER_WHISPER
ENGINES = (WHISPER, FASTER_WHISPER)
DEFAULT_ENGINE = WHISPER
ENGINE_ENV = "SIMULATOR_ENGINE"

PROBE_MAX_SECONDS = 30.0  # whisper's window
DEFAULTS = DecodeOptions()


@dataclass(frozen=True)
class Engine:
    name: str
    module: str  # what it imports
    package: str  # what pip installs
    install: str  # how to get it, as a clause


ENGINE_INFO = {
    WHISPER: Engine(WHISPER, "whisper", "openai-whisper",
                    "run `make rehearse` to set up, or `pip install --no-deps openai-whisper` (its requirements "
                    "but Triton come with the program; `pip install 'mock-interview[gpu]'` brings them all)"),
    FASTER_WHISPER: Engine(FASTER_WHISPER, "faster_whisper", "faster-whisper",
                           "install it with `pip install 'mock-interview[fast]'` (or `make rehearse "
                           "ENGINE=faster-whisper`), or rehearse with --engine whisper"),
}


def missing(name: str) -> str | None:
    """One sentence saying the engine is not installed and how to install it; None when it is. Found without
    importing it."""
    engine = ENGINE_INFO[name]
    try:
        found = importlib.util.find_spec(engine.module) is not None
    except (ImportError, ValueError):  # a module blocked or half-imported counts as absent
        found = False
    return None if found else f"The {name} engine is not installed; {engine.install}."


def require(name: str) -> None:
    problem = missing(name)
    if problem is not None:
        raise UserError(problem)


def version(name: str) -> str:
    try:
        return f"{ENGINE_INFO[name].package} {importlib.metadata.version(ENGINE_INFO[name].package)}"
    except importlib.metadata.PackageNotFoundError:
        return ENGINE_INFO[name].package


# --- the decoding policy both engines follow -------------------------------------------------------------


def prompt(settings: TranscribeSettings, context: str = "") -> str | None:
    """The initial prompt: fillers when they are to be kept, the question's own terms, and last the words said
    just before the audio (a probe's context), which whisper reads as what it is continuing."""
    text = " ".join(p for p in (FILLER_PROMPT if settings.keep_fillers else None, settings.vocabulary, context) if p)
    return text or None


def token_cap(settings: TranscribeSettings, seconds: float, last: bool = False) -> int | None:
    """Tokens one piece may decode. A cap per 30 s of audio gives a short piece its share of it; the last piece,
    which the reply waits for, gets one pass of at most what speech that long can hold, so a loop at
    temperature 0 cannot run to the model's limit."""
    cap = None
    least = settings.decoding.min_tokens
    if settings.sample_len is not None:
        share = math.ceil(settings.sample_len * min(seconds, 30.0) / 30.0)
        cap = max(share, min(settings.sample_len, least))
    if last:
        bound = math.ceil(seconds * settings.decoding.last_piece_tokens_per_second) + least
        cap = bound if cap is None else min(cap, bound)
    return cap


def single_pass(settings: TranscribeSettings, last: bool) -> bool:
    """Whether to decode once at temperature 0 rather than retry at rising temperatures on a poor result."""
    return last or not settings.temperature_fallback


def probe_window(audio: np.ndarray, options: DecodeOptions = DEFAULTS) -> np.ndarray:
    """A probed span with options.probe_pad_seconds of silence at least, padded to whole seconds: the encoder runs
    over this much rather than 30 s, a fraction of its work for a sentence or two."""
    import numpy as np

    from simulator.audio import SAMPLE_RATE

    pad = options.probe_pad_seconds
    audio = audio[-int(PROBE_MAX_SECONDS * SAMPLE_RATE) + int(pad * SAMPLE_RATE):]
    size = min(math.ceil(len(audio) / SAMPLE_RATE + pad), int(PROBE_MAX_SECONDS)) * SAMPLE_RATE
    window = np.zeros(size, dtype=np.float32)
    window[:len(audio)] = audio
    return window


def probe_tokens(seconds: float, options: DecodeOptions = DEFAULTS) -> int:
    return math.ceil(seconds * options.last_piece_tokens_per_second) + options.min_tokens


def probe_text(text: str, no_speech_prob: float, avg_logprob: float, options: DecodeOptions = DEFAULTS) -> str:
    """A probe's text, or "" when it is likely made up: no speech by whisper's own judgement, or a loop."""
    said: list[str] = []
    for sentence in re.split(r"(?<=[.?!])\s+", " ".join(text.split())):
        if sentence and (not said or sentence.lower() != said[-1].lower()):
            said.append(sentence)  # a sentence said again at once is whisper looping
    text = " ".join(said)
    if not text or math.isnan(avg_logprob):
        return ""
    if no_speech_prob > options.probe_no_speech and avg_logprob < options.probe_low_logprob:
        return ""
    if len(text) > 20 and compression_ratio(text) > options.loop_compression_ratio:
        return ""
    return text


class RawWord(NamedTuple):
    """A word as an engine gives it, before it is rounded into the transcript's Word."""

    word: str
    start: float
    end: float
    probability: float


class RawSegment(NamedTuple):
    """A segment as an engine gives it, whichever engine: each reads its own result into these."""

    start: float
    end: float
    text: str
    words: tuple[RawWord, ...]
    no_speech_prob: float
    avg_logprob: float


def decoded(raw: Iterable[RawSegment]) -> list[Segment]:
    """An engine's segments as the transcript's, empty ones left out; a NaN score is an error, since greedy
    decoding carries on regardless and its text is then noise."""
    found = list(raw)
    if any(math.isnan(float(s.avg_logprob)) for s in found):
        raise ValueError("the model's scores are not numbers (NaN)")
    segments = []
    for s in found:
        text = str(s.text).strip()
        if not text:
            continue
        words = tuple(Word(str(w.word).strip(), round(float(w.start), 3), round(float(w.end), 3),
                           round(float(w.probability), 4)) for w in s.words)
        segments.append(Segment(round(float(s.start), 3), round(float(s.end), 3), text, words,
                                round(float(s.no_speech_prob), 4), round(float(s.avg_logprob), 4)))
    return segments


def compression_ratio(text: str) -> float:
    """How much better the text compresses than speech would: a loop of the same phrase compresses well."""
    raw = text.encode()
    return len(raw) / len(zlib.compress(raw))

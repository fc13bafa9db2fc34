"""faster-whisper: the same Whisper models on CTranslate2, int8 on CPU, in well under half the memory.

It loads a faster-whisper (CTranslate2) folder as it is; a model.bin split
into parts is joined once into the model cache (models_faster.py). Decoding
follows the same policy as the default engine: greedy at temperature 0, with
Whisper's fallback to higher temperatures while the candidate talks, the
question's terms as the prompt, word times, and no context carried between
pieces. faster_whisper is imported only when a model is loaded.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np

from simulator.audio import SAMPLE_RATE
from simulator.config import TranscribeSettings
from simulator.errors import UserError, first_line
from simulator.hearing.engines import (
    FASTER_WHISPER,
    RawSegment,
    RawWord,
    decoded,
    probe_text,
    probe_tokens,
    probe_window,
    prompt,
    require,
    single_pass,
    token_cap,
)
from simulator.hearing.models import ModelSpec
from simulator.transcript import Segment

COMPUTE_TYPE = "int8"  # on CPU: a quarter of float32's weight memory, and faster
# CTranslate2's Whisper stops at about half of faster-whisper's max_new_tokens (a budget of 10, 20, 30 or 40
# decodes 5, 10, 15 or 20 tokens), so a cap of N tokens is asked for as 2N; and the prompt with the new tokens
# must stay within the model's 448, or faster-whisper refuses the piece (the prompt keeps at most 227)
BUDGET_PER_TOKEN = 2
MAX_NEW_TOKENS = 220


def cpu_threads() -> int:
    """As many threads as cores this process may use, as PyTorch does (CTranslate2 would take 4)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def load(spec: ModelSpec) -> Any:
    spec.check()
    require(FASTER_WHISPER)
    try:
        from faster_whisper import WhisperModel
    except ImportError as exc:
        raise UserError(f"faster-whisper is installed but does not import ({first_line(exc)}); reinstall it with "
                        "`pip install --force-reinstall 'mock-interview[fast]'`.") from None
    folder = spec.file
    try:
        return WhisperModel(str(folder), device="cpu", compute_type=COMPUTE_TYPE, cpu_threads=cpu_threads(),
                            num_workers=1, local_files_only=True)
    except Exception as exc:
        raise UserError(f"The faster-whisper model {folder} is corrupt or not a Whisper model "
                        f"({type(exc).__name__}); {spec.fix}.") from None


def options(settings: TranscribeSettings, seconds: float, last: bool = False) -> dict[str, Any]:
    """faster-whisper's transcribe() options for one piece: openai-whisper's defaults (greedy, one sample per
    fallback temperature), not faster-whisper's beam of 5 and five samples."""
    chosen: dict[str, Any] = {
        "language": settings.language,
        "task": "transcribe",
        "beam_size": 1,
        "best_of": 1,  # one sample per fallback temperature, as openai-whisper's transcribe(); faster-whisper takes 5
        "word_timestamps": True,
        "condition_on_previous_text": False,
        "vad_filter": False,  # the program's own voice gate has already judged the piece
    }
    if single_pass(settings, last):
        chosen["temperature"] = 0.0
    cap = token_cap(settings, seconds, last)
    if cap is not None:
        chosen["max_new_tokens"] = min(cap * BUDGET_PER_TOKEN, MAX_NEW_TOKENS)
    initial = prompt(settings)
    if initial:
        chosen["initial_prompt"] = initial
    return chosen


def decode(model: Any, audio: np.ndarray, settings: TranscribeSettings, last: bool,
           between: Callable[[], None] | None = None) -> list[Segment]:
    """One piece's segments; `between` is called after each segment: CTranslate2 decodes a window in one call,
    so a probe can wait only between them."""
    found, _ = model.transcribe(audio.astype(np.float32), **options(settings, len(audio) / SAMPLE_RATE, last))
    return decoded(_stepped(found, between))  # a generator: the decoding happens as it is read


def _stepped(found: Iterable[Any], between: Callable[[], None] | None) -> Iterator[RawSegment]:
    for s in found:
        yield RawSegment(s.start, s.end, s.text, tuple(RawWord(w.word, w.start, w.end, w.probability)
                                                       for w in s.words or ()), s.no_speech_prob, s.avg_logprob)
        if between is not None:
            between()


def probe(model: Any, audio: np.ndarray, settings: TranscribeSettings, context: str = "", prefix: str = "") -> str:
    """The text of a short span, fast: no timestamps, no word times, and the encoder run over the span and a
    few seconds of silence instead of a 30 s window (CTranslate2 takes any length up to it). For the
    interviewer's ear only, never the transcript. With a prefix (the span's first words, heard already)
    whisper writes only what follows it."""
    from faster_whisper.tokenizer import Tokenizer

    window = probe_window(audio, settings.decoding)
    features = model.feature_extractor(window, padding=0)
    features = features[:, : features.shape[-1] // 2 * 2]
    encoded = model.encode(np.ascontiguousarray(features))
    tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe",
                          language=settings.language or "en")
    initial = prompt(settings, context)
    previous = tokenizer.encode(" " + initial) if initial else []
    tokens = model.get_prompt(tokenizer, previous, without_timestamps=True, prefix=prefix or None)
    result = model.model.generate(encoded, [tokens], beam_size=1, max_length=len(tokens) + probe_tokens(
        len(audio) / SAMPLE_RATE, settings.decoding), return_scores=True, return_no_speech_prob=True)[0]
    ids = [t for t in result.sequences_ids[0] if t < tokenizer.eot]
    written = tokenizer.encode(" " + prefix.strip()) if prefix else []
    if written and ids[: len(written)] == written:  # CTranslate2 returns the prefix with what follows it
        ids = ids[len(written):]
    logprob = float(result.scores[0]) if result.scores else 0.0
    return probe_text(tokenizer.decode(ids), float(result.no_speech_prob), logprob, settings.decoding)

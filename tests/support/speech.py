"""Spoken answers made on the fly with espeak-ng, and the word error measure the real-weight tests use.

Rendering a corpus answer takes about a second, so the tests speak the text
they need instead of keeping minutes of audio in the repository.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np

from simulator.audio import SAMPLE_RATE, read_audio

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def speak(text: str, voice: str = "en-us", wpm: int = 160) -> np.ndarray:
    """text as espeak-ng says it, 16 kHz float32, silence trimmed at both ends."""
    with tempfile.TemporaryDirectory() as scratch:
        wav = Path(scratch) / "speech.wav"
        # on stdin, so a line that opens with a bullet's dash is spoken rather than read as an option
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(wpm), "-w", str(wav), "--stdin"], input=text.encode(),
                       check=True, capture_output=True)
        audio = read_audio(wav)
    loud = np.flatnonzero(np.abs(audio) > 1e-3)
    return audio[loud[0]:loud[-1] + 1] if loud.size else audio


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)


@lru_cache(maxsize=None)
def corpus_text(name: str) -> str:
    """A corpus answer's words (JSON cases joined from their segments)."""
    import json

    path = CORPUS / name
    if path.suffix == ".json":
        return " ".join(s["text"].strip() for s in json.loads(path.read_text())["segments"])
    return path.read_text()


def paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


@lru_cache(maxsize=1)
def _normalizer():  # type: ignore[no-untyped-def]
    """Built once: it reads its table of English spellings from disk."""
    from whisper.normalizers import EnglishTextNormalizer

    return EnglishTextNormalizer()


def normalized_words(text: str) -> list[str]:
    """Words as whisper's English normaliser writes them, so "4,000" meets "four thousand"."""
    return _normalizer()(text).split()


def edit_ops(reference: list[str], hypothesis: list[str]) -> tuple[int, int, int]:
    """Substitutions, deletions and insertions of the cheapest alignment."""
    rows, cols = len(reference) + 1, len(hypothesis) + 1
    ids: dict[str, int] = {}
    ref = np.array([ids.setdefault(w, len(ids)) for w in reference], dtype=np.int64)
    hyp = np.array([ids.setdefault(w, len(ids)) for w in hypothesis], dtype=np.int64)
    across = np.arange(cols)
    cost = np.zeros((rows, cols), dtype=np.int64)
    cost[:, 0] = np.arange(rows)
    cost[0, :] = across
    for i in range(1, rows):
        # a row at a time: substitution or deletion from the row above, then insertions along the row, as
        # cost[i, j] = min(that, cost[i, j - 1] + 1) is a running minimum of (that - j), plus j
        cost[i, 1:] = np.minimum(cost[i - 1, :-1] + (hyp != ref[i - 1]), cost[i - 1, 1:] + 1)
        cost[i] = np.minimum.accumulate(cost[i] - across) + across
    subs = dels = ins = 0
    i, j = rows - 1, cols - 1
    while i > 0 or j > 0:
        if i > 0 and j > 0 and cost[i, j] == cost[i - 1, j - 1] + (reference[i - 1] != hypothesis[j - 1]):
            subs += reference[i - 1] != hypothesis[j - 1]
            i, j = i - 1, j - 1
        elif i > 0 and cost[i, j] == cost[i - 1, j] + 1:
            dels, i = dels + 1, i - 1
        else:
            ins, j = ins + 1, j - 1
    return subs, dels, ins


def word_error_rate(reference: str, hypothesis: str) -> float:
    ref, hyp = normalized_words(reference), normalized_words(hypothesis)
    return sum(edit_ops(ref, hyp)) / max(1, len(ref))


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.?!])\s+", " ".join(text.split())) if s.strip()]


def speak_sentences(text: str, pause: float = 0.8, paragraph_pause: float = 2.5, voice: str = "en-us",
                    wpm: int = 160) -> tuple[np.ndarray, list[tuple[float, float, str]]]:
    """An answer as a person gives it: a breath after each sentence and a longer pause between paragraphs.

    Also gives where each sentence was spoken: (start, end, sentence), in seconds.
    """
    parts = [silence(0.5)]
    spans: list[tuple[float, float, str]] = []
    at = 0.5
    for paragraph in paragraphs(text):
        for sentence in sentences(paragraph):
            said = speak(sentence, voice, wpm)
            spans.append((at, at + len(said) / SAMPLE_RATE, sentence))
            parts += [said, silence(pause)]
            at += (len(said) + int(pause * SAMPLE_RATE)) / SAMPLE_RATE
        at += paragraph_pause - pause
        parts[-1] = silence(paragraph_pause)
    parts[-1] = silence(1.0)
    return np.concatenate(parts), spans

"""Our own transcript types, so nothing outside transcribe.py depends on whisper's dicts."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Word:
    word: str
    start: float
    end: float
    probability: float = 1.0


@dataclass(frozen=True)
class Segment:
    """A stretch of speech; times are seconds from the start of its answer."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...] = field(default_factory=tuple)
    no_speech_prob: float = 0.0
    avg_logprob: float = 0.0

    def shifted(self, offset: float) -> Segment:
        """The same segment moved along the answer's clock (for pieces cut from a longer answer)."""
        words = tuple(Word(w.word, w.start + offset, w.end + offset, w.probability) for w in self.words)
        return Segment(self.start + offset, self.end + offset, self.text, words, self.no_speech_prob, self.avg_logprob)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["words"] = [asdict(w) for w in self.words]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Segment:
        words = tuple(Word(str(w["word"]), _time(w["start"]), _time(w["end"]), float(w.get("probability", 1.0)))
                      for w in data.get("words") or [])
        start, end = _time(data["start"]), _time(data["end"])
        if end < start:
            raise ValueError("a segment ends before it starts")
        return cls(start, end, str(data["text"]), words,
                   float(data.get("no_speech_prob", 0.0)), float(data.get("avg_logprob", 0.0)))


def _time(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ValueError(f"not a time in seconds: {value!r}")
    return float(value)


def text_of(segments: list[Segment]) -> str:
    return " ".join(s.text.strip() for s in segments if s.text.strip())


def word_count(text: str) -> int:
    return len(text.split())


def read_transcript_file(path: Path) -> tuple[list[Segment] | None, str]:
    """A .txt transcript (no times) or a whisper-style .json with a segments list; one sentence on failure."""
    from .errors import UserError

    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"Cannot read {path} ({type(exc).__name__}); pass a UTF-8 .txt or .json transcript.") from None
    if path.suffix.lower() != ".json":
        return None, raw
    try:
        data = json.loads(raw)
        items = data["segments"] if isinstance(data, dict) else data
        segments = [Segment.from_json(item) for item in items]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UserError(f"{path} is not a transcript: it needs a \"segments\" list of objects with start, end and "
                        f"text ({type(exc).__name__}).") from None
    segments.sort(key=lambda s: (s.start, s.end))
    return segments, text_of(segments)

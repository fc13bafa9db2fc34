"""Our own transcript types, so nothing outside transcribe.py depends on whisper's dicts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
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
        words = tuple(Word(str(w["word"]), float(w["start"]), float(w["end"]), float(w.get("probability", 1.0)))
                      for w in data.get("words", []))
        return cls(float(data["start"]), float(data["end"]), str(data["text"]), words,
                   float(data.get("no_speech_prob", 0.0)), float(data.get("avg_logprob", 0.0)))


def text_of(segments: list[Segment]) -> str:
    return " ".join(s.text.strip() for s in segments if s.text.strip())


def word_count(text: str) -> int:
    return len(text.split())

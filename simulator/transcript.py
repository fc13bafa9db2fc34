"""Our own transcript types, so nothing outside hearing/transcriber.py depends on whisper's dicts."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from simulator.json_shape import is_kind


@dataclass(frozen=True)
class Word:
    word: str
    start: float
    end: float
    probability: float = 1.0


@dataclass(frozen=True)
class Heard:
    """What the quick hearing made of the speech from `start` to `speech_end` (answer seconds): the
    interviewer's ear, never the transcript."""

    start: float
    speech_end: float
    text: str


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

    def ended_by(self, end: float) -> Segment:
        """The segment with no time past `end`: silence added after the audio for whisper is not the answer's."""
        if self.end <= end:
            return self
        words = tuple(Word(w.word, min(w.start, end), min(w.end, end), w.probability) for w in self.words)
        return Segment(min(self.start, end), end, self.text, words, self.no_speech_prob, self.avg_logprob)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["words"] = [asdict(w) for w in self.words]
        return data

    @classmethod
    def from_json(cls, data: Any) -> Segment:
        """A segment as a transcript file holds it; ValueError saying what is wrong with anything else."""
        if not isinstance(data, dict):
            raise ValueError("a segment is not an object")
        raw_words = data.get("words") or []
        if not isinstance(raw_words, list):
            raise ValueError("a segment's words are not a list")
        words = tuple(_word(w) for w in raw_words)
        start, end = as_seconds(_field(data, "start")), as_seconds(_field(data, "end"))
        if end < start:
            raise ValueError("a segment ends before it starts")
        text = _field(data, "text")
        if not isinstance(text, str):
            raise ValueError("a segment's text is not a string")
        return cls(start, end, text, words, _number(data.get("no_speech_prob", 0.0)),
                   _number(data.get("avg_logprob", 0.0)))


@dataclass(frozen=True)
class Transcription:
    """One answer as the transcriber heard it, and what it left out (as faster-whisper gives segments and info)."""

    segments: list[Segment]
    dropped: int = 0  # segments thrown away as made up: loops, text over silence
    skipped_pieces: int = 0  # silent stretches never sent to Whisper


def _word(data: Any) -> Word:
    if not isinstance(data, dict) or not isinstance(data.get("word"), str):
        raise ValueError("a word is not an object with a word string")
    return Word(data["word"], as_seconds(_field(data, "start")), as_seconds(_field(data, "end")),
                _number(data.get("probability", 1.0)))


def _field(data: dict[str, Any], key: str) -> Any:
    if key not in data:
        raise ValueError(f"a segment or word has no {key}")
    return data[key]


def _number(value: object) -> float:
    """A finite JSON number, or ValueError (huge integers included)."""
    if not is_kind(value, (int, float)):
        raise ValueError(f"not a number: {value!r:.40}")
    try:
        number = float(value)
    except OverflowError:
        raise ValueError("a number too large") from None
    if not math.isfinite(number):
        raise ValueError(f"not a finite number: {value!r}")
    return number


def as_seconds(value: object) -> float:
    """A JSON time in seconds, or ValueError: a finite number, not negative."""
    seconds = _number(value)
    if seconds < 0:
        raise ValueError(f"a negative time: {value!r}")
    return seconds


def text_of(segments: list[Segment]) -> str:
    return " ".join(s.text.strip() for s in segments if s.text.strip())


def word_count(text: str) -> int:
    return len(text.split())


def read_transcript_file(path: Path) -> tuple[list[Segment] | None, str]:
    """A .txt transcript (no times) or a whisper-style .json with a segments list; one sentence on failure."""
    from simulator.errors import UserError, first_line

    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"Cannot read {path} ({type(exc).__name__}); pass a UTF-8 .txt or .json transcript.") from None
    if path.suffix.lower() != ".json":
        return None, raw
    try:
        data = json.loads(raw)
        items = data.get("segments") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise ValueError("no \"segments\" list")
        segments = [Segment.from_json(item) for item in items]
    except (ValueError, RecursionError) as exc:
        raise UserError(f"{path} is not a transcript ({first_line(exc)}): it needs a \"segments\" list of "
                        "objects with start, end and text.") from None
    segments.sort(key=lambda s: (s.start, s.end))
    return segments, text_of(segments)

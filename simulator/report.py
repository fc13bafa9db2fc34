"""Timing reports. For now the short summary printed when a rehearsal ends."""

from __future__ import annotations

from dataclasses import dataclass

from .config import TimingTargets, format_duration
from .store import SessionRecord
from .transcript import word_count


@dataclass(frozen=True)
class AnswerSummary:
    seconds: float
    words: int
    typed: bool
    verdict: str

    @property
    def wpm(self) -> float | None:
        """Words per minute over the recorded answer; None for typed answers, which have no pace."""
        if self.typed or self.seconds <= 0:
            return None
        return self.words / (self.seconds / 60.0)


def summarize(record: SessionRecord, targets: TimingTargets = TimingTargets()) -> AnswerSummary | None:
    answers = record.answers()
    if not answers:
        return None
    first = answers[0]
    return AnswerSummary(first.seconds, word_count(first.text), first.audio is None, targets.verdict(first.seconds))


def summary_lines(summary: AnswerSummary) -> list[str]:
    length = "typed answer" if summary.typed else f"{format_duration(summary.seconds)} against 8:00–12:00 " \
                                                   f"({summary.verdict})"
    pace = f" · {summary.wpm:.0f} words per minute" if summary.wpm is not None else ""
    return [f"Answer: {length}", f"Words: {summary.words}{pace}"]

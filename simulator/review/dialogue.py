"""The dialogue inside an answer, as reports show it: what the interviewer said mid-answer, when, and why.

Clarifications, interjections and requirement changes sit inside the candidate's turn on the session
clock; reports list them in order as markers, each with its reason.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from simulator.config import format_duration
from simulator.sessions.record import Role, SessionRecord, TurnKind
from simulator.transcript import Segment

RESPONSE_WINDOW = 90.0  # seconds after a requirement change in which the answer should take it up
PLAIN_WORDS = {"now", "suppose", "what", "changes", "change", "every", "must", "never", "even", "with", "that",
               "this", "your", "they", "their", "them", "have", "will", "would", "does", "from", "into", "next",
               "month", "happens", "whole", "same", "about", "within", "because", "there", "which", "when"}


@dataclass(frozen=True)
class Marker:
    at: float  # seconds on the session clock
    kind: TurnKind
    text: str
    reason: str | None


def markers(record: SessionRecord) -> list[Marker]:
    """Every mid-answer interviewer turn, in the order it was spoken."""
    return sorted((Marker(t.start, t.kind, t.text, t.reason) for t in record.turns
                   if t.role == Role.INTERVIEWER and t.kind is not None and t.kind.mid_answer), key=lambda m: m.at)


def marker_lines(record: SessionRecord, segments: Sequence[Segment] | None = None, offset: float = 0.0) -> list[str]:
    """The dialogue as plain lines, for the terminal: one per marker, its reason after it; given the
    walkthrough's segments, whether the answer took up each requirement change."""
    lines = []
    for marker in markers(record):
        why = f" (why: {marker.reason})" if marker.reason else ""
        lines.append(f"{format_duration(marker.at)} interviewer {marker.kind}: {marker.text}{why}")
        if marker.kind == TurnKind.CHANGE and segments is not None:
            lines.append("  " + adaptation(marker, segments, offset))
    if lines:
        asked = sum(m.kind == TurnKind.CLARIFICATION for m in markers(record))
        said = len(markers(record))
        lines.insert(0, f"During the walkthrough: {asked} question(s) answered, "
                        f"{said - asked} interjection(s) and change(s).")
    return lines


def adaptation(change: Marker, segments: Sequence[Segment], offset: float) -> str:
    """How the answer met a requirement change, in words."""
    taken = response_to(change, segments, offset)
    return (f"You took it up: \"{taken}\"" if taken else
            "The answer went on as if nothing had changed: say what the change breaks, then adapt the design.")


def response_to(change: Marker, segments: Sequence[Segment], offset: float) -> str | None:
    """The first sentence of the answer after a requirement change that takes it up (shares its key words),
    within RESPONSE_WINDOW; None when the answer went on as if nothing had changed. segments are on the
    answer's clock, which starts at `offset` on the session clock."""
    keys = _key_words(change.text)
    for segment in segments:
        at = offset + segment.start
        if change.at < at <= change.at + RESPONSE_WINDOW and keys & _key_words(segment.text):
            return segment.text.strip()
    return None


def _key_words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 4 and w not in PLAIN_WORDS}

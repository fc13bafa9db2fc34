"""The dialogue inside an answer, as reports show it: what the interviewer said mid-answer, when, and why.

Clarifications, interjections and requirement changes sit inside the candidate's turn on the session
clock; reports list them in order as markers, each with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from .config import format_duration
from .session import Role, SessionRecord, TurnKind


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


def marker_lines(record: SessionRecord) -> list[str]:
    """The dialogue as plain lines, for the terminal: one per marker, its reason after it."""
    lines = []
    for marker in markers(record):
        why = f" (why: {marker.reason})" if marker.reason else ""
        lines.append(f"{format_duration(marker.at)} interviewer {marker.kind}: {marker.text}{why}")
    if lines:
        asked = sum(m.kind == TurnKind.CLARIFICATION for m in markers(record))
        lines.insert(0, f"During the walkthrough: {asked} question(s) answered, "
                        f"{len(lines) - asked} interjection(s) and change(s).")
    return lines

"""A history fixture for `plan`: typed sessions on chosen days, from the answers in tests/corpus/."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from simulator.sessions.record import SessionRecord, Turn
from simulator.sessions.store import Store

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
STRONG = "d01-url-shortener-strong"  # every design step, none thin
NO_CLARIFY = "d03-notification-no-clarify"  # clarify skipped, summary thin


@dataclass(frozen=True)
class Past:
    day: str  # YYYY-MM-DD
    answer: str  # a corpus file name, without .txt
    question: str = "url-shortener"
    kind: str = "design"
    practice: dict[str, Any] = field(default_factory=dict)


def write_history(home: Path, sessions: list[Past]) -> Path:
    """Each past session saved as a typed rehearsal would save it, at noon on its day."""
    store = Store(home)
    for past in sessions:
        when = datetime.fromisoformat(f"{past.day}T12:00:00").replace(tzinfo=timezone.utc)
        folder = store.create(past.question, when=when)
        text = " ".join((CORPUS / f"{past.answer}.txt").read_text().split())
        folder.save(SessionRecord(id=folder.id, question={"id": past.question, "kind": past.kind, "text": "Design it."},
                                  started_at=when.isoformat(), status="complete",
                                  turns=[Turn("interviewer", "Design it.", None, 0.0, 1.0),
                                         Turn("candidate", text, None, 1.0, 2.0)],
                                  practice={"level": "senior", **past.practice} if past.practice else None))
    return home

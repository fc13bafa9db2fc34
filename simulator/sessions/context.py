"""What a session was about, as session.json keeps it: the question as asked, and what the session was tailored
to (a role, a company, a level, a drill, a place in a round).

Each reads and writes exactly the JSON the program has always written, keys in the same order, so a session
saved before these were typed is written back byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.config import DEFAULT_LEVEL, LEVELS
from simulator.vocab import Kind


@dataclass(frozen=True)
class AskedQuestion:
    """The question as the interviewer asked it: a drill's or a résumé's text, not only the bank's."""

    id: str
    kind: Kind
    text: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", Kind(self.kind))

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "kind": str(self.kind), "text": self.text}

    @classmethod
    def from_json(cls, data: Any) -> AskedQuestion:
        """Strict about shape (ValueError); a file without an id or text reads them as empty, and one without a
        kind, or with a kind the program does not know, as a design question, as the readers always took it."""
        if not isinstance(data, dict):
            raise ValueError("question is not an object")
        if not all(isinstance(v, str) for v in data.values()):
            raise ValueError("question holds a value that is not a string")
        kind = data.get("kind", Kind.DESIGN)
        return cls(data.get("id", ""), Kind(kind) if kind in Kind.values() else Kind.DESIGN, data.get("text", ""))


@dataclass(frozen=True)
class RoundPlace:
    """Where a session stands in a round: the round's id, this question's number and how many there are.
    Read back loosely: a number that is not one is None, and the round's report places it as it can."""

    id: str
    index: int | None
    of: int | None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "index": self.index, "of": self.of}

    @classmethod
    def from_json(cls, data: Any) -> RoundPlace | None:
        """None where there is no round id to find the round by."""
        if not isinstance(data, dict) or not isinstance(data.get("id"), str):
            return None
        return cls(data["id"], _integer(data.get("index")), _integer(data.get("of")))


@dataclass(frozen=True)
class Practice:
    """What a session was tailored to; kept in session.json so its report and the plan can read it."""

    role: str | None = None
    company: str | None = None
    level: str = DEFAULT_LEVEL
    drill: str | None = None
    round: RoundPlace | None = None  # the question's place in a round
    resume: bool = False  # the question was built from the candidate's résumé

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"level": self.level}
        for key in ("role", "company", "drill"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        if self.round is not None:
            data["round"] = self.round.to_json()
        if self.resume:
            data["resume"] = True
        return data

    @classmethod
    def from_json(cls, data: Any) -> Practice:
        """Loose: a session written before practice was kept, or with a damaged entry, is senior and untailored."""
        if not isinstance(data, dict):
            return cls()
        text = {k: data.get(k) if isinstance(data.get(k), str) else None for k in ("role", "company", "drill")}
        level = data.get("level") if data.get("level") in LEVELS else DEFAULT_LEVEL
        return cls(text["role"], text["company"], level, text["drill"], RoundPlace.from_json(data.get("round")),
                   data.get("resume") is True)


def _integer(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None

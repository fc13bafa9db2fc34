"""Fact sheets: what the interviewer says when the candidate asks about the problem.

Data in prompts/factsheets/: one sheet per built-in question id (the shared banks in design.toml and
experience.toml, the role banks in roles.toml), a per-kind fallback for any other question (the user's
own), and the topics a clarifying question can be about with the words that give each away. A question
is matched to the sheet's own points first, then to a topic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from simulator import prompt_data


@dataclass(frozen=True)
class Topic:
    id: str
    kind: str  # "design", "experience" or "any"
    words: tuple[str, ...]


@dataclass(frozen=True)
class Point:
    """One of the question's own details (custom aliases, read receipts) and its answer."""

    words: tuple[str, ...]
    answer: str


@dataclass(frozen=True)
class Match:
    """What a question was taken to be about, and the sheet's answer (None: the sheet is silent)."""

    about: str | None  # a topic id, "point", or None
    answer: str | None


@dataclass(frozen=True)
class FactSheet:
    question_id: str
    kind: str
    answers: dict[str, str]  # by topic id
    points: tuple[Point, ...] = ()
    changes: tuple[str, ...] = ()  # requirement changes the interviewer may make mid-answer
    own: bool = True  # False: the question has no sheet of its own, only the kind's fallback

    def match(self, question: str) -> Match:
        """The best answer on the sheet for one question: its own points first, then the general topics."""
        text = _plain(question)
        best = max(self.points, key=lambda p: _hits(text, p.words), default=None)
        if best is not None and _hits(text, best.words):
            return Match("point", best.answer)
        topics = [t for t in load_topics() if t.kind in (self.kind, "any")]
        scored = max(topics, key=lambda t: _hits(text, t.words), default=None)
        if scored is None or not _hits(text, scored.words):
            return Match(None, None)
        return Match(scored.id, self.answers.get(scored.id))

    def addressed(self, question: str) -> bool:
        """Whether a question touches anything the sheet knows about (a point or a topic)."""
        return self.match(question).about is not None


def _plain(text: str) -> str:
    """The question's words, each phrase a candidate may say in other words ("how large") put as the sheets
    say it ("how big")."""
    plain = " " + " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split()) + " "
    for said, meant in _said_as():
        plain = plain.replace(f" {said} ", f" {meant} ")
    return plain


@lru_cache(maxsize=None)
def _said_as() -> tuple[tuple[str, str], ...]:
    return tuple((said.lower(), meant.lower()) for said, meant in _topics_file().get("said_as", {}).items())


def _hits(text: str, words: tuple[str, ...]) -> int:
    return sum(bool(_phrase(w).search(text)) for w in words)


@lru_cache(maxsize=4096)
def _phrase(words: str) -> re.Pattern[str]:
    """A sheet's word or phrase as said, its last word inflected or not: "hold" meets "holds", "expire"
    "expired", "receipt" "receipts", and a plural one its singular: "values" meets "value"."""
    if len(words) > 5 and words.endswith("s") and not words.endswith("ss"):
        words = words[:-1]
    return re.compile(rf" {re.escape(words)}(?:s|es|d|ed|ing)? ")


def _read(name: str) -> dict[str, Any]:
    return prompt_data.load("factsheets", name)


@lru_cache(maxsize=None)
def _topics_file() -> dict[str, Any]:
    return _read("topics.toml")


def load_topics() -> tuple[Topic, ...]:
    return tuple(Topic(t["id"], t.get("kind", "any"), tuple(w.lower() for w in t["words"]))
                 for t in _topics_file()["topic"])


def handback(partial: bool = False, kind: str = "design", form: str | None = None) -> str:
    """What an interviewer says to a question the sheet does not cover, in words that fit the question's kind
    (an experience answer is never told to "state an assumption") and the question's form ("What if ...?" is
    handed back to reason about, "Is it fair to assume ...?" accepted)."""
    by_kind = _topics_file().get("handbacks", {})
    words = by_kind.get(kind, by_kind.get("design", {}))
    key = form if form in ("what_if", "assume") else ("part" if partial else "whole")
    if key in words:
        return str(words[key])
    return _topics_file()["partial_handback" if partial else "handback"]


SHEET_FILES = ("design.toml", "experience.toml", "roles.toml")  # the built-in sheets, each id in one of them


@lru_cache(maxsize=None)
def _sheets() -> dict[str, dict[str, Any]]:
    sheets: dict[str, dict[str, Any]] = {}
    for name in SHEET_FILES:
        sheets.update(_read(name))
    return sheets


def builtin_sheet_ids() -> set[str]:
    return set(_sheets())


def sheet_for(question_id: str, kind: str) -> FactSheet:
    """The question's sheet over its kind's fallback; a question without one gets the fallback alone."""
    fallback = dict(_topics_file()["fallback"].get(kind, {}))
    own = _sheets().get(question_id)
    data = dict(own or {})
    points = tuple(Point(tuple(w.lower() for w in p["words"]), p["answer"]) for p in data.pop("points", []))
    changes = tuple(data.pop("changes", []))
    return FactSheet(question_id, kind, {**fallback, **{k: v for k, v in data.items() if isinstance(v, str)}},
                     points, changes, own is not None)

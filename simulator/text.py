"""Text as the program reads it back: sentences cut, and quotes shortened, the one way judging, the interviewer
and the reports share."""

from __future__ import annotations

import re

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def split_sentences(text: str, *, flatten: bool = True) -> list[str]:
    """The sentences of a text, cut after a full stop, question or exclamation mark and the space after it; each
    stripped, none empty. flatten runs every stretch of whitespace into one space first (text as typed or
    written); without it a transcribed segment keeps its own spacing inside a sentence."""
    text = " ".join(text.split()) if flatten else text.strip()
    return [part.strip() for part in SENTENCE_END.split(text) if part.strip()]


def shorten(text: str, limit: int, *, flatten: bool = False) -> str:
    """A quote cut to at most limit characters, an ellipsis where it was cut; flatten first runs its whitespace
    into single spaces (several lines quoted on one)."""
    text = " ".join(text.split()) if flatten else text
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

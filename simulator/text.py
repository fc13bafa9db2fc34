"""Text as the program reads it back: sentences cut the one way judging, the interviewer and the reports share."""

from __future__ import annotations

import re

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def split_sentences(text: str, *, flatten: bool = True) -> list[str]:
    """The sentences of a text, cut after a full stop, question or exclamation mark and the space after it; each
    stripped, none empty. flatten runs every stretch of whitespace into one space first (text as typed or
    written); without it a transcribed segment keeps its own spacing inside a sentence."""
    text = " ".join(text.split()) if flatten else text.strip()
    return [part.strip() for part in SENTENCE_END.split(text) if part.strip()]

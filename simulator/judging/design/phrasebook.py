"""Phrases found by whole words: a sentence split into word tokens once, and each phrase list a table of word
tuples looked up at each token, longest first. Hundreds of aliases cost a few dictionary look-ups a word, where one
regular expression of them all would try every alias at every character."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

T = TypeVar("T")
WORD = re.compile(r"[a-z0-9]+(?:[./'][a-z0-9]+)*")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


def tokens(lower: str) -> list[Token]:
    return [Token(m.group(0), m.start(), m.end()) for m in WORD.finditer(lower)]


def words(phrase: str) -> tuple[str, ...]:
    return tuple(WORD.findall(phrase.lower()))


@lru_cache(maxsize=4096)
def singular(word: str) -> tuple[str, ...]:
    """A word and what it may be the plural or possessive of."""
    if word.endswith("'s"):
        return word, word[:-2]
    if word.endswith("es"):
        return word, word[:-1], word[:-2]
    if word.endswith("s"):
        return word, word[:-1]
    return (word,)


class Book(Generic[T]):
    """Phrases (as word tuples) and what each means."""

    def __init__(self, items: Iterable[tuple[str, T]], plurals: bool = False) -> None:
        self.table: dict[tuple[str, ...], T] = {}
        for phrase, value in items:
            key = words(phrase)
            if key:
                self.table.setdefault(key, value)
        self.longest = max((len(k) for k in self.table), default=0)
        self.first: dict[str, int] = {}  # a phrase's first word → the most words a phrase starting so has
        for key in self.table:
            self.first[key[0]] = max(self.first.get(key[0], 0), len(key))
        self.plurals = plurals
        # every word a phrase can start with, plural and possessive forms included: most words are not one
        self.lead = set(self.first)
        if plurals:
            self.lead |= {w + end for w in self.first for end in ("s", "es", "'s")}

    def at(self, toks: list[Token], i: int, stop: int | None = None) -> tuple[int, T] | None:
        """The longest phrase starting at token i (and ending before `stop`): its length in tokens and value."""
        stop = len(toks) if stop is None else stop
        word = toks[i].text
        most = self.first.get(word, 0)
        if self.plurals and len(word) > 1 and word[-1] == "s":
            most = max(most, 1 if any((w,) in self.table for w in singular(word)[1:]) else 0)
        for n in range(min(most, stop - i), 0, -1):
            key = tuple(t.text for t in toks[i:i + n])
            if key in self.table:
                return n, self.table[key]
            if self.plurals:
                for last in singular(key[-1])[1:]:
                    if key[:-1] + (last,) in self.table:
                        return n, self.table[key[:-1] + (last,)]
        return None

    def scan(self, toks: list[Token], start: int = 0, stop: int | None = None) -> Iterator[tuple[int, int, T]]:
        """Each phrase in toks[start:stop], longest first, not overlapping: (first token, end token, value)."""
        stop = len(toks) if stop is None else stop
        i = start
        while i < stop:
            if toks[i].text not in self.lead:
                i += 1
                continue
            found = self.at(toks, i, stop)
            if found is None:
                i += 1
                continue
            n, value = found
            yield i, i + n, value
            i += n

    def ends(self, before: list[str]) -> bool:
        """Whether the words end with one of the phrases."""
        return any(tuple(before[-n:]) in self.table for n in range(1, min(self.longest, len(before)) + 1))

"""Parts a candidate names in their own words by what they do: "a bounce handler", "flag relays", "the control
plane", "a seat allocator". Not a product the catalogue lists and not "the X service", yet a box an interviewer
draws. Read by a small grammar: a role noun (role_nouns in prompts/design/phrases.toml), the word before it when
that word says what it handles, else "a" or "an" before the bare role noun. The words a candidate used are the
part's name, so "the bounce handler" said twice is one part.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache

from simulator.judging.design.phrasebook import Book, Token, singular

INTRODUCING = frozenset({"a", "an"})  # before a bare role noun: a part brought in, where "the" refers to one
OPENERS = frozenset({"a", "an", "the", "our", "their", "its", "my", "your", "this", "that", "these", "those", "each",
                     "every", "one", "two", "three", "some", "of", "to", "from", "into", "onto", "with", "by", "and",
                     "or", "via", "through", "behind", "per", "separate", "dedicated", "small", "little", "tiny",
                     "simple", "own", "central", "regional", "global", "local", "then", "is", "are", "called"})
MIN_MODIFIER = 3  # letters a word before the role noun needs to say what it handles ("url", "job"), bar a hyphen


@lru_cache(maxsize=None)
def heads(nouns: tuple[str, ...], alone: tuple[str, ...]) -> Book[bool]:
    """The role nouns, each with whether it is a name on its own ("control plane"), never taking a modifier."""
    return Book([*((n, False) for n in nouns), *((n, True) for n in alone)], plurals=True)


def same_part(a: str, b: str) -> bool:
    """Whether two own-words names are one part, one said in the plural: "flag relays" and "a flag relay"."""
    if a == b:
        return True
    x, y = a.split(), b.split()
    return len(x) == len(y) and x[:-1] == y[:-1] and (x[-1] in singular(y[-1]) or y[-1] in singular(x[-1]))


def head_of(name: str) -> str:
    """The role noun a name ends with, singular: "flag relays" → "relay"."""
    last = name.replace("-", " ").split()[-1]
    return singular(last)[1] if len(singular(last)) > 1 and not last.endswith("ss") else last


def role_parts(lower: str, toks: list[Token], taken: Iterable[tuple[int, int]], book: Book[bool],
               not_modifier: frozenset[str], usual: Callable[[str], bool] = lambda w: True,
               ) -> list[tuple[str, bool, int, int, bool]]:
    """Each role-noun part a sentence names: (its name as said, whether an engine of workers may run it, start,
    end, whether said bare, without a word saying what it handles). `taken` are the spans other names hold; a
    modifier that is not `usual` (a word Whisper made up where it misheard) says nothing."""
    spans = list(taken)
    out = []
    for i, j, alone in book.scan(toks):
        start, end = toks[i].start, toks[j - 1].end
        if any(s < end and start < e for s, e in spans):
            continue
        word = toks[i - 1] if i else None
        joined = word is not None and lower[word.end:toks[i].start] == "-"
        if alone:
            out.append((lower[start:end], False, start, end, False))
            continue
        if word is not None and _modifies(word, joined, not_modifier, usual) and _opens(lower, toks, i - 1) \
                and not any(s < word.end and word.start < e for s, e in spans):
            out.append((lower[word.start:end], True, word.start, end, False))
        elif word is not None and (word.text in INTRODUCING or joined):
            at = word.start if joined else start
            out.append((lower[at:end], True, at, end, True))
    return out


def _opens(lower: str, toks: list[Token], at: int) -> bool:
    """Whether the word at `at` can open a noun phrase: first in the sentence or its clause, or after a
    determiner or a preposition ("a bounce handler", "of meter aggregators"), not inside a run of words
    ("301 less routers")."""
    if at == 0 or lower[toks[at - 1].end:toks[at].start].strip():
        return True
    return toks[at - 1].text in OPENERS


def _modifies(word: Token, joined: bool, not_modifier: frozenset[str], usual: Callable[[str], bool]) -> bool:
    """Whether the word before a role noun says what the part handles: "bounce" in "a bounce handler", not "a",
    "small", "quickly" or "our"."""
    text = word.text
    if joined:
        return text.isalpha() and text not in not_modifier
    return (len(text) >= MIN_MODIFIER and text.isalpha() and text not in not_modifier and usual(text)
            and not text.endswith("ly"))

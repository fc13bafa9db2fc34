"""Run-on text cut into sentences a person would have written: captions, typed answers and another
recogniser's output often come with no full stops, and judged as one block every step looks covered and quotes
the same wall of words.

A sentence past `RunOnOptions.max_words` is cut before the words that open a new thought in speech ("so",
"then", "the tradeoff", "I", "we" ...), where a comma or the sense allows, and any piece still too long is cut
at its best such place nearest the middle, so no piece is longer than the limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words that open a new spoken sentence, scored by how surely they do.
OPENERS: dict[str, float] = {
    "so": 3, "now": 3, "okay": 3, "ok": 3, "alright": 3, "then": 2.5, "next": 3, "first": 2.5, "firstly": 3,
    "second": 2.5, "secondly": 3, "third": 2.5, "finally": 3, "lastly": 3, "also": 2, "but": 2, "however": 3,
    "afterwards": 3, "after": 1.5, "when": 1.5, "if": 1.5, "because": 1, "anyway": 3, "overall": 3,
    "i": 2, "i'd": 2.5, "i'll": 2.5, "i'm": 2, "we": 1.5, "we'd": 2, "we'll": 2, "it": 1, "that's": 1.5,
    "there's": 1.5, "this": 1, "these": 1, "they": 1, "my": 1, "our": 1, "what": 1, "how": 1,
    "let's": 2.5, "let": 2, "each": 1, "every": 1,
}
PAIRS: dict[tuple[str, str], float] = {
    ("and", "then"): 3, ("and", "so"): 3, ("so", "that's"): 3.5, ("to", "sum"): 4, ("in", "short"): 4,
    ("in", "summary"): 4, ("the", "tradeoff"): 3.5, ("the", "result"): 3.5, ("the", "situation"): 3.5,
    ("the", "problem"): 2.5, ("the", "main"): 2, ("in", "one"): 2.5,
}
# A word after which a cut would split a phrase ("a | load balancer", "to | store").
BINDS = {"a", "an", "the", "to", "of", "and", "or", "with", "for", "in", "on", "at", "by", "from", "into", "is", "are",
         "was", "were", "be", "my", "our", "your", "their", "its", "i", "we", "that", "which", "than", "as", "per", "like",
         "this", "these", "so", "if", "when", "then", "do", "does", "did", "not", "no", "can", "will", "would", "should"}
COPULAS = {"is", "are", "was", "were"}
WORD = re.compile(r"[\w']+")


@dataclass(frozen=True)
class RunOnOptions:
    """max_words: the longest sentence judged whole (evidence is a sentence or two); min_words: the shortest
    piece a cut may leave; aim_words: captions are cut near this length, as people speak sentences."""

    max_words: int = 60
    min_words: int = 6
    aim_words: int = 22


def cut_run_on(sentence: str, options: RunOnOptions = RunOnOptions()) -> list[str]:
    """The sentence as it is when it is short enough, or cut into pieces of at most max_words words."""
    words = sentence.split()
    if len(words) <= options.max_words:
        return [sentence]
    scores = [_score(words, i) for i in range(len(words))]
    cuts = _cut(scores, 0, len(words), options)
    bounds = [0, *cuts, len(words)]
    return [" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:])]


def _cut(scores: list[float], start: int, end: int, options: RunOnOptions) -> list[int]:
    """Where to cut words[start:end], recursively, at the best-scored place nearest the middle."""
    if end - start <= options.aim_words * 1.5 and end - start <= options.max_words:
        return []
    lo, hi = start + options.min_words, end - options.min_words
    if lo > hi:
        return []
    middle = (start + end) / 2
    span = (end - start) / 2
    best = max(range(lo, hi + 1), key=lambda i: (scores[i] - abs(i - middle) / span, -i))
    if scores[best] <= 0 and end - start <= options.max_words:
        return []  # no place to cut that reads as a sentence break, and not too long: left whole
    return [*_cut(scores, start, best, options), best, *_cut(scores, best, end, options)]


def _score(words: list[str], i: int) -> float:
    """How surely a new sentence begins at words[i]."""
    if i == 0:
        return 0.0
    here, before = _bare(words[i]), _bare(words[i - 1])
    score = OPENERS.get(here, 0.0)
    if i + 1 < len(words):
        score = max(score, PAIRS.get((here, _bare(words[i + 1])), 0.0))
    if here in ("the", "a") and i + 2 < len(words) and _bare(words[i + 2]) in COPULAS:
        score = max(score, 2.0)  # "the frontier is ...": a new subject
    if words[i - 1].endswith((",", ";", ":", "—", "-")):
        score += 1.5
    if before in BINDS or before.endswith("'s"):
        score -= 2.5
    return score


def _bare(word: str) -> str:
    found = WORD.findall(word.lower())
    return found[0] if found else ""

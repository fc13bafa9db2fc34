"""Where a sentence names a component: the catalogue of prompts/design/components.toml, read once into one
pattern, and the words around a name that make it a rejected alternative, a denial or a count.

Plain data and regular expressions only, so every component found can be traced to the alias or mishearing
that matched it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from simulator import prompt_data
from simulator.judging.design.model import ComponentKind

NUMBERS = {"one": 1, "single": 1, "a single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2}
FILLERS = r"(?:(?:a|an|the|any|plain|just|using|use|a single|single|separate|extra|another|some)\s+)*"


@dataclass(frozen=True)
class Entry:
    name: str
    kind: ComponentKind
    stateful: bool
    generic: bool = False
    article: bool = False  # a bare common word ("counter") is a component only after a determiner
    over: frozenset[str] = frozenset()  # next words that mean it is not the component ("counter range")
    context: re.Pattern[str] | None = None  # where a mishearing counts
    own: bool = False  # a service the candidate named in their own words ("the order service")


@dataclass(frozen=True)
class Mention:
    """One place a sentence names a component."""

    entry: Entry
    start: int
    end: int
    alternative: bool = False  # named to be rejected: "over Cassandra"
    count: int | None = None


def _phrase(text: str) -> str:
    """A phrase as a pattern: spaces and hyphens interchangeable, a plural or possessive allowed."""
    words = [re.escape(w) for w in re.split(r"[\s-]+", text.strip()) if w]
    return r"[\s-]+".join(words)


def _key(text: str) -> str:
    return " ".join(re.split(r"[\s-]+", text.strip()))


def _words(phrases: list[str]) -> str:
    return "|".join(_phrase(p) for p in sorted(phrases, key=len, reverse=True))


@dataclass(frozen=True)
class Catalogue:
    typed: re.Pattern[str]  # aliases
    heard: re.Pattern[str]  # aliases and mishearings
    by_alias: dict[str, Entry]
    by_mishearing: dict[str, Entry]
    entries: tuple[Entry, ...]
    alternative: re.Pattern[str]
    denial: re.Pattern[str]
    determiners: frozenset[str]
    not_service: frozenset[str]
    phrases: dict[str, Any]

    def entry(self, matched: str, heard: bool) -> tuple[Entry | None, bool]:
        """The entry a matched phrase names, and whether it matched as a mishearing."""
        key = _key(matched)
        for candidate in (key, key[:-2] if key.endswith("'s") else key, key[:-1], key[:-2]):
            if candidate in self.by_alias:
                return self.by_alias[candidate], False
            if heard and candidate in self.by_mishearing:
                return self.by_mishearing[candidate], True
        return None, False


def _entry(raw: dict[str, Any]) -> Entry:
    context = raw.get("context")
    return Entry(str(raw["name"]), ComponentKind(raw["kind"]), bool(raw.get("stateful", False)),
                 bool(raw.get("generic", False)), bool(raw.get("article", False)),
                 frozenset(raw.get("over", [])), re.compile(rf"\b(?:{context})\b") if context else None)


@lru_cache(maxsize=None)
def catalogue() -> Catalogue:
    raw = prompt_data.load("design", "components.toml")["component"]
    phrases = prompt_data.load("design", "phrases.toml")
    by_alias: dict[str, Entry] = {}
    by_mishearing: dict[str, Entry] = {}
    entries = []
    for item in raw:
        entry = _entry(item)
        entries.append(entry)
        for alias in item.get("aliases", []):
            by_alias.setdefault(_key(alias), entry)
        for misheard in item.get("mishearings", []):
            by_mishearing.setdefault(_key(misheard), entry)
    tail = r"(?:'s|es|s)?(?![\w])"
    typed = re.compile(rf"(?<![\w])(?:{_words(list(by_alias))}){tail}")
    heard = re.compile(rf"(?<![\w])(?:{_words(list(by_alias) + list(by_mishearing))}){tail}")
    alternative = re.compile(rf"(?:^|[\s,(])(?:{_words(phrases['alternative'])})\s+{FILLERS}$")
    denial = re.compile(rf"(?:^|[\s,(])(?:{_words(phrases['denial'])})\s+{FILLERS}$")
    return Catalogue(typed, heard, by_alias, by_mishearing, tuple(entries), alternative, denial,
                     frozenset(phrases["determiners"]), frozenset(phrases["not_service"]), phrases)


def _previous_words(text: str, start: int, n: int = 2) -> list[str]:
    return re.findall(r"[\w'-]+", text[max(0, start - 40):start])[-n:]


def _count(text: str, start: int) -> int | None:
    before = text[max(0, start - 30):start].rstrip()
    found = re.search(r"(?:^|\s)(a couple of|a single|\d+|[a-z]+)$", before)
    if not found:
        return None
    word = found.group(1)
    if word.isdigit():
        return int(word) if int(word) < 10_000 else None
    return NUMBERS.get(word)


def mentions(lower: str, heard: bool) -> list[Mention]:
    """Every component a lowercase sentence names, in order, less those it denies ("no cache")."""
    cat = catalogue()
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for match in (cat.heard if heard else cat.typed).finditer(lower):
        entry, misheard = cat.entry(match.group(0), heard)
        if entry is None:
            continue
        start, end = match.span()
        if misheard and entry.context is not None and not entry.context.search(lower[:start] + lower[end:]):
            continue
        if entry.article and not set(_previous_words(lower, start)) & cat.determiners:
            continue
        after = re.match(r"[\s-]+([\w']+)", lower[end:])
        if after and after.group(1) in entry.over:
            continue
        before = lower[:start]
        if cat.denial.search(before):
            continue
        taken.append((start, end))
        found.append(Mention(entry, start, end, bool(cat.alternative.search(before)), _count(lower, start)))
    found += _services(lower, taken, cat)
    return sorted(found, key=lambda m: m.start)


def _services(lower: str, taken: list[tuple[int, int]], cat: Catalogue) -> list[Mention]:
    """Services the candidate names in their own words: "the order service", "suggestion servers"."""
    out = []
    for match in re.finditer(r"(?<![\w-])([a-z][a-z0-9-]*) (service|services|servers|server)(?![\w])", lower):
        start, end = match.span()
        word, noun = match.group(1), match.group(2)
        if word in cat.not_service or word.isdigit() or any(s < end and start < e for s, e in taken):
            continue
        if cat.denial.search(lower[:start]):
            continue
        name = f"{word} service" if noun.startswith("service") else f"{word} servers"
        entry = Entry(name, ComponentKind.SERVICE, False, own=True)
        out.append(Mention(entry, start, end, bool(cat.alternative.search(lower[:start])), _count(lower, start)))
    return out

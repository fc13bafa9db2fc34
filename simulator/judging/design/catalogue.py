"""Where a sentence names a component: the catalogue of prompts/design/components.toml, read once into one
pattern, and the words around a name that make it a rejected alternative, a denial or a count.

Plain data and word look-ups only, so every component found can be traced to the alias or mishearing
that matched it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from simulator import prompt_data
from simulator.judging.design.model import ComponentKind
from simulator.judging.design.phrasebook import Book, Token, singular, tokens
from simulator.judging.design.asides import corrected, listed_after_rejected
from simulator.judging.design.roles import heads, role_parts
from simulator.judging.design.soundalike import joined, misheard_parts, respelled, spelled_out
from simulator.judging.design.sources import component_items

NUMBERS = {"one": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2}
STEM = 7  # letters two long words share at the start when one is made from the other ("collaboration")
FILLERS = {"a", "an", "the", "any", "plain", "just", "using", "use", "single", "separate", "extra", "another", "some",
           "in", "on", "into", "through", "via"}


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
    claims: re.Pattern[str] | None = None  # where a bare word of its kind ("gateway") means this part
    under: frozenset[str] = frozenset()  # words just before that mean it is not the component ("support agents")
    distinct: bool = False  # a part of its own beside a named part of its kind: "the dead letter queue" after Kafka
    next_words: frozenset[str] = frozenset()  # a word heard as the name counts only right before one of these
    role: bool = False  # a part named by what it does, in the candidate's words ("a bounce handler")
    bare: bool = False  # a role said without what it handles ("the handler"): the part named so before, if any


@dataclass(frozen=True)
class Mention:
    """One place a sentence names a component."""

    entry: Entry
    start: int
    end: int
    alternative: bool = False  # named to be rejected: "over Cassandra"
    firmly: bool = False  # by words that only ever reject ("rather than", "instead of"), whatever stands beside it
    count: int | None = None


@dataclass(frozen=True)
class Catalogue:
    aliases: Book[Entry]
    mishearings: Book[Entry]
    entries: tuple[Entry, ...]
    alternative: Book[bool]  # each marker, and whether it rejects firmly
    weighed: Book[bool]  # a name after these and before a "but" was only weighed: "I considered Memcached, but"
    weighed_then: frozenset[str]
    denial: Book[bool]
    determiners: frozenset[str]
    not_service: frozenset[str]
    phrases: dict[str, Any]
    service_words: frozenset[str]  # what "the X service" may be called in a transcript


def _entry(raw: dict[str, Any]) -> Entry:
    context, claims = raw.get("context"), raw.get("claims")
    return Entry(str(raw["name"]), ComponentKind(raw["kind"]), bool(raw.get("stateful", False)),
                 bool(raw.get("generic", False)), bool(raw.get("article", False)),
                 frozenset(raw.get("over", [])), re.compile(rf"\b(?:{context})\b") if context else None,
                 under=frozenset(raw.get("under", [])), claims=re.compile(rf"\b(?:{claims})\b") if claims else None,
                 distinct=bool(raw.get("distinct", False)))


def _heard_as(raw: dict[str, Any], entry: Entry, part_nouns: frozenset[str]) -> Iterator[tuple[str, Entry]]:
    """An ordinary English word Whisper writes for the name ("ready" for Redis, "console" for Consul), each with
    where it counts: its own context in the sentence, or right before a word that names a part ("a ready cluster")."""
    for item in raw.get("heard_as", []):
        context = item.get("context")
        yield str(item["said"]), replace(entry, context=re.compile(rf"\b(?:{context})\b") if context else None,
                                         next_words=part_nouns if item.get("before_part") else frozenset())


@lru_cache(maxsize=None)
def claimers(kind: ComponentKind) -> tuple[Entry, ...]:
    """The parts of a kind that claim its bare word where a sentence speaks of them (`claims`)."""
    return tuple(e for e in catalogue().entries if e.kind == kind and e.claims is not None)


@lru_cache(maxsize=None)
def catalogue() -> Catalogue:
    raw = component_items()
    phrases = prompt_data.load("design", "phrases.toml")
    entries = [_entry(item) for item in raw]
    aliases = Book(((a, e) for item, e in zip(raw, entries) for a in _with_singulars(item.get("aliases", []))),
                   plurals=True)
    part_nouns = frozenset(phrases["part_nouns"])
    misheard = Book([*((m, e) for item, e in zip(raw, entries) for m in item.get("mishearings", [])),
                     *(said for item, e in zip(raw, entries) for said in _heard_as(item, e, part_nouns))],
                    plurals=True)
    firm = set(phrases["firm_alternative"])
    return Catalogue(aliases, misheard, tuple(entries), Book((p, p in firm) for p in phrases["alternative"]),
                     Book((p, True) for p in phrases["weighed"]), frozenset(phrases["weighed_then"]),
                     Book((p, True) for p in phrases["denial"]), frozenset(phrases["determiners"]),
                     frozenset(phrases["not_service"]), phrases,
                     frozenset(phrases["service_words"]) | _bank_words())


@lru_cache(maxsize=None)
def _named_words() -> frozenset[str]:
    """Words that start a name: heard as themselves, never as part of a sound-alike."""
    return frozenset(catalogue().aliases.lead)


@lru_cache(maxsize=None)
def _product_words() -> frozenset[str]:
    """The one-word names of products (not parts said in ordinary words, whose words are ordinary): what two
    transcribed words may make when put together, or a word Whisper ran into the one before with a dot."""
    raw = component_items()
    return frozenset(w for item in raw if not item.get("generic") for alias in item.get("aliases", [])
                     if len(w := alias.lower()) >= 2 and w.isalnum())


@lru_cache(maxsize=None)
def _one_word_names() -> frozenset[str]:
    """The names and aliases of one word: what letters spelled out may make."""
    return frozenset(k[0] for k in catalogue().aliases.table if len(k) == 1)


def _with_singulars(aliases: list[str]) -> list[str]:
    """The aliases, and the singular of each plural name of several words: "connection servers" is said "a
    connection server" too. One word stays as written, since "lambdas" is a product and "lambda" a letter."""
    out = list(aliases)
    for alias in aliases:
        parts = alias.split()
        last = parts[-1] if len(parts) > 1 else ""
        if len(last) > 4 and last.endswith("s") and not last.endswith(("ss", "is", "us")):
            out.append(" ".join(parts[:-1] + [last[:-1]]))
    return out


@lru_cache(maxsize=None)
def _service_stems() -> frozenset[str]:
    """How the long words a system is called begin: "collaboration servers" where the bank says "collaborative"."""
    return frozenset(w[:STEM] for w in catalogue().service_words if len(w) >= STEM)


def _bank_words() -> frozenset[str]:
    """The words of the built-in questions: what a system in an answer is likely to be called."""
    from simulator.questions import builtin_files, parse_bank

    words: set[str] = set()
    for name, text in builtin_files():
        for question in parse_bank(text, name):
            said = " ".join((question.title, question.prompt, *question.followups, *question.terms))
            words.update(w for w in re.findall(r"[a-z][a-z-]{2,}", said.lower()))
    return frozenset(words)


def _marked(book: Book[bool], before: list[str]) -> bool:
    """Whether the words before a name end with a marker, fillers ("a", "the", "in") allowed after it."""
    return _marker(book, before) is not None


def _marker(book: Book[bool], before: list[str]) -> bool | None:
    """What the marker the words before a name end with means, fillers allowed after it; None where none."""
    words = list(before)
    while True:
        for n in range(min(book.longest, len(words)), 0, -1):
            if tuple(words[-n:]) in book.table:
                return book.table[tuple(words[-n:])]
        if not words or words[-1] not in FILLERS:
            return None
        words.pop()


def _rejected(cat: Catalogue, entry: Entry, start: int, end: int, before: list[str], count: int | None) -> Mention:
    firmly = _marker(cat.alternative, before)
    return Mention(entry, start, end, alternative=firmly is not None, count=count, firmly=bool(firmly))


def _count(before: list[str]) -> int | None:
    if len(before) >= 3 and tuple(before[-3:]) == ("a", "couple", "of"):
        return 2
    if not before:
        return None
    word = before[-1]
    if word.isdigit():
        return int(word) if int(word) < 10_000 else None
    return NUMBERS.get(word)


def mentions(lower: str, heard: bool, toks: list[Token] | None = None) -> list[Mention]:
    """Every component a lowercase sentence names, in order, less those it denies ("no cache")."""
    cat = catalogue()
    toks = _undoubled(tokens(lower) if toks is None else toks)
    if heard:
        toks = respelled(misheard_parts(joined(spelled_out(toks, _one_word_names()), _product_words()),
                                        _one_word_names(), cat.service_words), _named_words())
    texts = [t.text for t in toks]
    found: list[Mention] = []
    denied: set[str] = set()
    i = 0
    while i < len(toks):
        word = texts[i]
        if word not in cat.aliases.lead and not (heard and word in cat.mishearings.lead):
            i += 1
            continue
        hit = cat.aliases.at(toks, i)
        misheard = False
        if heard:
            other = cat.mishearings.at(toks, i)
            if other is not None and (hit is None or other[0] > hit[0]):
                hit, misheard = other, True
        if hit is None:
            i += 1
            continue
        n, entry = hit
        j = i + n
        if any((inner := cat.aliases.at(toks, k)) is not None and k + inner[0] > j for k in range(i + 1, j)):
            i += 1  # a longer name starts inside this one: "the app servers" is app servers, not "the app"
            continue
        start, end = toks[i].start, toks[j - 1].end
        before = texts[max(0, i - 6):i]
        if (misheard and entry.context is not None and not entry.context.search(lower[:start] + lower[end:])) \
                or (misheard and entry.next_words and (j >= len(toks) or texts[j] not in entry.next_words)) \
                or (entry.article and not _stands_as_part(cat, misheard, texts[i:j], before)) \
                or (j < len(toks) and texts[j] in entry.over) or (before and before[-1] in entry.under) \
                or _marked(cat.denial, before):
            if _marked(cat.denial, before):  # "we tried Thanos first, then moved off Thanos": neither is kept
                denied.add(entry.name)
            i += 1 if misheard or entry.article else n
            continue
        mention = _rejected(cat, entry, start, end, before, _count(before))
        if not mention.alternative and (_marked(cat.weighed, before) and cat.weighed_then & set(texts[j:])
                                        or listed_after_rejected(found, toks, i)):
            mention = replace(mention, alternative=True, firmly=True)
        found.append(mention)
        i = j
    taken_back = "no" in texts
    found = [replace(m, alternative=True, firmly=True)
             if m.entry.name in denied or taken_back and corrected(m, found, lower, toks) else m for m in found]
    found += _services(lower, toks, found, cat, heard)
    found = _roles(lower, toks, found, cat, heard)
    return sorted(found, key=lambda m: m.start)


def _stands_as_part(cat: Catalogue, misheard: bool, said: list[str], before: list[str]) -> bool:
    """Whether a common word ("counter", "database") names a part: said as one of its names of several words
    ("counter service", "key-value store"), or after a determiner ("a counter"), and never as a plural it does not
    list ("the counters live in Redis" is data)."""
    book = cat.mishearings if misheard else cat.aliases
    if tuple(said) not in book.table:
        return False
    return len(said) > 1 or bool(set(before[-2:]) & cat.determiners)


def _apart(lower: str, word: Token, noun: Token, heard: bool) -> bool:
    """Whether a word and "service"/"servers" after it belong to two phrases: punctuation between ("the build
    breaks, servers keep ..."), or the noun opening a compound ("server-lease", "service-level"). In a transcript
    only a colon or a dash counts, since Whisper writes "query, service" and "post-service" for one name."""
    between = lower[word.end:noun.start].strip()
    return bool(between.strip(",-") if heard else between) or lower[noun.end:noun.end + 1] == "-"


def _undoubled(toks: list[Token]) -> list[Token]:
    """The words less a word said twice, as Whisper writes a stumble: "the the queue", "server servers"."""
    if not any(b.text.startswith(a.text) and _again(a.text, b.text) for a, b in zip(toks, toks[1:])):
        return toks
    out: list[Token] = []
    for tok in toks:
        if out and tok.text.startswith(out[-1].text) and _again(out[-1].text, tok.text):
            out[-1] = Token(tok.text, out[-1].start, tok.end)
        else:
            out.append(tok)
    return out


def _again(first: str, then: str) -> bool:
    return first == then or first in singular(then)[1:]


def _services(lower: str, toks: list[Token], taken: list[Mention], cat: Catalogue, heard: bool) -> list[Mention]:
    """Services the candidate names in their own words: "the order service", "suggestion servers"; in a
    transcript only by a word a system is likely called (see service_words in prompts/design/phrases.toml)."""
    out = []
    texts = [t.text for t in toks]
    for k in range(1, len(toks)):
        noun = texts[k]
        if noun not in ("service", "services", "server", "servers"):
            continue
        word = texts[k - 1]
        start, end = toks[k - 1].start, toks[k].end
        if word in cat.not_service or not word[0].isalpha() or any(m.start < end and start < m.end for m in taken):
            continue
        if _apart(lower, toks[k - 1], toks[k], heard):
            continue
        if heard and word not in cat.service_words and word.rstrip("s") not in cat.service_words \
                and not (len(word) >= STEM and word[:STEM] in _service_stems()):
            continue
        before = texts[max(0, k - 7):k - 1]
        if _marked(cat.denial, before):
            continue
        if word.endswith("s") and word[:-1] in cat.service_words:  # "payments service" is the payment service
            word = word[:-1]
        name = f"{word} service" if noun.startswith("service") else f"{word} servers"
        entry = Entry(name, ComponentKind.SERVICE, False, own=True)
        out.append(_rejected(cat, entry, start, end, before, _count(before)))
    return out


@dataclass(frozen=True)
class _RoleTables:
    book: Book[bool]
    not_modifier: frozenset[str]
    not_own_api: frozenset[str]
    role_is: frozenset[str]
    role_is_verbs: frozenset[str]
    later: frozenset[str]


@lru_cache(maxsize=None)
def _role_tables() -> _RoleTables:
    """The role grammar's word lists (prompts/design/phrases.toml), made into tables once."""
    cat = catalogue()
    phrases = cat.phrases
    not_modifier = cat.not_service | cat.determiners | frozenset(phrases["not_role"])
    return _RoleTables(heads(tuple(phrases["role_nouns"]), tuple(phrases["role_alone"])), not_modifier,
                       not_modifier | frozenset(phrases["not_own_api"]), frozenset(phrases["role_is"]),
                       frozenset(phrases["role_is_verbs"]), frozenset(phrases["role_later"]))


def _roles(lower: str, toks: list[Token], found: list[Mention], cat: Catalogue, heard: bool) -> list[Mention]:
    """The mentions, with the parts named by a role noun in the candidate's own words ("a bounce handler") and the
    API tier said by its name ("the mail API"). A generic name of one word that is also a role noun ("dispatcher")
    yields to the role with what it handles said ("a push dispatcher"); said bare, it stays the catalogue's part."""
    tables = _role_tables()
    book = tables.book
    yielding = [m for m in found if m.entry.generic and len(toks_in := tokens(lower[m.start:m.end])) == 1
                and book.at(toks_in, 0) is not None]
    held = [(m.start, m.end) for m in found if m not in yielding]
    usual = _usual_word if heard else (lambda w: True)
    parts = role_parts(lower, toks, held, book, tables.not_modifier, usual)
    out = [m for m in found if not any(m in yielding and not bare and s < m.end and m.start < e
                                       for _, _, s, e, bare in parts)]
    for name, bindable, start, end, bare in parts:
        if bare and (any(s < end and start < e for s, e in ((m.start, m.end) for m in out))
                     or name.split("-")[-1] in _alias_ends()):  # "a limiter" is the rate limiter said short
            continue
        before = [t.text for t in toks if t.end <= start][-6:]
        if _marked(cat.denial, before) or _said_to_be(lower, end, out, tables) \
                or tables.later.intersection(before[-3:]):  # "and, later, the search indexer"
            continue
        entry = Entry(name, ComponentKind.SERVICE, False, generic=bindable, own=True, role=True, bare=bare)
        out.append(_rejected(cat, entry, start, end, before, _count(before)))
    return out + _own_api(toks, out, cat, tables.not_own_api)


def _said_to_be(lower: str, end: int, found: list[Mention], tables: _RoleTables) -> bool:
    """Whether a role part is said, right after it, to be a catalogue part: "a click tracker, which is just a tiny
    web server" is the API tier."""
    after = [m for m in found if m.start >= end and not m.entry.role]
    if not after:
        return False
    between = [t.text for t in tokens(lower[end:min(m.start for m in after)])]
    said = set(between)
    return bool(said) and said <= tables.role_is and bool(said & tables.role_is_verbs)


def _own_api(toks: list[Token], found: list[Mention], cat: Catalogue, not_modifier: frozenset[str]) -> list[Mention]:
    """The API tier named as "the <what it serves> API" ("the mail API", "a job API"); not someone else's API
    ("the supplier API") nor APIs, plural, which are mostly someone else's."""
    tier = _entry_named("API servers")
    if tier is None:
        return []
    out = []
    for k in range(2, len(toks)):
        word, before = toks[k - 1], toks[k - 2]
        if toks[k].text != "api" or before.text not in ("the", "a", "an", "our") or word.text in not_modifier \
                or not word.text.isalpha() or any(m.start < toks[k].end and word.start < m.end for m in found):
            continue
        if (word.text,) in cat.aliases.table:  # "the Stripe API" is Stripe's
            continue
        out.append(Mention(tier, word.start, toks[k].end))
    return out


@lru_cache(maxsize=None)
def _alias_ends() -> frozenset[str]:
    """The last words of the catalogue's names of several words, with their plurals: "limiter" of "rate limiter"."""
    ends = {k[-1] for k in catalogue().aliases.table if len(k) > 1}
    return frozenset(ends | {e + "s" for e in ends})


@lru_cache(maxsize=None)
def _entry_named(name: str) -> Entry | None:
    return next((e for e in catalogue().entries if e.name == name), None)


def _usual_word(word: str) -> bool:
    """In a transcript, a word that says what a part handles is an ordinary word, not one Whisper made up."""
    from simulator.judging.design.soundalike import sounds

    return word in sounds().ordinary or word in catalogue().service_words

"""Technology names heard as words that only sound like them: "riddies" for Redis, "cuber needs" for Kubernetes,
"post gress" for Postgres. Whisper writes a made-up word, or a name split in two, where it does not know a name.

Each catalogue name of five letters or more (its own words, not a part said in ordinary words) is reduced once to a
sound key: its letters as sounds, voiced and unvoiced alike, every vowel one sound ("redis" is RATAS). A run of one
to three transcript words with a name's key, beginning as the name begins, is read as that name; a long name also
one sound off ("cubanites"). Only where one of the words is no ordinary word (see prompts/design/soundalike.toml):
"reduce" sounds like Redis, but a candidate says it, so it stays itself. Typed text is never read this way.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from simulator import prompt_data
from simulator.judging.design.phrasebook import Token, words
from simulator.judging.design.sources import component_items, listed_only

MIN_LETTERS = 5  # a shorter name has too short a key to tell from ordinary words
MIN_KEY = 5  # sounds a key keeps, every vowel one sound: "kafka" is KAFKA, "redis" RATAS
NEAR_KEY = 7  # a key this long may be heard one sound off: "cubanites" for Kubernetes (KAPARNATAS)
MAX_WORDS = 3  # words one name may be heard as: "cooper net ease"
ODD_LETTERS = 4  # an ordinary-looking word shorter than this ("ed", "ure") proves nothing
NEAR_ODD = 5  # a sound off is taken only where the odd word is this long: a long made-up word is a name misheard
# spellings of one sound, longest first, then letters that sound alike; every vowel is one, h and w are dropped
SPELLINGS = (("sch", "sk"), ("tch", "x"), ("ph", "f"), ("ck", "k"), ("ch", "x"), ("sh", "x"), ("gh", ""),
             ("qu", "k"), ("kn", "n"), ("wr", "r"), ("dg", "x"))
SOFT = re.compile(r"c(?=[eiy])")
SOFT_G = re.compile(r"g(?=[eiy])")
LETTERS = str.maketrans({"b": "p", "d": "t", "g": "k", "v": "f", "z": "s", "q": "k", "c": "k", "j": "x",
                         "e": "a", "i": "a", "o": "a", "u": "a", "y": "a", "h": None, "w": None})
SUFFIXES = ("ically", "ingly", "ness", "less", "ment", "tion", "sion", "able", "ible", "ful")  # an ordinary word's ends
SPELLED_MOST = 8  # letters a name may be spelled in: "N G I N X"
DIGITS = {"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
          "eight": "8", "nine": "9"}
IGNORED_KEYS = ("mishearings", "context", "claims", "said")  # data that holds Whisper's words, not ordinary ones


@lru_cache(maxsize=8192)
def key(text: str) -> str:
    """The sound of a name or a run of words, each sound once, a last vowel dropped ("post gress" is PASTKRAS)."""
    s = re.sub(r"[^a-z]", "", text.lower()).replace("x", "ks")
    for spelled, sound in SPELLINGS:
        s = s.replace(spelled, sound)
    s = SOFT_G.sub("x", SOFT.sub("s", s))
    s = re.sub(r"(.)\1+", r"\1", s.translate(LETTERS))
    return s[:-1] if len(s) > 1 and s.endswith("a") else s  # "renese" and "kubernetes" end on a sound or not


def onset(word: str) -> str:
    """How a word begins, spelling aside but voicing kept: "cuber" and "kubernetes" begin alike, "bonoed" and
    "pinot" do not."""
    for spelled, sound in (("ph", "f"), ("kn", "n"), ("wr", "r"), ("c", "k"), ("q", "k"), ("z", "s")):
        if word.startswith(spelled):
            return sound
    return word[:1]


def _near(a: str, b: str) -> bool:
    """Whether two keys are one insertion, deletion or change apart, or the same."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) <= 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:k] + long[k + 1:] == short for k in range(len(long)))


def _deletions(k: str) -> Iterator[str]:
    yield k
    for i in range(len(k)):
        yield k[:i] + k[i + 1:]


@dataclass(frozen=True)
class Sounds:
    """The catalogue's names by sound, and the words that are ordinary."""

    index: dict[str, tuple[tuple[str, tuple[str, ...]], ...]]  # a key or one of its deletions → (key, alias words)
    ordinary: frozenset[str]

    def name_for(self, said: list[str]) -> tuple[int, tuple[str, ...]] | None:
        """The name a run of words sounds like, with how far its key is from the name's (0 or 1); None where none
        or where every word is an ordinary one."""
        odd = max((len(w) for w in said if w.isalpha() and not _usual(w)), default=0)
        if odd < ODD_LETTERS:
            return None
        heard = key("".join(said))
        if len(heard) < MIN_KEY:
            return None
        best: tuple[int, tuple[str, ...]] | None = None
        for variant in set(_deletions(heard)):
            for name_key, alias in self.index.get(variant, ()):
                if onset(said[0]) != onset(alias[0]) or not (
                        name_key == heard or len(name_key) >= NEAR_KEY and odd >= NEAR_ODD and len(alias) == 1
                        and _near(heard, name_key)):
                    continue
                far = int(name_key != heard)
                if best is None or (far, alias) < best:
                    best = (far, alias)
        return best


@lru_cache(maxsize=8192)
def _usual(word: str) -> bool:
    """An ordinary word, one with an ordinary word's ending ("-ically"), or one clipped of its first letter as
    Whisper clips a word after a pause ("tateless" for stateless)."""
    ordinary = sounds().ordinary
    return word in ordinary or word.endswith(SUFFIXES) or any(c + word in ordinary for c in string.ascii_lowercase)


@lru_cache(maxsize=None)
def sounds() -> Sounds:
    """The sound keys of every name and alias of five letters or more, and the ordinary words, worked out once."""
    raw = component_items()
    listed = listed_only()
    index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for item in raw:
        if item.get("article") or item.get("generic"):
            continue  # a bare common word, or a part said in ordinary words: its sound is an ordinary word's
        for alias in [str(item["name"]).lower(), *item.get("aliases", [])]:
            said = words(alias)
            name_key = key(alias)
            if sum(c.isalpha() for c in alias) < MIN_LETTERS or len(name_key) < MIN_KEY or not said \
                    or any(c.isdigit() for c in alias) \
                    or (item["name"] in listed and len(name_key) < NEAR_KEY):  # "s3" has no sound a key keeps
                continue
            for variant in set(_deletions(name_key)):
                entries = index.setdefault(variant, [])
                if (name_key, said) not in entries:
                    entries.append((name_key, said))
    return Sounds({k: tuple(sorted(v)) for k, v in index.items()}, _ordinary())


def _ordinary() -> frozenset[str]:
    """Words the program's own data uses, and the common words it lists: never a mishearing of a name."""
    found: set[str] = set(prompt_data.load("design", "soundalike.toml")["common"].split())
    for path in _toml_files(prompt_data.path()):
        try:
            _strings(prompt_data.parse(path.read_text(encoding="utf-8")), found)
        except (prompt_data.TOMLDecodeError, UnicodeDecodeError):
            continue  # a broken file is named by the loader that reads it
    return frozenset(found)


def _toml_files(folder: Any) -> Iterator[Any]:
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            yield from _toml_files(entry)
        elif entry.name.endswith(".toml"):
            yield entry


def _strings(value: Any, into: set[str]) -> None:
    if isinstance(value, str):
        into.update(re.findall(r"[a-z]+(?:'[a-z]+)?", value.lower()))
    elif isinstance(value, list):
        for item in value:
            _strings(item, into)
    elif isinstance(value, dict):
        for name, item in value.items():
            if name not in IGNORED_KEYS:
                _strings(item, into)


def respelled(toks: list[Token], taken: frozenset[str] = frozenset()) -> list[Token]:
    """The words of a transcribed sentence with each run that sounds like a catalogue name put as that name; words
    that are already a name's (`taken`) are never part of a run. The closest runs win, then the longest."""
    table = sounds()
    ordinary = table.ordinary
    odd = [i for i, t in enumerate(toks)
           if t.text not in ordinary and len(t.text) >= ODD_LETTERS and t.text.isalpha() and not _usual(t.text)]
    if not odd:
        return toks  # most sentences: every word an ordinary one
    found: list[tuple[int, int, int, tuple[str, ...]]] = []
    for i in range(max(0, odd[0] - MAX_WORDS + 1), odd[-1] + 1):
        for n in range(1, MAX_WORDS + 1):
            said = [t.text for t in toks[i:i + n]]
            if len(said) < n or any(w in taken for w in said):
                break
            if not any(i <= k < i + n for k in odd):
                continue
            hit = table.name_for(said)
            if hit is not None:
                found.append((hit[0], -n, i, hit[1]))
    if not found:
        return toks
    used = [False] * len(toks)
    chosen: dict[int, tuple[int, tuple[str, ...]]] = {}
    for _, minus_n, i, alias in sorted(found):
        n = -minus_n
        if any(used[i:i + n]):
            continue
        used[i:i + n] = [True] * n
        chosen[i] = (n, alias)
    out: list[Token] = []
    i = 0
    while i < len(toks):
        if i not in chosen:
            out.append(toks[i])
            i += 1
            continue
        n, alias = chosen[i]
        start, end = toks[i].start, toks[i + n - 1].end
        out += [Token(word, start, end) for word in alias]
        i += n
    return out


def spelled_out(toks: list[Token], names: frozenset[str]) -> list[Token]:
    """The words of a transcribed sentence with a name Whisper wrote letter by letter, or with a number word, put
    together where that makes one of the catalogue's one-word names (`names`): "S-3" and "S three" are s3, "K eight
    S" is k8s, "N G I N X" is nginx."""
    single = [len(t.text) == 1 or t.text in DIGITS for t in toks]
    if not any(a and b for a, b in zip(single, single[1:])):
        return toks  # most sentences: no two letters or digits side by side
    out: list[Token] = []
    i = 0
    while i < len(toks):
        run = 0
        while i + run < len(toks) and single[i + run] and run < SPELLED_MOST:
            run += 1
        for n in range(run, 1, -1):
            joined = "".join(DIGITS.get(t.text, t.text) for t in toks[i:i + n])
            if joined in names:
                out.append(Token(joined, toks[i].start, toks[i + n - 1].end))
                i += n
                break
        else:
            out.append(toks[i])
            i += 1
    return out


def joined(toks: list[Token], names: frozenset[str]) -> list[Token]:
    """The words of a transcribed sentence with a product's one-word name that Whisper wrote as two words put
    together again ("Cloud Front" is cloudfront, "Click House" clickhouse), or ran into the word before it with a
    dot ("page.s3" is page and s3); only where that makes one of `names`."""
    said = [t.text for t in toks]
    if "." in " ".join(said):
        toks = [part for t in toks for part in _dotted(t, names)]
        said = [t.text for t in toks]
    heads = _heads(names)
    if len(toks) < 2 or heads.isdisjoint(said):
        return toks  # most sentences: no word begins a product's name
    out: list[Token] = []
    i = 0
    while i < len(toks):
        if i + 1 < len(toks) and toks[i].text in heads and len(toks[i].text) + len(toks[i + 1].text) >= MIN_LETTERS \
                and toks[i].text + toks[i + 1].text in names:
            out.append(Token(toks[i].text + toks[i + 1].text, toks[i].start, toks[i + 1].end))
            i += 2
        else:
            out.append(toks[i])
            i += 1
    return out


@lru_cache(maxsize=4)
def _heads(names: frozenset[str]) -> frozenset[str]:
    """What the first of two words a name was split into may be: each name's beginnings of two letters or more."""
    return frozenset(n[:k] for n in names for k in range(2, len(n) - 1))


def _dotted(tok: Token, names: frozenset[str]) -> list[Token]:
    head, dot, tail = tok.text.rpartition(".")
    if not dot or tail not in names or not head:
        return [tok]
    return [Token(head, tok.start, tok.start + len(head)), Token(tail, tok.end - len(tail), tok.end)]


ENDING = 3  # sounds at the end of a word that carry it when the start is misheard: "malancer", "mancer" (-NSAR)
ROOT = 4  # first letters two words share when one is made from the other ("indexer", "indexes")
GLUE_MOST = 5  # letters of short words Whisper glues onto a name: "clientscope" (clients go), "underpost" (and a post)
GLUE_BEFORE = 6  # letters of short words Whisper glues in front of a product's name: "sandinclickhouse" (lands in)


@lru_cache(maxsize=8192)
def _odd(word: str) -> bool:
    """A word Whisper made up: no ordinary word, long enough to tell."""
    return word.isalpha() and len(word) >= ODD_LETTERS and word not in sounds().ordinary and not _usual(word)


def _sounds_like(odd: str, word: str) -> bool:
    """Whether a made-up word may be a long word misheard: begun in the same place in the mouth ("m" for "b"), and
    its sounds at most two apart or ending alike ("malancer", "mancer" and "maternacer" all end as balancer does),
    not much shorter, and no word made from it ("indexer" is not "index" misheard)."""
    heard, meant = key(odd), key(word)
    if len(meant) < MIN_KEY or odd[:ROOT] == word[:ROOT] or _place(odd) != _place(word):
        return False
    if len(heard) < len(meant) - 2 or len(heard) > len(meant) + 3:
        return False
    return heard.endswith(meant[-ENDING:]) or any(_near(k, meant) for k in _deletions(heard))


PLACES = ("bpm", "fv", "tdnszlrc", "kgq", "aeiouy")  # where in the mouth a word's first sound is made


def _place(word: str) -> int:
    return next((i for i, letters in enumerate(PLACES) if word[:1] in letters), -1)


@lru_cache(maxsize=None)
def _pairs() -> dict[str, tuple[tuple[int, str, tuple[str, str]], ...]]:
    """The catalogue's names of two words, by each word: the word, which of the two it is, the other word."""
    raw = component_items()
    found: dict[str, set[tuple[int, str, tuple[str, str]]]] = {}
    for item in raw:
        for alias in [str(item["name"]).lower(), *item.get("aliases", [])]:
            said = words(alias)
            if len(said) != 2 or not all(w.isalpha() and len(w) >= ODD_LETTERS for w in said):
                continue
            pair = (said[0], said[1])
            found.setdefault(said[0], set()).add((0, said[1], pair))
            found.setdefault(said[1], set()).add((1, said[0], pair))
    return {w: tuple(sorted(v)) for w, v in found.items()}


def misheard_parts(toks: list[Token], names: frozenset[str], service_words: frozenset[str]) -> list[Token]:
    """A transcribed sentence's words with glued words taken apart and names of two words put right (unglued, then
    half_heard); most sentences, every word an ordinary one, come back as they are at the cost of a look-up a word."""
    odd = [_odd(t.text) for t in toks]
    if not any(odd):
        return toks
    return half_heard(unglued(toks, names, service_words))


def half_heard(toks: list[Token]) -> list[Token]:
    """The words of a transcribed sentence with a name of two words put right where Whisper heard one of its words
    and made up the other: "load malancer" and "load mancer" are a load balancer, "objict storage" object storage. The
    made-up word must sound like the long word it stands for; an ordinary word ("load manager") is left to the
    catalogue's own mishearings."""
    odd = [_odd(t.text) for t in toks]
    if not any(odd):
        return toks  # most sentences: every word an ordinary one
    pairs = _pairs()
    out: list[Token] = []
    i = 0
    while i < len(toks):
        if i + 1 < len(toks) and (odd[i] or odd[i + 1]):
            first, then = toks[i].text, toks[i + 1].text
            hit = next((pair for at, other, pair in pairs.get(first, ()) if at == 0 and odd[i + 1]
                        and _sounds_like(then, other)), None) or \
                next((pair for at, other, pair in pairs.get(then, ()) if at == 1 and odd[i]
                      and _sounds_like(first, other)), None)
            if hit is not None:
                out += [Token(hit[0], toks[i].start, toks[i].end), Token(hit[1], toks[i + 1].start, toks[i + 1].end)]
                i += 2
                continue
        out.append(toks[i])
        i += 1
    return out


def unglued(toks: list[Token], names: frozenset[str], service_words: frozenset[str]) -> list[Token]:
    """The words of a transcribed sentence with a short word Whisper glued onto a name taken off again: "clientscope"
    is "clients" (go), "sandinclickhouse" ClickHouse (lands in), "underpost service" and "appost service" the post
    service. Only a made-up word is taken apart, only into a name (`names`, of five letters or more) or, before
    "service" or "servers", a word a system is called (`service_words`), and only where what is left is a short
    word's worth of letters."""
    out: list[Token] = []
    for k, tok in enumerate(toks):
        word = tok.text
        if not _odd(word):
            out.append(tok)
            continue
        head = next((word[:n] for n in range(len(word) - 1, MIN_LETTERS - 1, -1)
                     if len(word) - n <= GLUE_MOST and word[:n] in names), None)
        servicing = k + 1 < len(toks) and toks[k + 1].text in ("service", "services", "server", "servers")
        tail = next((word[n:] for n in range(1, GLUE_MOST + 1)
                     if servicing and len(word) - n >= ODD_LETTERS and word[n:] in service_words), None)
        tail = tail or next((word[n:] for n in range(1, GLUE_BEFORE + 1)
                             if len(word) - n >= MIN_LETTERS and word[n:] in names), None)
        if head is not None:
            out.append(Token(head, tok.start, tok.start + len(head)))
        elif tail is not None:
            out.append(Token(tail, tok.end - len(tail), tok.end))
        else:
            out.append(tok)
    return out

"""An answer's sentences → the candidate's design: components, choices, figures, flows and safeguards.

Rules over data (prompts/design/components.toml and phrases.toml), sentence by sentence, so the same answer
always gives the same design and every item quotes the sentence it came from. A transcribed sentence is read as
the candidate meant it (Sentence.lower) and Whisper's steady mishearings of component names count in it; a typed
one is read as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from simulator.judging.design.catalogue import Mention, catalogue, claimers, mentions
from simulator.judging.design.phrasebook import Book, Token, tokens
from simulator.judging.design.roles import head_of, same_part
from simulator.judging.design.figures import figures
from simulator.judging.design.model import Choice, Component, ComponentKind, Design, Figure, Flow, Quote, Safeguard
from simulator.judging.sentences import Sentence

RETRACTIONS = (("actually", "no"), ("no", "wait"), ("no", "sorry"), ("sorry", "no"), ("scratch", "that"),
               ("wait", "no"), ("actually", "scratch"), ("no", "actually"))
STORES = frozenset({ComponentKind.CACHE, ComponentKind.DATABASE, ComponentKind.OBJECT_STORE})
ANAPHORA = {"the", "those", "these", "that", "this", "its", "their", "our"}
CHOICE_REACH = 30  # characters from "I'd go with" to the name it chose
MAX_FLOW_GAP = 80  # characters between two names beyond which no flow is read between them


@dataclass(frozen=True)
class _Books:
    choice: Book[bool]
    reason: Book[bool]
    flows: Book[tuple[str, bool]]  # label, and whether the first name calls or feeds the second
    guards: Book[str]


@lru_cache(maxsize=None)
def _books() -> _Books:
    phrases = catalogue().phrases
    flows = [(p, (str(f["label"]), direction == "forward")) for f in phrases["flow"]
             for direction in ("forward", "backward") for p in f.get(direction, [])]
    guards = [(p, str(kind)) for kind, items in phrases["safeguard"].items() for p in items]
    return _Books(Book((p, True) for p in phrases["choice"]), Book((p, True) for p in phrases["reason"]),
                  Book(flows), Book(guards))


@lru_cache(maxsize=None)
def _cast_phrases() -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(p.split()) for p in catalogue().phrases["cast_as"])


def build_design(sentences: list[Sentence]) -> Design:
    """The design heard in an answer; an answer that names nothing gives an empty design."""
    builder = _Builder()
    for index, sentence in enumerate(sentences):
        toks = tokens(sentence.lower)
        if _names_the_question(sentence.lower, toks, first=index == 0):
            continue
        following = sentences[index + 1] if index + 1 < len(sentences) else None
        builder.read(sentence, toks, following)
    return builder.design()


def _names_the_question(lower: str, toks: list[Token], first: bool) -> bool:
    """Whether a sentence only names a topic: the answer's first saying what is being designed ("Right, so a rate
    limiter."), or a heading of common words ("The APIs.", "Next, the cache."). Neither is a part of the design;
    "And a cache." is one."""
    opening = frozenset(catalogue().phrases["opening"])
    said = [t for t in toks if t.text not in opening]
    if not said or len(said) > 3:
        return False
    found = mentions(lower, False, toks)
    heading = found and found[0].entry.generic and not {"a", "an"} & {t.text for t in toks}
    return len(found) == 1 and bool(first or heading) and all(found[0].start <= t.start < found[0].end for t in said)


def _retracts(toks: list[Token]) -> bool:
    """Whether a sentence opens by taking back what was just said: "Actually, no, ...", "No wait, ...", "Scratch
    that"."""
    said = tuple(t.text for t in toks[:4] if t.text not in ("um", "uh", "oh", "and", "so", "well"))
    return any(said[:len(p)] == p for p in RETRACTIONS)


def _family(kind: ComponentKind) -> str:
    """Parts that can stand in for one another when a candidate changes their mind: the stores, or one kind."""
    return "store" if kind in STORES else str(kind)


def _asks(text: str) -> bool:
    return text.rstrip(" \"')").endswith("?")


def _said(lower: str, mention: Mention) -> tuple[str, ...]:
    """The words a mention was said in, a plural as its singular, so "wide-column stores" is "wide column store"."""
    said = tuple(t.text for t in tokens(lower[mention.start:mention.end]))
    if said and said[-1].endswith("s") and not said[-1].endswith("ss"):
        said = said[:-1] + (said[-1][:-1],)
    return said


def _alternatives(found: list[Mention]) -> list[Mention]:
    """A name after "over" or "not" is a rejected alternative only beside a kept name of its kind ("Postgres over
    Cassandra"); otherwise the word meant something else ("talk to each other over Kafka")."""
    kinds = {m.entry.kind for m in found if not m.alternative}
    return [m if not m.alternative or m.firmly or m.entry.kind in kinds else replace(m, alternative=False)
            for m in found]


class _Builder:
    """The design as the answer goes: what each sentence adds, in order, the first mention introducing."""

    def __init__(self) -> None:
        self.components: dict[str, Component] = {}
        self.choices: list[Choice] = []
        self.figures: list[Figure] = []
        self.flows: list[Flow] = []
        self.safeguards: list[Safeguard] = []
        self.last: str | None = None  # the component named last, for a safeguard said without a name
        self.bound: dict[tuple[str, ...], str] = {}  # generic words said of a named part: "a store like HBase"
        self.said_of: dict[str, str] = {}  # a generic part's name → the named part it was first said of
        self.introduced: list[str] = []  # the parts the sentence before brought in
        self.retracted: list[str] = []  # parts a sentence took back before naming what stands in their place

    def read(self, sentence: Sentence, toks: list[Token], following: Sentence | None) -> None:
        lower = sentence.lower
        quote = Quote(sentence.text.strip(), sentence.start)
        self.figures += figures(sentence.text, lower, quote)
        if _asks(sentence.text):  # a clarifying question proposes nothing: "is it protecting our API servers?"
            return
        named = self._resolve(_alternatives(mentions(lower, sentence.heard, toks)), lower)
        kept = [m for m in named if not m.alternative]
        if _retracts(toks):  # said alone ("Actually, no, it gets too big."), it takes effect in the next part named
            self.retracted = list(self.introduced)
        if self.retracted and kept:
            self._take_back(kept, self.retracted)
            self.retracted = []
        new = [m.entry.name for m in kept if m.entry.name not in self.components]
        for mention in kept:
            self._add(mention, quote)
        if kept or not self.retracted:
            self.introduced = new
        self._choices(named, sentence.text, lower, toks, quote, following)
        self._flows(kept, toks, quote)
        self._safeguards(kept, toks, quote)
        if kept:
            self.last = kept[-1].entry.name

    def _take_back(self, kept: list[Mention], taken: list[str]) -> None:
        """A sentence that opens by taking the last one back ("Actually, no, it gets too big, let's keep it in
        RocksDB"): a part the sentence before brought in is dropped where this one puts a part of its family in its
        place and does not name it again."""
        said = {m.entry.name for m in kept}
        families = {_family(m.entry.kind) for m in kept if not m.entry.generic}
        for name in taken:
            part = self.components.get(name)
            if part is None or name in said or _family(part.kind) not in families:
                continue
            del self.components[name]
            self.flows = [f for f in self.flows if name not in (f.source, f.target)]
            self.safeguards = [g for g in self.safeguards if g.component != name]
            self.choices = [c for c in self.choices if c.chosen != name]

    def _resolve(self, found: list[Mention], lower: str) -> list[Mention]:
        """Generic words that name a part already named are that part: "a message queue, let's say Kafka",
        "a Redis cache", and "the cache" after Redis was named."""
        found = [self._claimed(m, lower) for m in found]
        specific = {m.entry.kind: m.entry.name for m in found
                    if not (m.entry.generic or m.entry.own or m.alternative)}
        out = []
        for at, mention in enumerate(found):
            entry = mention.entry
            cast = self._cast_as(found[at - 1], mention, lower) if at else None
            if cast is not None:  # "Envoy as the gateway": the gateway is Envoy, whatever kind each is
                self.bound.setdefault(_said(lower, mention), cast)
                self.said_of.setdefault(entry.name, cast)
                continue
            if entry.role:
                mention = self._role(mention, out, specific)
                if mention is not None:
                    out.append(mention)
                continue
            if entry.generic and not mention.alternative and not entry.distinct:
                said = _said(lower, mention)
                if entry.kind in specific:
                    self.bound.setdefault(said, specific[entry.kind])
                    self.said_of.setdefault(entry.name, specific[entry.kind])
                    continue
                if said in self.bound and self.bound[said] in self.components:
                    continue
                before = re.findall(r"[\w']+", lower[max(0, mention.start - 20):mention.start])[-1:]
                # "the cache" after Redis is Redis; services are many, so "the API servers" is no "key service"
                if before and before[0] in ANAPHORA and entry.name not in self.components \
                        and entry.kind != ComponentKind.SERVICE \
                        and any(c.kind == entry.kind for c in self.components.values()):
                    continue
            out.append(mention)
        return out

    def _role(self, mention: Mention, earlier: list[Mention], specific: dict[ComponentKind, str]) -> Mention | None:
        """A part named by its role: the one named so before ("flag relays", then "a flag relay"; "the handler"
        after "a bounce handler"), or the engine of its kind the sentence names ("a drift calculator in Flink");
        else a part of its own."""
        entry = mention.entry
        if mention.alternative:
            return mention
        names = [*self.components, *(m.entry.name for m in earlier if m.entry.role)]
        if entry.bare:
            if any(head_of(n) == head_of(entry.name) for n in names):
                return None
        else:
            known = next((n for n in names if same_part(n, entry.name)), None)
            if known is not None:
                return replace(mention, entry=replace(entry, name=known))
        if entry.generic and ComponentKind.WORKER in specific:
            self.said_of.setdefault(entry.name, specific[ComponentKind.WORKER])
            return None
        return mention

    @staticmethod
    def _cast_as(named: Mention, generic: Mention, lower: str) -> str | None:
        """The named part a generic one is said to be, right after it: "Envoy as the gateway", "Redis as our cache";
        None where the words between are not such a phrase."""
        if not generic.entry.generic or generic.alternative or named.alternative \
                or named.entry.generic or named.entry.own:
            return None
        between = tuple(t.text for t in tokens(lower[named.end:generic.start]))
        return named.entry.name if between in _cast_phrases() else None

    @staticmethod
    def _claimed(mention: Mention, lower: str) -> Mention:
        """A bare word of a kind ("the gateways") as the part of that kind the sentence speaks of: the WebSocket
        gateway where the sentence is about sockets."""
        if not mention.entry.generic or not claimers(mention.entry.kind) or len(_said(lower, mention)) != 1:
            return mention
        for entry in claimers(mention.entry.kind):
            if entry.claims is not None and entry.claims.search(lower):
                return replace(mention, entry=entry)
        return mention

    def _add(self, mention: Mention, quote: Quote) -> None:
        entry = mention.entry
        known = self.components.get(entry.name)
        if known is None:
            self.components[entry.name] = Component(entry.name, entry.kind, quote, stateful=entry.stateful,
                                                    count=mention.count)
        elif known.count is None and mention.count is not None:
            self.components[entry.name] = Component(known.name, known.kind, known.quote, known.source,
                                                    known.stateful, mention.count)

    def _choices(self, named: list[Mention], text: str, lower: str, toks: list[Token], quote: Quote,
                 following: Sentence | None) -> None:
        books = _books()
        rejected = [m for m in named if m.alternative]
        kept = [m for m in named if not m.alternative]
        verb = next(books.choice.scan(toks), None)
        if not kept or not (rejected or verb):
            return
        if rejected:
            first = rejected[0]
            same = [m for m in kept if m.entry.kind == first.entry.kind] or kept
            chosen = min(same, key=lambda m: abs(m.start - first.start))
        else:
            verb_end = toks[verb[1] - 1].end  # type: ignore[index]
            after = [m for m in kept if 0 <= m.start - verb_end <= CHOICE_REACH]
            if not after:
                return
            chosen = after[0]
        said = next((toks[i].start for i, _, _ in books.reason.scan(toks) if toks[i].start >= chosen.end), None)
        why = None
        if said is not None:  # in the candidate's own spelling where the lowercase reading lines up with it
            why = (text if len(text) == len(lower) else lower)[said:].strip(" .")
        if why is None and following is not None and self._opens_reason(following.lower):
            why = following.text.strip(" .")
        over = tuple(dict.fromkeys(m.entry.name for m in rejected if m.entry.name != chosen.entry.name))
        self.choices.append(Choice(chosen.entry.name, over, why or None, quote))

    @staticmethod
    def _opens_reason(lower: str) -> bool:
        """Whether a sentence starts by giving a reason: "Because ...", "That's because ..."."""
        toks = tokens(lower)
        skip = 1 if toks and toks[0].text in ("that's", "it's", "and", "thats", "its") else 0
        return _books().reason.at(toks, skip) is not None if len(toks) > skip else False

    def _flows(self, kept: list[Mention], toks: list[Token], quote: Quote) -> None:
        books = _books()
        for a, b in zip(kept, kept[1:]):
            if a.entry.name == b.entry.name or b.start - a.end > MAX_FLOW_GAP:
                continue
            lo = next((k for k, t in enumerate(toks) if t.start >= a.end), len(toks))
            hi = next((k for k, t in enumerate(toks) if t.start >= b.start), len(toks))
            found = [(j - i, value) for i, j, value in books.flows.scan(toks, lo, hi)]
            if not found:
                continue
            label, forward = max(found, key=lambda f: f[0])[1]
            source, target = (a, b) if forward else (b, a)
            flow = Flow(source.entry.name, target.entry.name, label, quote)
            if not any((f.source, f.target) == (flow.source, flow.target) for f in self.flows):
                self.flows.append(flow)

    def _safeguards(self, kept: list[Mention], toks: list[Token], quote: Quote) -> None:
        seen: set[str] = set()
        for i, j, kind in _books().guards.scan(toks):
            if kind in seen:
                continue
            seen.add(kind)
            at, end = toks[i].start, toks[j - 1].end
            before = [m for m in kept if m.end <= at]
            after = [m for m in kept if m.start >= end]
            name = before[-1].entry.name if before else after[0].entry.name if after else self.last
            if name is not None and not any(s.component == name and s.kind == kind for s in self.safeguards):
                self.safeguards.append(Safeguard(name, kind, quote))

    def design(self) -> Design:
        """The design, less a generic part that was said, anywhere in the answer, of a named one: "a database" and
        later "a relational database like MySQL" are one box, MySQL."""
        one = {g: n for g, n in self.said_of.items() if g in self.components and n in self.components}
        kept = [c for c in self.components.values() if c.name not in one]
        flows: list[Flow] = []
        for flow in self.flows:
            source, target = one.get(flow.source, flow.source), one.get(flow.target, flow.target)
            if source != target and not any((f.source, f.target) == (source, target) for f in flows):
                flows.append(replace(flow, source=source, target=target))
        safeguards: list[Safeguard] = []
        for guard in self.safeguards:
            guard = replace(guard, component=one.get(guard.component, guard.component))
            if not any((s.component, s.kind) == (guard.component, guard.kind) for s in safeguards):
                safeguards.append(guard)
        choices = [replace(c, chosen=one.get(c.chosen, c.chosen)) for c in self.choices]
        return Design(kept, choices, self.figures, flows, safeguards)

"""An answer's sentences → the candidate's design: components, choices, figures, flows and safeguards.

Rules over data (prompts/design/components.toml and phrases.toml), sentence by sentence, so the same answer
always gives the same design and every item quotes the sentence it came from. A transcribed sentence is read as
the candidate meant it (Sentence.lower) and Whisper's steady mishearings of component names count in it; a typed
one is read as written.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from simulator.judging.design.catalogue import Mention, catalogue, mentions
from simulator.judging.design.figures import figures
from simulator.judging.design.model import Choice, Component, Design, Figure, Flow, Quote, Safeguard
from simulator.judging.sentences import Sentence

ANAPHORA = {"the", "those", "these", "that", "this", "its", "their", "our"}
CHOICE_REACH = 30  # characters from "I'd go with" to the name it chose
MAX_FLOW_GAP = 80  # characters between two names beyond which no flow is read between them


@lru_cache(maxsize=None)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str],
                         tuple[tuple[re.Pattern[str], str, bool], ...], tuple[tuple[re.Pattern[str], str], ...]]:
    phrases = catalogue().phrases

    def words(items: list[str]) -> str:
        return "|".join(re.escape(p).replace(r"\ ", r"[\s-]+") for p in sorted(items, key=len, reverse=True))

    choice = re.compile(rf"(?<![\w'])(?:{words(phrases['choice'])})(?![\w'])")
    reason = re.compile(rf"(?<![\w'])(?:{words(phrases['reason'])})(?![\w'])")
    opens_reason = re.compile(rf"^\W*(?:that'?s\s+|it'?s\s+|and\s+)?(?:{words(phrases['reason'])})(?![\w'])")
    flows = []
    for flow in phrases["flow"]:
        for direction, forward in (("forward", True), ("backward", False)):
            for phrase in flow.get(direction, []):
                flows.append((re.compile(rf"(?<![\w'])(?:{words([phrase])})(?![\w'])"), str(flow["label"]),
                              forward))
    flows.sort(key=lambda f: len(f[0].pattern), reverse=True)
    guards = tuple((re.compile(rf"(?<![\w'])(?:{words(list(items))})(?![\w'])"), str(kind))
                   for kind, items in phrases["safeguard"].items())
    return choice, reason, opens_reason, tuple(flows), guards


def build_design(sentences: list[Sentence]) -> Design:
    """The design heard in an answer; an answer that names nothing gives an empty design."""
    builder = _Builder()
    for index, sentence in enumerate(sentences):
        following = sentences[index + 1] if index + 1 < len(sentences) else None
        builder.read(sentence, following)
    return builder.design()


def _alternatives(found: list[Mention]) -> list[Mention]:
    """A name after "over" or "not" is a rejected alternative only beside a kept name of its kind ("Postgres over
    Cassandra"); otherwise the word meant something else ("talk to each other over Kafka")."""
    kinds = {m.entry.kind for m in found if not m.alternative}
    return [m if not m.alternative or m.entry.kind in kinds else replace(m, alternative=False) for m in found]


class _Builder:
    """The design as the answer goes: what each sentence adds, in order, the first mention introducing."""

    def __init__(self) -> None:
        self.components: dict[str, Component] = {}
        self.choices: list[Choice] = []
        self.figures: list[Figure] = []
        self.flows: list[Flow] = []
        self.safeguards: list[Safeguard] = []
        self.last: str | None = None  # the component named last, for a safeguard said without a name

    def read(self, sentence: Sentence, following: Sentence | None) -> None:
        lower = sentence.lower
        quote = Quote(sentence.text.strip(), sentence.start)
        named = self._resolve(_alternatives(mentions(lower, sentence.heard)), lower)
        kept = [m for m in named if not m.alternative]
        for mention in kept:
            self._add(mention, quote)
        self._choices(named, sentence.text, lower, quote, following)
        self._flows(kept, lower, quote)
        self._safeguards(kept, lower, quote)
        self.figures += figures(sentence.text, lower, quote)
        if kept:
            self.last = kept[-1].entry.name

    def _resolve(self, found: list[Mention], lower: str) -> list[Mention]:
        """Generic words that name a part already named are that part: "a message queue, let's say Kafka",
        "a Redis cache", and "the cache" after Redis was named."""
        specific = {m.entry.kind for m in found if not (m.entry.generic or m.entry.own or m.alternative)}
        out = []
        for mention in found:
            entry = mention.entry
            if entry.generic and not mention.alternative:
                if entry.kind in specific:
                    continue
                before = re.findall(r"[\w']+", lower[max(0, mention.start - 20):mention.start])[-1:]
                if before and before[0] in ANAPHORA and entry.name not in self.components and any(
                        c.kind == entry.kind for c in self.components.values()):
                    continue
            out.append(mention)
        return out

    def _add(self, mention: Mention, quote: Quote) -> None:
        entry = mention.entry
        known = self.components.get(entry.name)
        if known is None:
            self.components[entry.name] = Component(entry.name, entry.kind, quote, stateful=entry.stateful,
                                                    count=mention.count)
        elif known.count is None and mention.count is not None:
            self.components[entry.name] = Component(known.name, known.kind, known.quote, known.source,
                                                    known.stateful, mention.count)

    def _choices(self, named: list[Mention], text: str, lower: str, quote: Quote,
                 following: Sentence | None) -> None:
        choice, reason, opens_reason, _, _ = _patterns()
        rejected = [m for m in named if m.alternative]
        kept = [m for m in named if not m.alternative]
        verb = choice.search(lower)
        if not kept or not (rejected or verb):
            return
        if rejected:
            first = rejected[0]
            same = [m for m in kept if m.entry.kind == first.entry.kind] or kept
            chosen = min(same, key=lambda m: abs(m.start - first.start))
        else:
            after = [m for m in kept if 0 <= m.start - verb.end() <= CHOICE_REACH]  # type: ignore[union-attr]
            if not after:
                return
            chosen = after[0]
        said = reason.search(lower, chosen.end)
        why = None
        if said:  # in the candidate's own spelling where the lowercase reading lines up with it
            why = (text if len(text) == len(lower) else lower)[said.start():].strip(" .")
        if why is None and following is not None and opens_reason.search(following.lower):
            why = following.text.strip(" .")
        over = tuple(dict.fromkeys(m.entry.name for m in rejected if m.entry.name != chosen.entry.name))
        self.choices.append(Choice(chosen.entry.name, over, why or None, quote))

    def _flows(self, kept: list[Mention], lower: str, quote: Quote) -> None:
        _, _, _, flows, _ = _patterns()
        for a, b in zip(kept, kept[1:]):
            if a.entry.name == b.entry.name:
                continue
            between = lower[a.end:b.start]
            if len(between) > MAX_FLOW_GAP:
                continue
            for pattern, label, forward in flows:
                if pattern.search(between):
                    source, target = (a, b) if forward else (b, a)
                    flow = Flow(source.entry.name, target.entry.name, label, quote)
                    if not any((f.source, f.target) == (flow.source, flow.target) for f in self.flows):
                        self.flows.append(flow)
                    break

    def _safeguards(self, kept: list[Mention], lower: str, quote: Quote) -> None:
        *_, guards = _patterns()
        for pattern, kind in guards:
            for match in pattern.finditer(lower):
                before = [m for m in kept if m.end <= match.start()]
                after = [m for m in kept if m.start >= match.end()]
                name = before[-1].entry.name if before else after[0].entry.name if after else self.last
                if name is None:
                    continue
                if not any(s.component == name and s.kind == kind for s in self.safeguards):
                    self.safeguards.append(Safeguard(name, kind, quote))
                break

    def design(self) -> Design:
        return Design(list(self.components.values()), self.choices, self.figures, self.flows, self.safeguards)

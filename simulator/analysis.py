"""Transcript → what an interviewer hears: coverage per step with times and evidence, mistakes, delivery.

Deterministic and explainable: every covered step quotes the sentence that
scored highest for it, and every mistake says why in one line.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from .config import TARGETS, TimingTargets, format_duration
from .rubric import STEPS, Step, load_rubric, rubric_step
from .transcript import Segment

LONG_PAUSE_SECONDS = 2.5
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
WORD = re.compile(r"[a-z0-9']+")
FILLER_WORDS = ("um", "uh", "er", "ah", "hmm")
FILLER_PHRASES = ("you know", "i mean", "basically", "actually")
HEDGES = ("i think", "maybe", "probably", "kind of", "sort of", "i guess", "i'm not sure")
# "like" as a filler: set off by commas, opening a clause, or after another filler
LIKE_FILLER = re.compile(r"(^|[,.;!?]\s*|\b(um|uh|so|it's|was|is|were|are)\s+)like\b(?!\s+(a|an|the|this|that|to|it)\b)")
TECH = re.compile(r"\b(kafka|redis|cassandra|microservices?|kubernetes|k8s|mongo(db)?|dynamo(db)?|postgres(ql)?|"
                  r"mysql|elasticsearch|spark|hadoop|rabbitmq|memcached|graphql|grpc|lambda|docker|zookeeper|"
                  r"nosql|bigtable|s3|sqs|kinesis|flink)\b")
CHOICE = re.compile(r"\b(i'd|i would|i'll|i will|we'll|we would|we'd|let's|i'm going to|i am going to|i chose|"
                    r"we chose|i picked|i'd pick|i'd go with|go with)\b.{0,30}\b(use|pick|go with|choose|put|"
                    r"store|add|have|build)\b")
REASON = re.compile(r"\b(because|since|so that|the reason|which means|that way|given that|due to|in order to|"
                    r"as it|as they|otherwise|at the cost|trade[- ]?off)\b")
NONFUNCTIONAL = re.compile(r"\b(latency|availab(le|ility)|consisten(t|cy)|durab(le|ility)|fault|failures?|fail(s|ed)?|"
                           r"down|outage|replica(s|tion)?|monitor(ing)?|sla|slo|p99|p95|uptime|reliab(le|ility)|"
                           r"crash(es)?|redundan(t|cy))\b")
SIGNPOST = re.compile(r"(^|[,;:]\s*)(so,? |and )?(first(ly)?|second(ly)?|third(ly)?)\b|\b(next|then|after that|moving on|now let's|let's (talk|move|"
                      r"look|go|start|dig)|let me (start|move|talk|go)|to (summari[sz]e|recap|wrap up)|finally|"
                      r"step (one|two|three)|so now|okay so|alright so|the (first|next|last) (thing|part|step))\b")
NUMBER = re.compile(r"(?<![\w,.])\d[\d,.]{0,20}|\b(hundred|thousand|million|billion|trillion|percent|half|tenfold|"
                    r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b")
I_ACTION = re.compile(r"\bi (?!think|mean|guess|feel|believe|don't|do not|was|am|'m|had|have|'ve|would|'d|know|"
                      r"remember|wasn't|wanted|could|can|should|might)[a-z']+")
WE = re.compile(r"\bwe\b")
SIGNPOST_GAP_WORDS = 350  # about two and a half minutes of talk with no structure word
MIN_CHOICES_FOR_REASONS = 2
SHARE_FACTOR = 0.6  # steps scoring at least this share of a sentence's best step share its time


@dataclass(frozen=True)
class Sentence:
    text: str
    start: float | None
    end: float | None

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def seconds(self) -> float:
        return (self.end - self.start) if self.start is not None and self.end is not None else 0.0


@dataclass(frozen=True)
class StepResult:
    covered: bool
    first_at: float | None
    seconds: float | None
    evidence: str | None
    score: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"covered": self.covered, "first_at": self.first_at, "seconds": self.seconds,
                "evidence": self.evidence}

    @classmethod
    def from_json(cls, data: Any) -> StepResult:
        return cls(_typed(_key(data, "covered"), bool), _number(data.get("first_at"), True),
                   _number(data.get("seconds"), True), _text(data.get("evidence")))


@dataclass(frozen=True)
class Mistake:
    code: str
    detail: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "detail": self.detail}

    @classmethod
    def from_json(cls, data: Any) -> Mistake:
        return cls(_typed(_key(data, "code"), str), _typed(_key(data, "detail"), str))


@dataclass(frozen=True)
class Pause:
    """A silence inside the answer long enough to read as lost; `at` is where it began."""

    at: float
    seconds: float

    def to_json(self) -> dict[str, float]:
        return {"at": self.at, "seconds": self.seconds}

    @classmethod
    def from_json(cls, data: Any) -> Pause:
        return cls(_number(_key(data, "at")), _number(_key(data, "seconds")))


@dataclass(frozen=True)
class Delivery:
    words: int
    speaking_seconds: float | None
    wpm: float | None
    fillers: dict[str, int]
    filler_rate: float
    hedges: dict[str, int]
    long_pauses: list[Pause]

    def to_json(self) -> dict[str, Any]:
        return {"words": self.words, "speaking_seconds": self.speaking_seconds, "wpm": self.wpm,
                "fillers": dict(self.fillers), "filler_rate": self.filler_rate, "hedges": dict(self.hedges),
                "long_pauses": [p.to_json() for p in self.long_pauses]}

    @classmethod
    def from_json(cls, data: Any) -> Delivery:
        return cls(_typed(_key(data, "words"), int), _number(data.get("speaking_seconds"), True),
                   _number(data.get("wpm"), True), _counts(_key(data, "fillers")),
                   _number(_key(data, "filler_rate")), _counts(_key(data, "hedges")),
                   [Pause.from_json(p) for p in _typed(_key(data, "long_pauses"), list)])


@dataclass(frozen=True)
class Analysis:
    kind: str
    steps: dict[str, StepResult]
    mistakes: list[Mistake]
    delivery: Delivery
    duration: float | None
    sentences: list[Sentence] = field(default_factory=list, compare=False, repr=False)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    @property
    def covered(self) -> list[str]:
        return [step for step, result in self.steps.items() if result.covered]

    @property
    def missed(self) -> list[str]:
        return [step for step, result in self.steps.items() if not result.covered]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "steps": {k: v.to_json() for k, v in self.steps.items()},
                "mistakes": [m.to_json() for m in self.mistakes], "delivery": self.delivery.to_json()}

    @classmethod
    def from_json(cls, data: Any) -> Analysis:
        """An analysis as to_json wrote it (the sentences and duration are not kept); ValueError for
        anything else."""
        kind = _typed(_key(data, "kind"), str)
        if kind not in STEPS:
            raise ValueError(f"kind {kind!r:.40} is not one of {', '.join(STEPS)}")
        steps = _typed(_key(data, "steps"), dict)
        return cls(kind, {_typed(k, str): StepResult.from_json(v) for k, v in steps.items()},
                   [Mistake.from_json(m) for m in _typed(_key(data, "mistakes"), list)],
                   Delivery.from_json(_key(data, "delivery")), None)


def _key(data: Any, key: str) -> Any:
    if not isinstance(data, dict) or key not in data:
        raise ValueError(f"an analysis has no {key}")
    return data[key]


def _typed(value: Any, kind: type) -> Any:
    if isinstance(value, bool) != (kind is bool) or not isinstance(value, kind):
        raise ValueError(f"an analysis holds {value!r:.40} where {kind.__name__} belongs")
    return value


def _number(value: Any, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"an analysis holds {value!r:.40} where a number belongs")
    return value


def _text(value: Any) -> str | None:
    return None if value is None else _typed(value, str)


def _counts(value: Any) -> dict[str, int]:
    return {_typed(k, str): _typed(v, int) for k, v in _typed(value, dict).items()}


def sentences_from_segments(segments: list[Segment]) -> list[Sentence]:
    """Split segments into sentences, sharing each segment's time out by words."""
    out: list[Sentence] = []
    for segment in segments:
        parts = [p.strip() for p in SENTENCE_END.split(segment.text.strip()) if p.strip()]
        total = sum(max(1, len(p.split())) for p in parts) or 1
        t = segment.start
        span = max(0.0, segment.end - segment.start)
        for part in parts:
            share = span * max(1, len(part.split())) / total
            out.append(Sentence(part, round(t, 2), round(t + share, 2)))
            t += share
    return out


def sentences_from_text(text: str) -> list[Sentence]:
    flat = " ".join(text.split())
    return [Sentence(p.strip(), None, None) for p in SENTENCE_END.split(flat) if p.strip()]


def guess_kind(sentences: list[Sentence]) -> str:
    """Experience if the STAR steps are heard more than the design steps."""
    rubric = load_rubric()
    design = sum(_total(step, sentences) / step.threshold for step in rubric["design"])
    star = sum(_total(step, sentences) / step.threshold for step in rubric["experience"])
    return "experience" if star * 2 > design else "design"


def _total(step: Step, sentences: list[Sentence]) -> float:
    return sum(min(step.score(s.lower), 2 * step.threshold) for s in sentences)


def analyze(sentences: list[Sentence], kind: str | None = None, targets: TimingTargets = TARGETS,
            segments: list[Segment] | None = None) -> Analysis:
    kind = kind or guess_kind(sentences)
    steps = cover_steps(sentences, load_rubric()[kind])
    if kind == "design" and "clarify" in steps:
        steps["clarify"] = questions_asked(sentences, steps)
    timed = bool(sentences) and sentences[0].start is not None
    duration = (sentences[-1].end or 0.0) if timed else None
    delivery = measure_delivery(sentences, segments or [])
    mistakes = find_mistakes(kind, sentences, steps, duration, targets)
    return Analysis(kind, steps, mistakes, delivery, duration, sentences)


def questions_asked(sentences: list[Sentence], steps: dict[str, StepResult]) -> StepResult:
    """The candidate's questions to the interviewer before the design starts count towards clarify, the first
    one quoted as its evidence: asking is what clarifying is."""
    clarify = steps["clarify"]
    arch = steps.get("architecture")
    before = arch.first_at if arch is not None and arch.covered else None
    asked = [s for s in sentences if s.text.rstrip().endswith("?")
             and (before is None or s.start is None or s.start < before)]
    if not asked:
        return clarify
    first_at = min((t for t in (clarify.first_at, asked[0].start) if t is not None), default=None)
    seconds = clarify.seconds if clarify.covered else round(sum(s.seconds for s in asked), 1) if first_at is not None else None
    return StepResult(True, first_at, seconds, asked[0].text, max(clarify.score, 2.0))


def analyze_segments(segments: list[Segment], kind: str | None = None) -> Analysis:
    return analyze(sentences_from_segments(segments), kind, segments=segments)


def analyze_text(text: str, kind: str | None = None) -> Analysis:
    return analyze(sentences_from_text(text), kind)


def cover_steps(sentences: list[Sentence], steps: tuple[Step, ...]) -> dict[str, StepResult]:
    """Each step: covered once its sentences reach the threshold; time spent is the sentences it leads."""
    n = len(sentences)
    scores = _scores(sentences, steps)
    spent = [0.0] * len(steps)
    for i, row in enumerate(scores):
        sharing = _leaders(row, steps)
        for j in sharing:
            spent[j] += sentences[i].seconds / len(sharing)
    timed = bool(sentences) and sentences[0].start is not None
    results = {}
    for j, step in enumerate(steps):
        column = [row[j] for row in scores]
        total = sum(min(c, 2 * step.threshold) for c in column)
        covered = total >= step.threshold and max(column, default=0) >= 2
        if covered and step.requires is not None:
            covered = any(c > 0 and step.requires.search(sentences[i].lower) for i, c in enumerate(column))
        if not covered:
            results[step.id] = StepResult(False, None, None, None, total)
            continue
        best_i = max(range(n), key=lambda i: column[i])
        first_i = next(i for i in range(n) if column[i] >= 2)
        results[step.id] = StepResult(True, sentences[first_i].start if timed else None,
                                      round(spent[j], 1) if timed else None, sentences[best_i].text, total)
    return results


def sentence_steps(sentences: list[Sentence], kind: str) -> list[tuple[str, ...]]:
    """The steps each sentence spends its time on, best first; () for one that speaks to none.

    The same rule that times the steps in cover_steps, so a timeline drawn from it adds up to their times.
    """
    steps = load_rubric()[kind]
    return [tuple(steps[j].id for j in _leaders(row, steps)) for row in _scores(sentences, steps)]


def _scores(sentences: list[Sentence], steps: tuple[Step, ...]) -> list[list[float]]:
    n = len(sentences)
    return [[step.score(s.lower) if _in_part(step, i, n) else 0.0 for step in steps] for i, s in enumerate(sentences)]


def _leaders(row: list[float], steps: tuple[Step, ...]) -> list[int]:
    """The step a sentence scores best for, and any close to it: a sentence doing two jobs (a summary
    restating the main tradeoff) shares its time between them. Best first."""
    ratios = [row[j] / step.threshold if row[j] >= 2 else 0.0 for j, step in enumerate(steps)]
    best = max(ratios, default=0.0)
    sharing = [j for j, r in enumerate(ratios) if best > 0 and r >= SHARE_FACTOR * best]
    return sorted(sharing, key=lambda j: -ratios[j])


def _in_part(step: Step, index: int, count: int) -> bool:
    return step.last_part is None or index >= count * (1 - step.last_part) - 1


def measure_delivery(sentences: list[Sentence], segments: list[Segment]) -> Delivery:
    text = " ".join(s.lower for s in sentences)
    words = WORD.findall(text)
    fillers: dict[str, int] = {}
    for filler in FILLER_WORDS:
        count = len(re.findall(rf"\b{filler}+\b", text))
        if count:
            fillers[filler] = count
    for phrase in FILLER_PHRASES:
        count = len(re.findall(rf"\b{phrase}\b", text))
        if count:
            fillers[phrase] = count
    likes = len(LIKE_FILLER.findall(" ".join(s.lower for s in sentences)))
    if likes:
        fillers["like"] = likes
    hedges = {h: n for h in HEDGES if (n := len(re.findall(rf"\b{re.escape(h)}\b", text)))}
    speaking, pauses = _speech_and_pauses(segments) if segments else (None, [])
    wpm = round(len(words) / (speaking / 60), 1) if speaking else None
    rate = round(sum(fillers.values()) / len(words), 4) if words else 0.0
    return Delivery(len(words), speaking, wpm, fillers, rate, hedges, pauses)


def _speech_and_pauses(segments: list[Segment]) -> tuple[float, list[Pause]]:
    """Speaking time from word times where whisper gave them, else segment times; gaps are pauses."""
    spans = [(w.start, w.end) for s in segments for w in s.words] or [(s.start, s.end) for s in segments]
    spans.sort()
    speaking = 0.0
    pauses = []
    last_end: float | None = None
    for start, end in spans:
        speaking += max(0.0, end - start)
        if last_end is not None and start - last_end >= LONG_PAUSE_SECONDS:
            pauses.append(Pause(round(last_end, 2), round(start - last_end, 2)))
        last_end = end if last_end is None else max(last_end, end)
    return round(speaking, 2), pauses


def find_mistakes(kind: str, sentences: list[Sentence], steps: dict[str, StepResult], duration: float | None,
                  targets: TimingTargets) -> list[Mistake]:
    lower = [s.lower for s in sentences]
    text = " ".join(lower)
    mistakes: list[Mistake] = []
    if kind == "design":
        framed_at = _first_framing(sentences)
        tech_at = next((i for i, s in enumerate(lower) if TECH.search(s)), None)
        if tech_at is not None and (framed_at is None or tech_at < framed_at) and tech_at < max(3, len(lower) // 5):
            name = TECH.search(lower[tech_at]).group(0)  # type: ignore[union-attr]
            mistakes.append(Mistake("tech_first", f"Named {name} before framing the problem: "
                                                  f"\"{_quote(sentences[tech_at].text)}\""))
    choices = [s for s in lower if CHOICE.search(s)]
    reasons = [s for s in lower if REASON.search(s)]
    if len(choices) >= MIN_CHOICES_FOR_REASONS and not reasons:
        mistakes.append(Mistake("no_reasons", f"{len(choices)} choices and not one \"because\": say why each one."))
    if not NONFUNCTIONAL.search(text):
        mistakes.append(Mistake("no_nonfunctional", "No word on latency, availability, consistency or failure."))
    gap = _longest_unsignposted(lower)
    if gap >= SIGNPOST_GAP_WORDS:
        mistakes.append(Mistake("no_signposts", f"{gap} words in a row with no \"first\", \"next\" or \"so now\": "
                                                "signpost the structure."))
    if kind == "design" and not steps["summary"].covered:
        mistakes.append(Mistake("no_summary", "The answer trails off with no closing summary."))
    if kind == "design" and not any(NUMBER.search(s) for s in lower):
        mistakes.append(Mistake("no_numbers", "No scale estimate: no users, requests per second or storage figures."))
    if kind == "experience":
        result_sentences = [s for s in lower if rubric_step("experience", "result").score(s) >= 2]
        if not any(NUMBER.search(s) for s in result_sentences):
            mistakes.append(Mistake("no_numbers", "The result has no figure: how much faster, cheaper or safer?"))
        if not any(I_ACTION.search(s) for s in lower) and WE.search(text):
            mistakes.append(Mistake("we_not_i", "Only \"we\": say what you yourself did."))
    if duration is not None:
        if duration < targets.min_seconds:
            mistakes.append(Mistake("under_time", f"{format_duration(duration)} is under the "
                                                  f"{targets.min_seconds / 60:g} minute floor."))
        elif duration > targets.max_seconds:
            mistakes.append(Mistake("over_time", f"{format_duration(duration)} is past the "
                                                 f"{targets.max_seconds / 60:g} minute mark."))
    return mistakes


def _first_framing(sentences: list[Sentence]) -> int | None:
    clarify, assumptions = rubric_step("design", "clarify"), rubric_step("design", "assumptions")
    for i, s in enumerate(sentences):
        if TECH.search(s.lower):
            continue
        if clarify.score(s.lower) >= 2 or (assumptions.score(s.lower) >= 3 and NUMBER.search(s.lower)):
            return i
    return None


def _longest_unsignposted(lower: list[str]) -> int:
    longest = run = 0
    for sentence in lower:
        if SIGNPOST.search(sentence):
            run = 0
        else:
            run += len(sentence.split())
            longest = max(longest, run)
    return longest


def _quote(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

"""The mistakes an interviewer presses on, each with one line saying why."""

from __future__ import annotations

import re

from simulator.config import TimingTargets, format_duration
from simulator.judging.findings import Mistake, StepResult
from simulator.judging.rubric import rubric_step
from simulator.judging.sentences import Sentence
from simulator.text import shorten
from simulator.vocab import Kind, MistakeCode, Step

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
QUOTE_CHARS = 90


def find_mistakes(kind: str, sentences: list[Sentence], steps: dict[str, StepResult], duration: float | None,
                  targets: TimingTargets) -> list[Mistake]:
    lower = [s.lower for s in sentences]
    text = " ".join(lower)
    mistakes: list[Mistake] = []
    if kind == Kind.DESIGN:
        framed_at = _first_framing(sentences)
        tech_at = next((i for i, s in enumerate(lower) if TECH.search(s)), None)
        if tech_at is not None and (framed_at is None or tech_at < framed_at) and tech_at < max(3, len(lower) // 5):
            name = TECH.search(lower[tech_at]).group(0)  # type: ignore[union-attr]
            mistakes.append(Mistake(MistakeCode.TECH_FIRST, f"Named {name} before framing the problem: "
                                                            f"\"{shorten(sentences[tech_at].text, QUOTE_CHARS)}\""))
    choices = [s for s in lower if CHOICE.search(s)]
    reasons = [s for s in lower if REASON.search(s)]
    if len(choices) >= MIN_CHOICES_FOR_REASONS and not reasons:
        mistakes.append(Mistake(MistakeCode.NO_REASONS,
                                f"{len(choices)} choices and not one \"because\": say why each one."))
    if not NONFUNCTIONAL.search(text):
        mistakes.append(Mistake(MistakeCode.NO_NONFUNCTIONAL,
                                "No word on latency, availability, consistency or failure."))
    gap = _longest_unsignposted(lower)
    if gap >= SIGNPOST_GAP_WORDS:
        mistakes.append(Mistake(MistakeCode.NO_SIGNPOSTS, f"{gap} words in a row with no \"first\", \"next\" or "
                                                             "\"so now\": signpost the structure."))
    if kind == Kind.DESIGN and not steps[Step.SUMMARY].covered:
        mistakes.append(Mistake(MistakeCode.NO_SUMMARY, "The answer trails off with no closing summary."))
    if kind == Kind.DESIGN and not any(NUMBER.search(s) for s in lower):
        mistakes.append(Mistake(MistakeCode.NO_NUMBERS,
                                "No scale estimate: no users, requests per second or storage figures."))
    if kind == Kind.EXPERIENCE:
        result_sentences = [s for s in lower if rubric_step(Kind.EXPERIENCE, Step.RESULT).score(s) >= 2]
        if not any(NUMBER.search(s) for s in result_sentences):
            mistakes.append(Mistake(MistakeCode.NO_NUMBERS,
                                    "The result has no figure: how much faster, cheaper or safer?"))
        if not any(I_ACTION.search(s) for s in lower) and WE.search(text):
            mistakes.append(Mistake(MistakeCode.WE_NOT_I, "Only \"we\": say what you yourself did."))
    if duration is not None:
        if duration < targets.min_seconds:
            mistakes.append(Mistake(MistakeCode.UNDER_TIME, f"{format_duration(duration)} is under the "
                                                  f"{targets.min_seconds / 60:g} minute floor."))
        elif duration > targets.max_seconds:
            mistakes.append(Mistake(MistakeCode.OVER_TIME, f"{format_duration(duration)} is past the "
                                                 f"{targets.max_seconds / 60:g} minute mark."))
    return mistakes


def _first_framing(sentences: list[Sentence]) -> int | None:
    clarify, assumptions = rubric_step(Kind.DESIGN, Step.CLARIFY), rubric_step(Kind.DESIGN, Step.ASSUMPTIONS)
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

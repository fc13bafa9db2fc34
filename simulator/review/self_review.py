"""The self-review a candidate asks themselves after a rehearsal, answered where the transcript can answer it:
clarified first, said why, named a bottleneck and a failure mode, collaborated, kept the design in proportion."""

from __future__ import annotations

import re
from dataclasses import dataclass

from simulator.judging.analysis import REASON, Analysis, StepResult
from simulator.text import shorten, split_sentences
from simulator.vocab import CheckVerdict, Kind, MistakeCode, Step

QUOTE_CHARS = 80  # a sentence quoted in the self-review
BOTTLENECK = re.compile(r"\b(bottlenecks?|hot ?spots?|hot keys?|breaks? first|overload(ed|s)?|saturat\w*|contention|"
                        r"single point of failure|limits? (us|us at|throughput)|slows? down)\b")
FAILURE = re.compile(r"\b(fail(s|ed|ure|ures|over)?|goes down|go down|is down|outages?|crash(es|ed)?|dies|dead|"
                     r"lost|retr(y|ies)|time ?outs?|partition(ed)?)\b")
CHECK_IN = re.compile(r"\b(does that (make sense|sound)|should i (go|dive|focus)|would you like|do you want me|"
                      r"is that (ok|okay|right|fair|reasonable)|any questions|sounds? (good|reasonable)|"
                      r"shall i)\b")
SELF_REVIEW = (
    ("clarify", "Did I clarify enough before designing?"),
    ("why", "Did I explain why, not just what?"),
    ("failure", "Did I mention at least one bottleneck and one failure mode?"),
    ("collaborate", "Did I sound collaborative, or did I monologue?"),
    ("proportion", "Was the design proportional to the problem?"),
)

@dataclass(frozen=True)
class SelfCheck:
    id: str
    question: str
    verdict: CheckVerdict | None  # None where only listening back can tell
    answer: str


def self_review(texts: list[str], analysis: Analysis | None, kind: str) -> list[SelfCheck]:
    """The self-review questions, answered where the transcript can answer them: `texts` are the answers in
    order (the walkthrough first), `analysis` the walkthrough's."""
    text = " ".join(t for t in texts if t)
    walk_text = texts[0] if texts else ""
    sentences = split_sentences(walk_text, flatten=False)
    answers_out = {}
    if analysis is None:
        none = "There is no transcript of the walkthrough to judge from."
        return [SelfCheck(cid, q, None, none) for cid, q in SELF_REVIEW]
    steps = analysis.steps
    mistakes = {m.code: m.detail for m in analysis.mistakes}
    answers_out["clarify"] = _clarify_check(steps, kind)
    reasons = [s for s in sentences if REASON.search(s.lower())]
    if MistakeCode.NO_REASONS in mistakes:
        answers_out["why"] = (CheckVerdict.NO, mistakes[MistakeCode.NO_REASONS])
    elif not reasons:
        answers_out["why"] = (CheckVerdict.NO,
                              "No sentence gives a reason (\"because\", \"so that\", \"at the cost of\").")
    else:
        answers_out["why"] = (CheckVerdict.YES if len(reasons) > 1 else CheckVerdict.PARTLY,
                              f"{len(reasons)} sentence(s) give a reason, e.g. \"{shorten(reasons[0], QUOTE_CHARS)}\".")
    bottleneck = BOTTLENECK.search(text.lower())
    failure = FAILURE.search(text.lower())
    said = [f"a bottleneck (\"{bottleneck.group(0)}\")" if bottleneck else "no bottleneck",
            f"a failure mode (\"{failure.group(0)}\")" if failure else "no failure mode"]
    answers_out["failure"] = (CheckVerdict.YES if bottleneck and failure
                              else CheckVerdict.PARTLY if bottleneck or failure else CheckVerdict.NO,
                              f"Across all answers: {said[0]} and {said[1]}.")
    questions = [s for s in sentences if s.rstrip().endswith("?")]
    checks = [s for s in sentences if CHECK_IN.search(s.lower())]
    monologue = MistakeCode.NO_SIGNPOSTS in mistakes
    verdict = (CheckVerdict.YES if (questions or checks) and not monologue
               else CheckVerdict.PARTLY if questions or checks else CheckVerdict.NO)
    answers_out["collaborate"] = (verdict, f"{len(questions)} question(s) to the interviewer and {len(checks)} "
                                           "check-in(s) (\"does that make sense?\")" +
                                  ("; long stretches with no signpost." if monologue else "."))
    answers_out["proportion"] = (None, "Listen back: compare the size of the design with the scale you stated"
                                       + (" (you stated none)." if MistakeCode.NO_NUMBERS in mistakes else "."))
    return [SelfCheck(cid, q, *answers_out[cid]) for cid, q in SELF_REVIEW]


def _clarify_check(steps: dict[str, StepResult], kind: str) -> tuple[CheckVerdict | None, str]:
    if kind != Kind.DESIGN:
        situation = steps.get(Step.SITUATION)
        if situation is not None and situation.covered:
            return CheckVerdict.YES, "You set out the situation before the actions."
        return CheckVerdict.NO, "The situation (context, stakes) was never set out."
    clarify, arch = steps.get(Step.CLARIFY), steps.get(Step.ARCHITECTURE)
    if clarify is None or not clarify.covered:
        return CheckVerdict.NO, ("No clarifying questions: ask about users, scale and what matters most before "
                                 "designing.")
    first, arch_at = clarify.first_at, arch.first_at if arch is not None else None
    if first is not None and arch_at is not None and first > arch_at:
        return CheckVerdict.PARTLY, "You clarified only after the architecture had started."
    detail = f" for {clarify.seconds:.0f} s" if clarify.seconds else ""
    quote = f": \"{shorten(clarify.evidence, QUOTE_CHARS)}\"" if clarify.evidence else ""
    return CheckVerdict.YES, f"You clarified first{detail}{quote}."

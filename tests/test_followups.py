"""The interviewer's next questions: the most important gap first, nothing covered asked as missing,
nothing asked twice, the prompt's own follow-ups when the answer skipped them, constraint changes only
once the basics are there, and every phrasing taken from prompts/ (never from code)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.judging.analysis import Analysis, analyze_segments, analyze_text
from simulator.judging.followups import FollowUp, plan
from simulator.questions import Question, load_bank, pick
from simulator.transcript import Segment, read_transcript_file

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
PROMPTS = ROOT / "prompts"
DESIGN_IDS = ("clarify", "assumptions", "interfaces", "architecture", "data", "scale", "tradeoffs", "summary")
STAR_IDS = ("situation", "task", "action", "result")
MISTAKE_CODES = ("tech_first", "no_reasons", "no_nonfunctional", "no_signposts", "no_summary", "no_numbers",
                 "we_not_i", "under_time", "over_time")
TARGETS = set(DESIGN_IDS) | set(STAR_IDS) | set(MISTAKE_CODES) | {"constraint_change", "design_finding",
                                                                  "design_probe"}
BASICS = ("clarify", "assumptions", "architecture", "data")

TEMPLATES = tomllib.loads((PROMPTS / "followups.toml").read_text(encoding="utf-8"))["followup"]
FINDINGS = tomllib.loads((PROMPTS / "followups.toml").read_text(encoding="utf-8"))["finding"]
KNOWLEDGE = tomllib.loads((PROMPTS / "design" / "knowledge.toml").read_text(encoding="utf-8"))["entry"]
BANK = load_bank()
URL_SHORTENER = pick(BANK, "url-shortener")
COLLIDE = "How do you generate short codes so that two different links never collide?"
REDIRECT = "Would you redirect with a 301 or a 302, and what does that choice cost you?"

# Designs straight away: no clarifying question and no figure.
NO_FRAMING = ("I'd put a load balancer in front of stateless app servers and a database with a cache. "
              "Clients send a long URL to POST /shorten and get back a short code. The code is the primary key "
              "in a key-value table, because lookups are by a single key. To sum up, the design is a cache in "
              "front of a key-value store.")
# Clarifies, then designs without a single figure.
NO_ESTIMATE = ("Before I start, who uses this and what matters most, latency or consistency? Is analytics in "
               "scope? " + NO_FRAMING)
# Clarifies, sizes and sketches, but never goes into the data.
NO_DATA = ("Before I start, who uses this and what matters most, latency or consistency? Is analytics in scope? "
           "Let's say a hundred million new links a month, about forty writes a second and four thousand reads "
           "a second. At a high level, clients talk to a load balancer, then stateless app servers, then a "
           "cache. To sum up, the design is a stateless service behind a load balancer.")
WE_ONLY = ("We had a slow checkout at our company. We decided to add a cache. We rewrote the service. "
           "We cut latency from 800 ms to 120 ms. As a result checkout got faster.")


def text_of(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


def load(name: str) -> Analysis:
    segments, text = read_transcript_file(CORPUS / name)
    return analyze_segments(segments) if segments else analyze_text(text)


def timed(text: str, total: float) -> list[Segment]:
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if s]
    step = total / len(sentences)
    return [Segment(round(i * step, 2), round((i + 1) * step - 0.4, 2), s) for i, s in enumerate(sentences)]


def targets(items: list[FollowUp]) -> list[str]:
    return [f.target for f in items]


class Phrasings(set):
    """Every question text prompts/ can produce: fixed texts, and the design's phrasings whose placeholders
    (the candidate's own parts and figures) may hold any words."""

    def __init__(self, fixed: set[str], shapes: list[re.Pattern[str]]) -> None:
        super().__init__(fixed)
        self.shapes = shapes

    def __contains__(self, text: object) -> bool:
        return super().__contains__(text) or any(p.fullmatch(str(text)) for p in self.shapes)


def _shape(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{\w+\}", template)
    body = ".+".join(re.escape(p) for p in parts)
    return re.compile(f"(?i){body}")  # a placeholder at the start is capitalised


def allowed_phrasings(question: Question | None, kind: str) -> set[str]:
    """Every question text prompts/ can produce for this question: templates (with {title}) and the bank's own,
    and the questions on the candidate's design (prompts/followups.toml [[finding]], prompts/design/knowledge.toml)
    with the candidate's words in their placeholders."""
    title = question.title if question else ("system" if kind == "design" else "project")
    texts = [q.replace("{title}", title) for t in TEMPLATES for q in t["questions"]]
    out = {q for q in texts if "{" not in q}
    if question is not None:
        out |= set(question.followups)
    design = [q for q in texts if "{" in q] + [q for f in FINDINGS for q in f["questions"]] + \
        [q for e in KNOWLEDGE for q in e["probes"]]
    return Phrasings(out, [_shape(q) for q in design])


def template_of(text: str, title: str) -> tuple[str, ...]:
    for t in TEMPLATES:
        phrasings = tuple(q.replace("{title}", title) for q in t["questions"])
        if text in phrasings:
            return phrasings
    raise AssertionError(f"not a template phrasing: {text}")


CASES = sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".txt", ".json"))


# ------------------------------------------------------------------ what comes first


def test_no_clarification_is_the_first_thing_asked() -> None:
    analysis = analyze_text(NO_FRAMING, "design")
    assert not analysis.steps["clarify"].covered
    first = plan(analysis, URL_SHORTENER)[0]
    assert first.target == "clarify" and first.when == "missing"


def test_a_missing_scale_estimate_comes_before_the_other_gaps() -> None:
    analysis = analyze_text(NO_ESTIMATE, "design")
    assert analysis.steps["clarify"].covered and not analysis.steps["assumptions"].covered
    items = targets(plan(analysis, URL_SHORTENER))
    assert items[0] in ("assumptions", "no_numbers")
    others = [i for i, t in enumerate(items) if t not in ("assumptions", "no_numbers")]
    assert others and others[0] > 0
    assert {"scale", "tradeoffs"} <= set(items)  # the other gaps still come, later


def test_an_experience_story_without_own_actions_is_asked_what_you_did_first() -> None:
    analysis = analyze_text(WE_ONLY, "experience")
    assert not analysis.steps["action"].covered
    items = plan(analysis)
    assert items[0].target == "action"
    assert "we_not_i" in targets(items)


def test_over_time_makes_the_first_follow_up_ask_for_the_summary() -> None:
    analysis = analyze_segments(timed(text_of("d01-url-shortener-strong.txt"), 13 * 60))
    assert "over_time" in {m.code for m in analysis.mistakes}
    first = plan(analysis, URL_SHORTENER)[0]
    assert first.target == "over_time"
    assert re.search(r"summar|short version|wrap it up", first.question, re.I), first.question
    on_time = analyze_segments(timed(text_of("d01-url-shortener-strong.txt"), 10 * 60))
    assert "over_time" not in targets(plan(on_time, URL_SHORTENER))


# ------------------------------------------------------------- never what was covered


def test_a_strong_answer_gets_no_missing_step_questions() -> None:
    items = plan(analyze_text(text_of("d01-url-shortener-strong.txt")), URL_SHORTENER)
    assert items, "a strong answer still gets pressure: deeper questions and constraint changes"
    assert [f for f in items if f.when in ("missing", "mistake")] == []


@pytest.mark.parametrize("name", CASES, ids=str)
def test_no_corpus_answer_is_asked_about_a_step_it_covered_as_if_missing(name: str) -> None:
    analysis = load(name)
    for item in plan(analysis):
        if item.when == "missing":
            assert not analysis.steps[item.target].covered, (item, analysis.steps[item.target])
        if item.when == "mistake":
            assert item.target in {m.code for m in analysis.mistakes}, item


# ---------------------------------------------------------------------- never twice


@pytest.mark.parametrize("name", ["d01-url-shortener-strong.txt", "d09-payment-tech-first-no-reasons.txt",
                                  "e03-incident-we-only.txt"])
def test_questions_already_asked_are_not_asked_again(name: str) -> None:
    analysis = load(name)
    question = URL_SHORTENER if analysis.kind == "design" else pick(BANK, "production-incident")
    first = plan(analysis, question, seed="s")
    asked = [f.question for f in first[:3]]
    assert len(asked) == 3
    again = plan(analysis, question, asked=asked, seed="s")
    assert again and not {f.question for f in again} & set(asked)
    shouted = [f"  {q.upper()}  " for q in asked]  # same words, other case and spacing
    assert not {f.question.lower() for f in plan(analysis, question, asked=shouted, seed="s")} & \
        {q.lower() for q in asked}


def test_a_whole_interview_never_repeats_a_question_or_a_constraint_change() -> None:
    analysis = analyze_text(text_of("d01-url-shortener-strong.txt"))
    asked: list[str] = []
    for turn in range(40):
        items = plan(analysis, URL_SHORTENER, asked=asked, seed=str(turn))
        if not items:
            break
        asked.append(items[0].question)
    assert len(asked) == len(set(asked))
    constraint_groups = [template_of(q, URL_SHORTENER.title) for q in asked
                         if q not in URL_SHORTENER.followups and q in
                         {p.replace("{title}", URL_SHORTENER.title) for t in TEMPLATES
                          if t["target"] == "constraint_change" for p in t["questions"]}]
    assert len(constraint_groups) == len(set(constraint_groups)), "the same constraint change came back reworded"
    assert len(constraint_groups) >= 3


def test_each_plan_holds_no_duplicate_question() -> None:
    for name in CASES:
        questions = [f.question for f in plan(load(name))]
        assert len(questions) == len(set(questions)), name


# ------------------------------------------------------------ the prompt's own questions


def test_the_prompts_own_follow_ups_come_when_the_answer_skipped_them() -> None:
    items = plan(analyze_text(NO_FRAMING, "design"), URL_SHORTENER)
    specific = [f for f in items if f.when == "specific"]
    assert COLLIDE in [f.question for f in specific]
    assert REDIRECT in [f.question for f in specific]
    assert all(f.target in TARGETS for f in specific)


def test_a_prompt_follow_up_the_answer_already_covered_is_skipped() -> None:
    covered = NO_FRAMING + (" To generate short codes so that two different links never collide, each server "
                            "takes a block of ids from a counter and encodes them in base62.")
    questions = [f.question for f in plan(analyze_text(covered, "design"), URL_SHORTENER)]
    assert COLLIDE not in questions
    assert REDIRECT in questions


def test_the_strong_answer_is_not_asked_301_or_302_again() -> None:
    questions = [f.question for f in plan(analyze_text(text_of("d01-url-shortener-strong.txt")), URL_SHORTENER)]
    assert REDIRECT not in questions


def test_a_strong_answer_that_explained_collisions_is_not_asked_about_them() -> None:
    questions = [f.question for f in plan(analyze_text(text_of("d01-url-shortener-strong.txt")), URL_SHORTENER)]
    assert COLLIDE not in questions


def test_without_a_question_there_are_no_prompt_specific_follow_ups() -> None:
    assert [f for f in plan(analyze_text(NO_FRAMING, "design")) if f.when == "specific"] == []


# ------------------------------------------------------------------ constraint changes


@pytest.mark.parametrize("answer", [NO_FRAMING, NO_ESTIMATE, NO_DATA], ids=["no-framing", "no-estimate", "no-data"])
def test_no_constraint_change_before_the_basics_are_there(answer: str) -> None:
    analysis = analyze_text(answer, "design")
    assert not all(analysis.steps[s].covered for s in BASICS)
    assert "constraint_change" not in targets(plan(analysis, URL_SHORTENER))


def test_constraint_changes_come_once_the_basics_are_there_and_after_the_gaps() -> None:
    for name in ("d01-url-shortener-strong.txt", "d13-chat-app-paraphrased.json", "d07-web-crawler-no-failure-modes.txt"):
        analysis = load(name)
        assert all(analysis.steps[s].covered for s in BASICS), name
        items = targets(plan(analysis))
        assert "constraint_change" in items, name
        first_change = items.index("constraint_change")
        assert all(t == "constraint_change" for t in items[first_change:]), (name, items)


# ------------------------------------------------------------------------- phrasing


def test_different_seeds_give_different_phrasings_of_the_same_question() -> None:
    analysis = analyze_text(NO_FRAMING, "design")
    firsts = {plan(analysis, URL_SHORTENER, seed=f"session-{n}")[0] for n in range(20)}
    assert {f.target for f in firsts} == {"clarify"}
    assert len({f.question for f in firsts}) >= 2


def test_the_same_seed_gives_the_same_plan() -> None:
    analysis = analyze_text(NO_FRAMING, "design")
    assert plan(analysis, URL_SHORTENER, seed="x") == plan(analysis, URL_SHORTENER, seed="x")


@pytest.mark.parametrize("name", CASES, ids=str)
def test_every_question_comes_from_prompts_and_every_target_is_known(name: str) -> None:
    analysis = load(name)
    bank_question = URL_SHORTENER if analysis.kind == "design" else pick(BANK, "system-you-designed")
    for question in (None, bank_question):
        allowed = allowed_phrasings(question, analysis.kind)
        for item in plan(analysis, question, seed=name):
            assert item.question in allowed, item
            assert "{" not in item.question and "}" not in item.question
            assert item.target in TARGETS, item
            design = item.target in ("design_finding", "design_probe") or item.why is not None
            assert set(item.to_json()) == ({"target", "question", "why"} if design else {"target", "question"})


def test_the_title_is_spoken_in_the_question() -> None:
    analysis = analyze_text(NO_FRAMING, "design")
    seen = {f.question for n in range(30) for f in plan(analysis, URL_SHORTENER, seed=str(n))}
    assert any("URL shortener" in q for q in seen)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(), kind=st.sampled_from([None, "design", "experience"]), seed=st.text(max_size=8),
       asked=st.lists(st.text(max_size=40), max_size=3))
def test_plan_never_raises_and_stays_within_prompts(text: str, kind: str | None, seed: str, asked: list[str]) -> None:
    analysis = analyze_text(text, kind)
    question = URL_SHORTENER if analysis.kind == "design" else None
    allowed = allowed_phrasings(question, analysis.kind)
    items = plan(analysis, question, asked=asked, seed=seed)
    assert all(f.target in TARGETS and f.question in allowed for f in items)
    assert len({f.question for f in items}) == len(items)


def test_a_probe_of_thin_data_that_presumes_a_cache_comes_only_to_a_design_that_has_one() -> None:
    from simulator.judging.analysis import analyze_text
    from simulator.questions import load_bank

    shortener = next(q for q in load_bank() if q.id == "url-shortener")
    others = ("Why that store and not a relational database, or the other way round?",
              "Walk me through the write path, from the request arriving to the data being durable.",
              "What is your partition key, and could it create a hot partition?",
              "What are your indexes, and which query is each one for?")
    opening = "Before I start, who uses this and how many? Say a hundred million links a month. "
    bare = analyze_text(opening + "At a high level clients call stateless servers. The data is a table keyed by "
                        "code.", "design")
    cached = analyze_text(opening + "At a high level clients call stateless servers, with a Redis cache in front of "
                          "the database. The data is a table keyed by code.", "design")
    asked_bare = [f.question for f in plan(bare, shortener, asked=others, seed="s")]
    asked_cached = [f.question for f in plan(cached, shortener, asked=others, seed="s")]
    assert not any("cache" in q.lower() for q in asked_bare)
    assert "Where does Redis sit, and how do you keep it from serving stale data?" in asked_cached

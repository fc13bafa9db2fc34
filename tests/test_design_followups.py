"""Follow-ups that press on the candidate's own design: measured on the held-out design answers
(tests/corpus/design, written and labelled before any follow-up rule), the first or second follow-up names
one of the candidate's own components at least 80% of the time on answers naming two or more, no follow-up
ever names a technology the candidate did not mention, each design question carries its why (the rule and the
candidate's words), the same answer always gives the same questions, and a question's own follow-up the
answer already settled is not asked."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from simulator.judging.analysis import analyze_text
from simulator.judging.design.extract import build_design
from simulator.judging.followups import FollowUp, plan
from simulator.questions import load_bank, pick

from .support.figures import report

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = ROOT / "tests" / "corpus" / "design"
LABELS = tomllib.loads((HELD_OUT / "labels.toml").read_text(encoding="utf-8"))["answer"]
COMPONENTS = tomllib.loads((ROOT / "prompts" / "design" / "components.toml").read_text(encoding="utf-8"))["component"]
TECHNOLOGIES = [c["name"] for c in COMPONENTS if not c.get("generic")]
BANK = load_bank()
URL_SHORTENER = pick(BANK, "url-shortener")

ISSUE_ANSWER = ("I'll assume 100 million new links a day, about 1200 writes a second. Codes come from a counter "
                "range handed out by a key service, so two servers never hand out the same code. Reads go to "
                "Redis first, then DynamoDB.")


def _named(text: str, names) -> set[str]:
    return {n for n in names if re.search(rf"(?<![\w]){re.escape(n.lower())}(?![\w])", text.lower())}


def _question(qid: str):
    try:
        return pick(BANK, qid)
    except Exception:  # a held-out answer to a question of the candidate's own
        return None


def _first_two(text: str, question, seed: str) -> list[FollowUp]:
    """What the interviewer asks first and second: the second is chosen once the first was put, on another gap."""
    analysis = analyze_text(text, "design")
    first = plan(analysis, question, seed=seed)[0]
    second = next((f for f in plan(analysis, question, asked=[first.question], seed=seed)
                   if f.target != first.target), None)
    return [first] + ([second] if second else [])


def test_the_first_or_second_follow_up_names_the_candidates_own_component_on_held_out_answers():
    answers = [a for a in LABELS if len(a["components"]) >= 2]
    assert len(answers) >= 10
    hits = 0
    for answer in answers:
        text = (HELD_OUT / answer["file"]).read_text(encoding="utf-8")
        asked = _first_two(text, _question(answer["question"]), answer["file"])
        hits += any(_named(f.question, answer["components"]) for f in asked)
    share = hits / len(answers)
    report(f"design follow-ups: first or second names the candidate's own component on "
                   f"{hits}/{len(answers)} held-out answers ({share:.0%})")
    assert share >= 0.8


@pytest.mark.parametrize("answer", LABELS, ids=lambda a: a["file"])
def test_no_follow_up_names_a_technology_the_candidate_did_not_mention(answer):
    text = (HELD_OUT / answer["file"]).read_text(encoding="utf-8")
    mentioned = set(answer["components"]) | set(answer["over"])
    analysis = analyze_text(text, "design")
    question = _question(answer["question"])
    asked: list[str] = []
    for _ in range(12):  # a whole interview's worth, each asked in turn
        items = plan(analysis, question, asked=asked, seed=answer["file"])
        if not items:
            break
        for item in items:
            assert _named(item.question, TECHNOLOGIES) <= mentioned, item
        asked.append(items[0].question)


def test_a_change_of_constraints_that_presumes_a_part_comes_only_to_a_design_that_has_one():
    bare = ("Before I start, who uses this and how many? Say a hundred million links a month. At a high level "
            "clients call stateless servers. The data is a table keyed by code.")
    analysis = analyze_text(bare, "design")
    assert not any(c.kind == "cache" for c in build_design(analysis.sentences).components)
    seen = {f.question for n in range(20) for f in plan(analysis, URL_SHORTENER, seed=str(n))}
    assert not any(re.search(r"\bcache\b", q, re.I) for q in seen)


def test_the_issues_answer_is_pressed_on_its_key_service_and_cache_with_the_why():
    analysis = analyze_text(ISSUE_ANSWER, "design")
    items = plan(analysis, URL_SHORTENER, seed="s")
    design = [f for f in items if f.target in ("design_finding", "design_probe")]
    assert design[0].target == "design_finding" and design[1].target == "design_probe"
    assert _named(" ".join(f.question for f in design[:2]), {"key service", "Redis", "DynamoDB"})
    for item in design:
        assert item.why is not None and item.why.quote in ISSUE_ANSWER
        assert item.to_json()["why"]["rule"] == item.why.rule
        assert item.reason is not None and item.why.rule in item.reason
    assert "How do you generate short codes so that two different links never collide?" not in \
        {f.question for f in items}, "the counter ranges already settled it"


def test_a_figure_against_the_sheet_is_the_sharpest_finding():
    from simulator.interviewer.followup_choice import told_figures

    facts = told_figures(URL_SHORTENER, [])
    assert any(f.period == "month" for f in facts)
    analysis = analyze_text(ISSUE_ANSWER, "design")
    items = plan(analysis, URL_SHORTENER, seed="s", facts=facts)
    finding = next(f for f in items if f.target == "design_finding")
    assert finding.why.rule == "contradiction"
    assert "100 million new links a day" in finding.question


def test_the_same_answer_gives_the_same_questions_every_time():
    analysis = analyze_text(ISSUE_ANSWER, "design")
    assert plan(analysis, URL_SHORTENER, seed="s") == plan(analyze_text(ISSUE_ANSWER, "design"), URL_SHORTENER,
                                                          seed="s")


def test_a_question_s_own_follow_up_is_asked_when_the_answer_left_it_open():
    open_answer = ("Before I start, who uses this? Say a hundred million links a month, about forty writes a "
                   "second. Clients call stateless servers behind a load balancer, which read from Postgres.")
    items = plan(analyze_text(open_answer, "design"), URL_SHORTENER, seed="s")
    assert "How do you generate short codes so that two different links never collide?" in {f.question for f in items}


def test_the_knowledge_base_covers_every_component_and_its_probes_fill_only_the_candidates_words():
    from simulator.judging.design.probes import PLACEHOLDER, knowledge

    known = knowledge()
    assert len(known) >= 60
    assert {c["name"] for c in COMPONENTS} <= set(known), "every component the design model names has an entry"
    groups = {e.group for e in known.values()}
    assert {"edge", "compute", "storage", "caches", "messaging", "data_patterns", "reliability", "security"} <= groups
    for entry in known.values():
        assert entry.over and entry.costs and entry.fails and 2 <= len(entry.probes) <= 3, entry.name
        for probe in entry.probes:
            assert set(PLACEHOLDER.findall(probe)) <= {"component", "other", "over"}, probe
            assert probe.rstrip().endswith("?"), probe
            assert not _named(probe, set(TECHNOLOGIES)), f"{entry.name}: a probe names a technology: {probe}"
        if entry.name not in {c["name"] for c in COMPONENTS}:
            assert entry.words, f"a pattern needs the words that mean it: {entry.name}"


def test_a_part_said_in_ordinary_words_reads_with_its_article():
    from simulator.judging.design.probes import fill

    assert fill("You put {component} in front of {other}.", {"component": "cache", "other": "Postgres"}) == \
        "You put the cache in front of Postgres."
    assert fill("{component} delivers twice.", {"component": "queue"}) == "The queue delivers twice."
    assert fill("A {component} instance restarts.", {"component": "WebSocket gateway"}) == \
        "A WebSocket gateway instance restarts."
    assert fill("Why {component} over {over}?", {"component": "Redis", "over": None}) is None

"""Mentioned is not done: a step named in passing ("scale is important", "we'd think about tradeoffs", a list of
part names) is thin, not covered; the checklist and the page show it as only mentioned, quoting the sentence,
and the first follow-up presses on it."""

from __future__ import annotations

import io

from simulator.judging.analysis import analyze_text
from simulator.judging.findings import Analysis, StepResult
from simulator.judging.followups import plan
from simulator.questions import load_bank
from simulator.vocab import CheckVerdict

DONE_UP_TO_DATA = """Before I start, who are the users, and do links ever expire? How many new links a day should I plan for?
Let's assume a hundred million new links a month, which is about forty writes a second, and reads a hundred times that.
The API is POST /shorten taking a long URL and returning a short code, and GET /{code} that redirects.
The design is a load balancer in front of stateless app servers, which read and write a database, with a cache in front of it.
Each link is a row keyed by the short code with the long URL and its creation time, in a key-value store because every lookup is by one key.
"""
SCALE = "Scale is important here, obviously, it has to scale."
TRADEOFFS = "We'd think about tradeoffs too, there are tradeoffs in any system like this."
CLOSE = "So to sum up, stateless servers over a key-value store keyed by the short code."
MENTIONS = DONE_UP_TO_DATA + f"{SCALE}\n{TRADEOFFS}\n{CLOSE}"
# cue words enough to have counted before: a tradeoff and its alternatives named with no choice made or cost said
NAMED_TRADEOFF = ("There are real tradeoffs here, strong consistency versus eventual consistency, "
                  "and on the other hand availability, the CAP theorem and all of that.")
# part names enough to have counted before, with nothing said about what any of them does
NAMED_PARTS = "There would be a load balancer, app servers, a cache, a queue, a database and some microservices."


def _shortener():
    return next(q for q in load_bank() if q.id == "url-shortener")


def test_scale_and_tradeoffs_only_mentioned_are_thin_not_covered_with_the_sentence_that_named_them() -> None:
    analysis = analyze_text(MENTIONS, "design")
    for step, said in (("scale", SCALE), ("tradeoffs", TRADEOFFS)):
        result = analysis.steps[step]
        assert not result.covered and result.thin and result.evidence == said
        assert result.verdict == CheckVerdict.PARTLY
    assert analysis.thin == ["scale", "tradeoffs"]
    assert analysis.steps["data"].covered and not analysis.steps["data"].thin
    assert not analysis.steps["clarify"].thin  # done is never thin


def test_a_step_never_named_at_all_is_missing_not_thin() -> None:
    analysis = analyze_text(DONE_UP_TO_DATA + CLOSE, "design")
    assert not analysis.steps["scale"].covered and not analysis.steps["scale"].thin
    assert analysis.steps["scale"].verdict == CheckVerdict.NO


def test_a_tradeoff_named_with_its_alternatives_but_no_choice_or_cost_is_thin() -> None:
    analysis = analyze_text(DONE_UP_TO_DATA + NAMED_TRADEOFF + "\n" + CLOSE, "design")
    assert analysis.steps["tradeoffs"].thin and not analysis.steps["tradeoffs"].covered
    made = analyze_text(DONE_UP_TO_DATA + "I'd take eventual consistency over strong consistency for the redirect "
                        "cache, because a link served a few seconds stale costs nothing, at the cost of a new link "
                        "sometimes missing for a moment.\n" + CLOSE, "design")
    assert made.steps["tradeoffs"].covered and not made.steps["tradeoffs"].thin


def test_part_names_without_what_they_do_are_a_thin_baseline() -> None:
    named = DONE_UP_TO_DATA.replace(
        "The design is a load balancer in front of stateless app servers, which read and write a database, with a "
        "cache in front of it.", NAMED_PARTS)
    analysis = analyze_text(named, "design")
    assert analysis.steps["architecture"].thin and not analysis.steps["architecture"].covered
    assert analysis.steps["architecture"].evidence == NAMED_PARTS


def test_parts_named_and_then_joined_into_a_path_are_a_baseline_done_by_the_design_heard() -> None:
    path = "The path is load balancer to app servers to cache to database."
    named = DONE_UP_TO_DATA.replace(
        "The design is a load balancer in front of stateless app servers, which read and write a database, with a "
        "cache in front of it.", NAMED_PARTS + "\n" + path)
    analysis = analyze_text(named, "design")
    assert analysis.design is not None and analysis.design.flows
    assert analysis.steps["architecture"].covered and not analysis.steps["architecture"].thin
    assert analysis.steps["architecture"].evidence == path


def test_a_step_named_in_passing_stays_thin_however_many_parts_the_design_holds() -> None:
    analysis = analyze_text(MENTIONS, "design")  # a database and a cache, named, but no failure handled
    assert analysis.design is not None and not analysis.design.safeguards
    assert analysis.steps["scale"].thin


def test_the_first_follow_up_presses_on_the_step_that_was_only_mentioned() -> None:
    analysis = analyze_text(MENTIONS, "design")
    first = plan(analysis, _shortener(), seed="thin")[0]
    assert first.target == "scale" and first.when == "mentioned"
    assert first.why is not None and first.why.rule == "mentioned" and first.why.quote == SCALE
    assert "scale" in first.question.lower()
    later = [f for f in plan(analysis, _shortener(), seed="thin") if f.target == "tradeoffs"]
    assert later and later[0].when == "mentioned" and "tradeoff" in later[0].question.lower()


def test_a_company_s_own_words_keep_the_sentence_a_thin_step_was_pressed_for() -> None:
    from simulator.practice.tailoring import Practice, shape

    options = plan(analyze_text(MENTIONS, "design"), _shortener(), seed="thin")
    bent = shape(options, Practice(company="stripe"), _shortener())  # Stripe asks on scale first, in its words
    first = next(o for o in bent if o.target == "scale")
    assert first.why is not None and first.why.quote == SCALE


def test_thin_survives_the_saved_analysis_and_an_older_record_reads_as_before() -> None:
    analysis = analyze_text(MENTIONS, "design")
    again = Analysis.from_json(analysis.to_json())
    assert again.thin == ["scale", "tradeoffs"] and again.steps["scale"].evidence == SCALE
    old = {"covered": False, "first_at": None, "seconds": None, "evidence": None}
    assert StepResult.from_json(old).thin is False
    assert StepResult.from_json(old).to_json() == old, "an older record writes back as it was"
    assert analysis.steps["scale"].to_json()["thin"] is True


def test_the_checklist_in_the_terminal_shows_a_thin_step_as_only_mentioned() -> None:
    from rich.console import Console

    from simulator.review.report import print_checklist

    out = io.StringIO()
    print_checklist(Console(file=out, width=400, color_system=None), analyze_text(MENTIONS, "design"))
    text = out.getvalue()
    row = next(line for line in text.splitlines() if "Scale, reliability" in line)
    assert "~" in row and f"only mentioned: “{SCALE}”" in row
    data_row = next(line for line in text.splitlines() if "data flow and storage" in line)
    assert "✓" in data_row and "only mentioned" not in data_row


def test_the_page_marks_a_thin_step_partly_with_the_sentence_that_named_it() -> None:
    from simulator.review.html import _analysis

    html = _analysis(analyze_text(MENTIONS, "design"))
    row = next(r for r in html.split("<tr>") if "Scale, reliability" in r)
    assert 'class="partly"' in row and "only mentioned: “Scale is important here" in row
    done = next(r for r in html.split("<tr>") if "Closing summary" in r)
    assert 'class="yes"' in done

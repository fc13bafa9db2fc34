"""Text without full stops (captions, typed answers, another recogniser's output) is cut into sentences before
judging, so evidence is a sentence or two and each step quotes its own words."""

from __future__ import annotations

from simulator.judging.analysis import analyze_segments, analyze_text
from simulator.judging.runons import RunOnOptions, cut_run_on
from simulator.transcript import Segment

CAPTION = (
    "okay so first I want to ask who the users are and whether links ever expire and how many links we create "
    "per day let's say a hundred million new links a day which is about twelve hundred writes a second and reads "
    "are a hundred times that so the API is a post to shorten that returns a code and a get on the code that "
    "redirects the design is a load balancer in front of stateless app servers with a key value store for the "
    "codes and a cache in front of it the codes come from a counter handed out in ranges to each server so "
    "nothing collides when a server dies its unused range is simply lost which is fine the tradeoff is that codes "
    "are guessable in order at the cost of privacy so I'd hash the counter if that matters to sum up stateless "
    "servers a key value store a cache and counter ranges for the codes"
)


def test_a_short_sentence_is_left_whole() -> None:
    sentence = "I would put a cache in front of the store because reads are a hundred times the writes."
    assert cut_run_on(sentence) == [sentence]


def test_a_caption_is_cut_into_sentences_of_at_most_sixty_words_in_order() -> None:
    pieces = cut_run_on(CAPTION)
    assert len(pieces) >= 6
    assert all(len(p.split()) <= RunOnOptions().max_words for p in pieces)
    assert " ".join(pieces).split() == CAPTION.split()  # nothing lost, nothing moved


def test_cuts_fall_where_a_new_thought_opens_not_inside_a_phrase() -> None:
    pieces = cut_run_on(CAPTION)
    starts = {p.split()[0] for p in pieces[1:]}
    assert starts <= {"so", "let's", "the", "when", "to", "I", "okay", "after", "then", "a"}, pieces
    assert not any(p.split()[-1] in {"a", "the", "to", "of"} for p in pieces), pieces
    assert any(p.startswith("the tradeoff is") for p in pieces)
    assert any(p.startswith("to sum up") for p in pieces)


def test_a_long_punctuated_run_on_is_cut_after_its_commas() -> None:
    sentence = ("We had a queue in front of the workers, and then the workers called the provider, and the provider "
                "was slow that week, so the queue grew for hours, and I added a second pool of workers for the "
                "retries, so that a slow provider could not hold up fresh messages, and then I capped the retries "
                "at five with a dead letter queue for what was left over.")
    pieces = cut_run_on(sentence)
    assert len(pieces) >= 2 and all(len(p.split()) <= 60 for p in pieces)
    assert all(p.endswith((",", ".")) for p in pieces), pieces


def test_a_caption_answer_is_judged_per_sentence_and_quotes_short_evidence() -> None:
    analysis = analyze_text(CAPTION, "design")
    evidence = {step: r.evidence for step, r in analysis.steps.items() if r.covered}
    assert {"assumptions", "interfaces", "architecture", "tradeoffs", "summary"} <= set(evidence), evidence
    assert all(len(e.split()) <= 60 for e in evidence.values())
    assert len(set(evidence.values())) >= 4  # not the same block quoted for every step
    assert "to sum up" in evidence["summary"]


def test_a_caption_segment_shares_its_time_among_its_sentences() -> None:
    analysis = analyze_segments([Segment(10.0, 130.0, CAPTION)], "design")
    starts = [s.start for s in analysis.sentences]
    assert len(starts) >= 6 and starts == sorted(starts)
    assert starts[0] == 10.0 and analysis.sentences[-1].end == 130.0
    assert analysis.steps["summary"].first_at > 100

"""General coverage rules learnt on the second design tuning set (tests/corpus/design-tuning-b/): each is a way
people really close, weigh or name a step that the cues once missed, or a step named without being done."""

from __future__ import annotations

from simulator.judging.analysis import analyze_text

OPENING = ("Who uses it, and do links expire? I'll assume a hundred million links a month, about forty writes a "
           "second. The API is POST /links returning a code, and GET /{code} redirects. ")


def _covered(text: str, step: str) -> bool:
    return analyze_text(text, "design").steps[step].covered


def test_a_closing_line_labelled_as_the_summary_is_the_summary() -> None:
    for closing in ("Summary: ranged counters for codes, DynamoDB with a cache, and async click counting.",
                    "So: ranged counters for codes, DynamoDB with a cache, and async click counting.",
                    "So in the end: ranged counters for codes, DynamoDB with a cache, and async counting.",
                    "Finally: ranged counters for codes, DynamoDB with a cache, and async click counting."):
        assert _covered(OPENING + closing, "summary"), closing


def test_a_closing_line_that_only_says_it_is_done_is_no_summary() -> None:
    assert not _covered(OPENING + "That's my design for the shortener.", "summary")


def test_a_named_tradeoff_that_sets_one_side_against_the_other_is_weighed() -> None:
    said = ("Tradeoff: precomputing the top completions makes lookups instant but the trie is several times bigger "
            "in memory.")
    assert _covered(OPENING + said, "tradeoffs")


def test_tradeoffs_named_without_their_cost_are_not_weighed() -> None:
    for said in ("There are tradeoffs between the two, each has its own advantages.",
                 "There are definitely tradeoffs in all of this, but we would think about them."):
        assert not _covered(OPENING + said, "tradeoffs"), said

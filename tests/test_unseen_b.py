"""The second unseen set (tests/corpus/unseen-b/): the truth-teller now that the first set's figures have been
looked at too often to flatter no one. Written and labelled before any rule was changed against it, never tuned
on, and reported apart from the tuning corpus and from the first unseen set.

The floors are the figures measured when the set was frozen: a change that judges new answers worse fails here.
They rise only when a change that was not aimed at these answers lifts them.
"""

from __future__ import annotations

import pytest

from .support.corpus_eval import UNSEEN_B, agreement, gaps_aimed_at, labels, written
from .support.figures import report

MIN_ACCURACY = {"design": 137 / 160, "experience": 39 / 48}  # experience: 38 when frozen, 40 after STAR in other words
MIN_GAPS_AIMED_AT = 11 / 14
MIN_STAR_ACTION_RESULT = 22 / 24
MIN_PREP_SITUATION = 1  # none when frozen; 1 of 2 once prep-note headings were read in any form


def _written(case: dict):
    return written(case["file"], case["kind"], UNSEEN_B)


@pytest.mark.parametrize("kind", ["design", "experience"])
def test_step_coverage_on_the_second_unseen_set(kind: str) -> None:
    files = [case["file"] for case in labels(UNSEEN_B) if case["kind"] == kind]
    result = agreement(_written, files, UNSEEN_B)
    report(f"unseen-b {kind} answers: step coverage agrees with the labels on {result.accuracy:.1%} of "
           f"{result.total} steps (written text)")
    assert result.accuracy >= MIN_ACCURACY[kind], "\n".join(result.misses)


def test_the_first_follow_up_on_the_second_unseen_set_aims_at_a_real_gap() -> None:
    result = gaps_aimed_at(_written, corpus=UNSEEN_B)
    report(f"unseen-b answers: the first follow-up aims at a missing step on {result.right} of {result.total}")
    assert result.accuracy >= MIN_GAPS_AIMED_AT, "\n".join(result.misses)


def test_star_action_and_result_on_the_second_unseen_set() -> None:
    files = [case["file"] for case in labels(UNSEEN_B) if case["kind"] == "experience"]
    result = agreement(_written, files, UNSEEN_B, steps=("action", "result"))
    report(f"unseen-b STAR answers: action and result agree with the labels on {result.accuracy:.1%} of "
           f"{result.total}")
    notes = [case for case in labels(UNSEEN_B) if case["kind"] == "experience" and "prep" in case["file"]]
    found = sum(_written(case).steps["situation"].covered for case in notes)
    report(f"unseen-b prep notes: the situation is found in {found} of {len(notes)} (none when the set was frozen)")
    assert result.accuracy >= MIN_STAR_ACTION_RESULT, "\n".join(result.misses)
    assert found >= MIN_PREP_SITUATION


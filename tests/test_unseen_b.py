"""The second unseen set (tests/corpus/unseen-b/): written and labelled before any rule was changed against it and
never tuned on. Its figures have since been printed too often for it to stay the truth-teller, so the third set
(tests/test_unseen_c.py) took that role and this one is a floor, beside the first set (tests/test_unseen.py).

The floors are the figures measured when the set was frozen, raised only by changes not aimed at these answers: a
change that judges new answers worse fails here. A failure prints totals only, never which answer missed what.
"""

from __future__ import annotations

import pytest

from .support.corpus_eval import UNSEEN_B, Agreement, agreement, gaps_aimed_at, labels, written
from .support.figures import report

# design: 137 when frozen, 147 after the rules were tuned on design-tuning-b; experience: 38 when frozen, 40 after
# STAR in other words
MIN_ACCURACY = {"design": 147 / 160, "experience": 40 / 48}
MIN_GAPS_AIMED_AT = 12 / 14  # 11 when frozen
MIN_STAR_ACTION_RESULT = 22 / 24
MIN_PREP_SITUATION = 1  # none when frozen; 1 of 2 once prep-note headings were read in any form


def _below(result: Agreement) -> str:
    """Totals only: which answer missed what is never printed for an unseen set, so no rule is fitted to it."""
    return f"{result.right} of {result.total}, below its floor"


def _written(case: dict):
    return written(case["file"], case["kind"], UNSEEN_B)


@pytest.mark.parametrize("kind", ["design", "experience"])
def test_step_coverage_on_the_second_unseen_set(kind: str) -> None:
    files = [case["file"] for case in labels(UNSEEN_B) if case["kind"] == kind]
    result = agreement(_written, files, UNSEEN_B)
    report(f"unseen-b {kind} answers: step coverage agrees with the labels on {result.accuracy:.1%} of "
           f"{result.total} steps (written text)")
    assert result.accuracy >= MIN_ACCURACY[kind], _below(result)


def test_the_first_follow_up_on_the_second_unseen_set_aims_at_a_real_gap() -> None:
    result = gaps_aimed_at(_written, corpus=UNSEEN_B)
    report(f"unseen-b answers: the first follow-up aims at a missing step on {result.right} of {result.total}")
    assert result.accuracy >= MIN_GAPS_AIMED_AT, _below(result)


def test_star_action_and_result_on_the_second_unseen_set() -> None:
    files = [case["file"] for case in labels(UNSEEN_B) if case["kind"] == "experience"]
    result = agreement(_written, files, UNSEEN_B, steps=("action", "result"))
    report(f"unseen-b STAR answers: action and result agree with the labels on {result.accuracy:.1%} of "
           f"{result.total}")
    notes = [case for case in labels(UNSEEN_B) if case["kind"] == "experience" and "prep" in case["file"]]
    found = sum(_written(case).steps["situation"].covered for case in notes)
    report(f"unseen-b prep notes: the situation is found in {found} of {len(notes)} (none when the set was frozen)")
    assert result.accuracy >= MIN_STAR_ACTION_RESULT, _below(result)
    assert found >= MIN_PREP_SITUATION


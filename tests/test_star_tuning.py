"""The STAR tuning set (tests/corpus/star-tuning/): experience answers and prep notes that give the situation,
the speaker's own task and the result in other words ("Our checkout was...", "it fell to me", "no one got paged
again", "Context -", "S:"). Written and labelled before the cues were widened for them, and tuned on since, so
its figures say what the cues hear, not how they do on new answers (tests/test_unseen_b.py says that).

At first: 49 of 80 steps, action and result 19 of 40, prep notes' situation 1 of 4.
"""

from __future__ import annotations

from .support.corpus_eval import STAR_TUNING, agreement, labels, written
from .support.figures import report

MIN_ACCURACY = 0.95
MIN_ACTION_RESULT = 0.95


def _written(case: dict):
    return written(case["file"], case["kind"], STAR_TUNING)


def test_star_steps_said_in_other_words_are_heard() -> None:
    result = agreement(_written, None, STAR_TUNING)
    report(f"star-tuning answers: STAR steps agree with the labels on {result.accuracy:.1%} of {result.total}")
    assert result.accuracy >= MIN_ACCURACY, "\n".join(result.misses)
    action_result = agreement(_written, None, STAR_TUNING, steps=("action", "result"))
    assert action_result.accuracy >= MIN_ACTION_RESULT, "\n".join(action_result.misses)


def test_the_situation_of_prep_notes_is_found_under_any_heading() -> None:
    notes = [case for case in labels(STAR_TUNING) if "prep" in case["file"]]
    missed = [case["file"] for case in notes if not _written(case).steps["situation"].covered]
    report(f"star-tuning prep notes: the situation is found in {len(notes) - len(missed)} of {len(notes)}")
    assert not missed, missed


def test_an_outcome_named_but_not_given_is_thin_not_a_result() -> None:
    """ "The result was good in the end" names a result; the answer never says what happened."""
    result = _written({"file": "s13-mentioned-not-done.txt", "kind": "experience"}).steps["result"]
    assert not result.covered
    assert result.thin and "result was good" in (result.evidence or "")

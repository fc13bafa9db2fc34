"""Step-coverage accuracy over a corpus of labelled answers, as written.

The corpus (tests/corpus/) was written from the domain definitions alone:
strong answers, gaps, tech-first openings, paraphrases and passing mentions,
and the shapes real candidates use (run-on spoken sentences, false starts,
prep notes). test_spoken_corpus.py judges the same answers as Whisper heard them.
"""

from __future__ import annotations

from .support.corpus_eval import agreement, gaps_aimed_at, written
from .support.figures import report

MIN_ACCURACY = 0.92
MIN_GAPS_AIMED_AT = 0.90


def test_step_coverage_accuracy_over_the_corpus() -> None:
    result = agreement(lambda case: written(case["file"], case["kind"]))
    report(f"step coverage agrees with the labels on {result.accuracy:.1%} of {result.total} steps (written text)")
    for miss in result.misses:
        print("  miss:", miss)
    assert result.accuracy >= MIN_ACCURACY, "\n".join(result.misses)


def test_the_first_follow_up_aims_at_a_real_gap() -> None:
    result = gaps_aimed_at(lambda case: written(case["file"], case["kind"]))
    report(f"the first follow-up aims at a step the labels say is missing on {result.right} of {result.total} "
           f"answers that miss one (written text)")
    assert result.accuracy >= MIN_GAPS_AIMED_AT, "\n".join(result.misses)


if __name__ == "__main__":
    result = agreement(lambda case: written(case["file"], case["kind"]))
    print("\n".join(result.misses))
    print(f"accuracy {result.accuracy:.1%}")

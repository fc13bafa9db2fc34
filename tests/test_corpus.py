"""Step-coverage accuracy over a corpus of labelled answers, as written.

The corpus (tests/corpus/) was written from the domain definitions alone:
strong answers, gaps, tech-first openings, paraphrases and passing mentions,
and the shapes real candidates use (run-on spoken sentences, false starts,
prep notes). test_spoken_corpus.py judges the same answers as Whisper heard them.
"""

from __future__ import annotations

from .corpus_eval import agreement, written
from .figures import report

MIN_ACCURACY = 0.92


def test_step_coverage_accuracy_over_the_corpus() -> None:
    result = agreement(lambda case: written(case["file"], case["kind"]))
    report(f"step coverage agrees with the labels on {result.accuracy:.1%} of {result.total} steps (written text)")
    for miss in result.misses:
        print("  miss:", miss)
    assert result.accuracy >= MIN_ACCURACY, "\n".join(result.misses)


if __name__ == "__main__":
    result = agreement(lambda case: written(case["file"], case["kind"]))
    print("\n".join(result.misses))
    print(f"accuracy {result.accuracy:.1%}")

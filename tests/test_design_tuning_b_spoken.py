"""The second design tuning set (tests/corpus/design-tuning-b/) as Whisper heard it in both of the program's voices
(`python -m tests.support.unseen_spoken --set design-tuning-b espeak-ng-tiny.en piper-tiny.en` makes the
transcripts and commits them under tests/corpus/design-tuning-b/spoken/). The rules are tuned on this set, so here
what a recogniser costs them may be read answer by answer: a miss names the answer and the step, and the written
text's figure (tests/test_design_tuning_b.py) is the one to come near.

The floors are the figures when the rules were last changed against these transcripts; they must not drop.
"""

from __future__ import annotations

import pytest

from .support.corpus_eval import DESIGN_TUNING_B
from .support.figures import report
from .support.unseen_spoken import Figures, measure, transcript_faults

# (right, total) on each variant's transcripts; first measured: design 176 and 194, first follow-up 6 and 9
FLOORS = {
    "espeak-ng-tiny.en": {"design": (201, 240), "gaps": (9, 13)},
    "piper-tiny.en": {"design": (222, 240), "gaps": (11, 13)},
}


@pytest.fixture(scope="module")
def figures() -> dict[str, Figures]:
    return {variant: measure(variant, DESIGN_TUNING_B) for variant in FLOORS}


@pytest.mark.parametrize("variant", FLOORS)
def test_every_answer_has_a_current_transcript_that_says_what_made_it(variant: str) -> None:
    faults = transcript_faults(variant, DESIGN_TUNING_B)
    assert not faults, faults[0]


@pytest.mark.parametrize("variant", FLOORS)
def test_step_coverage_on_the_design_tuning_set_as_heard(figures: dict[str, Figures], variant: str) -> None:
    heard = figures[variant]
    report(f"design-tuning-b, spoken ({variant}, word error {heard.word_error:.1%}): step coverage agrees with the "
           f"labels on {heard.design.accuracy:.1%} of {heard.design.total} steps")
    right, total = FLOORS[variant]["design"]
    assert heard.design.accuracy >= right / total, "\n".join(heard.design.misses)


@pytest.mark.parametrize("variant", FLOORS)
def test_the_first_follow_up_aims_at_a_real_gap_in_the_spoken_tuning_set(figures: dict[str, Figures],
                                                                         variant: str) -> None:
    result = figures[variant].gaps
    report(f"design-tuning-b, spoken ({variant}): the first follow-up aims at a missing step on {result.right} of "
           f"{result.total}")
    right, total = FLOORS[variant]["gaps"]
    assert result.accuracy >= right / total, "\n".join(result.misses)

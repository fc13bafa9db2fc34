"""Every clarifying question answered, and nothing else, as real tiny.en weights hear the held-out set spoken.

The held-out set (tests/corpus/clarify-heldout.toml) was frozen before the rules it measures were written.
Its statements (STAR narration going on in "..., which meant ...", a design answer's clauses) are spoken with
a pause inside the sentence, so the quick hearing decodes a span that starts mid-sentence: none may be
answered, in either voice. Its questions (compound, either/or, "What if", "Is it fair to assume") must each
get one reply holding every part's answer in the order asked; a part of them, in both voices, must reach
the floor measured by benchmarks/bench_clarify.py --held-out.
"""

from __future__ import annotations

import pytest

from .support import clarify_heldout

VOICES = ("espeak-ng", "piper")
ITEMS = clarify_heldout.load()
STATEMENTS = [item for item in ITEMS if not item.asks]
# single, compound in one sentence and in two, either/or, "What if", "Is it fair to assume", experience
QUESTIONS = [item for index, item in enumerate(ITEMS) if item.asks and index in (0, 2, 3, 5, 7, 13, 15, 17, 20)]
FLOOR = 0.75  # of those questions answered whole, each voice; the bench's figures are in the README


@pytest.fixture(scope="module")
def ear(real_tiny):  # type: ignore[no-untyped-def]
    from simulator.hearing.loader import ModelLoader

    loader = ModelLoader(real_tiny.spec("whisper")).start()
    return loader.get()


@pytest.mark.parametrize("voice", VOICES)
def test_no_statement_is_answered_even_when_heard_from_the_middle_of_its_sentence(ear, voice: str) -> None:  # type: ignore[no-untyped-def]
    answered = [(o.item.text, o.replies, o.heard) for o in
                (clarify_heldout.settled(ear, item, voice) for item in STATEMENTS) if o.replies]
    assert answered == [], answered


@pytest.mark.parametrize("voice", VOICES)
def test_clarifying_questions_get_every_part_answered_in_one_reply(ear, voice: str) -> None:  # type: ignore[no-untyped-def]
    outcomes = [clarify_heldout.settled(ear, item, voice) for item in QUESTIONS]
    missed = [(o.item.text, o.replies, o.heard) for o in outcomes if not o.answered]
    rate = 1 - len(missed) / len(outcomes)
    assert rate >= FLOOR, (rate, missed)
    experience = [o for o in outcomes if o.item.question in clarify_heldout.EXPERIENCE]
    assert experience and all(clarify_heldout.HANDBACK not in text for o in experience for text, _ in o.replies)

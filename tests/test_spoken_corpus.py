"""The corpus as Whisper heard it: step coverage on real tiny.en and base transcripts agrees with the labels.

The transcripts are made by tests/support/spoken_corpus.py (espeak-ng voices, real weights, streamed as a rehearsal
does) and cached in tests/corpus/spoken/; one is remade here with real tiny.en so the cache cannot drift from
what the script makes.
"""

from __future__ import annotations

import pytest

from simulator.judging.analysis import Analysis, analyze_segments

from .support.corpus_eval import agreement, gaps_aimed_at, labels
from .support.figures import report
from .support.speech import corpus_text, edit_ops, normalized_words, word_error_rate
from .support.spoken_corpus import VARIANTS, cache_path, cases, load, segments, text_hash, transcribe

MIN_ACCURACY = 0.92
MIN_GAPS_AIMED_AT = 0.90
MIN_REMADE_AGREEMENT = 0.95  # thread timing can shift where a piece is cut, and with it a word or two
HEARD = ("tiny.en", "base")


def spoken_text(variant: str, file: str) -> str:
    return " ".join(s["text"] for s in load(variant, file)["segments"])


def heard_by(variant: str):  # type: ignore[no-untyped-def]
    def analyse(case: dict) -> Analysis:
        return analyze_segments(segments(load(variant, case["file"])), case["kind"])
    return analyse


def word_error(variant: str, files: list[str]) -> float:
    said = {f: normalized_words(corpus_text(f)) for f in files}
    errors = sum(sum(edit_ops(said[f], normalized_words(spoken_text(variant, f)))) for f in files)
    return errors / sum(len(words) for words in said.values())


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_answer_has_a_current_transcript_that_says_what_made_it(variant: str) -> None:
    for case in cases(variant):
        path = cache_path(variant, case.file)
        assert path.is_file(), f"run python -m tests.support.spoken_corpus {variant}: {path.name} is missing"
        cached = load(variant, case.file)
        assert cached["text_sha"] == text_hash(corpus_text(case.file)), \
            f"{case.file} changed since it was spoken: run python -m tests.support.spoken_corpus {variant} {case.file}"
        assert cached["model"] in cached["made_by"] and cached["voice"] in cached["made_by"]
        assert "never edit by hand" in cached["made_by"] and cached["segments"]


@pytest.mark.parametrize("variant", HEARD)
def test_step_coverage_agrees_with_the_labels_on_what_whisper_heard(variant: str) -> None:
    files = [c.file for c in cases(variant)]
    result = agreement(heard_by(variant), files)
    written = agreement(_written, files)
    report(f"step coverage agrees with the labels on {result.accuracy:.1%} of {result.total} steps in "
           f"{len(files)} answers ({variant} transcripts, word error {word_error(variant, files):.1%}); "
           f"{written.accuracy:.1%} on the same answers as written")
    for miss in result.misses:
        print("  miss:", miss)
    assert result.accuracy >= MIN_ACCURACY, "\n".join(result.misses)


def _written(case: dict) -> Analysis:
    from .support.corpus_eval import written

    return written(case["file"], case["kind"])


@pytest.mark.parametrize("variant", HEARD)
def test_the_first_follow_up_aims_at_a_real_gap_in_what_whisper_heard(variant: str) -> None:
    result = gaps_aimed_at(heard_by(variant), [c.file for c in cases(variant)])
    report(f"the first follow-up aims at a step the labels say is missing on {result.right} of {result.total} "
           f"answers that miss one ({variant} transcripts)")
    assert result.accuracy >= MIN_GAPS_AIMED_AT, "\n".join(result.misses)


def test_the_question_s_vocabulary_lowers_the_word_error() -> None:
    """Whisper is prompted with the question's own terms only because it helps: tiny.en with and without them on
    the same answers."""
    files = [c.file for c in cases("tiny.en-plain")]
    rate = {v: word_error(v, files) for v in ("tiny.en", "tiny.en-plain")}
    covered = {v: agreement(heard_by(v), files).accuracy for v in ("tiny.en", "tiny.en-plain")}
    report(f"tiny.en word error on {len(files)} spoken answers: {rate['tiny.en']:.1%} with the question's "
           f"vocabulary, {rate['tiny.en-plain']:.1%} without; step coverage {covered['tiny.en']:.1%} with, "
           f"{covered['tiny.en-plain']:.1%} without")
    assert rate["tiny.en"] < rate["tiny.en-plain"]


def test_a_cached_transcript_is_what_the_script_makes(real_tiny) -> None:  # type: ignore[no-untyped-def]
    """Remade from the audio with real tiny.en, the shortest answer reads as its cached transcript."""
    from simulator.hearing.loader import ModelLoader
    from simulator.hearing.models import ModelSpec

    shortest = min(cases("tiny.en"), key=lambda c: len(corpus_text(c.file)))
    loader = ModelLoader(ModelSpec(str(real_tiny.checkpoint))).start()
    remade, _ = transcribe(loader, shortest, hear_vocabulary=True)
    cached = spoken_text("tiny.en", shortest.file)
    agree = 1 - word_error_rate(cached, " ".join(s.text for s in remade))
    report(f"{shortest.file} remade with tiny.en agrees with its cached transcript on {agree:.1%} of words")
    assert agree >= MIN_REMADE_AGREEMENT


def test_the_labels_name_a_question_for_every_answer() -> None:
    from simulator.questions import load_bank

    ids = {q.id for q in load_bank()}
    assert all(case["question"] in ids for case in labels())

"""The design heard in spoken answers: the labelled design answers (the first held-out set tests/corpus/design, the
tuning set tests/corpus/design-unseen, and the held-out sets tests/corpus/design-unseen-b and -c) spoken by espeak-ng or
Piper and transcribed by real Whisper weights, and what telling Whisper common technology names is worth.

The transcripts are made by tests/support/design_spoken.py and committed; one is remade here with real tiny.en so
the cache cannot drift from what the script makes. The held-out answers were written and labelled before the rules
that read them, and are not tuned on. The held-out sets' floors are where each was first measured, before the rules
were last changed, so they fail only if the model hears these answers worse than it did then; their figures are
printed in totals only, never answer by answer.
"""

from __future__ import annotations

import pytest

from simulator.questions import load_bank

from .support import design_spoken
from .support.design_eval import spoken, typed, word_error
from .support.figures import report
from .support.speech import word_error_rate
from .support.spoken_corpus import text_hash, transcribe

# floors the tiny.en transcripts reach (the goal, >= 90% found and <= 5% invented, is measured on base by make bench)
MIN_TINY_FOUND = 0.82
MAX_TINY_INVENTED = 0.10
MIN_REMADE_AGREEMENT = 0.95
# tests/corpus/design-unseen, tuned on since it was no longer unseen: where the rules last left it (first measured
# typed 83.3% / 6.2%, tiny.en 60.2% / 12.2%, base 59.3% / 11.1%; 85.2% / 6.1%, 63.0% / 9.3%, 63.0% / 6.8% when
# it became a tuning set)
UNSEEN_FLOORS = {"typed": (0.94, 0.04), "tiny.en": (0.72, 0.075), "base": (0.77, 0.025)}
# tests/corpus/design-unseen-b, held out: its first measurement, before any rule was changed against it (found of
# labelled, invented of found); the goal, >= 90% found and <= 5% invented, is measured on base by make bench
HELD_OUT_FIRST = {"typed": (101 / 133, 13 / 114), "tiny.en": (77 / 133, 18 / 95), "piper-tiny.en": (96 / 133, 14 / 110),
                  "base": (81 / 133, 19 / 100), "piper-base": (98 / 133, 13 / 111)}
# tests/corpus/design-unseen-c, held out since design-unseen-b's totals had been printed often: its first
# measurement, before any rule was changed against it
FRESH_FIRST = {"typed": (84 / 126, 14 / 98), "tiny.en": (65 / 126, 13 / 78), "piper-tiny.en": (73 / 126, 11 / 84),
               "base": (65 / 126, 10 / 75), "piper-base": (72 / 126, 11 / 83)}
WHISPER_PROMPT_TOKENS = 223  # Whisper keeps the last 223 tokens of a prompt: half its 448-token context, less one


@pytest.mark.parametrize("variant", design_spoken.MADE["design"])
def test_every_held_out_answer_has_a_current_transcript_that_says_what_made_it(variant: str) -> None:
    for answer in design_spoken.answers():
        path = design_spoken.cache_path(variant, answer)
        command = f"python -m tests.support.design_spoken {variant} {answer.file}"
        assert path.is_file(), f"run {command}: {path.name} is missing"
        cached = design_spoken.load(variant, answer)
        assert cached["text_sha"] == text_hash(design_spoken.text(answer)), f"{answer.file} changed: run {command}"
        assert cached["vocabulary"] == design_spoken.told(variant, answer), f"what Whisper is told changed: {command}"
        assert cached["model"] in cached["made_by"] and "never edit by hand" in cached["made_by"]


@pytest.mark.parametrize("variant", design_spoken.MADE["design-unseen"])
def test_every_tuning_answer_of_the_former_fresh_set_has_a_current_transcript(variant: str) -> None:
    for answer in design_spoken.answers(design_spoken.UNSEEN):
        command = f"python -m tests.support.design_spoken --set design-unseen {variant} {answer.file}"
        assert design_spoken.cache_path(variant, answer).is_file(), f"run {command}"
        cached = design_spoken.load(variant, answer)
        assert cached["text_sha"] == text_hash(design_spoken.text(answer)), f"{answer.file} changed: run {command}"
        assert cached["vocabulary"] == design_spoken.told(variant, answer), f"what Whisper is told changed: {command}"
        assert cached["model"] == variant and "--set design-unseen" in cached["made_by"]


@pytest.mark.parametrize("variant", UNSEEN_FLOORS)
def test_components_of_the_former_fresh_answers_stay_where_the_rules_left_them(variant: str) -> None:
    score = typed(design_spoken.UNSEEN) if variant == "typed" else spoken(variant, design_spoken.UNSEEN)
    report(score.line(f"design-unseen (tuned on), {variant}"))
    least, most = UNSEEN_FLOORS[variant]
    assert score.recall >= least, score.missed
    assert score.invented_share <= most, score.invented


# tests/corpus/design-tuning-c, written to tune the component rules on: where the rules left it (first measured typed
# 47.0% / 13.6%, tiny.en 30.9% / 19.3%, base 33.6% / 19.4%, piper-tiny.en 39.6% / 14.5%, piper-base 38.9% / 13.4%)
TUNING_C_FLOORS = {"typed": (0.92, 0.05), "tiny.en": (0.52, 0.15), "base": (0.59, 0.13), "piper-tiny.en": (0.70, 0.075),
                   "piper-base": (0.75, 0.07)}


@pytest.mark.parametrize("variant", design_spoken.MADE["design-tuning-c"])
def test_every_answer_of_the_third_tuning_set_has_a_current_transcript(variant: str) -> None:
    for answer in design_spoken.answers(design_spoken.TUNING_C):
        command = f"python -m tests.support.design_spoken --set design-tuning-c {variant} {answer.file}"
        assert design_spoken.cache_path(variant, answer).is_file(), f"run {command}"
        cached = design_spoken.load(variant, answer)
        assert cached["text_sha"] == text_hash(design_spoken.text(answer)), f"{answer.file} changed: run {command}"
        assert cached["vocabulary"] == design_spoken.told(variant, answer), f"what Whisper is told changed: {command}"


@pytest.mark.parametrize("variant", TUNING_C_FLOORS)
def test_components_of_the_third_tuning_set_stay_where_the_rules_left_them(variant: str) -> None:
    folder = design_spoken.TUNING_C
    score = typed(folder) if variant == "typed" else spoken(variant, folder)
    report(score.line(f"design-tuning-c (tuned on), {variant}"))
    least, most = TUNING_C_FLOORS[variant]
    assert score.recall >= least, score.missed
    assert score.invented_share <= most, score.invented


HELD_OUT_SETS = {"design-unseen-b": design_spoken.HELD_OUT, "design-unseen-c": design_spoken.FRESH}
FIRST = {"design-unseen-b": HELD_OUT_FIRST, "design-unseen-c": FRESH_FIRST}


@pytest.mark.parametrize(("name", "variant"), [(n, v) for n in HELD_OUT_SETS for v in design_spoken.MADE[n]])
def test_every_answer_of_the_held_out_sets_has_a_current_transcript(name: str, variant: str) -> None:
    for answer in design_spoken.answers(HELD_OUT_SETS[name]):
        command = f"python -m tests.support.design_spoken --set {name} {variant} {answer.file}"
        assert design_spoken.cache_path(variant, answer).is_file(), f"run {command}"
        cached = design_spoken.load(variant, answer)
        assert cached["text_sha"] == text_hash(design_spoken.text(answer)), f"{answer.file} changed: run {command}"
        assert cached["vocabulary"] == design_spoken.told(variant, answer), f"what Whisper is told changed: {command}"
        assert cached["model"] == design_spoken.VARIANTS[variant][0] and f"--set {name} " in cached["made_by"]
        assert ("Piper" in cached["made_by"]) == variant.startswith("piper")


@pytest.mark.parametrize(("name", "variant"), [(n, v) for n in FIRST for v in FIRST[n]])
def test_components_of_the_held_out_answers_stay_at_least_as_first_measured(name: str, variant: str) -> None:
    """Totals only: which answer missed what is never printed for a held-out set, so no rule is fitted to it.

    The invented share may go past the first one by a single part at most: with more parts found, one more made up
    moves the share by less than a point (design-unseen-b, Piper base: 13 of 111 first, 14 of 119 since recall rose
    from 73.7% to 78.9%), which is no worse hearing; two more would be."""
    folder = HELD_OUT_SETS[name]
    score = typed(folder) if variant == "typed" else spoken(variant, folder)
    report(score.line(f"held-out design answers ({name}), {variant}"))
    least, most = FIRST[name][variant]
    assert score.recall >= least, f"{score.right} of {score.labelled} found, below the first measurement {least:.1%}"
    allowed = int(most * score.found + 1e-9) + 1
    assert len(score.invented) <= allowed, \
        f"{len(score.invented)} of {score.found} invented, above the first measurement {most:.1%} by more than one part"


def test_a_fresh_answer_that_names_nothing_is_heard_as_an_empty_design() -> None:
    from simulator.judging.design.extract import build_design
    from simulator.judging.sentences import sentences_from_segments

    empty = next(a for a in design_spoken.answers(design_spoken.UNSEEN) if not a.components)
    for variant in ("tiny.en", "base"):
        heard = sentences_from_segments(design_spoken.segments(design_spoken.load(variant, empty)))
        assert heard and build_design(heard).components == []


def test_components_of_the_held_out_answers_as_tiny_en_heard_them() -> None:
    score = spoken("tiny.en")
    report(score.line("held-out design answers as tiny.en heard them"))
    assert score.recall >= MIN_TINY_FOUND, score.missed
    assert score.invented_share <= MAX_TINY_INVENTED, score.invented


def test_an_answer_that_names_nothing_is_heard_as_an_empty_design() -> None:
    from simulator.judging.design.extract import build_design
    from simulator.judging.sentences import sentences_from_segments

    empty = next(a for a in design_spoken.answers() if not a.components)
    for variant in design_spoken.MADE["design"]:
        heard = sentences_from_segments(design_spoken.segments(design_spoken.load(variant, empty)))
        assert heard and build_design(heard).components == []


def test_technology_names_stay_within_the_prompt_budget_for_every_question() -> None:
    """Whisper is told common technology names before each question's own terms, none repeated, and the whole
    prompt, with the fillers prompt besides, fits what Whisper keeps of a prompt."""
    import whisper.tokenizer

    from simulator import prompt_data
    from simulator.config import FILLER_PROMPT

    tokenizer = whisper.tokenizer.get_tokenizer(multilingual=False)
    budget = prompt_data.load("hearing.toml")["prompt_tokens"]
    for question in load_bank():
        told = question.hearing_vocabulary
        assert told.endswith(question.vocabulary) and "Redis" in told and "Postgres" in told
        assert len(tokenizer.encode(" " + told)) <= budget, question.id
        assert len(tokenizer.encode(f" {FILLER_PROMPT} {told}")) < WHISPER_PROMPT_TOKENS
        names = [n.strip().lower() for n in told[:-len(question.vocabulary)].rstrip(". ").split(",")]
        assert len(names) == len(set(names)) and not set(names) & {t.lower() for t in question.terms}


def test_a_cached_transcript_is_what_the_script_makes(real_tiny) -> None:  # type: ignore[no-untyped-def]
    """Remade from the audio with real tiny.en, the shortest held-out answer reads as its cached transcript."""
    from simulator.hearing.loader import ModelLoader
    from simulator.hearing.models import ModelSpec

    shortest = min(design_spoken.answers(), key=lambda a: len(design_spoken.text(a)))
    loader = ModelLoader(ModelSpec(str(real_tiny.checkpoint))).start()
    remade, _ = transcribe(loader, shortest.case, True, words=design_spoken.told("tiny.en", shortest))
    cached = " ".join(s["text"] for s in design_spoken.load("tiny.en", shortest)["segments"])
    agree = 1 - word_error_rate(cached, " ".join(s.text for s in remade))
    report(f"{shortest.file} remade with tiny.en agrees with its cached transcript on {agree:.1%} of words")
    assert agree >= MIN_REMADE_AGREEMENT


def test_technology_names_help_whisper_hear_the_components() -> None:
    """Whisper is told common technology names only because it helps: tiny.en with them and with the question's
    terms only, on the same held-out answers."""
    found = {v: spoken(v).recall for v in ("tiny.en", "tiny.en-question")}
    error = {v: word_error(v) for v in ("tiny.en", "tiny.en-question")}
    report(f"tiny.en on the held-out design answers: components found {found['tiny.en']:.1%} told technology "
           f"names, {found['tiny.en-question']:.1%} told the question's terms only; word error "
           f"{error['tiny.en']:.1%} and {error['tiny.en-question']:.1%}")
    assert found["tiny.en"] > found["tiny.en-question"]
    assert error["tiny.en"] is not None and error["tiny.en-question"] is not None
    assert error["tiny.en"] < error["tiny.en-question"]

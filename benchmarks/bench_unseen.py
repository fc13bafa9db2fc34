"""How the analysis judges the unseen sets against the goals of judgement on answers nobody tuned it on: first the
third set (tests/corpus/unseen-c), the one to trust; then the second set (tests/corpus/unseen-b), now a floor. Each
written and as Whisper heard it in both of the program's voices.

Per source (the written text, then each voice and model whose transcripts are all committed): step coverage on
the design and the STAR answers, how often the first follow-up aims at a step that is really missing, STAR action
and result, and the prep notes whose situation is found, with the word error of the transcripts. Reported apart
from the tuning corpus; the rules are never tuned on this set. Reads the committed transcripts
(tests/support/unseen_spoken.py makes them with real weights; a variant not yet made is named with the command
that makes it). The figures are also written as JSON to $BENCH_OUT (a folder, or a path ending in .json),
default benchmarks/results/.

    python benchmarks/bench_unseen.py
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.corpus_eval import UNSEEN_B, UNSEEN_C  # noqa: E402
from tests.support.unseen_spoken import VARIANTS, Figures, command, complete, measure  # noqa: E402

# the goals on the unseen set, spoken through real base weights in both voices, and written
GOAL_COVERAGE = 0.95
GOAL_GAPS = 0.90
GOAL_STAR = 0.95


def out_path() -> Path:
    target = Path(os.environ.get("BENCH_OUT") or ROOT / "benchmarks" / "results")
    return target if target.suffix == ".json" else target / "unseen.json"


def as_json(figures: Figures) -> dict[str, Any]:
    def part(result) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        return {"right": result.right, "total": result.total, "accuracy": round(result.accuracy, 4)}

    return {"design": part(figures.design), "experience": part(figures.experience), "gaps_aimed_at": part(figures.gaps),
            "star_action_result": part(figures.star), "prep_situation": list(figures.prep_situation),
            "word_error": None if figures.word_error is None else round(figures.word_error, 4)}


def goals(figures: Figures) -> str:
    met = (figures.design.accuracy >= GOAL_COVERAGE and figures.experience.accuracy >= GOAL_COVERAGE
           and figures.gaps.accuracy >= GOAL_GAPS and figures.star.accuracy >= GOAL_STAR)
    return "met" if met else "MISSED"


def sources(corpus: Path) -> dict[str, Any]:
    """Print the set's figures per source (the written text, then each voice and model whose transcripts are all
    committed) and return them as JSON, None for a variant not yet made."""
    results: dict[str, Any] = {}
    for source in (None, *VARIANTS):
        name = "written" if source is None else source
        if source is not None and not complete(source, corpus):
            print(f"  {name}: not all transcripts made; run {command(corpus, source)}")
            results[name] = None
            continue
        figures = measure(source, corpus)
        heard = "" if figures.word_error is None else f" (word error {figures.word_error:.1%})"
        print(f"  {name}{heard}: goals {goals(figures)}")
        for line in figures.lines():
            print(f"    {line}")
        results[name] = as_json(figures)
    return results


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    print(f"goals on answers never tuned on: step coverage >= {GOAL_COVERAGE:.0%}, first follow-up at a missing "
          f"step >= {GOAL_GAPS:.0%}, STAR action and result >= {GOAL_STAR:.0%}")
    print("unseen-c, the set to trust")
    fresh = sources(UNSEEN_C)
    print("unseen-b, a floor now that its figures have been read too often")
    floor = sources(UNSEEN_B)
    path = out_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"benchmark": "judgement on the unseen sets", "unseen_c": fresh, "sources": floor},
                               indent=2) + "\n", encoding="utf-8")
    print(f"  saved: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

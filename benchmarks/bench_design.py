"""How well the design model hears the components of the held-out design answers (tests/corpus/design), as typed
and as Whisper heard them, and what telling Whisper common technology names is worth.

Reads the committed transcripts (tests/support/design_spoken.py makes them with real weights); prints, per variant,
components found (recall of the labelled components) and invented (components found that the answer never named),
against the goals (>= 90% found, <= 5% invented), and the word error with and without the technology names. The
figures are also written as JSON to $BENCH_OUT (a folder, or a path ending in .json), default benchmarks/results/.

    python benchmarks/bench_design.py
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import design_spoken  # noqa: E402
from tests.support.design_eval import Score, spoken, typed, word_error  # noqa: E402

GOAL_FOUND = 0.90
GOAL_INVENTED = 0.05


def out_path() -> Path:
    target = Path(os.environ.get("BENCH_OUT") or ROOT / "benchmarks" / "results")
    return target if target.suffix == ".json" else target / "design.json"


def main() -> int:
    rows: dict[str, Score] = {"typed": typed()}
    for variant in design_spoken.VARIANTS:
        if all(design_spoken.cache_path(variant, a).is_file() for a in design_spoken.answers()):
            rows[variant] = spoken(variant)
    print("design model on the held-out answers (tests/corpus/design), components")
    result = {}
    for name, score in rows.items():
        error = word_error(name) if name != "typed" else None
        met = score.recall >= GOAL_FOUND and score.invented_share <= GOAL_INVENTED
        print(f"  {name:<17} found {score.recall:6.1%} ({score.right}/{score.labelled})  invented "
              f"{score.invented_share:5.1%} ({len(score.invented)}/{score.found})"
              + (f"  word error {error:5.1%}" if error is not None else "") + f"  goal {'met' if met else 'MISSED'}")
        result[name] = {"found": round(score.recall, 4), "invented": round(score.invented_share, 4),
                        "word_error": None if error is None else round(error, 4), "missed": score.missed,
                        "invented_names": score.invented, "goal_met": met}
    path = out_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"  written {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Which steps an answer covers, when, for how long, and the sentence that shows it."""

from __future__ import annotations

import re

from simulator.judging.findings import StepResult
from simulator.judging.rubric import Step, load_rubric
from simulator.judging.sentences import Sentence

SHARE_FACTOR = 0.6  # steps scoring at least this share of a sentence's best step share its time
LEAD_IN_WORDS = 8  # a sentence this short that names a step may have its substance in the next one
# a sentence opening on one of these goes on with the one before it ("... more moving parts to run." "But a slow
# SMS provider can't hold up push."): a recogniser often ends a sentence where the writer only paused
CONTINUES = re.compile(r"^(but|because|since|so that|which|at the (cost|expense|price) of|in exchange)\b")


def cover_steps(sentences: list[Sentence], steps: tuple[Step, ...], replying: str | None = None
                ) -> dict[str, StepResult]:
    """Each step: covered once its sentences reach the threshold; time spent is the sentences it leads.

    replying: the step the question this answers was aimed at, whose reply cues then count too."""
    n = len(sentences)
    scores = _scores(sentences, steps, replying)
    spent = [0.0] * len(steps)
    for i, row in enumerate(scores):
        sharing = _leaders(row, steps)
        for j in sharing:
            spent[j] += sentences[i].seconds / len(sharing)
    timed = bool(sentences) and sentences[0].start is not None
    results = {}
    for j, step in enumerate(steps):
        column = [row[j] for row in scores]
        total = sum(min(c, 2 * step.threshold) for c in column)
        heard = total >= step.threshold and max(column, default=0) >= 2
        # done, not only named: said in a sentence that speaks to the step and does it (a figure, a mechanism,
        # what a choice costs), not a stray figure in one that barely does
        covered = heard and (step.requires is None or any(
            c >= 2 and _does(step, sentences, i) for i, c in enumerate(column)))
        if not covered:
            mention = _mention(sentences, column, step, heard)
            results[step.id] = StepResult(False, None, None, mention, total, thin=mention is not None)
            continue
        # the quote is the sentence that says the step most plainly, and the step is timed from it, so the
        # report never puts a sentence said at 0:55 beside "from 0:06"
        best_i = max((i for i in range(n) if column[i] >= 2),
                     key=lambda i: (max(step.strongest(r) for r in sentences[i].readings), column[i], -i))
        results[step.id] = StepResult(True, sentences[best_i].start if timed else None,
                                      round(spent[j], 1) if timed else None, sentences[best_i].text, total)
    return results


def _does(step: Step, sentences: list[Sentence], i: int) -> bool:
    """The sentence does the step (its `requires`), or names it in a few words whose substance the next sentence
    gives: a colon heard as a full stop ("The tradeoff is local first." "The app is always instant, but sync is
    much more complex."), or the next sentence goes on with it ("But a slow provider can't hold up push.")."""
    assert step.requires is not None
    after = i + 1 < len(sentences) and (len(sentences[i].text.split()) <= LEAD_IN_WORDS
                                        or CONTINUES.search(sentences[i + 1].lower) is not None)
    ahead = [i, i + 1] if after else [i]
    return any(step.requires.search(r) for k in ahead for r in sentences[k].readings)


def _mention(sentences: list[Sentence], column: list[float], step: Step, heard: bool) -> str | None:
    """The sentence that names a step the answer never does ("scale is important", "we'd weigh tradeoffs"): the
    one that spoke to it most where its cues added up without the deed, else the first that names it."""
    if heard:
        return sentences[max(range(len(column)), key=lambda i: (column[i], -i))].text
    if step.mentions is None:
        return None
    return next((s.text for s in sentences if any(step.mentions.search(r) for r in s.readings)), None)


def sentence_steps(sentences: list[Sentence], kind: str) -> list[tuple[str, ...]]:
    """The steps each sentence spends its time on, best first; () for one that speaks to none.

    The same rule that times the steps in cover_steps, so a timeline drawn from it adds up to their times.
    """
    steps = load_rubric()[kind]
    return [tuple(steps[j].id for j in _leaders(row, steps)) for row in _scores(sentences, steps)]


def _scores(sentences: list[Sentence], steps: tuple[Step, ...], replying: str | None = None) -> list[list[float]]:
    n = len(sentences)
    return [[score(step, s, step.id == replying) if _in_part(step, i, n) else 0.0 for step in steps]
            for i, s in enumerate(sentences)]


def score(step: Step, sentence: Sentence, replying: bool = False) -> float:
    """How much the sentence speaks to the step, read the way that hears it best (Sentence.readings)."""
    return max(step.score(reading, replying) for reading in sentence.readings)


def _leaders(row: list[float], steps: tuple[Step, ...]) -> list[int]:
    """The step a sentence scores best for, and any close to it: a sentence doing two jobs (a summary
    restating the main tradeoff) shares its time between them. Best first."""
    ratios = [row[j] / step.threshold if row[j] >= 2 else 0.0 for j, step in enumerate(steps)]
    best = max(ratios, default=0.0)
    sharing = [j for j, r in enumerate(ratios) if best > 0 and r >= SHARE_FACTOR * best]
    return sorted(sharing, key=lambda j: -ratios[j])


def _in_part(step: Step, index: int, count: int) -> bool:
    return step.last_part is None or index >= count * (1 - step.last_part) - 1

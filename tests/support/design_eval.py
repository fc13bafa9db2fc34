"""How well the design model hears the components of the held-out answers (tests/corpus/design): recall of the
labelled components and the share of components found that the answer never named (invented)."""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.judging.design.extract import build_design
from simulator.judging.sentences import sentences_from_segments, sentences_from_text

from . import design_spoken
from .design_spoken import Answer
from .speech import edit_ops, normalized_words


@dataclass
class Score:
    labelled: int = 0
    found: int = 0
    right: int = 0
    missed: list[str] = field(default_factory=list)
    invented: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.right / self.labelled if self.labelled else 1.0

    @property
    def invented_share(self) -> float:
        return len(self.invented) / self.found if self.found else 0.0

    def add(self, answer: Answer, names: list[str]) -> None:
        said, heard = set(answer.components), set(names)
        self.labelled += len(said)
        self.found += len(heard)
        self.right += len(said & heard)
        self.missed += [f"{answer.file}: {n}" for n in sorted(said - heard)]
        self.invented += [f"{answer.file}: {n}" for n in sorted(heard - said)]

    def line(self, what: str) -> str:
        return (f"{what}: components found {self.recall:.1%} ({self.right}/{self.labelled}), invented "
                f"{self.invented_share:.1%} ({len(self.invented)}/{self.found})")


def typed() -> Score:
    score = Score()
    for answer in design_spoken.answers():
        design = build_design(sentences_from_text(design_spoken.text(answer)))
        score.add(answer, [c.name for c in design.components])
    return score


def spoken(variant: str) -> Score:
    score = Score()
    for answer in design_spoken.answers():
        segments = design_spoken.segments(design_spoken.load(variant, answer))
        design = build_design(sentences_from_segments(segments))
        score.add(answer, [c.name for c in design.components])
    return score


def word_error(variant: str) -> float | None:
    """Whisper's word error on the held-out answers it heard in the variant; None where none is made."""
    answers = [a for a in design_spoken.answers() if design_spoken.cache_path(variant, a).is_file()]
    if not answers:
        return None
    errors = words = 0
    for answer in answers:
        said = normalized_words(design_spoken.text(answer))
        heard = normalized_words(" ".join(s["text"] for s in design_spoken.load(variant, answer)["segments"]))
        errors += sum(edit_ops(said, heard))
        words += len(said)
    return errors / words

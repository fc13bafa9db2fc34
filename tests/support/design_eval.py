"""How well the design model hears the components of labelled design answers: the held-out sets (tests/corpus/design,
tests/corpus/design-unseen-b and tests/corpus/design-unseen-c), the former fresh set tests/corpus/design-unseen
(tuned on now) and the tuning set (the main corpus's design answers, labelled in tests/corpus/design-tuning.toml):
recall of the labelled components and the share of components found that the answer never named (invented). A
Score keeps which answer missed or invented what; for a held-out set only its totals are shown."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from simulator.judging.design.extract import build_design
from simulator.judging.sentences import sentences_from_segments, sentences_from_text

from . import design_spoken, spoken_corpus
from .design_spoken import CORPUS, DESIGN, Answer
from .speech import corpus_text, edit_ops, normalized_words

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TUNING = CORPUS / "design-tuning.toml"


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


def typed(folder: Path = DESIGN) -> Score:
    score = Score()
    for answer in design_spoken.answers(folder):
        design = build_design(sentences_from_text(design_spoken.text(answer)))
        score.add(answer, [c.name for c in design.components])
    return score


def spoken(variant: str, folder: Path = DESIGN) -> Score:
    score = Score()
    for answer in design_spoken.answers(folder):
        segments = design_spoken.segments(design_spoken.load(variant, answer))
        design = build_design(sentences_from_segments(segments))
        score.add(answer, [c.name for c in design.components])
    return score


def word_error(variant: str, folder: Path = DESIGN) -> float | None:
    """Whisper's word error on the held-out answers it heard in the variant; None where none is made."""
    answers = [a for a in design_spoken.answers(folder) if design_spoken.cache_path(variant, a).is_file()]
    if not answers:
        return None
    errors = words = 0
    for answer in answers:
        said = normalized_words(design_spoken.text(answer))
        heard = normalized_words(" ".join(s["text"] for s in design_spoken.load(variant, answer)["segments"]))
        errors += sum(edit_ops(said, heard))
        words += len(said)
    return errors / words


def tuning_answers() -> list[Answer]:
    """The main corpus's design answers whose components are labelled for tuning; each file under tests/corpus."""
    return [Answer(a["file"], "", tuple(a["components"]), tuple(a["over"]), CORPUS)
            for a in tomllib.loads(TUNING.read_text())["answer"]]


def tuning(variant: str | None = None) -> Score:
    """The tuning set typed (variant None) or as the main corpus's spoken variant heard it (tests/corpus/spoken)."""
    score = Score()
    for answer in tuning_answers():
        if variant is None:
            heard = sentences_from_text(corpus_text(answer.file))
        else:
            heard = sentences_from_segments(spoken_corpus.segments(spoken_corpus.load(variant, answer.file)))
        score.add(answer, [c.name for c in build_design(heard).components])
    return score

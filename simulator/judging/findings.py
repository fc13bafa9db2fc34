"""What the analysis found, as data: each step's coverage, the mistakes, delivery, and their JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from simulator.json_shape import is_finite, is_kind
from simulator.judging.design.model import Design
from simulator.judging.rubric import STEPS
from simulator.judging.sentences import Sentence
from simulator.vocab import CheckVerdict


@dataclass(frozen=True)
class StepResult:
    covered: bool
    first_at: float | None
    seconds: float | None
    evidence: str | None  # covered: the sentence that does the step; thin: the sentence that only names it
    score: float = 0.0
    thin: bool = False  # named in passing ("scale is important") and never done: not covered, and pressed on

    @property
    def verdict(self) -> CheckVerdict:
        """As a checklist shows it: done, only mentioned (partly), or not there."""
        return CheckVerdict.YES if self.covered else CheckVerdict.PARTLY if self.thin else CheckVerdict.NO

    @property
    def shown(self) -> str:
        """The evidence as a reader sees it: a thin step's sentence says it was only named."""
        if self.thin and self.evidence:
            return f"only mentioned: “{self.evidence}”"
        return self.evidence or ""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"covered": self.covered, "first_at": self.first_at, "seconds": self.seconds,
                                "evidence": self.evidence}
        if self.thin:  # only where it is so: records saved before thin steps read and write back byte for byte
            data["thin"] = True
        return data

    @classmethod
    def from_json(cls, data: Any) -> StepResult:
        return cls(_typed(_key(data, "covered"), bool), _number(data.get("first_at"), True),
                   _number(data.get("seconds"), True), _text(data.get("evidence")),
                   thin=_typed(data.get("thin", False), bool))  # a record from before thin steps has none


@dataclass(frozen=True)
class Mistake:
    code: str
    detail: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "detail": self.detail}

    @classmethod
    def from_json(cls, data: Any) -> Mistake:
        return cls(_typed(_key(data, "code"), str), _typed(_key(data, "detail"), str))


@dataclass(frozen=True)
class Pause:
    """A silence inside the answer long enough to read as lost; `at` is where it began."""

    at: float
    seconds: float

    def to_json(self) -> dict[str, float]:
        return {"at": self.at, "seconds": self.seconds}

    @classmethod
    def from_json(cls, data: Any) -> Pause:
        return cls(_number(_key(data, "at")), _number(_key(data, "seconds")))


@dataclass(frozen=True)
class Delivery:
    words: int
    speaking_seconds: float | None
    wpm: float | None
    fillers: dict[str, int]
    filler_rate: float
    hedges: dict[str, int]
    long_pauses: list[Pause]

    def to_json(self) -> dict[str, Any]:
        return {"words": self.words, "speaking_seconds": self.speaking_seconds, "wpm": self.wpm,
                "fillers": dict(self.fillers), "filler_rate": self.filler_rate, "hedges": dict(self.hedges),
                "long_pauses": [p.to_json() for p in self.long_pauses]}

    @classmethod
    def from_json(cls, data: Any) -> Delivery:
        return cls(_typed(_key(data, "words"), int), _number(data.get("speaking_seconds"), True),
                   _number(data.get("wpm"), True), _counts(_key(data, "fillers")),
                   _number(_key(data, "filler_rate")), _counts(_key(data, "hedges")),
                   [Pause.from_json(p) for p in _typed(_key(data, "long_pauses"), list)])


@dataclass(frozen=True)
class Analysis:
    kind: str
    steps: dict[str, StepResult]
    mistakes: list[Mistake]
    delivery: Delivery
    duration: float | None
    sentences: list[Sentence] = field(default_factory=list, compare=False, repr=False)
    design: Design | None = None  # what the candidate designed; None where nothing was built (older sessions)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    @property
    def covered(self) -> list[str]:
        return [step for step, result in self.steps.items() if result.covered]

    @property
    def missed(self) -> list[str]:
        return [step for step, result in self.steps.items() if not result.covered]

    @property
    def thin(self) -> list[str]:
        """Steps named in passing and never done (a subset of `missed`)."""
        return [step for step, result in self.steps.items() if result.thin]

    def to_json(self) -> dict[str, Any]:
        """The analysis as saved; `design` only where one was built, so a session saved before the design model
        reads back and writes out the same bytes."""
        data = {"kind": self.kind, "steps": {k: v.to_json() for k, v in self.steps.items()},
                "mistakes": [m.to_json() for m in self.mistakes], "delivery": self.delivery.to_json()}
        if self.design is not None:
            data["design"] = self.design.to_json()
        return data

    @classmethod
    def from_json(cls, data: Any) -> Analysis:
        """An analysis as to_json wrote it (the sentences and duration are not kept); ValueError for
        anything else."""
        kind = _typed(_key(data, "kind"), str)
        if kind not in STEPS:
            raise ValueError(f"kind {kind!r:.40} is not one of {', '.join(STEPS)}")
        steps = _typed(_key(data, "steps"), dict)
        design = Design.from_json(data["design"]) if "design" in data else None
        return cls(kind, {_typed(k, str): StepResult.from_json(v) for k, v in steps.items()},
                   [Mistake.from_json(m) for m in _typed(_key(data, "mistakes"), list)],
                   Delivery.from_json(_key(data, "delivery")), None, design=design)


def _key(data: Any, key: str) -> Any:
    if not isinstance(data, dict) or key not in data:
        raise ValueError(f"an analysis has no {key}")
    return data[key]


def _typed(value: Any, kind: type) -> Any:
    if not is_kind(value, kind):
        raise ValueError(f"an analysis holds {value!r:.40} where {kind.__name__} belongs")
    return value


def _number(value: Any, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if not is_finite(value):
        raise ValueError(f"an analysis holds {value!r:.40} where a number belongs")
    return value


def _text(value: Any) -> str | None:
    return None if value is None else _typed(value, str)


def _counts(value: Any) -> dict[str, int]:
    return {_typed(k, str): _typed(v, int) for k, v in _typed(value, dict).items()}

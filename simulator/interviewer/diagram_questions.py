"""What the interviewer asks about the candidate's drawing: one question per finding of the drawing held
against the speech (diagrams/checks.py), phrased from prompts/design/diagram.toml's [ask], at a pause in the
walkthrough or as a follow-up after an answer. A finding is named by its target, so it is asked once."""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache
from typing import Any

from simulator import prompt_data
from simulator.diagrams.checks import hold_against
from simulator.diagrams.design import components_by_box
from simulator.diagrams.diagram import Diagram
from simulator.judging.analysis import Analysis
from simulator.judging.design.model import DesignFinding
from simulator.judging.followups import FollowUp, Why

TARGET_PREFIX = "diagram:"


@lru_cache(maxsize=None)
def _data() -> dict[str, Any]:
    return prompt_data.load("design", "diagram.toml")


def target(finding: DesignFinding) -> str:
    """The finding's name as a turn's target: "diagram:drawn_not_explained:Kafka"."""
    return f"{TARGET_PREFIX}{finding.rule}:{finding.component or finding.quote.text}"


def findings(drawing: Diagram, analysis: Analysis | None, at: float | None = None) -> list[DesignFinding]:
    """The drawing held against everything said so far."""
    said = analysis.design if analysis is not None else None
    return hold_against(drawing, said, analysis.text if analysis is not None else "", at)


def question(finding: DesignFinding, drawing: Diagram) -> str | None:
    """The question for a finding, or None for a finding the interviewer does not ask about."""
    template = _data()["ask"].get(finding.rule)
    if template is None:
        return None
    quote = finding.quote.text
    first = quote.split("; ")[0]
    return str(template).format(name=quote, component=finding.component or quote,
                                between=_between(drawing, finding.component), wire=quote.replace(" → ", " to "),
                                pair=first.replace(" — ", " and "))


def _between(drawing: Diagram, component: str | None) -> str:
    """" between the API and the workers" for a box with one arrow in and one out; "" otherwise."""
    if component is None:
        return ""
    parts = components_by_box(drawing)
    ids = {b for b, c in parts.items() if c.name == component}
    names = {b.id: b.label for b in drawing.boxes}
    into = [names.get(e.source or "") for e in drawing.edges if e.target in ids and e.source not in ids]
    out = [names.get(e.target or "") for e in drawing.edges if e.source in ids and e.target not in ids]
    if len(into) == 1 and len(out) == 1 and into[0] and out[0]:
        return f" between {_the(into[0])} and {_the(out[0])}"
    return ""


def _the(label: str) -> str:
    """A label as said in a sentence: "the API" for a common word, a product name as it is."""
    return label if label[:1].isupper() and not label.isupper() and " " not in label.strip() else f"the {label}"


def at_pause(drawing: Diagram, analysis: Analysis | None, asked: Collection[str],
             at: float | None = None) -> tuple[DesignFinding, str] | None:
    """The first finding worth a question mid-answer that was not asked yet, with its question."""
    allowed = set(_data()["pause"]["rules"])
    for finding in findings(drawing, analysis, at):
        if finding.rule in allowed and target(finding) not in asked:
            text = question(finding, drawing)
            if text is not None:
                return finding, text
    return None


def followup(drawing: Diagram, analysis: Analysis | None, pressed: Collection[str]) -> FollowUp | None:
    """After an answer: the first finding not asked yet as a follow-up, its why the rule and the words."""
    for finding in findings(drawing, analysis):
        if target(finding) in pressed:
            continue
        text = question(finding, drawing)
        if text is not None:
            return FollowUp(target(finding), text, "diagram", Why(finding.rule, finding.quote.text, finding.quote.at))
    return None

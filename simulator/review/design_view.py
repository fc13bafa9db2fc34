""""Your design as heard": the candidate's components, flows, figures, choices and the checks on them, laid out
once for every report (the terminal, the end of a rehearsal, the page), so they all say the same thing.

Each figure is shown with its check (a tick, or the slip found in it), each finding with its why: the rule
that fired and the candidate's own words it fired on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from simulator import prompt_data
from simulator.judging.design.model import Component, ComponentKind, Design, DesignFinding, Figure, Flow
from simulator.vocab import Kind

if TYPE_CHECKING:
    from simulator.judging.analysis import Analysis
    from simulator.sessions.record import SessionRecord

PERIOD_SECONDS = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86_400.0, "week": 604_800.0,
                  "month": 2_592_000.0, "year": 31_536_000.0}  # a month of 30 days, as estimates take it
QUOTE_CHARS = 140


@lru_cache(maxsize=None)
def _data() -> dict[str, Any]:
    return prompt_data.load("design_report.toml")


def line(key: str) -> str:
    """One of the section's fixed sentences ("heading", "no_components", "no_reason", "no_unit")."""
    return str(_data()["lines"][key])


def kind_title(kind: str) -> str:
    return str(_data()["kinds"].get(str(kind), {}).get("title", str(kind).replace("_", " ")))


def plain_labels() -> tuple[str, ...]:
    """Flow labels the diagram's arrow says by itself ("calls"), left off the drawing."""
    return tuple(_data()["diagram"]["plain_labels"])


def kind_layer(kind: str) -> int:
    """Where a kind stands from the caller (0) to storage, for the diagram's columns and the groups' order."""
    return int(_data()["kinds"].get(str(kind), _data()["kinds"]["other"])["layer"])


@dataclass(frozen=True)
class ComponentGroup:
    kind: ComponentKind
    title: str  # "caches"
    items: tuple[str, ...]  # "DynamoDB (×1; replicas, failover)"


@dataclass(frozen=True)
class FigureCheck:
    figure: Figure
    rate: str | None  # the figure per second, where it is a rate over a longer period: "≈ 1,160 a second"
    slips: tuple[DesignFinding, ...]  # the checks it failed; none: it holds up

    @property
    def ok(self) -> bool:
        return not self.slips


@dataclass(frozen=True)
class DesignView:
    kind: str
    design: Design
    groups: tuple[ComponentGroup, ...]
    chains: tuple[tuple[str, ...], ...]  # flows joined end to end: ("clients", "load balancer", "API servers")
    figures: tuple[FigureCheck, ...]
    findings: tuple[DesignFinding, ...]  # those not shown beside a figure
    checks: tuple[DesignFinding, ...] = ()  # every finding, sharpest first

    @property
    def has_components(self) -> bool:
        return bool(self.design.components)


def build_view(kind: str, design: Design | None, findings: list[DesignFinding] | None = None) -> DesignView | None:
    """What the section shows, or None when there is nothing to show: no design was heard, or an experience
    answer that named no component (a story need not have an architecture)."""
    if design is None:
        return None
    findings = list(findings or [])
    if kind != Kind.DESIGN:
        if not design.components:
            return None
        return DesignView(kind, design, _groups(design), (), (), (), tuple(findings))
    placed = {id(x): _figure_of(x, design.figures) for x in findings}
    checks = tuple(FigureCheck(f, per_second(f), tuple(x for x in findings if placed[id(x)] is f))
                   for f in design.figures)
    shown = {i for i, f in placed.items() if f is not None}
    return DesignView(kind, design, _groups(design), chains(design.flows), checks,
                      tuple(x for x in findings if id(x) not in shown), tuple(findings))


def view_of(analysis: Analysis | None, text: str | None = None, facts: Sequence[Figure] = ()) -> DesignView | None:
    """The section for one answer: the design saved with its analysis, and the checks on it run on the answer's
    words, as the interviewer ran them. text: the answer as said, where the analysis no longer keeps its
    sentences (one read back from a session); facts: the figures the interviewer gave."""
    from simulator.judging.design.checks import check_design

    if analysis is None or analysis.design is None:
        return None  # a session saved before the design was heard
    said = text if text is not None else analysis.text
    findings = check_design(analysis.design, said, facts) if analysis.kind == Kind.DESIGN else []
    return build_view(analysis.kind, analysis.design, findings)


def session_facts(record: SessionRecord) -> list[Figure]:
    """The figures the interviewer gave in a session (the question's sheet and the clarification replies), so
    the report checks the design against them as the interviewer did."""
    from simulator.interviewer.followup_choice import told_figures
    from simulator.questions import Question

    asked = record.question
    return told_figures(Question(asked.id, asked.kind, "", asked.text), record.turns)


def findings_json(view: DesignView | None) -> list[dict[str, Any]]:
    """Every finding of the section, with its why, for `analyze --json`."""
    if view is None:
        return []
    return [{"rule": f.rule, "component": f.component, "detail": f.detail, "slip": f.slip, "said": f.said,
             "against": f.against,
             "quote": {"text": f.quote.text, "at": f.quote.at}, "why": why(f)} for f in view.checks]


def _groups(design: Design) -> tuple[ComponentGroup, ...]:
    by_kind: dict[ComponentKind, list[str]] = {}
    for component in design.components:
        by_kind.setdefault(component.kind, []).append(component_label(component, design))
    order = sorted(by_kind, key=lambda k: (kind_layer(k), list(ComponentKind).index(k)))
    return tuple(ComponentGroup(k, kind_title(k), tuple(by_kind[k])) for k in order)


def component_label(component: Component, design: Design) -> str:
    """The name with how many were said and the failure handling said for it: "Postgres (×1; replicas)"."""
    notes = [f"×{component.count}"] if component.count is not None else []
    guards = list(dict.fromkeys(s.kind for s in design.safeguards if s.component == component.name))
    if guards:
        notes.append(", ".join(guards))
    return component.name + (f" ({'; '.join(notes)})" if notes else "")


def chains(flows: list[Flow]) -> tuple[tuple[str, ...], ...]:
    """The flows joined end to end in the order they were said, each flow used once: a → b and b → c read
    "a → b → c"."""
    left = list(flows)
    out: list[tuple[str, ...]] = []
    while left:
        first = left.pop(0)
        chain = [first.source, first.target]
        while True:
            nxt = next((f for f in left if f.source == chain[-1] and f.target not in chain), None)
            if nxt is None:
                break
            left.remove(nxt)
            chain.append(nxt.target)
        out.append(tuple(chain))
    return tuple(out)


def per_second(figure: Figure) -> str | None:
    seconds = PERIOD_SECONDS.get(figure.period or "")
    if seconds is None or seconds == 1.0:
        return None
    return f"≈ {amount(figure.value / seconds)} a second"


def amount(value: float) -> str:
    """A figure as a person says it, to three significant digits: 1,160; 2.5 million; 0.04."""
    if value >= 1e9:
        return f"{_sig(value / 1e9)} billion"
    if value >= 1e6:
        return f"{_sig(value / 1e6)} million"
    if value >= 1:
        return f"{float(_sig(value)):,.0f}" if value >= 100 else _sig(value)
    return f"{value:.2g}"


def _sig(value: float) -> str:
    return f"{float(f'{value:.3g}'):g}"


def _figure_of(finding: DesignFinding, figures: list[Figure]) -> Figure | None:
    """The figure a figure rule's finding is about: the one it names as said in the sentence it quotes; for a
    finding that does not name it, one said in that sentence, the last where there are several, since an
    estimate's conclusion comes after what it starts from ("100 million a day, so about 100 a second")."""
    if finding.rule not in _data()["figure_rules"]["ids"]:
        return None
    text = finding.quote.text
    said = [f for f in figures if f.quote.text == text or (f.said and f.said in text)]
    named = [f for f in said if finding.said is not None and f.said == finding.said]
    if named:
        return named[0]
    return max(said, key=lambda f: (text.rfind(f.said) if f.said else -1, figures.index(f)), default=None)


def why(finding: DesignFinding) -> str:
    """The rule that chose a finding and the words it fired on, as the report prints it."""
    return f"{finding.rule}: {quoted(finding.quote.text)}"  # as a follow-up's why is kept with its turn


def quoted(text: str) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS - 1].rstrip() + '…'}”"


def figure_text(check: FigureCheck) -> str:
    f = check.figure
    said = f.said or f"{f.value:g} {f.unit}".strip()
    extra = [x for x in (check.rate, line("no_unit") if not f.unit else None) if x]
    return said + (f" ({'; '.join(extra)})" if extra else "")


def choice_text(chosen: str, over: tuple[str, ...], reason: str | None) -> str:
    return f"{chosen}{' over ' + ', '.join(over) if over else ''}: {reason or line('no_reason')}"


def design_lines(view: DesignView) -> list[str]:
    """The section as plain lines (marks as ✓ and ✗), for the terminal and the end of a rehearsal."""
    out = [line("heading")]
    if not view.has_components and view.kind == Kind.DESIGN:
        out.append(f"  {line('no_components')}")
    for group in view.groups:
        out.append(f"  {group.title}: {', '.join(group.items)}")
    for chain in view.chains:
        out.append(f"  flow: {' → '.join(chain)}")
    for check in view.figures:
        out.append(f"  {'✓' if check.ok else '✗'} {figure_text(check)}")
        for slip in check.slips:
            out += [f"      {slip.detail}", f"      why: {why(slip)}"]
    for choice in view.design.choices if view.kind == Kind.DESIGN else ():
        out.append(f"  choice: {choice_text(choice.chosen, choice.over, choice.reason)}")
    for finding in view.findings:
        out += [f"  • {finding.detail}", f"      why: {why(finding)}"]
    return out

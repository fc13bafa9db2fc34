"""Timing reports. For now the short summary printed when a rehearsal ends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .config import TimingTargets, format_duration
from .store import SessionRecord
from .transcript import word_count

if TYPE_CHECKING:
    from .analysis import Analysis
    from .followups import FollowUp


@dataclass(frozen=True)
class AnswerSummary:
    seconds: float
    words: int
    typed: bool
    verdict: str

    @property
    def wpm(self) -> float | None:
        """Words per minute over the recorded answer; None for typed answers, which have no pace."""
        if self.typed or self.seconds <= 0:
            return None
        return self.words / (self.seconds / 60.0)


def summarize(record: SessionRecord, targets: TimingTargets = TimingTargets()) -> AnswerSummary | None:
    answers = record.answers()
    if not answers:
        return None
    first = answers[0]
    return AnswerSummary(first.seconds, word_count(first.text), first.audio is None, targets.verdict(first.seconds))


def summary_lines(summary: AnswerSummary) -> list[str]:
    length = "typed answer" if summary.typed else f"{format_duration(summary.seconds)} against 8:00–12:00 " \
                                                   f"({summary.verdict})"
    pace = f" · {summary.wpm:.0f} words per minute" if summary.wpm is not None else ""
    return [f"Answer: {length}", f"Words: {summary.words}{pace}"]


def walkthrough_lines(record: SessionRecord, keep_fillers: bool) -> list[str]:
    """Which steps the walkthrough covered and missed, and its fillers, from the analysis kept in the session."""
    from .config import FILLER_NOTE

    answers = record.answers()
    if not answers or answers[0].analysis is None:
        return []
    analysis = answers[0].analysis
    covered = [k for k, v in analysis["steps"].items() if v["covered"]]
    missed = [k for k, v in analysis["steps"].items() if not v["covered"]]
    lines = [f"Covered: {', '.join(covered) or 'none'}" + (f" · missed: {', '.join(missed)}" if missed else "")]
    codes = [m["code"] for m in analysis["mistakes"]]
    if codes:
        lines.append(f"Mistakes: {', '.join(codes)}")
    delivery = analysis["delivery"]
    fillers = ", ".join(f"{k} {v}" for k, v in delivery["fillers"].items()) or "none"
    lines.append(f"Fillers: {delivery['filler_rate']:.1%} ({fillers})")
    if answers[0].audio and not keep_fillers:
        lines.append(FILLER_NOTE)
    return lines


def followup_lines(record: SessionRecord) -> list[str]:
    """One line per follow-up: what it aimed at, and how long the answer ran."""
    lines = []
    turns = record.turns
    for i, turn in enumerate(turns):
        if turn.role != "interviewer" or turn.target is None:
            continue
        reply = turns[i + 1] if i + 1 < len(turns) and turns[i + 1].role == "candidate" else None
        length = format_duration(reply.seconds) if reply is not None and reply.audio else "typed"
        covered = [k for k, v in ((reply.analysis or {}).get("steps", {}) if reply else {}).items() if v["covered"]]
        lines.append(f"Follow-up on {turn.target}: {length}" + (f", covered {', '.join(covered)}" if covered else ""))
    return lines


def print_analysis(console: Any, analysis: Analysis, followups: list[FollowUp], note: str | None = None) -> None:
    """The checklist with evidence, the mistakes, delivery figures and what the interviewer asks next."""
    from rich.table import Table

    from .rubric import load_rubric

    titles = {step.id: step.title for step in load_rubric()[analysis.kind]}
    table = Table("", "step", "from", "time", "evidence", title=f"{analysis.kind.capitalize()} answer",
                  title_justify="left", expand=True)
    for step_id, result in analysis.steps.items():
        mark = "[green]✓[/]" if result.covered else "[red]✗[/]"
        first = format_duration(result.first_at) if result.first_at is not None else "-"
        spent = format_duration(result.seconds) if result.seconds is not None else "-"
        table.add_row(mark, titles.get(step_id, step_id), first, spent, _escape(result.evidence or ""))
    console.print(table)
    if analysis.mistakes:
        console.print("[bold]Mistakes[/]")
        for mistake in analysis.mistakes:
            console.print(f"  {mistake.code}: {_escape(mistake.detail)}", soft_wrap=True)
    d = analysis.delivery
    pace = f"{d.wpm:.0f} words per minute" if d.wpm is not None else "pace unknown (no times)"
    fillers = ", ".join(f"{k} {v}" for k, v in d.fillers.items()) or "none"
    hedges = ", ".join(f"{k} {v}" for k, v in d.hedges.items()) or "none"
    console.print(f"[bold]Delivery[/]  {d.words} words · {pace} · fillers {d.filler_rate:.1%} ({fillers}) · "
                  f"hedges: {hedges} · long pauses: {len(d.long_pauses)}", soft_wrap=True)
    if note:
        console.print(f"[dim]{_escape(note)}[/]", soft_wrap=True)
    if followups:
        console.print("[bold]The interviewer would ask next[/]")
        for number, item in enumerate(followups[:3], start=1):
            console.print(f"  {number}. {_escape(item.question)} [dim]({item.target})[/]", soft_wrap=True)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)

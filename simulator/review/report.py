"""Reports in the terminal: the short summary printed when a rehearsal ends, and the full review of a session."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.config import TARGETS, format_duration
from simulator.judging.rubric import mistake_title, target_title
from simulator.review.review import VERDICT_MARKS, budget_plan, timeline_seconds
from simulator.sessions.record import Role, SessionRecord
from simulator.transcript import word_count
from simulator.vocab import BarVerdict, CheckVerdict, DrillVerdict, Kind

if TYPE_CHECKING:
    from collections.abc import Sequence

    from simulator.judging.analysis import Analysis, Delivery
    from simulator.judging.design.model import Figure
    from simulator.judging.followups import FollowUp
    from simulator.review.design_view import DesignView
    from simulator.review.review import PhaseTime, Review, Span, TurnReview

BAR_WIDTH = 60
PHASE_COLOURS = ("cyan", "green", "yellow", "magenta")
# the terminal's colour for every verdict a report shows: a step or self-check (yes, no, partly; None where only
# listening back can tell), a drill (done, partly, missed) and the level verdict (below, at, above)
VERDICT_STYLES = {CheckVerdict.YES: "green", CheckVerdict.NO: "red", CheckVerdict.PARTLY: "yellow", None: "dim",
                  DrillVerdict.DONE: "green", DrillVerdict.MISSED: "red",
                  BarVerdict.BELOW: "red", BarVerdict.AT: "green", BarVerdict.ABOVE: "green"}
PACE = "words per minute while speaking"  # pauses left out, as in the analysis and on the page


@dataclass(frozen=True)
class AnswerSummary:
    seconds: float
    words: int
    typed: bool
    verdict: str
    pace: float | None = None  # words per minute while speaking, as the analysis measured it

    @property
    def wpm(self) -> float | None:
        """The analysis's pace, over the time spent speaking, so every report gives the same figure; None for
        typed answers, which have no pace."""
        return None if self.typed else self.pace


def summarize(record: SessionRecord) -> AnswerSummary | None:
    answers = record.answers()
    if not answers:
        return None
    first = answers[0]
    delivery = first.analysis.delivery if first.analysis is not None else None
    return AnswerSummary(first.seconds, delivery.words if delivery else word_count(first.text), first.audio is None,
                         TARGETS.verdict(first.seconds), delivery.wpm if delivery else None)


def summary_lines(summary: AnswerSummary) -> list[str]:
    length = "typed answer" if summary.typed else f"{format_duration(summary.seconds)} against {TARGETS.window} " \
                                                   f"({summary.verdict})"
    pace = f" · {summary.wpm:.0f} {PACE}" if summary.wpm is not None else ""
    return [f"Answer: {length}", f"Words: {summary.words}{pace}"]


def walkthrough_lines(record: SessionRecord, keep_fillers: bool) -> list[str]:
    """Which steps the walkthrough covered and missed, and its fillers, from the analysis kept in the session."""
    from simulator.config import FILLER_NOTE

    answers = record.answers()
    if not answers or answers[0].analysis is None:
        return []
    analysis = answers[0].analysis
    missed = analysis.missed
    thin = analysis.thin
    lines = [f"Covered: {', '.join(analysis.covered) or 'none'}" + (f" · missed: {', '.join(missed)}" if missed else "")
             + (f" (only mentioned: {', '.join(thin)})" if thin else "")]
    if analysis.mistakes:
        lines.append(f"Mistakes: {'; '.join(_lower_first(mistake_title(m.code)) for m in analysis.mistakes)}")
    lines.append(f"Fillers: {_fillers(analysis.delivery)}")
    if answers[0].audio and not keep_fillers:
        lines.append(FILLER_NOTE)
    return lines


def budget_line(phases: list[PhaseTime]) -> str:
    """Time on each part of the 2/3/3/2 drill budget, in one line."""
    return "Budget: " + " · ".join(f"{p.name.lower()} {format_duration(p.seconds)}/{format_duration(p.budget_seconds)}"
                                   for p in phases)


def followup_lines(record: SessionRecord) -> list[str]:
    """One line per follow-up: what it aimed at, and how long the answer ran."""
    lines = []
    turns = record.turns
    for i, turn in enumerate(turns):
        if turn.role != Role.INTERVIEWER or turn.target is None:
            continue
        reply = turns[i + 1] if i + 1 < len(turns) and turns[i + 1].role == Role.CANDIDATE else None
        length = format_duration(reply.seconds) if reply is not None and reply.audio else "typed"
        covered = reply.analysis.covered if reply is not None and reply.analysis is not None else []
        aim = _lower_first(target_title(record.question.kind, turn.target))
        lines.append(f"Follow-up on {aim}: {length}" + (f", covered {', '.join(covered)}" if covered else ""))
        if turn.reason:
            lines.append(f"  why: {turn.reason}")
    return lines


def print_analysis(console: Any, analysis: Analysis, followups: list[FollowUp], note: str | None = None,
                   facts: Sequence[Figure] = ()) -> None:
    """The checklist with evidence, the mistakes, delivery figures, the design as heard and what the interviewer
    asks next, each question on the design with its why; facts: the figures the interviewer gave."""
    from simulator.review.design_view import view_of

    print_checklist(console, analysis, note)
    print_design(console, view_of(analysis, facts=facts))
    if followups:
        console.print("[bold]The interviewer would ask next[/]")
        for number, item in enumerate(followups[:3], start=1):
            aim = target_title(analysis.kind, item.target)
            console.print(f"  {number}. {_escape(item.question)} [dim]({_escape(_lower_first(aim))})[/]",
                          soft_wrap=True)
            if item.reason:
                console.print(f"     [dim]why: {_escape(item.reason)}[/]", soft_wrap=True)


def print_checklist(console: Any, analysis: Analysis, note: str | None = None) -> None:
    """One answer's analysis: steps with evidence, mistakes, delivery."""
    from rich.table import Table

    from simulator.judging.rubric import step_titles

    titles = step_titles(analysis.kind)
    table = Table("", "step", "from", "time", "evidence", title=f"{analysis.kind.capitalize()} answer",
                  title_justify="left", expand=True)
    for step_id, result in analysis.steps.items():
        first = format_duration(result.first_at) if result.first_at is not None else "-"
        spent = format_duration(result.seconds) if result.seconds is not None else "-"
        table.add_row(_mark(result.verdict), titles.get(step_id, step_id), first, spent, _escape(result.shown))
    console.print(table)
    if analysis.mistakes:
        console.print("[bold]Mistakes[/]")
        for mistake in analysis.mistakes:
            console.print(f"  • {_escape(mistake.detail)}", soft_wrap=True)
    console.print(f"[bold]Delivery[/]  {delivery_line(analysis.delivery)}", soft_wrap=True)
    if note:
        console.print(f"[dim]{_escape(note)}[/]", soft_wrap=True)


def print_diagram(console: Any, review: Review) -> None:
    """The candidate's drawing as the session kept it: how many saves, the last one held against what was said,
    and how much of it appeared in silence."""
    from simulator.review.diagram_view import diagram_view

    view = diagram_view(review)
    if view is None:
        return
    last = view.last.snapshot
    count = len(view.drawings)
    console.print(f"[bold]Your diagram[/] ({count} save{'s' if count != 1 else ''}; at the end "
                  f"{_escape(last.diagram.summary())})")
    if view.silent is not None:
        console.print(f"  {_escape(view.silent.sentence())}", soft_wrap=True)
    for finding in view.last.findings:
        console.print(f"  - {_escape(finding.detail)}", soft_wrap=True)


def print_design(console: Any, view: DesignView | None) -> None:
    """"Your design as heard", its ticks green and its slips red; nothing when there is nothing to show."""
    from simulator.review.design_view import design_lines

    if view is None:
        return
    heading, *rest = design_lines(view)
    console.print(f"[bold]{_escape(heading)}[/]")
    for text in rest:
        text = _escape(text)
        for mark, style in (("✓", "green"), ("✗", "red")):
            if text.lstrip().startswith(mark):
                text = text.replace(mark, f"[{style}]{mark}[/]", 1)
        console.print(text, soft_wrap=True)


def design_section_lines(record: SessionRecord) -> list[str]:
    """"Your design as heard" for the walkthrough, as plain lines for the end of a rehearsal."""
    from simulator.review.design_view import design_lines, session_facts, view_of

    answers = record.answers()
    view = view_of(answers[0].analysis, answers[0].text, session_facts(record)) if answers else None
    return design_lines(view) if view is not None else []


def delivery_line(d: Delivery) -> str:
    """Words, pace, fillers, hedges and long pauses in one line."""
    pace = f"{d.wpm:.0f} {PACE}" if d.wpm is not None else "pace unknown (no times)"
    hedges = ", ".join(f"{k} {v}" for k, v in d.hedges.items()) or "none"
    return (f"{d.words} words · {pace} · fillers {_fillers(d)} · hedges: {hedges} · "
            f"long pauses: {len(d.long_pauses)}")


def _fillers(d: Delivery) -> str:
    return f"{d.filler_rate:.1%} ({', '.join(f'{k} {v}' for k, v in d.fillers.items()) or 'none'})"


def print_report(console: Any, review: Review) -> None:
    """The whole session: length against the target, the phase timeline against the budget, the walkthrough's
    checklist, mistakes and delivery, each follow-up, and the self-review."""
    from simulator.config import FILLER_NOTE
    from simulator.review.design_view import session_facts, view_of

    r = review.record
    console.print(f"[bold]{_escape(r.question.text)}[/]", soft_wrap=True)
    console.print(f"[dim]Session {_escape(r.id)} · {_escape(r.started_at[:16].replace('T', ' '))} · "
                  f"{_escape(str(r.status))}[/]")
    walk, summary = review.walkthrough, review.summary()
    if not summary.recorded:
        console.print("No answer was recorded in this session.")
    elif summary.typed:
        console.print("Walkthrough: typed answer (no timing)")
    else:
        ended = f" · {walk.how_ended}" if walk is not None and walk.ended_by else ""
        console.print(f"Walkthrough: [bold]{summary.length}[/] against {summary.window} ({summary.verdict}){ended} · "
                      f"whole session {summary.session_length}")
    if review.timeline:
        for line in timeline_lines(review.timeline, review.kind):
            console.print(line)
    if review.phases:
        for i, phase in enumerate(review.phases):
            console.print(f"  [{PHASE_COLOURS[i]}]■[/] {phase.name}: {format_duration(phase.seconds)} of "
                          f"{format_duration(phase.budget_seconds)} budgeted ({', '.join(phase.steps)})")
    if walk is not None and walk.analysis is not None:
        note = FILLER_NOTE if walk.audio and not review.keep_fillers else None
        print_checklist(console, walk.analysis, note)
        print_design(console, view_of(walk.analysis, walk.text, session_facts(r)))
    print_diagram(console, review)
    print_dialogue(console, review)
    asked = review.followups()
    if asked:
        console.print("[bold]Follow-ups[/]")
    for turn, reply in asked:
        aim = _lower_first(target_title(review.kind, turn.target)) if turn.target else ""
        console.print(f"  {_escape(turn.text)} [dim]({_escape(aim)})[/]", soft_wrap=True)
        if turn.reason:
            console.print(f"    [dim]why: {_escape(turn.reason)}[/]", soft_wrap=True)
        console.print(f"    → {followup_answer(reply)}", soft_wrap=True)
    console.print("[bold]Self-review[/]")
    for check in review.self_review:
        console.print(f"  {_mark(check.verdict)} {check.question} {_escape(check.answer)}", soft_wrap=True)
    for note_line in review.notes:
        console.print(f"[yellow]{_escape(note_line)}[/]", soft_wrap=True)


def print_dialogue(console: Any, review: Review) -> None:
    """What the interviewer said during the walkthrough, in order, each with why, and whether the answer
    took up a requirement change."""
    from simulator.review.dialogue import marker_lines

    walk = review.walkthrough
    lines = marker_lines(review.record, walk.segments if walk else None, walk.offset if walk else 0.0)
    if lines:
        console.print("[bold]Dialogue[/]")
    for line in lines:
        console.print(f"  {_escape(line)}", soft_wrap=True)


def followup_answer(reply: TurnReview | None) -> str:
    """A follow-up answer's length, words, pace and what it covered, in one line."""
    if reply is None:
        return "no answer"
    if not reply.transcribed:
        return f"{format_duration(reply.seconds)}, not transcribed"
    d = reply.analysis.delivery if reply.analysis is not None else None
    length = "typed" if reply.audio is None else format_duration(reply.seconds)
    pace = f", {d.wpm:.0f} wpm" if d is not None and d.wpm else ""
    return f"{length}, {d.words if d else 0} words{pace}; covered {', '.join(reply.covered) or 'nothing new'}"


def timeline_lines(timeline: list[Span], kind: str = Kind.DESIGN) -> list[str]:
    """Which step was talked about when, as a bar; for a design answer a second bar on the same time scale
    shows where the 2/3/3/2 budget puts each phase."""
    total = timeline_seconds(timeline, kind)
    said = "".join(_cell(colour_index(span.step, kind) if span is not None else None)
                   for span in _cells(timeline, total))
    lines = [f"  said   {said} {format_duration(timeline[-1].end)}"]
    if kind == Kind.DESIGN:
        plan = budget_plan()
        planned = "".join(f"[{PHASE_COLOURS[i]}]" + "▒" * (round(p.end / total * BAR_WIDTH) -
                                                          round(p.start / total * BAR_WIDTH)) + "[/]"
                          for i, p in enumerate(plan))
        lines.append(f"  budget {planned} {format_duration(plan[-1].end)}")
    else:
        from simulator.judging.rubric import STAR_STEPS

        lines.append("  " + "  ".join(f"[{PHASE_COLOURS[i]}]■[/] {s}" for i, s in enumerate(STAR_STEPS)))
    return lines


def colour_index(step: str | None, kind: str = Kind.DESIGN) -> int | None:
    """A design step takes its budget phase's colour; a STAR step its own."""
    if kind != Kind.DESIGN:
        from simulator.judging.rubric import STAR_STEPS

        return STAR_STEPS.index(step) if step in STAR_STEPS else None
    return next((i for i, p in enumerate(TARGETS.phases) if step in p.steps), None)


def _cells(timeline: list[Span], total: float) -> list[Span | None]:
    """The span covering the middle of each character cell of the bar."""
    cells: list[Span | None] = []
    for i in range(BAR_WIDTH):
        t = (i + 0.5) * total / BAR_WIDTH
        cells.append(next((s for s in timeline if s.start <= t < s.end), None))
    return cells


def _cell(index: int | None) -> str:
    return f"[{PHASE_COLOURS[index]}]█[/]" if index is not None else "[dim]·[/]"


def _mark(verdict: str | None) -> str:
    return f"[{VERDICT_STYLES[verdict]}]{VERDICT_MARKS[verdict]}[/]"


def _lower_first(text: str) -> str:
    """A title inside a sentence: "No closing summary" reads "no closing summary"."""
    return text[:1].lower() + text[1:]


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)

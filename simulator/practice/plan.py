"""What to practise next, from history: each step skipped or thin, due again by spaced repetition.

A miss (a step skipped, or covered only thinly) makes the step due one day later; each time it is then
covered well, the next practice moves out to 3, 7 and 14 days after the last miss; covered well four
times running, it is learned and leaves the plan. A drill judges only its own steps. Worked out again
from each session's words, so it needs no audio and no stored scores.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from simulator.judging.followups import THIN_FACTOR
from simulator.judging.rubric import STEPS, rubric_step, step_titles
from simulator.questions import Question
from simulator.sessions.store import Store
from simulator.vocab import Kind, Step, StepOutcome

INTERVALS = (1, 3, 7, 14)  # days after the last miss, by how many good practices followed it


@dataclass(frozen=True)
class Practised:
    """One judged step in one session."""

    day: date
    kind: str
    step: str
    outcome: StepOutcome
    question: str | None


@dataclass(frozen=True)
class PlanItem:
    step: str
    kind: str
    title: str
    skipped: int
    thin: int
    judged: int
    last_miss: str
    streak: int  # good practices since the last miss
    due: str
    due_now: bool
    drill: str | None  # the --drill that practises it; None for a STAR step
    command: str  # what to run to practise it


@dataclass(frozen=True)
class Plan:
    today: str
    items: list[PlanItem]
    next_question: str | None
    next_command: str | None
    sessions: int

    def to_json(self) -> dict[str, Any]:
        return {"today": self.today, "sessions": self.sessions, "intervals_days": list(INTERVALS),
                "next_question": self.next_question, "next_command": self.next_command,
                "steps": [asdict(i) for i in self.items]}


def practised(store: Store) -> tuple[list[Practised], list[tuple[date, str]]]:
    """Every judged step of every readable session, oldest first; and when each question was last asked."""
    from simulator.judging.analysis import analyze_segments, analyze_text
    from simulator.practice.drill import find_drill
    from simulator.review.review import question_kind, review_turn
    from simulator.sessions.context import Practice
    from simulator.sessions.record import Role

    out: list[Practised] = []
    asked: list[tuple[date, str]] = []
    for _, saved in store.read_all():
        if saved is None:
            continue
        record = saved.record
        day = _day(record.started_at)
        kind = question_kind(record)
        first = next((i for i, t in enumerate(record.turns) if t.role == Role.CANDIDATE), None)
        if day is None or kind is None or first is None:
            continue
        qid = record.question.id
        if qid:
            asked.append((day, qid))
        walk = review_turn(saved, first, kind)
        if not walk.text.strip():
            continue
        analysis = analyze_segments(walk.segments, kind) if walk.segments else analyze_text(walk.text, kind)
        practice = record.practice or Practice()
        steps = STEPS[kind]
        if practice.drill is not None:
            try:
                steps = find_drill(practice.drill).steps
            except Exception:
                continue
        for step in steps:
            result = analysis.steps[step]
            # only named in passing, or done but barely: both are practised again as thin
            thin = result.thin or (result.covered and result.score < THIN_FACTOR * rubric_step(kind, step).threshold)
            outcome = StepOutcome.THIN if thin else StepOutcome.SKIPPED if not result.covered else StepOutcome.COVERED
            out.append(Practised(day, kind, step, outcome, qid))
    out.sort(key=lambda p: p.day)
    return out, asked


def build_plan(store: Store, bank: list[Question], today: date | None = None, role: str | None = None,
               company: str | None = None) -> Plan:
    from simulator.practice.drill import find_drill
    from simulator.practice.tailoring import fitting

    today = today or datetime.now().date()
    events, asked = practised(store)
    items: list[PlanItem] = []
    for kind, steps in STEPS.items():
        titles = step_titles(kind)
        for step in steps:
            mine = [e for e in events if e.kind == kind and e.step == step]
            misses = [e for e in mine if e.outcome != StepOutcome.COVERED]
            if not misses:
                continue
            last = misses[-1].day
            streak = sum(1 for e in mine if e.day >= last and e.outcome == StepOutcome.COVERED and e is not misses[-1])
            if streak >= len(INTERVALS):
                continue  # learned
            due = last + timedelta(days=INTERVALS[streak])
            drill = None
            if kind == Kind.DESIGN and step != Step.SUMMARY:
                drill = find_drill(step).id
            elif kind == Kind.DESIGN:
                drill = find_drill("tradeoffs").id
            items.append(PlanItem(step, kind, titles.get(step, step),
                                  sum(e.outcome == StepOutcome.SKIPPED for e in misses),
                                  sum(e.outcome == StepOutcome.THIN for e in misses), len(mine), last.isoformat(),
                                  streak, due.isoformat(), due <= today, drill, ""))
    items.sort(key=lambda i: (i.due, -(i.skipped + i.thin) / i.judged))
    last_asked = {qid: day for day, qid in asked}
    sessions = len({(e.day, e.question) for e in events})
    next_question = next_command = None
    finished = []
    for item in items:
        pool = fitting(bank, role, company, item.kind) or [q for q in bank if q.kind == item.kind]
        pool = sorted(pool, key=lambda q: (last_asked.get(q.id, date.min), q.id))
        question = pool[0].id if pool else None
        command = "mock-interview rehearse" + (f" --drill {item.drill}" if item.drill else "") + \
            (f" --question {question}" if question else f" --kind {item.kind}")
        finished.append(PlanItem(**{**asdict(item), "command": command}))
        if next_question is None and question is not None:
            next_question, next_command = question, command
    return Plan(today.isoformat(), finished, next_question, next_command, sessions)


def _day(stamp: str) -> date | None:
    try:
        return datetime.fromisoformat(stamp).date()
    except ValueError:
        return None


def print_plan(console: Any, plan: Plan) -> None:
    from rich.markup import escape
    from rich.table import Table

    if not plan.items:
        console.print("Nothing is due: every step you practised is covered well. Try a new question, or "
                      "`mock-interview rehearse --round 3`.")
        return
    table = Table("step", "skipped", "thin", "of", "last miss", "due", "drill")
    for i in plan.items:
        due = f"[bold red]{i.due} (now)[/]" if i.due_now else i.due
        table.add_row(f"{escape(i.step)} [dim]({i.kind})[/]", str(i.skipped), str(i.thin), str(i.judged),
                      i.last_miss, due, i.drill or "-")
    console.print(table)
    if plan.next_command:
        console.print(f"Next: [bold]{escape(plan.next_command)}[/]", soft_wrap=True)

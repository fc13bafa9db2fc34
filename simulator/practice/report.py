"""The practice part of a session's report: what it was tailored to, the level verdict with its decisive
moments, and a drill's judgement. One model, rendered for the terminal, JSON and report.html."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from simulator.practice.drill import DrillResult, find_drill, judge
from simulator.practice.tailoring import companies, roles
from simulator.practice.verdict import LevelVerdict, level_verdict
from simulator.review.report import VERDICT_STYLES
from simulator.sessions.context import Practice

if TYPE_CHECKING:
    from simulator.review.review import Review


@dataclass(frozen=True)
class PracticeReview:
    practice: Practice
    verdict: LevelVerdict | None
    drill: DrillResult | None

    def to_json(self) -> dict[str, Any]:
        return {**self.practice.to_json(), "level_verdict": self.verdict.to_json() if self.verdict else None,
                "drill_result": self.drill.to_json() if self.drill else None}

    @property
    def tailored_to(self) -> str:
        p = self.practice
        parts = [f"level {p.level}"]
        if p.role in roles():
            parts.append(roles()[p.role].title.lower())
        if p.company in companies():
            company = companies()[p.company]
            parts.append(f"{company.name} ({company.focus})")
        if p.resume:
            parts.append("your résumé")
        if p.round is not None:
            parts.append(f"question {p.round.index} of {p.round.of} in round {p.round.id}")
        return "Practice: " + " · ".join(parts)

    def lines(self) -> list[str]:
        """Plain lines: the tailoring, the drill's judgement, the level verdict."""
        out = [self.tailored_to]
        if self.drill is not None:
            out += self.drill.lines()
        if self.verdict is not None:
            out += self.verdict.lines()
        return out


def practice_review(review: Review) -> PracticeReview:
    practice = review.record.practice or Practice()
    walk = review.walkthrough
    drill = None
    if practice.drill is not None:
        try:
            chosen = find_drill(practice.drill)
        except Exception:  # a drill this version no longer knows: the rest of the report still stands
            chosen = None
        if chosen is not None:
            seconds = None if walk is None or walk.audio is None else walk.seconds
            drill = judge(chosen, walk.analysis if walk is not None else None, seconds)
    verdict = None if practice.drill is not None else level_verdict(review, practice.level)
    return PracticeReview(practice, verdict, drill)


def print_practice(console: Any, review: Review) -> None:
    from rich.markup import escape as markup

    found = practice_review(review)
    console.print(f"[bold]{markup(found.tailored_to)}[/]", soft_wrap=True)
    if found.drill is not None:
        lines = found.drill.lines()
        console.print(f"[{VERDICT_STYLES[found.drill.verdict]}]{markup(lines[0])}[/]", soft_wrap=True)
        for line in lines[1:]:
            console.print(markup(line), soft_wrap=True)
    if found.verdict is not None:
        lines = found.verdict.lines()
        console.print(f"[bold {VERDICT_STYLES[found.verdict.verdict]}]{markup(lines[0])}[/]", soft_wrap=True)
        for line in lines[1:]:
            console.print(markup(line), soft_wrap=True)


def practice_html(review: Review) -> str:
    """The section for report.html; every text escaped."""
    found = practice_review(review)
    parts = [f'<section id="practice"><h2>Practice</h2><p>{escape(found.tailored_to)}</p>']
    if found.drill is not None:
        d = found.drill
        parts.append(f'<p class="verdict-{escape(d.verdict)}"><strong>{escape(d.lines()[0])}</strong></p><ul>' +
                     "".join(f"<li>{escape(line.strip())}</li>" for line in d.lines()[1:]) + "</ul>")
    if found.verdict is not None:
        v = found.verdict
        parts.append(f'<p class="verdict-{escape(v.verdict)}"><strong>{escape(v.headline)}</strong></p>'
                     f"<p>Expected: {escape(v.expects)}</p><ul>" +
                     "".join(f"<li><q>{escape(m.quote)}</q> ({escape(m.why)})</li>" for m in v.moments) + "</ul>")
    parts.append("</section>")
    return "".join(parts)

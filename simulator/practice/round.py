"""A round: several questions in one sitting, as in a real loop. Each question is its own session (with its
own report); the round's report reads them back by the round id kept in each session's practice."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from simulator.config import format_duration
from simulator.errors import UserError
from simulator.sessions.context import AskedQuestion, RoundPlace
from simulator.sessions.store import Store
from simulator.text import shorten
from simulator.vocab import BarVerdict

ROUNDS_FOLDER = "rounds"
TITLE_CHARS = 60  # a question's text as the round's table shows it


@dataclass(frozen=True)
class RoundQuestion:
    index: int
    session: str
    question: str
    title: str
    kind: str
    status: str
    seconds: float | None  # the walkthrough; None when typed
    covered: int
    steps: int
    verdict: BarVerdict | None  # against the level's bar
    moment: str | None  # the first decisive moment, quoted


@dataclass(frozen=True)
class RoundReview:
    id: str
    level: str
    of: int
    questions: list[RoundQuestion]

    @property
    def tally(self) -> dict[str, int]:
        out = {v.value: 0 for v in BarVerdict}
        for q in self.questions:
            if q.verdict in out:
                out[q.verdict] += 1
        return out

    @property
    def overall(self) -> str:
        """A loop is decided on its weakest signals: below if any question was, above only if all were."""
        verdicts = [q.verdict for q in self.questions if q.verdict]
        if not verdicts or len(self.questions) < self.of:
            return "incomplete"
        if BarVerdict.BELOW in verdicts:
            return BarVerdict.BELOW
        return BarVerdict.ABOVE if all(v == BarVerdict.ABOVE for v in verdicts) else BarVerdict.AT

    def to_json(self) -> dict[str, Any]:
        from dataclasses import asdict

        return {"id": self.id, "level": self.level, "questions_planned": self.of, "overall": self.overall,
                "tally": self.tally, "questions": [asdict(q) for q in self.questions]}

    def lines(self) -> list[str]:
        out = [f"Round {self.id}: {len(self.questions)} of {self.of} questions · level {self.level} · "
               f"overall {self.overall.upper()}"]
        for q in self.questions:
            length = "typed" if q.seconds is None else format_duration(q.seconds)
            out.append(f"  {q.index}. {q.title} ({q.kind}): {length}, {q.covered}/{q.steps} steps, "
                       f"{(q.verdict or '-').upper()} the bar · session {q.session}")
            if q.moment:
                out.append(f"     \"{q.moment}\"")
        return out


def build_round(store: Store, round_id: str) -> RoundReview:
    """The round's sessions in order; `last` is the latest round."""
    from simulator.practice.report import practice_review
    from simulator.review.review import build_review

    found: list[tuple[int, RoundPlace, Any]] = []
    for _, saved in store.read_all():
        if saved is None or saved.record.practice is None:
            continue
        rnd = saved.record.practice.round
        if rnd is not None:
            found.append((0, rnd, saved))
    ids = sorted({rnd.id for _, rnd, _ in found})
    if not ids:
        raise UserError("There are no rounds yet; start one with `mock-interview rehearse --round 3`.")
    wanted = ids[-1] if round_id == "last" else round_id
    if wanted not in ids:
        raise UserError(f"There is no round {round_id!r}; the rounds are {', '.join(ids[-5:])}.")
    questions = []
    of = 0
    level = "senior"
    for _, rnd, saved in sorted(((0, r, s) for _, r, s in found if r.id == wanted),
                                key=lambda item: item[1].index or 0):
        review = build_review(saved)
        practice = practice_review(review)
        walk = review.walkthrough
        verdict = practice.verdict
        of = max(of, rnd.of or 0)
        level = practice.practice.level
        questions.append(RoundQuestion(
            rnd.index if rnd.index is not None else len(questions) + 1,
            saved.id, saved.record.question.id, _title(saved.record.question), review.kind,
            str(saved.record.status), None if walk is None or walk.audio is None else round(walk.seconds, 1),
            len(walk.covered) if walk is not None else 0,
            len(walk.analysis.steps) if walk is not None and walk.analysis is not None else 0,
            verdict.verdict if verdict else None, verdict.moments[0].quote if verdict and verdict.moments else None))
    return RoundReview(wanted, level, max(of, len(questions)), questions)


def _title(question: AskedQuestion) -> str:
    return shorten(question.text, TITLE_CHARS)


def write_round_html(review: RoundReview, home: Path) -> Path:
    """rounds/<id>.html in the data folder: the round at a glance, linking each question's own report."""
    from simulator.review.pages import page
    from simulator.sessions.store import write_page

    rows = "".join(
        f"<tr><td>{q.index}</td><td>{escape(q.title)}</td><td>{escape(q.kind)}</td>"
        f"<td>{'typed' if q.seconds is None else format_duration(q.seconds)}</td><td>{q.covered}/{q.steps}</td>"
        f"<td>{escape((q.verdict or '-').upper())}</td><td>{escape(q.moment or '')}</td>"
        f"<td><a href=\"../sessions/{escape(q.session)}/report.html\">{escape(q.session)}</a></td></tr>"
        for q in review.questions)
    body = (f"<header><h1>Round {escape(review.id)}</h1><p class=\"meta\">{len(review.questions)} of {review.of} "
            f"questions · level {escape(review.level)} · overall {escape(review.overall.upper())}</p></header>"
            "<table><tr><th>#</th><th>question</th><th>kind</th><th>walkthrough</th><th>steps</th><th>bar</th>"
            f"<th>decisive moment</th><th>report</th></tr>{rows}</table>")
    folder = home / ROUNDS_FOLDER
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"Cannot create {folder} ({exc.strerror}); make the data folder writable.") from None
    path = folder / f"{review.id}.html"
    write_page(path, page(f"mock-interview: {review.id}", body))
    return path

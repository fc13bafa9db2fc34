"""Progress across sessions: one row per session, the trend over the latest ones, the steps skipped most.

Read from the analysis kept with each walkthrough (worked out again only where it is damaged), so it
stays quick with many sessions and needs no audio.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from html import escape
from pathlib import Path
from typing import Any

from simulator.config import FILLER_CEILING, PACE_BAND, TARGETS, format_duration
from simulator.sessions.record import SavedSession
from simulator.sessions.store import Store

HISTORY_FILE = "history.html"
TREND_SESSIONS = 5


@dataclass(frozen=True)
class HistoryRow:
    id: str
    started_at: str | None
    question: str | None
    kind: str | None
    status: str
    answer_seconds: float | None
    typed: bool
    steps_covered: list[str] | None
    steps_total: int | None
    wpm: float | None
    filler_rate: float | None


@dataclass(frozen=True)
class Trend:
    metric: str
    values: list[float]
    change: float
    direction: str  # "better", "worse" or "steady"


@dataclass
class History:
    rows: list[HistoryRow]
    trends: list[Trend]
    skipped: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return {"sessions": [asdict(r) for r in self.rows], "trend": [asdict(t) for t in self.trends],
                "trend_sessions": TREND_SESSIONS, "skipped_most": self.skipped}


def build_history(store: Store) -> History:
    rows = [_row(folder.name, saved) for folder, saved in store.read_all()]
    return History(rows, trends(rows), skipped_most(rows))


def _row(name: str, saved: SavedSession | None) -> HistoryRow:
    from simulator.review.review import question_kind, review_turn
    from simulator.sessions.record import Role

    if saved is None:
        return HistoryRow(name, None, None, None, "unreadable", None, False, None, None, None, None)
    record = saved.record
    first = next((i for i, t in enumerate(record.turns) if t.role == Role.CANDIDATE), None)
    walk = review_turn(saved, first, question_kind(record)) if first is not None else None
    analysis = walk.analysis if walk is not None else None
    typed = walk is not None and walk.audio is None
    return HistoryRow(record.id, record.started_at, record.question.id, record.question.kind,
                      str(record.status), round(walk.seconds, 1) if walk is not None and not typed else None, typed,
                      analysis.covered if analysis is not None else None,
                      len(analysis.steps) if analysis is not None else None,
                      analysis.delivery.wpm if analysis is not None else None,
                      analysis.delivery.filler_rate if analysis is not None else None)


def trends(rows: list[HistoryRow]) -> list[Trend]:
    """First against last of the latest sessions that measured each figure, and which way is better. Only
    walkthroughs that were analysed count: a half-recorded one would say nothing about progress."""
    def distance(value: float, low: float, high: float) -> float:
        return max(0.0, low - value, value - high)

    measures = (
        ("answer_seconds", lambda r: r.answer_seconds, lambda v: -distance(v, TARGETS.min_seconds, TARGETS.max_seconds)),
        ("steps_covered", lambda r: float(len(r.steps_covered)) if r.steps_covered is not None else None,
         lambda v: v),
        ("wpm", lambda r: r.wpm, lambda v: -distance(v, *PACE_BAND)),
        ("filler_rate", lambda r: r.filler_rate, lambda v: -v),
    )
    out = []
    for name, value_of, goodness in measures:
        values = [v for v in (value_of(r) for r in rows if r.steps_covered is not None) if v is not None]
        values = values[-TREND_SESSIONS:]
        if len(values) < 2:
            continue
        delta = goodness(values[-1]) - goodness(values[0])
        direction = "steady" if abs(delta) < 1e-9 else "better" if delta > 0 else "worse"
        out.append(Trend(name, values, round(values[-1] - values[0], 4), direction))
    return out


def skipped_most(rows: list[HistoryRow]) -> list[dict[str, Any]]:
    """Steps the walkthrough missed, most often first, counted among sessions of the step's kind."""
    from simulator.judging.rubric import STEPS

    out = []
    for kind, steps in STEPS.items():
        judged = [r for r in rows if r.kind == kind and r.steps_covered is not None]
        for step in steps:
            missed = sum(step not in (r.steps_covered or []) for r in judged)
            if missed:
                out.append({"step": step, "kind": kind, "skipped": missed, "of": len(judged)})
    return sorted(out, key=lambda s: (-s["skipped"] / s["of"], -s["skipped"]))


def print_history(console: Any, history: History) -> None:
    from rich.markup import escape as markup
    from rich.table import Table

    table = Table("date")
    # the question id is what --question takes again: shown whole, the narrower columns fold instead
    table.add_column("question", no_wrap=True, min_width=max((len(r.question or r.id) for r in history.rows), default=8))
    for name in ("status", f"answer ({TARGETS.minutes} min)", "steps", "wpm", "fillers"):
        table.add_column(name, overflow="fold")
    for r in history.rows:
        table.add_row(markup((r.started_at or "-")[:16].replace("T", " ")), markup(r.question or r.id), markup(r.status),
                      "typed" if r.typed else format_duration(r.answer_seconds) if r.answer_seconds is not None
                      else "-",
                      f"{len(r.steps_covered)}/{r.steps_total}" if r.steps_covered is not None else "-",
                      f"{r.wpm:.0f}" if r.wpm is not None else "-",
                      f"{r.filler_rate:.1%}" if r.filler_rate is not None else "-")
    console.print(table)
    if history.trends:
        console.print(f"[bold]Trend over the last {TREND_SESSIONS} sessions[/]")
    for t in history.trends:
        colour = {"better": "green", "worse": "red", "steady": "dim"}[t.direction]
        values = " → ".join(_show(t.metric, v) for v in t.values)
        console.print(f"  {t.metric.replace('_', ' ')}: {values} [{colour}]({t.direction})[/]", soft_wrap=True)
    if history.skipped:
        console.print("[bold]Skipped most often[/]")
    for s in history.skipped[:5]:
        console.print(f"  {s['step']}: skipped in {s['skipped']} of {s['of']} {s['kind']} sessions")


def _show(metric: str, value: float) -> str:
    if metric == "answer_seconds":
        return format_duration(value)
    if metric == "filler_rate":
        return f"{value:.1%}"
    return f"{value:.0f}"


def write_history_html(history: History, home: Path) -> Path:
    """history.html in the data folder: a chart per figure across all sessions, and the table."""
    from simulator.review.pages import page
    from simulator.review.svg import line_chart
    from simulator.sessions.store import write_page

    measured = [r for r in history.rows if r.status != "unreadable"]
    labels = [(r.started_at or r.id)[5:16].replace("T", " ") for r in measured]
    charts = []
    for title, unit, values, band in (
        ("Walkthrough length", "minutes", [_scaled(r.answer_seconds, 1 / 60) for r in measured],
         (TARGETS.min_seconds / 60, TARGETS.max_seconds / 60)),
        ("Steps covered", "steps", [float(len(r.steps_covered)) if r.steps_covered is not None else None
                                    for r in measured], None),
        ("Words per minute", "wpm", [r.wpm for r in measured], PACE_BAND),
        ("Filler rate", "% of words", [_scaled(r.filler_rate, 100) for r in measured], (0.0, FILLER_CEILING * 100)),
    ):
        points = [(float(i), round(v, 2)) for i, v in enumerate(values) if v is not None]
        charts.append(f"<h2>{escape(title)}</h2><div class=\"chart\">"
                      f"{line_chart(points, title, unit, band=band, x_labels=labels)}</div>")
    rows = "".join(
        f"<tr><td>{escape((r.started_at or '-')[:16].replace('T', ' '))}</td><td>{escape(r.question or r.id)}</td>"
        f"<td>{escape(r.status)}</td><td>{'typed' if r.typed else _opt(r.answer_seconds, format_duration)}</td>"
        f"<td>{f'{len(r.steps_covered)}/{r.steps_total}' if r.steps_covered is not None else '-'}</td>"
        f"<td>{_opt(r.wpm, lambda v: f'{v:.0f}')}</td><td>{_opt(r.filler_rate, lambda v: f'{v:.1%}')}</td></tr>"
        for r in history.rows)
    skipped = "".join(f"<li>{escape(s['step'])}: skipped in {s['skipped']} of {s['of']} {escape(s['kind'])} "
                      "sessions</li>" for s in history.skipped) or "<li>None.</li>"
    body = ("<header><h1>Your rehearsals</h1><p class=\"meta\">" f"{len(history.rows)} sessions</p></header>"
            + "".join(charts) + "<h2>Skipped most often</h2><ul>" + skipped + "</ul><h2>Sessions</h2><table><tr>"
            "<th>date</th><th>question</th><th>status</th><th>answer</th><th>steps</th><th>wpm</th><th>fillers</th>"
            f"</tr>{rows}</table>")
    path = home / HISTORY_FILE
    write_page(path, page("mock-interview: your rehearsals", body))
    return path


def _scaled(value: float | None, factor: float) -> float | None:
    return value * factor if value is not None else None


def _opt(value: float | None, show: Any) -> str:
    return escape(show(value)) if value is not None else "-"

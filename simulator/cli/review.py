"""The commands that read what is saved: sessions, questions, analyze, report, history, export, replay.

None of them loads Whisper or torch, so each answers at once.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from simulator.cli.options import home_option, resolve_home
from simulator.config import FILLER_NOTE, ROLES, TARGETS, format_duration
from simulator.errors import UserError
from simulator.vocab import Kind

if TYPE_CHECKING:
    from simulator.judging.design.model import Figure
    from simulator.sessions.record import SavedSession
    from simulator.transcript import Segment


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON list.")
@click.option("--recover", is_flag=True, is_eager=True,
              help="Repair sessions a killed rehearsal left unfinished, say what was done, and stop.")
@home_option
@click.pass_context
def sessions(ctx: click.Context, as_json: bool, recover: bool, home: Path | None) -> None:
    """List saved sessions, oldest first."""
    from simulator.sessions.store import Store

    if recover:  # the recovery itself ran when --home was read; see _open_home
        recovered = ctx.meta.get("recovered", [])
        if as_json:
            click.echo(json.dumps([{"id": r.id, "answers": r.answers, "answer_seconds": round(r.answer_seconds, 1),
                                    "audio": list(r.audio), "message": r.line()} for r in recovered], indent=2))
        elif recovered:
            for item in recovered:
                click.echo(item.line())
        else:
            click.echo("No session needed recovering.")
        return
    rows = []
    for folder, record in Store(resolve_home(home)).all():
        if record is None:
            rows.append({"id": folder.name, "started_at": None, "question": None, "status": "unreadable",
                         "answer_seconds": None, "verdict": None})
            continue
        seconds = record.answer_seconds() if record.answers() else None
        rows.append({"id": record.id, "started_at": record.started_at, "question": record.question.id,
                     "status": str(record.status), "answer_seconds": round(seconds, 1) if seconds is not None else None,
                     "verdict": TARGETS.verdict(seconds) if seconds is not None else None})
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("No sessions yet. Start one with `mock-interview rehearse`.")
        return
    from rich import box
    from rich.console import Console
    from rich.table import Column, Table

    # the id is what every other command takes, so it is never cut; the question wraps instead
    width = max(len(row["id"]) for row in rows)
    table = Table(Column("id", no_wrap=True, min_width=width), Column("date", min_width=10),
                  Column("question", overflow="fold"), Column("status", no_wrap=True),
                  f"answer ({TARGETS.minutes} min)", box=box.SIMPLE_HEAD)
    for row in rows:
        length = "-" if row["answer_seconds"] is None else \
            f"{format_duration(row['answer_seconds'])} ({row['verdict']})"
        table.add_row(row["id"], (row["started_at"] or "-")[:16].replace("T", " "), row["question"] or "-",
                      row["status"], length)
    Console().print(table)


@click.command()
@click.option("--kind", type=click.Choice(Kind.values()), help="Only this kind.")
@click.option("--role", type=click.Choice(ROLES), help="Only this role's questions (and the experience ones).")
@click.option("--company", metavar="NAME", help="Only the questions this company is known to ask, and its focus.")
@click.option("--resume", "resume_path", type=click.Path(path_type=Path), metavar="PATH",
              help="Only the questions your résumé gives (read on this machine; nothing is kept).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON list.")
@home_option
def questions(kind: str | None, role: str | None, company: str | None, resume_path: Path | None, as_json: bool,
              home: Path | None) -> None:
    """List the question bank: built-in questions and your own from <home>/questions/."""
    from simulator.questions import load_bank

    bank = load_bank(resolve_home(home))
    focus = None
    if resume_path is not None:
        from simulator.practice.resume import read_resume, resume_questions

        bank = resume_questions(read_resume(resume_path.expanduser()))
    if role is not None or company is not None:
        from simulator.practice.tailoring import find_company, fitting

        bank = fitting(bank, role, company, kind)
        if company is not None:
            found = find_company(company)
            focus = f"{found.name} listens for {found.focus}."
    bank = [q for q in bank if kind is None or q.kind == kind]
    if as_json:
        click.echo(json.dumps([q.to_json() for q in bank], indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table()
    # the id is what --question takes: shown whole however narrow the terminal, the title folds instead
    table.add_column("id", no_wrap=True, min_width=max((len(q.id) for q in bank), default=2))
    for name in ("kind", "role"):
        table.add_column(name, no_wrap=True)
    table.add_column("title")
    table.add_column("source")
    for q in bank:
        table.add_row(q.id, q.kind, q.role or "any", q.title, q.source)
    console = Console()
    if focus:
        console.print(focus)
    console.print(table)


@click.command()
@click.argument("source", metavar="FILE_OR_SESSION")
@click.option("--kind", type=click.Choice(Kind.values()), help="Grade as this kind (default: guessed).")
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object.")
@click.option("--diagram", type=click.Path(path_type=Path), metavar="PATH",
              help="Your diagram of the answer (Excalidraw, draw.io or a Mermaid flowchart); a session's own "
                   "kept drawing is used when this is not given.")
@home_option
def analyze(source: str, kind: str | None, as_json: bool, diagram: Path | None, home: Path | None) -> None:
    """What an interviewer hears in an answer: steps covered, mistakes, delivery, the next follow-ups.

    FILE_OR_SESSION is a .txt transcript, a whisper-style .json with a segments
    list, or a session id (a unique prefix, or `last`).
    """
    from simulator.judging.analysis import analyze_segments, analyze_text
    from simulator.judging.followups import plan
    from simulator.questions import load_bank
    from simulator.review.review import question_kind
    from simulator.sessions.store import Store
    from simulator.transcript import read_transcript_file

    from simulator.review.design_view import findings_json, session_facts, view_of

    root = resolve_home(home)
    question = None
    facts: list[Figure] = []  # the figures the interviewer gave: none for a transcript file
    drawn = None
    if diagram is not None:  # a bad diagram is refused before anything is analysed
        from simulator.diagrams.reader import read_diagram

        drawn = read_diagram(diagram.expanduser())
    path = Path(source)
    if _is_file(path):
        segments, text = read_transcript_file(path)
        transcribed_without_fillers = segments is not None  # a whisper .json, as far as can be told
    else:
        if path.suffix.lower() in (".txt", ".json"):
            raise UserError(f"The transcript {path} does not exist; check the path.")
        found = Store(root).find(source)
        saved = found.read()
        record = saved.record
        drawn = drawn or _kept_diagram(found)
        kind = kind or question_kind(record)
        question = next((q for q in load_bank(root) if q.id == record.question.id), None)
        segments, text = _walkthrough(saved)
        transcribed_without_fillers = segments is not None and not saved.keep_fillers
        facts = session_facts(record)
    analysis = analyze_segments(segments, kind) if segments else analyze_text(text, kind)
    followups = plan(analysis, question, seed=source, facts=facts)
    note = FILLER_NOTE if transcribed_without_fillers else None
    held = _held_against(drawn, analysis, text) if drawn is not None else []
    if as_json:
        data = analysis.to_json()
        if "design" in data:  # the checks on it beside it, each with its why
            data["design"] = {**data["design"], "findings": findings_json(view_of(analysis, facts=facts))}
        extra = {"diagram": {**drawn.to_json(), "findings": [
            {"rule": f.rule, "component": f.component, "detail": f.detail, "quote": f.quote.text} for f in held]}} \
            if drawn is not None else {}
        click.echo(json.dumps({**data, "followups": [f.to_json() for f in followups], **extra}, indent=2,
                              ensure_ascii=False))
        return
    from rich.console import Console

    from simulator.review.report import print_analysis

    console = Console(highlight=False)
    print_analysis(console, analysis, followups, note, facts)
    if drawn is not None:
        _print_diagram(console, drawn, held)


def _held_against(drawn: Any, analysis: Any, text: str) -> list[Any]:
    """The drawing held against the answer: drawn but not said, said but not drawn, and the wiring's gaps."""
    from simulator.diagrams.checks import hold_against

    return hold_against(drawn, getattr(analysis, "design", None), text)


def _kept_diagram(folder: Any) -> Any:
    """The last drawing a session kept, or None; a damaged index costs a warning, never the analysis."""
    from simulator.diagrams.watch import DIAGRAM_FOLDER, read_snapshots

    try:
        kept = read_snapshots(folder.file(DIAGRAM_FOLDER))
    except (OSError, ValueError, UserError) as exc:
        click.echo(f"warning: the session's kept diagram cannot be read ({exc}); analysing without it.", err=True)
        return None
    return kept[-1].diagram if kept else None


def _print_diagram(console: Any, drawn: Any, held: list[Any]) -> None:
    """The drawing as read: what each box is called and what each arrow joins, so a misread is seen at once."""
    from rich.markup import escape

    console.print(f"\n[bold]Your diagram[/] ({drawn.format}: {drawn.summary()})")
    names = {b.id: b.label or "(unlabelled box)" for b in drawn.boxes}
    for zone in drawn.zones:
        console.print(f"  {escape(zone.label or '(unnamed zone)')}: "
                      f"{escape(', '.join(names.get(m, m) for m in zone.members) or 'empty')}")
    for edge in drawn.edges:
        arrow = {"forward": "->", "both": "<->", "none": "--"}[edge.heads.value]
        ends = [names.get(e, "nothing") if e is not None else "nothing" for e in (edge.source, edge.target)]
        label = f" ({edge.label})" if edge.label else ""
        console.print(f"  {escape(ends[0])} {arrow} {escape(ends[1])}{escape(label)}")
    if held:
        console.print("[bold]Held against what you said[/]")
        for finding in held:
            console.print(f"  - {escape(finding.detail)}")


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the file system is no file
        return False


def _walkthrough(saved: SavedSession) -> tuple[list[Segment] | None, str]:
    """The first answer of a session: its segments where the transcript has them, else its text alone."""
    from simulator.sessions.record import Role

    first = next((i for i, t in enumerate(saved.record.turns) if t.role == Role.CANDIDATE), None)
    if first is None:
        return None, ""
    said = saved.transcripts.get(first)
    return (said.segments if said is not None and said.segments else None), saved.record.turns[first].text


@click.command()
@click.argument("ref", metavar="SESSION")
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object.")
@click.option("--html", "as_html", is_flag=True, help="Write report.html into the session folder and print its path.")
@click.option("--open", "open_html", is_flag=True, help="Write report.html and open it in the browser.")
@home_option
def report(ref: str, as_json: bool, as_html: bool, open_html: bool, home: Path | None) -> None:
    """Review a session: time against 8-12 minutes and the 2/3/3/2 budget, steps, mistakes, delivery,
    follow-ups and the self-review questions.

    SESSION is an id, a unique prefix, `last`, or a session folder.
    """
    from simulator.practice.report import practice_review
    from simulator.review.review import build_review
    from simulator.sessions.store import Store

    review = build_review(Store(resolve_home(home)).find(ref).read())
    if as_json:
        click.echo(json.dumps({**review.to_json(), "practice": practice_review(review).to_json()}, indent=2,
                              ensure_ascii=False))
    if as_html or open_html:
        from simulator.practice.report import practice_html
        from simulator.review.html import write_report

        path = write_report(review, practice_html(review))
        click.echo(str(path), err=as_json)  # stdout stays one JSON object
        if open_html:
            import webbrowser

            webbrowser.open(path.resolve().as_uri())
    if as_json or as_html or open_html:
        return
    from rich.console import Console

    from simulator.practice.report import print_practice
    from simulator.review.report import print_report

    console = Console(highlight=False)
    print_report(console, review)
    print_practice(console, review)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object.")
@click.option("--html", "as_html", is_flag=True, help="Write history.html with trend charts into the data folder.")
@home_option
def history(as_json: bool, as_html: bool, home: Path | None) -> None:
    """Progress across sessions: length, steps covered, pace and fillers per session, the trend over the
    latest ones, and the steps skipped most often."""
    from simulator.review.history import build_history, print_history, write_history_html
    from simulator.sessions.store import Store

    root = resolve_home(home)
    found = build_history(Store(root))
    if as_json:
        click.echo(json.dumps(found.to_json(), indent=2, ensure_ascii=False))
    if as_html:
        if not found.rows:
            raise UserError("There are no sessions yet; start one with `mock-interview rehearse`.")
        click.echo(str(write_history_html(found, root)), err=as_json)  # stdout stays one JSON object
    if as_json or as_html:
        return
    if not found.rows:
        click.echo("No sessions yet. Start one with `mock-interview rehearse`.")
        return
    from rich.console import Console

    print_history(Console(highlight=False), found)


@click.command()
@click.argument("ref", metavar="SESSION")
@click.option("--format", "fmt", type=click.Choice(["srt", "vtt", "txt", "json"]), default="txt", show_default=True,
              help="Subtitles (srt, vtt), plain text, or JSON.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
@home_option
def export(ref: str, fmt: str, output: Path | None, home: Path | None) -> None:
    """The transcript of both voices with times on the session clock (those of report.html's audio).

    SESSION is an id, a unique prefix, `last`, or a session folder.
    """
    from simulator.review.export import export as render
    from simulator.review.review import build_review
    from simulator.sessions.store import Store

    text = render(build_review(Store(resolve_home(home)).find(ref).read()), fmt)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"Cannot write {output} ({exc.strerror or type(exc).__name__}); pick another path.") from None
    click.echo(str(output), err=True)


@click.command()
@click.argument("session", metavar="SESSION")
@click.option("--from", "from_", metavar="MM:SS", help="Start at this time on the session clock (or seconds).")
@click.option("--turn", type=click.IntRange(min=1), metavar="N",
              help="Start at the Nth turn, counting every turn: 1 is the question, 2 the first answer.")
@click.option("--speed", type=click.FloatRange(min=0.5, max=3.0), default=1.0, show_default=True, metavar="X",
              help="Play X times as fast, from 0.5 to 3 (the voices' pitch changes with it).")
@click.option("--no-audio", is_flag=True, help="Only print the timed transcript, at the session's pace.")
@click.option("--fast", is_flag=True, help="Print the whole timed transcript at once, without sound.")
@click.option("--output-device", metavar="ID_OR_NAME", help="Speaker to play the session on (see `devices`).")
@home_option
def replay(session: str, from_: str | None, turn: int | None, speed: float, no_audio: bool, fast: bool,
           output_device: str | None, home: Path | None) -> None:
    """Play a session back, both voices in order, each transcript line shown as it is spoken.

    SESSION is an id, a unique id prefix, `last`, or a session folder. Silences
    between turns are shortened to a second; the times shown are the session's.
    """
    from simulator.ports import SystemClock
    from simulator.review.replay import Replayer, parse_time, plan_replay
    from simulator.review.review import build_review
    from simulator.sessions.store import Store

    if from_ is not None and turn is not None:
        raise UserError("--from and --turn both say where to start; use one of them.")
    plan = plan_replay(build_review(Store(resolve_home(home)).find(session).read()))
    start = plan.check_start(parse_time(from_)) if from_ is not None else \
        plan.start_of_turn(turn) if turn is not None else 0.0
    player = None
    if not (no_audio or fast):
        from simulator.cli.devices import SoundDevicePlayer, check_device, parse_device

        player = SoundDevicePlayer(parse_device(output_device))
        if plan.has_audio:
            check_device(player.device, "output", "No output device is available; connect speakers or "
                         "headphones, or replay with --no-audio.")
    try:
        Replayer(plan, player=player, clock=SystemClock(), show=click.echo, speed=speed, fast=fast).run(start)
    except KeyboardInterrupt:
        click.echo("\nReplay stopped; the session is unchanged.", err=True)
        sys.exit(130)


COMMANDS = (sessions, questions, analyze, report, history, export, replay)

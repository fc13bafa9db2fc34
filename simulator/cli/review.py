"""The commands that read what is saved: sessions, questions, analyze, report, history, export, replay.

None of them loads Whisper or torch, so each answers at once.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from simulator.cli.options import home_option, resolve_home
from simulator.config import FILLER_NOTE, ROLES, TARGETS, format_duration
from simulator.errors import UserError
from simulator.vocab import Kind

if TYPE_CHECKING:
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

    table = Table("id", "kind", "role", "title", "source")
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
@home_option
def analyze(source: str, kind: str | None, as_json: bool, home: Path | None) -> None:
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

    root = resolve_home(home)
    question = None
    told: list = []  # the figures the interviewer gave in the session: its question's sheet and clarifications
    path = Path(source)
    if _is_file(path):
        segments, text = read_transcript_file(path)
        transcribed_without_fillers = segments is not None  # a whisper .json, as far as can be told
    else:
        if path.suffix.lower() in (".txt", ".json"):
            raise UserError(f"The transcript {path} does not exist; check the path.")
        saved = Store(root).find(source).read()
        record = saved.record
        kind = kind or question_kind(record)
        question = next((q for q in load_bank(root) if q.id == record.question.id), None)
        segments, text = _walkthrough(saved)
        if question is not None:
            from simulator.interviewer.followup_choice import told_figures

            told = told_figures(question, saved.record.turns)
        transcribed_without_fillers = segments is not None and not saved.keep_fillers
    analysis = analyze_segments(segments, kind) if segments else analyze_text(text, kind)
    followups = plan(analysis, question, seed=source, facts=told)
    note = FILLER_NOTE if transcribed_without_fillers else None
    if as_json:
        click.echo(json.dumps({**analysis.to_json(), "followups": [f.to_json() for f in followups]}, indent=2))
        return
    from rich.console import Console

    from simulator.review.report import print_analysis

    print_analysis(Console(highlight=False), analysis, followups, note)


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

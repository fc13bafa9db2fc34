"""The command line: the only place that builds real devices and the real model.

Heavy imports (rich, sounddevice, whisper, torch) happen inside the commands
that need them, so `--help`, `sessions` and `questions` start at once.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import click

from . import __version__
from .config import DEFAULT_MODEL, FILLER_NOTE, ListenSettings, TimingTargets, TranscribeSettings, default_home, format_duration
from .errors import UserError


class Group(click.Group):
    """Turns a UserError from any command into one line on stderr and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)


def home_option(f: Any) -> Any:
    """--home, for every command that uses the data folder: the command gets the folder, already recovered."""
    return click.option("--home", type=click.Path(file_okay=False, path_type=Path), default=None,
                        callback=_open_home,
                        help="Data folder (default: $SIMULATOR_HOME or the user data folder).")(f)


def _open_home(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    """Recover sessions a killed rehearsal left unfinished before any command reads them.

    One line per recovered session on stderr; `sessions --recover` (an eager
    option, so already parsed here) prints them itself instead.
    """
    from .recovery import recover
    from .store import Store

    root = resolve_home(value)
    try:
        recovered = recover(Store(root))
    except OSError:
        recovered = []  # an unreadable data folder: the command itself says what is wrong
    ctx.meta["recovered"] = recovered
    if not ctx.params.get("recover"):
        for item in recovered:
            click.echo(item.line(), err=True)
    return root


def resolve_home(home: Path | None) -> Path:
    return home.expanduser() if home is not None else default_home()


class SystemClock:
    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mock-interview")
def cli() -> None:
    """Rehearse system design interview answers aloud, locally.

    The interviewer asks a question, you answer into the microphone, and the
    answer is recorded, transcribed with Whisper and timed against the
    8-12 minute target. Every session is kept in the data folder.
    """


@cli.command()
@click.option("--question", "question_id", metavar="ID", help="Ask this question (see `questions`).")
@click.option("--kind", type=click.Choice(["design", "experience"]), help="Pick a random question of this kind.")
@click.option("--model", default=DEFAULT_MODEL, show_default=True, metavar="NAME_OR_PATH",
              help="Whisper model name (downloaded on first use) or path to a local checkpoint.")
@click.option("--input-device", metavar="ID_OR_NAME", help="Microphone to record from (see `devices`).")
@click.option("--output-device", metavar="ID_OR_NAME", help="Speaker for the interviewer's voice.")
@click.option("--answer-file", "answer_files", multiple=True, type=click.Path(path_type=Path), metavar="PATH",
              help="Use a recorded answer (WAV or FLAC) instead of the microphone; once per answer.")
@click.option("--realtime", is_flag=True, help="Pace --answer-file like a live microphone.")
@click.option("--type", "typed", is_flag=True, help="Type the answer instead of speaking it.")
@click.option("--no-voice", is_flag=True, help="Print the questions without speaking them.")
@click.option("--max-seconds", type=click.FloatRange(min=1), help="End an answer after this many seconds.")
@click.option("--end-silence", type=click.FloatRange(min=1), default=ListenSettings.end_silence, show_default=True,
              help="End an answer after this many seconds of silence (a thinking pause is shorter).")
@click.option("--no-stream", is_flag=True,
              help="Transcribe each answer only when it ends (slower follow-ups; for comparison).")
@click.option("--keep-fillers", is_flag=True,
              help="Ask Whisper to keep 'um' and 'uh' (it drops them otherwise), for honest filler counts.")
@click.option("--followups", type=click.IntRange(min=0, max=10), default=3, show_default=True,
              help="Pressure questions after the walkthrough, aimed at what the answer skipped.")
@click.option("--decode-limit", type=click.IntRange(min=1), hidden=True,
              help="Cap Whisper's tokens per 30 s of audio and turn off temperature fallback.")
@home_option
def rehearse(question_id: str | None, kind: str | None, model: str, input_device: str | None,
             output_device: str | None, answer_files: tuple[Path, ...], realtime: bool, typed: bool,
             no_voice: bool, max_seconds: float | None, end_silence: float, no_stream: bool, keep_fillers: bool,
             followups: int,
             decode_limit: int | None, home: Path | None) -> None:
    """Answer one interview question aloud; the session is recorded, transcribed and kept."""
    from .questions import load_bank, pick
    from .store import Store

    if typed and answer_files:
        raise UserError("--type and --answer-file both give the answer; use one of them.")
    if realtime and not answer_files:
        raise UserError("--realtime paces an --answer-file; add --answer-file PATH or drop --realtime.")
    root = resolve_home(home)
    question = pick(load_bank(root), question_id, kind)
    listen = ListenSettings(end_silence=end_silence, max_seconds=max_seconds, realtime=realtime,
                            reply_within=None if no_stream else ListenSettings.reply_within)
    transcribe = TranscribeSettings(model=model, sample_len=decode_limit,
                                    temperature_fallback=decode_limit is None, keep_fillers=keep_fillers)
    try:
        session = _build_session(root, question, listen, transcribe, answer_files, typed, no_voice,
                                 input_device, output_device, followups, stream=not no_stream)
    except KeyboardInterrupt:
        click.echo("\nStopped before the interview began; nothing was saved.", err=True)
        sys.exit(130)
    screen = session.screen
    try:
        record = session.run()
    except KeyboardInterrupt:
        if session.folder is None:
            click.echo("\nStopped before the interview began; nothing was saved.", err=True)
        else:
            click.echo(f"\nStopped. Everything recorded so far is saved as an interrupted session in "
                       f"{session.folder.path}.", err=True)
        sys.exit(130)
    except UserError as exc:
        if session.folder is not None:
            exc = type(exc)(f"{exc} The session so far is kept in {session.folder.path}.")
        raise exc from None
    from .report import followup_lines, summarize, summary_lines, walkthrough_lines

    summary = summarize(record, TimingTargets())
    screen.notice("")
    if summary is not None:
        for line in summary_lines(summary):
            screen.notice(line)
    for line in walkthrough_lines(record, keep_fillers) + followup_lines(record):
        screen.notice(line)
    assert session.folder is not None
    screen.notice(f"Session {record.id} saved in {session.folder.path}")
    _write_html_report(session.folder, screen)


def _write_html_report(folder: Any, screen: Any) -> None:
    """Where the walkthrough's time went, and report.html, for a session just saved; a failure costs one
    warning, never the session."""
    from .htmlreport import write_report
    from .report import budget_line
    from .review import build_review

    try:
        review = build_review(folder)
        if review.phases:
            screen.notice(budget_line(review.phases))
        screen.notice(f"Report: {write_report(review)}")
    except Exception as exc:  # the session is saved already; the page can be made later
        screen.warn(f"Could not write report.html ({exc}); `mock-interview report {folder.id} --html` tries again.")


def _build_session(root: Path, question: Any, listen: ListenSettings, transcribe: TranscribeSettings,
                   answer_files: tuple[Path, ...], typed: bool, no_voice: bool, input_device: str | None,
                   output_device: str | None, followups: int, stream: bool = True) -> Any:
    """Check every input before anything is written, then wire the real parts into the loop."""
    from .audio import read_audio
    from .interview import Interview
    from .sources import FileMicrophone, read_typed
    from .store import Store
    from .transcribe import ModelLoader, ModelSpec, WhisperTranscriber
    from .ui import EnterWatcher, RichScreen
    from .vad import VoiceActivity

    clock = SystemClock()
    answers = [read_audio(path) for path in answer_files]
    screen = RichScreen(enter_hint=_stdin_is_terminal() and not answer_files)
    microphone: Any = None
    transcriber = None
    if not typed:
        if answers:
            microphone = FileMicrophone(answers, clock, realtime=listen.realtime)
        else:
            from .devices import SoundDeviceMicrophone, parse_device

            microphone = SoundDeviceMicrophone(parse_device(input_device))
            _check_input(microphone.device)
        spec = ModelSpec(transcribe.model)
        spec.check()  # a missing or broken model is refused before the session folder exists
        transcriber = WhisperTranscriber(ModelLoader(spec).start(), transcribe, stream=stream,
                                         vad=VoiceActivity(listen.speech_dbfs))
    voice = _build_voice(no_voice, output_device, screen)
    return Interview(store=Store(root), question=question, voice=voice, transcriber=transcriber, clock=clock,
                     screen=screen, microphone=microphone, typist=read_typed if typed else None, listen=listen,
                     enter=EnterWatcher().start() if microphone is not None and not answers else None,
                     model_name=transcribe.model, followups=followups, keep_fillers=transcribe.keep_fillers,
                     answers_available=len(answers) if answers else (1 if typed and not _stdin_is_terminal() else None))


def _stdin_is_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _check_input(device: int | str | None) -> None:
    from .devices import NO_INPUT, sounddevice

    sd = sounddevice()
    try:
        sd.query_devices(device, kind="input")
    except (ValueError, sd.PortAudioError):
        if device is None:
            raise UserError(NO_INPUT) from None
        raise UserError(f"There is no input device {device!r}; see `mock-interview devices` for the ones "
                        "there are.") from None


def _build_voice(no_voice: bool, output_device: str | None, screen: Any) -> Any:
    from .devices import Pyttsx3Voice, SilentVoice, SoundDevicePlayer, parse_device

    if no_voice:
        return SilentVoice()
    return Pyttsx3Voice(SoundDevicePlayer(parse_device(output_device)), warn=screen.warn)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON list.")
@click.option("--recover", is_flag=True, is_eager=True,
              help="Repair sessions a killed rehearsal left unfinished, say what was done, and stop.")
@home_option
@click.pass_context
def sessions(ctx: click.Context, as_json: bool, recover: bool, home: Path | None) -> None:
    """List saved sessions, oldest first."""
    from .store import Store

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
    targets = TimingTargets()
    rows = []
    for folder, record in Store(resolve_home(home)).all():
        if record is None:
            rows.append({"id": folder.name, "started_at": None, "question": None, "status": "unreadable",
                         "answer_seconds": None, "verdict": None})
            continue
        seconds = record.answer_seconds() if record.answers() else None
        rows.append({"id": record.id, "started_at": record.started_at, "question": record.question.get("id"),
                     "status": record.status, "answer_seconds": round(seconds, 1) if seconds is not None else None,
                     "verdict": targets.verdict(seconds) if seconds is not None else None})
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("No sessions yet. Start one with `mock-interview rehearse`.")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "date", "question", "status", "answer (8-12 min)")
    for row in rows:
        length = "-" if row["answer_seconds"] is None else \
            f"{format_duration(row['answer_seconds'])} ({row['verdict']})"
        table.add_row(row["id"], (row["started_at"] or "-")[:16].replace("T", " "), row["question"] or "-",
                      row["status"], length)
    Console().print(table)


@cli.command()
@click.option("--kind", type=click.Choice(["design", "experience"]), help="Only this kind.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON list.")
@home_option
def questions(kind: str | None, as_json: bool, home: Path | None) -> None:
    """List the question bank: built-in questions and your own from <home>/questions/."""
    from .questions import load_bank

    bank = [q for q in load_bank(resolve_home(home)) if kind is None or q.kind == kind]
    if as_json:
        click.echo(json.dumps([q.to_json() for q in bank], indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "kind", "title", "source")
    for q in bank:
        table.add_row(q.id, q.kind, q.title, q.source)
    Console().print(table)


@cli.command()
@click.argument("source", metavar="FILE_OR_SESSION")
@click.option("--kind", type=click.Choice(["design", "experience"]), help="Grade as this kind (default: guessed).")
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object.")
@home_option
def analyze(source: str, kind: str | None, as_json: bool, home: Path | None) -> None:
    """What an interviewer hears in an answer: steps covered, mistakes, delivery, the next follow-ups.

    FILE_OR_SESSION is a .txt transcript, a whisper-style .json with a segments
    list, or a session id (a unique prefix, or `last`).
    """
    from .analysis import analyze_segments, analyze_text
    from .followups import plan
    from .questions import KINDS, load_bank
    from .store import Store
    from .transcript import read_transcript_file

    root = resolve_home(home)
    question = None
    path = Path(source)
    if _is_file(path):
        segments, text = read_transcript_file(path)
        transcribed_without_fillers = segments is not None  # a whisper .json, as far as can be told
    else:
        if path.suffix.lower() in (".txt", ".json"):
            raise UserError(f"The transcript {path} does not exist; check the path.")
        folder = Store(root).find(source)
        record = folder.load()
        kind = kind or (record.question.get("kind") if record.question.get("kind") in KINDS else None)
        question = next((q for q in load_bank(root) if q.id == record.question.get("id")), None)
        segments, text, keep_fillers = _walkthrough(folder)
        transcribed_without_fillers = segments is not None and not keep_fillers
    analysis = analyze_segments(segments, kind) if segments else analyze_text(text, kind)
    followups = plan(analysis, question, seed=source)
    note = FILLER_NOTE if transcribed_without_fillers else None
    if as_json:
        click.echo(json.dumps({**analysis.to_json(), "followups": [f.to_json() for f in followups]}, indent=2))
        return
    from rich.console import Console

    from .report import print_analysis

    print_analysis(Console(highlight=False), analysis, followups, note)


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the file system is no file
        return False


def _walkthrough(folder: Any) -> tuple[Any, str, bool]:
    """The first answer of a session: its segments from transcript.json, else its text from session.json.

    A transcript.json that is missing or damaged costs only the times, never the analysis.
    """
    from .store import TRANSCRIPT_FILE
    from .transcript import Segment

    path = folder.file(TRANSCRIPT_FILE)  # refuses a transcript.json that links outside the session
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        first = data["answers"][0]
        text = first.get("text", "")
        if not isinstance(text, str):
            raise ValueError("text is not a string")
        segments = [Segment.from_json(s) for s in first.get("segments") or []]
        return (segments or None), text, data.get("keep_fillers") is True
    except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError):
        answers = folder.load().answers()
        return None, answers[0].text if answers else "", False


@cli.command()
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
    from .review import build_review
    from .store import Store

    review = build_review(Store(resolve_home(home)).find(ref))
    if as_json:
        click.echo(json.dumps(review.to_json(), indent=2, ensure_ascii=False))
    if as_html or open_html:
        from .htmlreport import write_report

        path = write_report(review)
        click.echo(str(path), err=as_json)  # stdout stays one JSON object
        if open_html:
            import webbrowser

            webbrowser.open(path.resolve().as_uri())
    if as_json or as_html or open_html:
        return
    from rich.console import Console

    from .report import print_report

    print_report(Console(highlight=False), review)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object.")
@click.option("--html", "as_html", is_flag=True, help="Write history.html with trend charts into the data folder.")
@home_option
def history(as_json: bool, as_html: bool, home: Path | None) -> None:
    """Progress across sessions: length, steps covered, pace and fillers per session, the trend over the
    latest ones, and the steps skipped most often."""
    from .history import build_history, print_history, write_history_html
    from .store import Store

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


@cli.command()
@click.argument("ref", metavar="SESSION")
@click.option("--format", "fmt", type=click.Choice(["srt", "vtt", "txt", "json"]), default="txt", show_default=True,
              help="Subtitles (srt, vtt), plain text, or JSON.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
@home_option
def export(ref: str, fmt: str, output: Path | None, home: Path | None) -> None:
    """The transcript of both voices with times on the session clock (those of report.html's audio).

    SESSION is an id, a unique prefix, `last`, or a session folder.
    """
    from .export import export as render
    from .review import build_review
    from .store import Store

    text = render(build_review(Store(resolve_home(home)).find(ref)), fmt)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"Cannot write {output} ({exc.strerror or type(exc).__name__}); pick another path.") from None
    click.echo(str(output), err=True)


@cli.command()
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
    from .replay import Replayer, load, parse_time
    from .store import Store

    if from_ is not None and turn is not None:
        raise UserError("--from and --turn both say where to start; use one of them.")
    plan = load(Store(resolve_home(home)).find(session))
    start = plan.check_start(parse_time(from_)) if from_ is not None else \
        plan.start_of_turn(turn) if turn is not None else 0.0
    player = None
    if not (no_audio or fast):
        from .devices import SoundDevicePlayer, parse_device

        player = SoundDevicePlayer(parse_device(output_device))
        if plan.has_audio:
            _check_output(player.device)
    try:
        Replayer(plan, player=player, clock=SystemClock(), show=click.echo, speed=speed, fast=fast).run(start)
    except KeyboardInterrupt:
        click.echo("\nReplay stopped; the session is unchanged.", err=True)
        sys.exit(130)


def _check_output(device: int | str | None) -> None:
    from .devices import sounddevice

    sd = sounddevice()
    try:
        sd.query_devices(device, kind="output")
    except (ValueError, sd.PortAudioError):
        if device is None:
            raise UserError("No output device is available; connect speakers or headphones, or replay with "
                            "--no-audio.") from None
        raise UserError(f"There is no output device {device!r}; see `mock-interview devices` for the ones "
                        "there are.") from None


@cli.command()
@click.option("--input-device", metavar="ID_OR_NAME", help="Input device to level-check (default: the default).")
@click.option("--seconds", type=click.FloatRange(min=0.5, max=30), default=3.0, show_default=True,
              help="How long the level check listens.")
def devices(input_device: str | None, seconds: float) -> None:
    """List input and output devices and check the input's level."""
    from rich.console import Console
    from rich.table import Table

    from .devices import level_check, list_devices, parse_device

    console = Console()
    found = list_devices()
    table = Table("index", "name", "in", "out", "rate", "default")
    for d in found:
        marks = " ".join(m for m, on in (("input", d["default_input"]), ("output", d["default_output"])) if on)
        table.add_row(str(d["index"]), d["name"], str(d["inputs"]), str(d["outputs"]),
                      f"{d['default_samplerate']:.0f}", marks)
    console.print(table)
    device = parse_device(input_device)
    _check_input(device)
    console.print(f"Checking the input level for {seconds:g} seconds: say something...")
    peak = level_check(device, seconds)
    advice = ("no sound at all: check the microphone is unmuted and selected" if peak <= -90 else
              "very quiet: move closer or raise the input volume" if peak < -40 else
              "clipping: lower the input volume" if peak > -1 else "good")
    console.print(f"Peak input level {peak:.1f} dBFS: {advice}.")


@cli.command()
@click.option("--model", default=DEFAULT_MODEL, show_default=True, metavar="NAME_OR_PATH")
def doctor(model: str) -> None:
    """Check, one line each, that the parts a rehearsal needs are here, and say how to fix what is not."""
    from .doctor import run_checks

    ok = True
    for check in run_checks(model):
        ok &= check.ok
        mark = click.style("ok  ", fg="green") if check.ok else click.style("MISSING", fg="red")
        click.echo(f"{mark} {check.name}: {check.detail}")
    sys.exit(0 if ok else 1)


@cli.command()
@click.option("--model", default=DEFAULT_MODEL, show_default=True, metavar="NAME",
              help="Whisper model name to fetch into the model cache.")
def download(model: str) -> None:
    """Download a Whisper model once (needs the internet); rehearsals then run offline."""
    from .transcribe import download_model

    click.echo(f"Whisper model {model} is ready at {download_model(model)}.")


def main() -> None:
    cli(prog_name="mock-interview")


if __name__ == "__main__":  # pragma: no cover
    main()

"""rehearse: one question, a drill or a round, spoken or typed, and what is printed after it.

This is the only module that builds real devices and the real model; each
command imports them itself, so the light commands never pay for them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from simulator.cli.options import engine_option, home_option, resolve_home
from simulator.config import (
    DEFAULT_LEVEL,
    DEFAULT_MODEL,
    LEVELS,
    ROLES,
    VOICE_ENV,
    VOICE_MODEL_ENV,
    VOICES,
    ListenSettings,
)
from simulator.errors import UserError
from simulator.vocab import Kind, Persona

if TYPE_CHECKING:
    from simulator.practice.run import Planned, RehearsalOptions
    from simulator.review.review import Review


@click.command()
@click.option("--question", "question_id", metavar="ID", help="Ask this question (see `questions`).")
@click.option("--kind", type=click.Choice(Kind.values()), help="Pick a random question of this kind.")
@click.option("--model", default=DEFAULT_MODEL, show_default=True, metavar="NAME_OR_PATH",
              help="Whisper model name (downloaded on first use) or path to a local checkpoint.")
@engine_option
@click.option("--input-device", metavar="ID_OR_NAME", help="Microphone to record from (see `devices`).")
@click.option("--output-device", metavar="ID_OR_NAME", help="Speaker for the interviewer's voice.")
@click.option("--answer-file", "answer_files", multiple=True, type=click.Path(path_type=Path), metavar="PATH",
              help="Use a recorded answer (WAV or FLAC) instead of the microphone; once per answer.")
@click.option("--realtime", is_flag=True, help="Pace --answer-file like a live microphone.")
@click.option("--type", "typed", is_flag=True, help="Type the answer instead of speaking it.")
@click.option("--no-voice", is_flag=True, help="Print the questions without speaking them.")
@click.option("--voice", type=click.Choice(VOICES), envvar=VOICE_ENV, show_envvar=True,
              help="The interviewer's voice: espeak (espeak-ng, the default) or piper (natural; the voice extra).")
@click.option("--voice-model", type=click.Path(path_type=Path), envvar=VOICE_MODEL_ENV, show_envvar=True,
              metavar="PATH", help="A Piper voice (.onnx, its .onnx.json beside it) instead of the bundled one.")
@click.option("--max-seconds", type=click.FloatRange(min=1), help="End an answer after this many seconds.")
@click.option("--end-silence", type=click.FloatRange(min=1), default=ListenSettings.end_silence, show_default=True,
              help="End an answer after this many seconds of silence (a thinking pause is shorter).")
@click.option("--no-stream", is_flag=True,
              help="Transcribe each answer only when it ends (slower follow-ups; for comparison).")
@click.option("--keep-fillers", is_flag=True,
              help="Ask Whisper to keep 'um' and 'uh' (it drops them otherwise), for honest filler counts.")
@click.option("--followups", type=click.IntRange(min=0, max=10), default=3, show_default=True,
              help="Pressure questions after the walkthrough, aimed at what the answer skipped.")
@click.option("--resume", "resume_path", type=click.Path(path_type=Path), metavar="PATH",
              help="Ask about the projects in your résumé (.txt, .md or .pdf), read on this machine only.")
@click.option("--keep-resume", is_flag=True, help="Keep the résumé's text with the session (it is not kept otherwise).")
@click.option("--role", type=click.Choice(ROLES), help="Questions and follow-ups for this role.")
@click.option("--company", metavar="NAME", help="Press first on what this company listens for (see `questions --company`).")
@click.option("--level", type=click.Choice(LEVELS), default=DEFAULT_LEVEL, show_default=True,
              help="The bar the report's verdict holds the answer to.")
@click.option("--drill", metavar="STEP",
              help="A timed drill of one part of the 2/3/3/2 budget: clarify, architecture, data or scale.")
@click.option("--round", "round_size", type=click.IntRange(min=2, max=10), metavar="N",
              help="N questions in one sitting, each its own session, with one report for the round.")
@click.option("--interviewer", type=click.Choice(Persona.values()), default=Persona.STANDARD.value,
              show_default=True, help="How the interviewer runs the walkthrough: friendly keeps time only; "
              "standard also moves you on and changes a requirement once; tough also stops technology before framing.")
@click.option("--headphones", is_flag=True,
              help="You wear headphones: you may talk over the interviewer, and it stops.")
@click.option("--diagram", type=click.Path(path_type=Path), metavar="PATH",
              help="Your own diagram file (Excalidraw, draw.io or a Mermaid flowchart), read at the start and "
                   "watched while you answer: save it as you draw.")
@click.option("--trace", is_flag=True,
              help="Write each step of hearing and replying, with its time, to trace.jsonl in the session folder.")
@click.option("--decode-limit", type=click.IntRange(min=1), hidden=True,
              help="Cap Whisper's tokens per 30 s of audio and turn off temperature fallback.")
@home_option
def rehearse(**given: Any) -> None:
    """Answer one interview question aloud; the session is recorded, transcribed and kept."""
    from simulator.practice.run import RehearsalOptions, plan_sessions
    from simulator.questions import load_bank

    options = RehearsalOptions(**given)
    if options.typed and options.answer_files:
        raise UserError("--type and --answer-file both give the answer; use one of them.")
    if options.realtime and not options.answer_files:
        raise UserError("--realtime paces an --answer-file; add --answer-file PATH or drop --realtime.")
    spoken = _voice_choice(options.voice, options.voice_model)
    drawing = _open_diagram(options.diagram) if options.diagram is not None else None
    root = resolve_home(options.home)
    planned = plan_sessions(load_bank(root), options.practice, options.answer_files, options.typed)
    if len(planned) > 1:
        from simulator.audio import read_audio

        for path in options.answer_files:  # a bad file for a later question is refused before the first session
            read_audio(path)
    typist = _round_typist(len(planned)) if options.typed and len(planned) > 1 else None
    loader = None
    if drawing:
        click.echo(drawing)
    for item in planned:
        loader = _rehearse_one(root, item, options, spoken, typist, loader)
    if options.round_size is not None:
        _round_report(root, planned[0].practice.round.id)


def _open_diagram(path: Path) -> str:
    """The diagram read once before anything is written: a bad path or file stops the command here, in one
    sentence; a file not saved yet is a notice, since it is watched from the start."""
    from simulator.diagrams.watch import open_diagram

    diagram, notice = open_diagram(path)
    if diagram is None:
        return notice or ""
    return f"Diagram {path.expanduser()} ({diagram.format}: {diagram.summary()}) is watched while you answer."


def _round_typist(count: int) -> Any:
    """Typed answers for a round: at a terminal one per prompt as usual; piped, split on lines of ---."""
    from simulator.cli.sources import read_typed
    from simulator.practice.run import typed_answers

    if _stdin_is_terminal():
        return lambda on_line: read_typed(on_line=on_line)
    parts = typed_answers(sys.stdin.read())

    def next_answer(on_line: Any) -> str:
        text = parts.pop(0) if parts else ""
        for line in text.splitlines():  # each line handed on as it would be typed, so a question is answered
            if line.strip():
                on_line(line)
        return text

    return next_answer


def _round_report(root: Path, round_id: str) -> None:
    from simulator.practice.round import build_round, write_round_html
    from simulator.sessions.store import Store

    review = build_round(Store(root), round_id)
    click.echo("")
    for line in review.lines():
        click.echo(line)
    click.echo(f"Round report: {write_round_html(review, root)}")


def _rehearse_one(root: Path, item: Planned, options: RehearsalOptions, spoken: tuple[str, Path | None],
                  typist: Any, loader: Any) -> Any:
    """One session of a rehearsal (a round runs several); returns the model loader for the next one."""
    try:
        session = _build_session(root, item, options, spoken, typist, loader)
    except KeyboardInterrupt:
        click.echo("\nStopped before the interview began; nothing was saved.", err=True)
        sys.exit(130)
    screen = session.screen
    try:
        record = session.run()
    except KeyboardInterrupt:
        if session.saved is None:
            click.echo("\nStopped before the interview began; nothing was saved.", err=True)
        else:
            click.echo(f"\nStopped. Everything recorded so far is saved as an interrupted session in "
                       f"{session.saved.path}.", err=True)
        sys.exit(130)
    except UserError as exc:
        if session.saved is not None:
            exc = type(exc)(f"{exc} The session so far is kept in {session.saved.path}.")
        raise exc from None
    finally:
        if item.resume_text is not None and session.saved is not None:
            from simulator.practice.run import keep_resume

            screen.notice(f"Your résumé is kept with the session in {keep_resume(session.saved, item.resume_text)}")
    from simulator.review.report import design_section_lines, followup_lines, summarize, summary_lines, walkthrough_lines

    summary = summarize(record)
    screen.notice("")
    if summary is not None:
        for line in summary_lines(summary):
            screen.notice(line)
    from simulator.review.dialogue import marker_lines

    for line in (walkthrough_lines(record, options.keep_fillers) + design_section_lines(record) + marker_lines(record)
                 + followup_lines(record)):
        screen.notice(line)
    _diagram_lines(getattr(session, "diagram", None), record, screen)
    review = _review(session.folder)
    _silent_drawing_line(getattr(session, "diagram", None), review, screen)
    _practice_lines(review, session.folder.id, screen)
    screen.notice(f"Session {record.id} saved in {session.folder.path}")
    _write_html_report(review, session.folder.id, screen)
    return getattr(session.transcriber, "loader", None)


def _diagram_lines(diagram: Any, record: Any, screen: Any) -> None:
    """The drawings kept, and the last one held against the walkthrough; a failure costs one warning."""
    if diagram is None or not diagram.snapshots:
        return
    count = len(diagram.snapshots)
    screen.notice(f"Your diagram: {count} drawing{'s' if count != 1 else ''} kept with the session "
                  f"({diagram.latest.diagram.summary()} at the end).")
    try:
        from simulator.diagrams.checks import hold_against
        from simulator.sessions.record import Role

        answer = next((t for t in record.turns if t.role == Role.CANDIDATE), None)
        if answer is None:
            return
        said = answer.analysis.design if answer.analysis is not None else None
        held = hold_against(diagram.latest.diagram, said, answer.text, diagram.latest.at)
    except Exception as exc:  # the session is saved already; `analyze` holds the drawing against it later
        screen.warn(f"Could not check the diagram against your answer ({exc}); `mock-interview analyze "
                    f"{record.id}` tries again.")
        return
    if held:
        from rich.markup import escape

        screen.notice("Your diagram, held against what you said:")
        for finding in held:
            screen.notice(f"  - {escape(finding.detail)}")  # a label is the candidate's text, never markup


def _silent_drawing_line(diagram: Any, review: Review | Exception, screen: Any) -> None:
    """How much of the drawing appeared while the candidate was silent, when they drew and spoke."""
    if diagram is None or not diagram.snapshots or isinstance(review, Exception):
        return
    from rich.markup import escape

    from simulator.review.diagram_view import diagram_view

    view = diagram_view(review)
    if view is not None and view.silent is not None and view.silent.parts:
        screen.notice(f"  {escape(view.silent.sentence())}")


def _review(folder: Any) -> Review | Exception:
    """The session just saved, reviewed once for both the practice lines and the page; or what stopped the
    review, which each of them then reports in its own words."""
    from simulator.review.review import build_review

    try:
        return build_review(folder.read())
    except Exception as exc:  # the session is saved already; a review is only ever a warning away
        return exc


def _practice_lines(review: Review | Exception, session_id: str, screen: Any) -> None:
    """What the session was tailored to, a drill's judgement and the level verdict; a failure costs one warning."""
    from simulator.practice.report import practice_review

    try:
        if isinstance(review, Exception):
            raise review
        lines = practice_review(review).lines()
    except Exception as exc:  # the session is saved already; `report` shows the verdict later
        screen.warn(f"Could not judge the session against the level ({exc}); `mock-interview report "
                    f"{session_id}` tries again.")
        return
    for line in lines:
        screen.notice(line)


def _write_html_report(review: Review | Exception, session_id: str, screen: Any) -> None:
    """Where the walkthrough's time went, and report.html, for a session just saved; a failure costs one
    warning, never the session."""
    from simulator.practice.report import practice_html
    from simulator.review.html import write_report
    from simulator.review.report import budget_line

    try:
        if isinstance(review, Exception):
            raise review
        if review.phases:
            screen.notice(budget_line(review.phases))
        screen.notice(f"Report: {write_report(review, practice_html(review))}")
    except Exception as exc:  # the session is saved already; the page can be made later
        screen.warn(f"Could not write report.html ({exc}); `mock-interview report {session_id} --html` tries again.")


def _build_session(root: Path, item: Planned, options: RehearsalOptions, voice: tuple[str, Path | None],
                   typist: Any, loader: Any) -> Any:
    """Check every input before anything is written, then wire the real parts into the loop."""
    from simulator.audio import read_audio
    from simulator.cli.sources import FileMicrophone, read_typed
    from simulator.cli.ui import EnterWatcher, RichScreen
    from simulator.hearing.loader import ModelLoader
    from simulator.hearing.models import ModelSpec
    from simulator.hearing.transcriber import WhisperTranscriber
    from simulator.hearing.vad import VoiceActivity
    from simulator.interviewer.interview import Interview
    from simulator.interviewer.options import Conduct, Devices, SessionInfo
    from simulator.ports import NO_TRACE, SystemClock, TraceFile
    from simulator.sessions.store import Store

    question, typed = item.question, options.typed
    listen, transcribe = options.listen(item), options.transcribe(item)
    clock = SystemClock()
    trace = TraceFile(clock) if options.trace else NO_TRACE
    answers = [read_audio(path) for path in item.answer_files]
    screen = RichScreen(enter_hint=_stdin_is_terminal() and not item.answer_files)
    # the question is heard first and Whisper is needed only once the answer starts, so the voice starts first
    speaker = _build_voice(options.no_voice, options.output_device, screen, voice, question.prompt)
    microphone: Any = None
    transcriber = None
    if not typed:
        if answers:
            microphone = FileMicrophone(answers, clock, realtime=listen.realtime)
        else:
            from simulator.cli.devices import NO_INPUT, SoundDeviceMicrophone, check_device, parse_device

            microphone = SoundDeviceMicrophone(parse_device(options.input_device))
            check_device(microphone.device, "input", NO_INPUT)
        if loader is None:
            spec = ModelSpec(transcribe.model, options.engine)
            spec.check()  # a missing or broken model is refused before the session folder exists
            loader = ModelLoader(spec).start()
        # an answer file fed at once has no pauses anyone waits through, nor words to lose while the model loads:
        # no quick hearing of questions, and the model is waited for before it
        live = not answers or listen.realtime
        transcriber = WhisperTranscriber(loader, transcribe, stream=options.stream,
                                         vad=VoiceActivity(listen.speech_dbfs), probe=live, trace=trace, live=live)
    diagram = None
    if options.diagram is not None:
        from simulator.diagrams.watch import DiagramWatch

        diagram = DiagramWatch(options.diagram, warn=screen.warn)
    devices = Devices(speaker, clock, screen, transcriber, microphone,
                      typist=(typist or (lambda on_line: read_typed(on_line=on_line))) if typed else None,
                      enter=EnterWatcher().start() if microphone is not None and not answers else None,
                      diagram=diagram, trace=trace)
    info = SessionInfo(transcribe.model, options.engine, transcribe.keep_fillers, item.practice.to_json())
    conduct = Conduct(options.followups,
                      len(answers) if answers else (1 if typed and not _stdin_is_terminal() else None),
                      item.shaper(), options.headphones, options.interviewer)
    return Interview(Store(root), question, devices, listen, info, conduct)


def _stdin_is_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _voice_choice(voice: str | None, model: Path | None) -> tuple[str, Path | None]:
    """--voice and --voice-model as one choice, refused in one sentence before anything is written."""
    if model is None:
        return voice or "espeak", None
    if voice == "espeak":
        raise UserError("--voice-model names a Piper voice; use it with --voice piper, or drop it for espeak.")
    from simulator.interviewer.piper_voice import check_model_file

    return "piper", check_model_file(model.expanduser())


def _build_voice(no_voice: bool, output_device: str | None, screen: Any, choice: tuple[str, Path | None],
                 first: str) -> Any:
    """The interviewer's voice, already rendering the first question while the rest starts up."""
    from simulator.cli.devices import SoundDevicePlayer, parse_device
    from simulator.interviewer.voice_choice import build_voice
    from simulator.interviewer.voices import SilentVoice

    if no_voice:
        return SilentVoice()
    voice = build_voice(*choice, SoundDevicePlayer(parse_device(output_device)), warn=screen.warn)
    voice.prepare(first)
    return voice


COMMANDS = (rehearse,)

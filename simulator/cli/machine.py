"""The commands that check what a rehearsal needs on this machine: devices, doctor, download.

Each imports the devices and models it checks itself, so `--help` never pays for them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from simulator.cli.options import engine_option
from simulator.config import DEFAULT_MODEL, VOICE_MODEL_ENV
from simulator.hearing.engines import DEFAULT_ENGINE


@click.command()
@click.option("--input-device", metavar="ID_OR_NAME", help="Input device to level-check (default: the default).")
@click.option("--seconds", type=click.FloatRange(min=0.5, max=30), default=3.0, show_default=True,
              help="How long the level check listens.")
def devices(input_device: str | None, seconds: float) -> None:
    """List input and output devices and check the input's level."""
    from rich.console import Console
    from rich.table import Table

    from simulator.cli.devices import NO_INPUT, check_device, level_check, list_devices, parse_device

    console = Console()
    found = list_devices()
    table = Table("index", "name", "in", "out", "rate", "default")
    for d in found:
        marks = " ".join(m for m, on in (("input", d["default_input"]), ("output", d["default_output"])) if on)
        table.add_row(str(d["index"]), d["name"], str(d["inputs"]), str(d["outputs"]),
                      f"{d['default_samplerate']:.0f}", marks)
    console.print(table)
    device = parse_device(input_device)
    check_device(device, "input", NO_INPUT)
    console.print(f"Checking the input level for {seconds:g} seconds: say something...")
    peak = level_check(device, seconds)
    advice = ("no sound at all: check the microphone is unmuted and selected" if peak <= -90 else
              "very quiet: move closer or raise the input volume" if peak < -40 else
              "clipping: lower the input volume" if peak > -1 else "good")
    console.print(f"Peak input level {peak:.1f} dBFS: {advice}.")
    from simulator.cli.doctor import voice_checks

    console.print("Interviewer voices (pick one with --voice):")
    _echo_checks(voice_checks(_env_voice_model()))


@click.command()
@click.option("--model", default=DEFAULT_MODEL, show_default=True, metavar="NAME_OR_PATH")
@engine_option
@click.option("--voice-model", type=click.Path(path_type=Path), envvar=VOICE_MODEL_ENV, show_envvar=True,
              metavar="PATH", help="Check this Piper voice instead of the bundled one.")
def doctor(model: str, engine: str, voice_model: Path | None) -> None:
    """Check, one line each, that the parts a rehearsal needs are here, and say how to fix what is not."""
    from simulator.cli.doctor import run_checks

    sys.exit(0 if _echo_checks(run_checks(model, voice_model, engine=engine)) else 1)


def _echo_checks(checks: list[Any]) -> bool:
    """One line per check; whether every part that is not optional is there."""
    ok = True
    for check in checks:
        ok &= check.ok or check.optional
        mark = (click.style("ok  ", fg="green") if check.ok else click.style("--  ", fg="yellow") if check.optional
                else click.style("MISSING", fg="red"))
        click.echo(f"{mark} {check.name}: {check.detail}")
    return ok


def _env_voice_model() -> Path | None:
    import os

    value = os.environ.get(VOICE_MODEL_ENV)
    return Path(value).expanduser() if value else None


@click.command()
@click.option("--model", default=DEFAULT_MODEL, show_default=True, metavar="NAME",
              help="Whisper model name to fetch into the model cache.")
@engine_option
def download(model: str, engine: str) -> None:
    """Download a Whisper model once (needs the internet); rehearsals then run offline."""
    from simulator.hearing.models import download_model

    where = download_model(model, engine)
    click.echo(f"Whisper model {model}{'' if engine == DEFAULT_ENGINE else f' for {engine}'} is ready at {where}.")


COMMANDS = (devices, doctor, download)

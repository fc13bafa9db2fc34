"""What the commands share: --home, which finds the data folder and recovers killed sessions in it first, and
--engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from simulator.config import default_home
from simulator.hearing.engines import DEFAULT_ENGINE, ENGINE_ENV
from simulator.vocab import Engine


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
    from simulator.sessions.recovery import recover
    from simulator.sessions.store import Store

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


def engine_option(f: Any) -> Any:
    """--engine: which engine runs Whisper; the same for rehearse, doctor and download."""
    return click.option("--engine", type=click.Choice(Engine.values()), default=DEFAULT_ENGINE.value,
                        envvar=ENGINE_ENV, show_envvar=True, show_default=True,
                        help="What runs Whisper: whisper (openai-whisper on PyTorch) or faster-whisper (CTranslate2, "
                             "int8; under half the memory; the fast extra).")(f)

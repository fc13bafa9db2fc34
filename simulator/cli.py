"""The command line: the `mock-interview` group and what every command shares.

The commands live in cli_rehearse (the rehearsal and the checks of its
devices and model) and cli_review (everything that reads saved sessions).
Heavy imports (rich, sounddevice, whisper, torch) happen inside the commands
that need them, so `--help` and the review commands start at once.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from . import __version__
from .config import default_home
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


def main() -> None:
    cli(prog_name="mock-interview")


from . import cli_rehearse, cli_review  # noqa: E402,F401  the commands register themselves on `cli`

if __name__ == "__main__":  # pragma: no cover
    main()

"""The command line: the `mock-interview` group and what every command shares.

The commands live in rehearse (the rehearsal), machine (the checks of its
devices and model), review (everything that reads saved sessions) and practice;
their shared options are in options.
Heavy imports (rich, sounddevice, whisper, torch) happen inside the commands
that need them, so `--help` and the review commands start at once.
"""

from __future__ import annotations

from typing import Any

import click

from simulator import __version__
from simulator.cli import machine as cli_machine
from simulator.cli import practice as cli_practice
from simulator.cli import rehearse as cli_rehearse
from simulator.cli import review as cli_review
from simulator.errors import UserError


class Group(click.Group):
    """Turns a UserError from any command into one line on stderr and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mock-interview")
def cli() -> None:
    """Rehearse system design interview answers aloud, locally.

    The interviewer asks a question, you answer into the microphone, and the
    answer is recorded, transcribed with Whisper and timed against the
    8-12 minute target. Every session is kept in the data folder.
    """


for _command in (*cli_rehearse.COMMANDS, *cli_machine.COMMANDS, *cli_review.COMMANDS, *cli_practice.COMMANDS):
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="mock-interview")

if __name__ == "__main__":  # pragma: no cover
    main()

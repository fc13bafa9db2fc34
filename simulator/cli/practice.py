"""The commands that say what to practise and how a round went: plan and round. Like the review commands
they read saved sessions only, so they load neither Whisper nor torch."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from simulator.cli.options import home_option, resolve_home
from simulator.config import ROLES
from simulator.errors import UserError


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object.")
@click.option("--role", type=click.Choice(ROLES), help="Suggest this role's questions.")
@click.option("--company", metavar="NAME", help="Suggest the questions this company is known to ask.")
@click.option("--on", "on", metavar="YYYY-MM-DD", help="Plan as of this day (default: today).")
@home_option
def plan(as_json: bool, role: str | None, company: str | None, on: str | None, home: Path | None) -> None:
    """What to practise next: the steps you skip or cover thinly most, each due again 1, 3, 7 and 14 days
    after the last miss, with the question and the drill to practise it."""
    from simulator.practice.plan import build_plan, print_plan
    from simulator.practice.tailoring import find_company
    from simulator.questions import load_bank
    from simulator.sessions.store import Store

    today = None
    if on is not None:
        try:
            today = date.fromisoformat(on)
        except ValueError:
            raise UserError(f"--on {on!r} is not a date; write it as YYYY-MM-DD.") from None
    if company is not None:
        find_company(company)
    root = resolve_home(home)
    found = build_plan(Store(root), load_bank(root), today, role, company)
    if as_json:
        click.echo(json.dumps(found.to_json(), indent=2, ensure_ascii=False))
        return
    if found.sessions == 0:
        click.echo("No judged sessions yet. Start with `mock-interview rehearse`; the plan grows from them.")
        return
    from rich.console import Console

    print_plan(Console(highlight=False), found)


@click.command(name="round")
@click.argument("ref", metavar="ROUND", default="last")
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object.")
@click.option("--html", "as_html", is_flag=True, help="Write rounds/ROUND.html into the data folder.")
@home_option
def round_(ref: str, as_json: bool, as_html: bool, home: Path | None) -> None:
    """A round's report: each question's walkthrough, steps and verdict against the level's bar, and the
    round overall. ROUND is a round id or `last` (the default)."""
    from simulator.practice.round import build_round, write_round_html
    from simulator.sessions.store import Store

    root = resolve_home(home)
    found = build_round(Store(root), ref)
    if as_json:
        click.echo(json.dumps(found.to_json(), indent=2, ensure_ascii=False))
    if as_html:
        click.echo(str(write_round_html(found, root)), err=as_json)
    if as_json or as_html:
        return
    for line in found.lines():
        click.echo(line)


COMMANDS = (plan, round_)

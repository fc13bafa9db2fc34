"""rehearse's command line as one value: built from click's arguments as they are, and the settings each
session of the rehearsal runs with."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from simulator.cli.rehearse import rehearse
from simulator.config import ListenSettings
from simulator.practice.run import Options, Planned, RehearsalOptions
from simulator.practice.tailoring import Practice
from simulator.questions import Question

QUESTION = Question("url-shortener", "design", "URL shortener", "Design a URL shortener.", terms=("base62",))


def test_every_option_of_the_command_is_a_field_and_every_field_an_option(tmp_path: Path) -> None:
    assert {p.name for p in rehearse.params} == {f.name for f in dataclasses.fields(RehearsalOptions)}
    with rehearse.make_context("rehearse", ["--home", str(tmp_path)]) as ctx:
        given = dict(ctx.params)
    assert RehearsalOptions(**given) == RehearsalOptions(home=tmp_path)  # the command's defaults are the options' own
    asked = ["--type", "--level", "staff", "--no-stream", "--home", str(tmp_path)]
    with rehearse.make_context("rehearse", asked) as ctx:
        chosen = RehearsalOptions(**ctx.params)
    assert chosen.typed and chosen.level == "staff" and not chosen.stream


def test_the_practice_part_is_the_options_the_plan_takes() -> None:
    resume = Path("cv.md")
    options = RehearsalOptions(question_id="q", kind="design", role="backend", company="acme", level="staff",
                               drill="scale", round_size=3, resume_path=resume, keep_resume=True)
    assert options.practice == Options("q", "design", "backend", "acme", "staff", "scale", 3, resume, True)


def test_each_session_listens_and_transcribes_as_asked() -> None:
    drill = Planned(QUESTION, Practice(), max_seconds=120.0)
    free = Planned(QUESTION, Practice())
    options = RehearsalOptions(max_seconds=300.0, end_silence=4.0, realtime=True, decode_limit=8, keep_fillers=True)
    assert options.listen(drill) == ListenSettings(end_silence=4.0, max_seconds=120.0, realtime=True)
    assert options.listen(free).max_seconds == 300.0
    assert RehearsalOptions().listen(free).max_seconds is None
    assert RehearsalOptions(no_stream=True).listen(free).reply_within is None and not RehearsalOptions(
        no_stream=True).stream
    heard = options.transcribe(drill)
    assert heard.sample_len == 8 and not heard.temperature_fallback and heard.keep_fillers
    assert heard.vocabulary is not None and heard.vocabulary.endswith(". URL shortener: base62.")
    assert heard.vocabulary.startswith("Postgres, MySQL, Redis"), "common technology names come before the question's"
    assert RehearsalOptions().transcribe(free).temperature_fallback

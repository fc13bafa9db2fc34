"""mock-interview plan: from a history fixture, the steps skipped or thin, each due again 1, 3, 7 and 14 days
after the last miss, and the question and drill to practise it with."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from simulator.cli.main import cli

from .support.history_fixture import NO_CLARIFY, STRONG, Past, write_history
from .support.imports import heavy_imports


def plan(home: Path, *args: str) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(cli, ["plan", "--json", *args, "--home", str(home)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def step(found: dict, name: str) -> dict | None:  # type: ignore[type-arg]
    return next((s for s in found["steps"] if s["step"] == name and s["kind"] == "design"), None)


def test_a_missed_step_comes_back_1_3_7_and_14_days_after_the_miss(tmp_path: Path) -> None:
    history = [Past("2026-03-01", NO_CLARIFY, "notification-system")]
    good = ["2026-03-02", "2026-03-04", "2026-03-08"]
    dues = ["2026-03-02", "2026-03-04", "2026-03-08", "2026-03-15"]
    for number in range(len(good) + 1):
        home = write_history(tmp_path / f"h{number}", history + [Past(d, STRONG) for d in good[:number]])
        clarify = step(plan(home, "--on", "2026-03-02"), "clarify")
        assert clarify is not None and clarify["due"] == dues[number] and clarify["streak"] == number
        assert (clarify["skipped"], clarify["judged"]) == (1, number + 1)
    home = write_history(tmp_path / "learned", history + [Past(d, STRONG) for d in [*good, "2026-03-15"]])
    assert step(plan(home), "clarify") is None  # covered well four times running: learned


def test_a_new_miss_starts_the_count_again_and_thin_counts_as_a_miss(tmp_path: Path) -> None:
    home = write_history(tmp_path, [Past("2026-03-01", NO_CLARIFY, "notification-system"),
                                    Past("2026-03-02", STRONG), Past("2026-03-05", NO_CLARIFY, "notification-system")])
    found = plan(home, "--on", "2026-03-06")
    clarify = step(found, "clarify")
    assert clarify is not None and (clarify["last_miss"], clarify["due"], clarify["due_now"]) == \
        ("2026-03-05", "2026-03-06", True)
    summary = step(found, "summary")
    assert summary is not None and summary["thin"] == 2 and summary["skipped"] == 0


def test_a_step_only_mentioned_is_practised_again_as_thin_not_as_skipped(tmp_path: Path) -> None:
    # "Obviously it should scale ... we'd make sure all of this scales": scale named, never done
    home = write_history(tmp_path, [Past("2026-03-01", "d11-video-streaming-passing-mentions", "video-streaming")])
    scale = step(plan(home, "--on", "2026-03-02"), "scale")
    assert scale is not None and (scale["thin"], scale["skipped"]) == (1, 0)
    summary = step(plan(home, "--on", "2026-03-02"), "summary")  # no closing summary at all: skipped
    assert summary is not None and (summary["thin"], summary["skipped"]) == (0, 1)


def test_the_plan_names_the_next_question_and_drill(tmp_path: Path) -> None:
    home = write_history(tmp_path, [Past("2026-03-01", NO_CLARIFY, "notification-system")])
    found = plan(home, "--on", "2026-03-03")
    clarify = step(found, "clarify")
    assert clarify is not None and clarify["drill"] == "clarify"
    assert found["steps"][0]["step"] == "clarify"  # the most overdue first
    assert found["next_command"] == f"mock-interview rehearse --drill clarify --question {found['next_question']}"
    assert found["next_question"] != "notification-system"  # a fresh question, not the one just practised
    frontend = plan(home, "--on", "2026-03-03", "--role", "frontend")
    assert frontend["next_question"].startswith("frontend-")
    printed = CliRunner().invoke(cli, ["plan", "--on", "2026-03-03", "--home", str(home)]).stdout
    assert "clarify" in printed and f"Next: {found['next_command']}" in printed


def test_a_drill_counts_only_for_its_own_steps(tmp_path: Path) -> None:
    """A clarify drill that never designed anything is no miss of the architecture."""
    home = write_history(tmp_path, [Past("2026-03-01", NO_CLARIFY, "notification-system"),
                                    Past("2026-03-02", STRONG, practice={"drill": "clarify"})])
    found = plan(home, "--on", "2026-03-02")
    clarify = step(found, "clarify")
    assert clarify is not None and clarify["streak"] == 1 and clarify["judged"] == 2
    summary = step(found, "summary")
    assert summary is not None and summary["judged"] == 1


def test_no_history_says_how_to_start_and_plan_loads_no_engine(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["plan", "--home", str(tmp_path)])
    assert result.exit_code == 0 and "No judged sessions yet" in result.stdout
    home = write_history(tmp_path / "h", [Past("2026-03-01", NO_CLARIFY, "notification-system")])
    heavy, _ = heavy_imports(["plan", "--home", str(home)], ["round", "last", "--home", str(home)],
                             expect_success=False)
    assert heavy == []

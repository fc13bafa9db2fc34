"""The arithmetic checks on the frozen estimate cases (tests/corpus/estimates.toml, labelled before the rules
were written): every slip of three times or more is caught and named as labelled, and no correct estimate,
standard approximations included, is flagged."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from simulator.judging.design.checks import check_design
from simulator.judging.design.arithmetic import check_estimates
from simulator.judging.design.model import Design, Figure, Quote

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CASES = tomllib.loads((Path(__file__).parent / "corpus" / "estimates.toml").read_text(encoding="utf-8"))["case"]


def _figures(case: dict) -> list[Figure]:
    quote = Quote(case["said"])
    return [Figure(float(f["value"]), f["unit"], f.get("period"), quote, f["said"]) for f in case["figures"]]


def _name(slip) -> str:
    if slip.rule != "arithmetic":
        return slip.rule
    return slip.classic.name if slip.classic is not None else "off"


def test_the_frozen_set_has_correct_estimates_and_every_classic_slip():
    slips = {c["slip"] for c in CASES}
    assert len(CASES) >= 25
    assert sum(c["slip"] == "" for c in CASES) >= 10
    assert {"day_month", "day_second", "bits_bytes", "thousand_million", "average_as_peak",
            "replication_left_out", "retention_left_out", "off"} <= slips


@pytest.mark.parametrize("case", [c for c in CASES if c["slip"] == ""], ids=lambda c: c["id"])
def test_a_correct_estimate_is_not_flagged(case):
    assert check_estimates(_figures(case)) == []


@pytest.mark.parametrize("case", [c for c in CASES if c["slip"]], ids=lambda c: c["id"])
def test_a_slip_is_caught_once_and_named(case):
    slips = check_estimates(_figures(case))
    assert [_name(s) for s in slips] == [case["slip"]]


def test_the_finding_quotes_the_figure_and_says_what_it_comes_to():
    case = next(c for c in CASES if c["id"] == "off-zero-dropped")
    [finding] = check_design(Design(figures=_figures(case)))
    assert finding.rule == "arithmetic"
    assert finding.quote.text == case["said"]
    assert "“100 writes a second”" in finding.detail and "about 1,160 a second" in finding.detail
    assert finding.slip is None


def test_a_classic_slip_is_named_in_the_finding():
    case = next(c for c in CASES if c["id"] == "month-taken-for-day")
    [finding] = check_design(Design(figures=_figures(case)))
    assert finding.slip == "day_month"
    assert "a day and a month mixed up" in finding.detail and "about 38.6 a second" in finding.detail

"""The domain's words: each enum holds exactly the names the data and the saved files use, and writes them as
the plain strings they replaced."""

from __future__ import annotations

import json
import sys
from importlib import resources
from typing import Any

import pytest

from simulator.hearing import endpoint
from simulator.vocab import (
    BarVerdict,
    CheckVerdict,
    DrillVerdict,
    EndReason,
    Engine,
    InterjectionRule,
    Kind,
    MistakeCode,
    Persona,
    Step,
    StepOutcome,
    Target,
    Word,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FAMILIES: list[type[Word]] = [Kind, Step, MistakeCode, Target, EndReason, Engine, Persona, InterjectionRule,
                              CheckVerdict, BarVerdict, DrillVerdict, StepOutcome]


def _prompt(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files("simulator.prompts").joinpath(name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.__name__)
def test_a_word_is_written_as_its_plain_value(family: type[Word]) -> None:
    for member in family:
        value = member.value
        assert member == value and hash(member) == hash(value) and {value: 1}[member] == 1
        assert str(member) == f"{member}" == "%s" % member == "{}".format(member) == value
        assert f"{member:>30}" == f"{value:>30}"
        assert json.dumps(member) == json.dumps(value)
        assert json.dumps({member: [member]}, indent=2) == json.dumps({value: [value]}, indent=2)
        assert family(value) is member
    assert family.values() == tuple(m.value for m in family)


def test_the_kinds_and_steps_are_the_rubrics() -> None:
    rubric = _prompt("rubric.toml")
    assert set(Kind.values()) <= set(rubric)
    assert [s for kind in Kind for s in rubric[kind]] == list(Step.values())
    assert set(rubric["mistakes"]) == set(MistakeCode.values())


def test_every_target_in_the_data_is_a_target_and_every_step_and_mistake_is_one() -> None:
    design = {"design_finding", "design_probe"}  # the follow-ups on the candidate's own design
    assert set(Step.values()) | set(MistakeCode.values()) | {"constraint_change"} | design == set(Target.values())
    found = {str(entry["target"]) for entry in _prompt("followups.toml")["followup"]}
    for name, section in (("roles.toml", "role"), ("companies.toml", "company"), ("levels.toml", "level")):
        found |= {str(f["target"]) for item in _prompt(name)[section].values() for f in item.get("followups", [])}
    found |= {t for company in _prompt("companies.toml")["company"].values() for t in company["first"]}
    assert found <= set(Target.values())
    assert "constraint_change" in found


def test_the_personas_and_rules_are_the_interviewers() -> None:
    data = _prompt("interviewer.toml")
    assert set(data["persona"]) == set(Persona.values())
    assert set(data["rule"]) == set(InterjectionRule.values())
    assert {r for p in data["persona"].values() for r in p["rules"]} <= set(InterjectionRule.values())


def test_the_end_reasons_are_the_endpoints() -> None:
    assert {endpoint.ENTER, endpoint.SILENCE, endpoint.TIME_LIMIT, endpoint.SOURCE_ENDED,
            endpoint.DEVICE_LOST, endpoint.CLOSING_CUE} | {"typed"} == set(EndReason.values())
    assert (EndReason.ENTER, EndReason.SILENCE, EndReason.TIME_LIMIT, EndReason.SOURCE_ENDED,
            EndReason.DEVICE_LOST) == (endpoint.ENTER, endpoint.SILENCE, endpoint.TIME_LIMIT, endpoint.SOURCE_ENDED,
                                       endpoint.DEVICE_LOST)

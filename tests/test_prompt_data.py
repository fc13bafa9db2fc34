"""The program's own data files, read one way: parsed once, shared, and a broken one named by its caller."""

from __future__ import annotations

import pytest

from simulator import prompt_data


def test_a_data_file_is_read_once_and_shared() -> None:
    rubric = prompt_data.load("rubric.toml")
    assert "design" in rubric and "experience" in rubric
    assert prompt_data.load("rubric.toml") is rubric


def test_a_file_in_a_folder_is_named_by_its_parts() -> None:
    topics = prompt_data.load("factsheets", "topics.toml")
    assert topics["topic"] and "handback" in topics
    assert prompt_data.path("factsheets", "topics.toml").is_file()


def test_broken_toml_raises_the_error_callers_catch() -> None:
    assert prompt_data.parse('a = "b"') == {"a": "b"}
    with pytest.raises(prompt_data.TOMLDecodeError):
        prompt_data.parse("a = ")

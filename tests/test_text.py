"""Text read back the one shared way: sentences as judging, the interviewer, drills and reviews cut them."""

from __future__ import annotations

from simulator.text import split_sentences


def test_sentences_end_at_a_stop_a_question_or_an_exclamation_followed_by_space() -> None:
    text = "How many users? About ten million!  I'd shard by key. Version 2.5 ships"
    assert split_sentences(text) == ["How many users?", "About ten million!", "I'd shard by key.", "Version 2.5 ships"]


def test_flattening_runs_whitespace_together_and_without_it_a_sentence_keeps_its_spacing() -> None:
    text = "  First  line\nstill first.\n\nSecond.  "
    assert split_sentences(text) == ["First line still first.", "Second."]
    assert split_sentences(text, flatten=False) == ["First  line\nstill first.", "Second."]


def test_blank_text_has_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\t ", flatten=False) == []

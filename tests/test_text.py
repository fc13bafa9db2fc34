"""Text read back the one shared way: sentences as judging, the interviewer, drills and reviews cut them."""

from __future__ import annotations

from simulator.text import shorten, split_sentences


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


def test_a_long_quote_is_cut_to_the_limit_with_an_ellipsis_and_a_short_one_is_left_alone() -> None:
    assert shorten("We shard by user id.", 20) == "We shard by user id."
    cut = shorten("We shard by user id because reads stay on one shard", 20)
    assert cut == "We shard by user id…" and len(cut) <= 20
    assert shorten("one two   three", 9) == "one two…"  # no space is left before the ellipsis
    assert shorten("one\n  two three four", 12, flatten=True) == "one two thr…"

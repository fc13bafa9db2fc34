"""The question bank: the built-in prompts, the user's own, and one-line errors for bad files."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from simulator.errors import UserError
from simulator.questions import load_bank, parse_bank, pick

GOOD = """
[[question]]
id = "my-cache"
kind = "design"
title = "Distributed cache"
prompt = "Design a distributed cache."
followups = ["What happens when a cache node dies?"]
"""


def test_the_built_in_bank_has_the_prompts_candidates_rehearse() -> None:
    bank = {q.id: q for q in load_bank()}
    for qid in ("url-shortener", "chat-app", "notification-system", "system-you-designed"):
        assert qid in bank
    assert bank["system-you-designed"].kind == "experience"
    assert all(q.prompt and q.title for q in bank.values())


def test_user_questions_sit_beside_the_built_in_ones(tmp_path: Path) -> None:
    (tmp_path / "questions").mkdir()
    (tmp_path / "questions" / "mine.toml").write_text(GOOD)
    bank = {q.id: q for q in load_bank(tmp_path)}
    assert bank["my-cache"].source == "user"
    assert bank["my-cache"].followups == ("What happens when a cache node dies?",)
    assert bank["url-shortener"].source == "built-in"


@pytest.mark.parametrize("text, words", [
    ("[[question]\nid=", "not valid TOML"),
    ("", r"no \[\[question\]\] entries"),
    ('[[question]]\nid = "x"\nkind = "design"\ntitle = "X"\n', "has no prompt"),
    ('[[question]]\nid = "x"\nkind = "quiz"\ntitle = "X"\nprompt = "P"\n', "kind 'quiz'"),
    ('[[question]]\nid = "x y"\nkind = "design"\ntitle = "X"\nprompt = "P"\n', "spaces"),
    ('[[question]]\nid = "x"\nkind = "design"\ntitle = "X"\nprompt = "P"\nfollowups = "no"\n', "followups"),
])
def test_a_malformed_bank_file_is_one_line_naming_the_file(text: str, words: str) -> None:
    with pytest.raises(UserError, match=words) as info:
        parse_bank(text, "/home/me/questions/bad.toml")
    assert "bad.toml" in str(info.value) and "\n" not in str(info.value)


def test_a_duplicate_id_names_both_files(tmp_path: Path) -> None:
    (tmp_path / "questions").mkdir()
    (tmp_path / "questions" / "dup.toml").write_text(GOOD.replace("my-cache", "url-shortener"))
    with pytest.raises(UserError, match="appears twice") as info:
        load_bank(tmp_path)
    assert "dup.toml" in str(info.value) and "design.toml" in str(info.value)


def test_pick_by_id_by_kind_and_unknown() -> None:
    bank = load_bank()
    assert pick(bank, "chat-app").id == "chat-app"
    for seed in range(10):
        assert pick(bank, kind="experience", rng=random.Random(seed)).kind == "experience"
    with pytest.raises(UserError, match="no question 'nope'"):
        pick(bank, "nope")

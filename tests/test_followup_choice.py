"""Choosing the next follow-up as a pure function: the plan's first gap not pressed yet, one question per gap."""

from __future__ import annotations

from simulator.interviewer.followup_choice import Shape, choose_followup
from simulator.judging.analysis import analyze_text
from simulator.judging.followups import FollowUp
from simulator.questions import load_bank, pick
from simulator.sessions.record import Role, Turn, TurnKind

QUESTION = pick(load_bank(), "url-shortener")
SAID = "I would use a cache and a database. We store links in Postgres with a load balancer in front."
CHANGE = FollowUp("constraint_change", "Now suppose traffic grows tenfold overnight. What changes?", "constraint")
SCALE = FollowUp("scale", "Where is the bottleneck?", "missing")


def prompt() -> Turn:
    return Turn(Role.INTERVIEWER, QUESTION.prompt, "prompt-01.wav", 0.0, 4.0, kind=TurnKind.PROMPT)


def answer(seconds: float = 60.0, audio: str | None = "answer-01.wav") -> Turn:
    return Turn(Role.CANDIDATE, SAID, audio, 4.0, 4.0 + seconds)


def followup(target: str, text: str) -> Turn:
    return Turn(Role.INTERVIEWER, text, None, 70.0, 74.0, target, kind=TurnKind.FOLLOWUP)


def only(*options: FollowUp) -> Shape:
    """A shape that replaces the plan, so the choice among known options is what is tested."""
    return lambda planned, asked: list(options)


def test_the_first_gap_of_the_plan_is_asked_and_once_pressed_the_next() -> None:
    analysis = analyze_text(SAID, "design")
    first = choose_followup(analysis, QUESTION, [prompt(), answer()], seed="s")
    assert first is not None and first.target == "clarify"
    turns = [prompt(), answer(), followup(first.target, first.question), answer()]
    second = choose_followup(analysis, QUESTION, turns, seed="s")
    assert second is not None and second.target != "clarify"


def test_a_gap_pressed_in_other_words_is_not_pressed_again() -> None:
    turns = [prompt(), answer(), followup("scale", "What breaks first as traffic grows?"), answer()]
    other = FollowUp("scale", "How do short codes never collide?", "specific")
    data = FollowUp("data", "What gets written where?", "missing")
    chosen = choose_followup(analyze_text(SAID, "design"), QUESTION, turns, seed="s", shape=only(other, data))
    assert chosen == data


def test_a_requirement_changed_mid_answer_counts_as_the_constraint_change_already_pressed() -> None:
    analysis = analyze_text(SAID, "design")
    turns = [prompt(), answer()]
    assert choose_followup(analysis, QUESTION, turns, seed="s", shape=only(CHANGE, SCALE)) == CHANGE
    change = Turn(Role.INTERVIEWER, "Say links now expire after a day.", None, 30.0, 33.0, kind=TurnKind.CHANGE)
    turns = [prompt(), change, answer()]
    assert choose_followup(analysis, QUESTION, turns, seed="s", shape=only(CHANGE, SCALE)) == SCALE


def test_nothing_is_asked_when_every_gap_was_pressed() -> None:
    turns = [prompt(), answer(), followup("scale", SCALE.question), answer()]
    assert choose_followup(analyze_text(SAID, "design"), QUESTION, turns, seed="s", shape=only(SCALE)) is None


def test_a_spoken_walkthrough_past_the_limit_is_told_so_first_but_a_typed_one_is_not() -> None:
    analysis = analyze_text(SAID, "design")
    long = choose_followup(analysis, QUESTION, [prompt(), answer(seconds=100.0)], seed="s", limit=90.0)
    assert long is not None and long.target == "over_time"
    short = choose_followup(analysis, QUESTION, [prompt(), answer(seconds=80.0)], seed="s", limit=90.0)
    assert short is not None and short.target != "over_time"
    typed = choose_followup(analysis, QUESTION, [prompt(), answer(seconds=100.0, audio=None)], seed="s", limit=90.0)
    assert typed is not None and typed.target != "over_time"


def test_the_shape_sees_what_was_asked_and_the_choice_is_the_same_for_the_same_seed() -> None:
    seen: list[list[str]] = []

    def shape(options: list[FollowUp], asked: list[str]) -> list[FollowUp]:
        seen.append(asked)
        return options

    analysis = analyze_text(SAID, "design")
    turns = [prompt(), answer()]
    assert choose_followup(analysis, QUESTION, turns, seed="s", shape=shape) == \
        choose_followup(analysis, QUESTION, turns, seed="s")
    assert seen == [[QUESTION.prompt]]

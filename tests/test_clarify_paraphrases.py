"""Clarifying questions asked in the candidate's own words, or as tiny.en writes them, still get the sheet's answer.

Each case is a general rule (a phrase said another way, a setting before the question, a question whisper
closed with a full stop, a misheard "to assume"), shown on one sheet; statements stay unanswered.
"""

from __future__ import annotations

import pytest

from simulator.interviewer.asking import asked_part, form_of, trailing_questions
from simulator.interviewer.clarifications import reply
from simulator.interviewer.factsheets import sheet_for
from simulator.questions import load_bank, pick


def answer_to(question_id: str, said: str) -> str | None:
    question = pick(load_bank(), question_id)
    sheet = sheet_for(question.id, question.kind)
    asked = trailing_questions(said, sheet)
    return reply(asked, sheet).text if asked else None


@pytest.mark.parametrize("question_id, said, expected", [
    ("file-storage", "How large can a single file be?", "fifty gigabytes"),  # "how large" is the sheet's "how big"
    ("key-value-store", "How large can a value get?", "Values up to a megabyte"),  # "values" meets "value"
    ("payment-system", "How much time do the transactions stay around?", "seven years"),  # "how long"
    ("chat-app", "What does peak traffic look like compared to the average?", "three times that at peak"),
    ("rate-limiter", "What happens to a client that sends too many requests?", "429"),
    ("distributed-cache", "What if a node runs out of memory?", "Least recently used eviction"),
    ("scaling-story", "Can I talk about a system where I was one of several engineers?", "which parts were yours"),
])
def test_a_question_in_other_words_than_the_sheets_gets_the_sheets_answer(question_id: str, said: str,
                                                                          expected: str) -> None:
    answer = answer_to(question_id, said)
    assert answer is not None and expected in answer, answer


@pytest.mark.parametrize("question_id, said, expected", [
    ("ticket-booking", "Once someone picks a seat, how much time do they get to pay?", "held for ten minutes"),
    ("backend-webhooks", "If an endpoint is down, how long do we keep retrying?", "Retry with backoff"),
])
def test_the_sheet_answers_the_question_not_the_setting_before_it(question_id: str, said: str, expected: str) -> None:
    """"Once someone picks a seat, ..." names the seat point; what is asked is how long the hold lasts."""
    answer = answer_to(question_id, said)
    assert answer is not None and expected in answer, answer


def test_a_setting_is_dropped_only_when_a_question_follows_it() -> None:
    assert asked_part("If an endpoint is down, how long do we keep retrying?") == "how long do we keep retrying?"
    assert asked_part("If a client goes over the limit, we return an error?") == \
        "If a client goes over the limit, we return an error?"


@pytest.mark.parametrize("question_id, heard, expected", [
    ("photo-sharing", "Can account sleep private.", "public or private"),
    ("mobile-photo-upload", "Should upload only happen on Wi-Fi or is mobile data fine too.", "Wi-Fi only by default"),
    ("leaderboard", "Do scores reset every season. And what happens with ties.", "Ties go to"),
    ("leaderboard", "Goosecores reset every season, and what happens with ties.", "Ties go to"),
    ("notification-system", "Our new priorities between messages and which channels do we send on.",
     "Push, email and text"),
])
def test_a_question_whisper_closed_with_a_full_stop_is_answered_when_the_sheet_knows_it(
        question_id: str, heard: str, expected: str) -> None:
    answer = answer_to(question_id, heard)
    assert answer is not None and expected in answer, answer


@pytest.mark.parametrize("question_id, said", [
    ("distributed-cache", "Should the cache die, the database takes the load."),
    ("photo-sharing", "We store each photo in three sizes. Can be private or public, either way the same."),
    ("leaderboard", "Scores reset every season, and ties go to whoever got there first."),
    ("rate-limiter", "If a client goes over the limit, we return an error and tell it when to retry."),
    ("chat-app", "Is what I'd do next is shard the messages."),
    ("distributed-cache", "Should a node fail, its keys move to the next node on the ring."),
    ("leaderboard", "What happens with ties is simple: whoever got there first ranks higher."),
])
def test_statements_that_open_like_those_questions_get_no_reply(question_id: str, said: str) -> None:
    assert answer_to(question_id, said) is None


@pytest.mark.parametrize("heard", ["Is it fair-tosu marketing messages can be delayed a bit?",
                                   "Is it fair to soon marketing messages can be delayed a bit?",
                                   "Is it fair to assume marketing messages can be delayed a bit?"])
def test_fair_to_assume_is_recognised_as_tiny_en_mishears_it_and_the_sheet_answers_its_substance(heard: str) -> None:
    assert form_of(heard) == "assume"
    answer = answer_to("notification-system", heard)
    assert answer is not None and "marketing can be slow" in answer, answer


def test_okay_to_use_is_not_an_assumption() -> None:
    assert form_of("Is it okay to use rough numbers?") is None


def test_the_choices_said_after_a_question_are_part_of_it() -> None:
    """tiny.en ends the question before its choices: "...need? At least once or exactly once." is one question."""
    heard = "What the delivery guarantee do consumers need? At least once or exactly once."
    answer = answer_to("message-queue", heard)
    assert answer is not None and "At least once delivery" in answer, answer
    assert answer_to("message-queue", "What guarantee do consumers need? We could use either, or both.") is None


def test_a_question_after_a_colon_still_asks() -> None:
    """"What happens with ties is simple: ..." is announced and answered by the candidate; a question after a
    colon is not."""
    answer = answer_to("url-shortener", "Quick question: do we need custom aliases.")
    assert answer is not None and "Custom aliases" in answer, answer


@pytest.mark.parametrize("question_id, said, expected", [
    ("url-shortener", "Can people pick their own short link, and do the links ever go away?",
     ["Custom aliases", "optional expiry date"]),
    ("payment-system", "Do we take money in other countries? And can buyers get their money back?",
     ["Several currencies", "Refunds"]),
    ("web-crawler", "Do we have to run the scripts on each page? And how often do we visit a site again?",
     ["Plain HTML only", "News sites daily"]),
    ("ecommerce-checkout", "Can shoppers use a coupon code? And what if we run out of an item?",
     ["Discount codes", "Stock is limited"]),
    ("job-scheduler", "How long can a single job take, and can one job wait for another?",
     ["seconds up to a few hours", "No dependencies"]),
    ("notification-system", "What if a user gets the same alert two times?", ["same notification twice"]),
    ("video-streaming", "Will the viewers be all over the world?", ["Viewers are worldwide"]),
    ("rate-limiter", "Do paying customers get a higher limit?", ["different plans get different limits"]),
    ("ride-sharing", "Can two riders going the same way share one car?", ["Single rides only"]),
    ("news-feed", "Should the feed be sorted by time, or by what's popular?", ["Ranked by a simple score"]),
    ("search-autocomplete", "Do we need to hide rude suggestions?", ["offensive suggestions"]),
    ("migration-you-led", "Can I leave out the company's name?", ["Leave out names"]),
    ("distributed-cache", "If a node goes down, does it come back with its data?", ["No persistence"]),
])
def test_everyday_words_for_a_sheets_points_get_their_answers_in_order(question_id: str, said: str,
                                                                       expected: list[str]) -> None:
    """Said as a candidate says it, not as the sheet does ("two times", "all over the world", "money back"),
    every part of a question gets its answer, in the order asked."""
    answer = answer_to(question_id, said)
    assert answer is not None, said
    at = 0
    for needed in expected:
        found = answer.find(needed, at)
        assert found >= 0, (needed, answer)
        at = found + len(needed)


def test_two_questions_that_each_open_as_one_are_both_replied_to_though_the_sheet_knows_one() -> None:
    """"..., and do people log in?" is a question of its own: it gets the hand-back, not silence."""
    answer = answer_to("url-shortener", "Do we need custom aliases, and do people log in with a password?")
    assert answer is not None and answer.startswith("Custom aliases") and "The rest is your call" in answer, answer


def test_a_question_joined_on_without_its_subject_heard_is_answered_when_the_sheet_knows_it() -> None:
    """"and can vanity names be chosen?" opens as a question, though "vanity names" is no subject the rules
    know."""
    answer = answer_to("url-shortener", "How many links a month, and can vanity names be chosen?")
    assert answer is not None and answer.startswith("Assume a hundred million") and "Custom aliases" in answer, answer


def test_can_heard_as_ken_still_opens_a_question_the_sheet_knows() -> None:
    """base writes "Can shoppers use a coupon code?" as "Ken shoppers use a coupon code." when two questions
    come in one breath; both are answered, in order. A statement about Ken is not a question."""
    answer = answer_to("ecommerce-checkout", "Ken shoppers use a coupon code. And what if we run out of an item?")
    assert answer is not None and answer.startswith("Discount codes") and "Stock is limited" in answer, answer
    assert answer_to("ecommerce-checkout", "Ken reviewed the checkout flow with me.") is None

"""STAR in any words: each sentence below says one part of an experience answer the way people say it aloud
or jot it in notes, in words the rubric's first cues did not expect. Written as a set before the cues were
widened; the unseen answers (tests/corpus/unseen/) measure the result apart."""

from __future__ import annotations

import pytest

from simulator.judging.rubric import load_rubric
from simulator.vocab import Kind

CASES = {
    "situation": [
        "In my previous job we were building a new billing platform for a telecom operator.",
        "Our support team was drowning in tickets, about two thousand a week, and response times kept slipping.",
        "This happened at a healthcare company during the busiest month of their year.",
        "Team of twelve, releases took a whole day and broke something every other week.",
        "Our platform team at a media company was paying far too much for storage.",
        "Background: a grocery delivery startup whose routes were planned by hand every morning.",
        "During my time at a small insurer, claims took three weeks to pay because every form was typed in twice.",
        "The trading desk depended on a reporting job that ran overnight and often wasn't done by the open.",
        "Our checkout was the slowest page on the site and customers were abandoning their carts.",
        "Problem: sellers gave up on listing items because one upload in twenty failed.",
        "S: our mobile releases took two weeks because every build was signed by hand.",
        "On my last team every service had its own hand written deploy script.",
    ],
    "task": [
        "My manager gave me the job of getting the nightly load under an hour.",
        "Management handed the whole problem to me.",
        "The design and the rollout were mine.",
        "Me: tech lead for the payments API, owned the reliability target.",
        "Ownership of the incident review was given to me.",
        "I was the only engineer on it, so every decision landed with me.",
        "I was asked to own the search relevance work for the quarter.",
        "As the on-call engineer that week, it was up to me to get checkout working again.",
        "It fell to me because I was the only backend engineer still online.",
        "As tech lead I was accountable for making reminders reliable.",
        "Mine to fix.",
    ],
    "result": [
        "The cutover finished with no downtime and nobody outside the team noticed.",
        "By the end of the quarter every team had moved to the new pipeline.",
        "Pages fell to about eight a week.",
        "We ended up at ninety thousand dollars a month.",
        "The next launch went through without a single incident.",
        "The service went live on the planned date.",
        "Since then nobody has had to restore a backup by hand.",
        "It never caught on: usage stayed under one percent and we switched it off a month later.",
        "Nothing was charged twice and no one got paged again that weekend.",
        "It shipped in six weeks and the complaints stopped.",
        "Within two months the whole team adopted it.",
        "People stopped asking where things were in the chat channel.",
        "Checkout came down to just over a second and the abandonment rate fell by a fifth.",
    ],
}
NOT = {
    "situation": ["I rewrote the query planner and added an index on the order date."],
    "result": ["Then I added a retry with backoff to the client library.", "The result was good in the end.",
               "A couple of years ago I went to a logistics company of about 100 people."],
    "task": ["The service called the payment provider twice per order."],
}


@pytest.mark.parametrize(("step", "sentence"), [(s, x) for s, xs in CASES.items() for x in xs])
def test_a_star_part_said_in_other_words_is_heard(step: str, sentence: str) -> None:
    rubric = {s.id: s for s in load_rubric()[Kind.EXPERIENCE]}
    assert rubric[step].score(sentence.lower()) >= rubric[step].threshold, sentence


@pytest.mark.parametrize(("step", "sentence"), [(s, x) for s, xs in NOT.items() for x in xs])
def test_a_sentence_about_another_part_is_not_taken_for_this_one(step: str, sentence: str) -> None:
    rubric = {s.id: s for s in load_rubric()[Kind.EXPERIENCE]}
    assert rubric[step].score(sentence.lower()) < rubric[step].threshold, sentence

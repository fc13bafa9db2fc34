"""Clarifying questions: the fact sheets, recognising a question put to the interviewer, and the reply."""

from __future__ import annotations

import re

import numpy as np
import pytest

from simulator.audio import CHUNK_SAMPLES, AudioChunk
from simulator.hearing.probe import heard_since
from simulator.interviewer.asking import trailing_questions
from simulator.interviewer.clarifications import QuestionWatch, reply
from simulator.interviewer.factsheets import SHEET_FILES, _read, builtin_sheet_ids, handback, load_topics, sheet_for
from simulator.questions import load_bank
from simulator.transcript import Heard, Segment, Word

URL = sheet_for("url-shortener", "design")
CHAT = sheet_for("chat-app", "design")


def test_every_built_in_question_has_its_own_sheet_and_every_sheet_a_question() -> None:
    """The shared banks and every role bank: no built-in question falls back to its kind's general sheet."""
    bank = {q.id: q for q in load_bank()}
    assert builtin_sheet_ids() == set(bank)
    for question in bank.values():
        sheet = sheet_for(question.id, question.kind)
        assert sheet.own, question.id
        topics = {t.id for t in load_topics() if t.kind in (question.kind, "any")}
        assert topics <= set(sheet.answers), f"{question.id} leaves {topics - set(sheet.answers)} unanswered"
        if question.kind == "design":
            general = sheet_for("no-such-question", "design").answers
            assert [t for t in topics if sheet.answers[t] == general[t]] == [], f"{question.id} answers generically"
            assert sheet.points and sheet.changes, question.id


def test_no_question_has_two_sheets() -> None:
    ids = [set(_read(name)) for name in SHEET_FILES]
    assert sum(map(len, ids)) == len(set().union(*ids))


def test_every_point_can_be_reached_by_its_own_words() -> None:
    """Words a candidate can say (the matcher sees letters, digits and apostrophes), and at least one of
    them, asked about, gets the point's answer rather than another point's."""
    for question in load_bank():
        sheet = sheet_for(question.id, question.kind)
        for point in sheet.points:
            assert all(re.fullmatch(r"[a-z0-9']+( [a-z0-9']+)*", w) for w in point.words), (question.id, point.words)
            assert any(sheet.match(f"What about {w}?").answer == point.answer for w in point.words), \
                (question.id, point.words)


@pytest.mark.parametrize("asked, topic", [
    ("I'd like to know how many users I should plan for.", "scale"),
    ("How many reads per second should we expect?", "traffic"),
    ("I would like to know what is out of scope.", "scope"),
    ("What matters most?", "priorities"),
])
def test_a_general_question_is_not_taken_for_one_of_the_questions_own_points(asked: str, topic: str) -> None:
    for question in (q for q in load_bank() if q.kind == "design"):
        sheet = sheet_for(question.id, question.kind)
        assert sheet.match(asked).about == topic, question.id


@pytest.mark.parametrize("question_id, asked, expected", [
    ("frontend-feed-client", "How many posts can a user scroll through?", "two thousand posts in one session"),
    ("frontend-feed-client", "How many users should I plan for?", "plan for one device"),
    ("frontend-offline-notes", "How long can a user be offline?", "two weeks offline"),
    ("mobile-chat-client", "Does it need to work offline?", "go out by themselves"),
    ("mobile-photo-upload", "Should uploads happen on mobile data or only on wifi?", "Wi-Fi only by default"),
    ("mobile-feature-rollout", "How long does app store review take?", "a day or two"),
    ("data-metrics-pipeline", "How late can events arrive?", "up to three days late"),
    ("ml-ranking-serving", "Where does the latency budget go?", "candidate generation already takes thirty"),
    ("infra-deploy-system", "What blast radius is acceptable?", "one percent of one region's traffic"),
    ("backend-webhooks", "Do webhooks need to arrive in order?", "Order isn't guaranteed"),
])
def test_a_role_questions_sheet_answers_what_that_role_would_ask(question_id: str, asked: str, expected: str) -> None:
    question = next(q for q in load_bank() if q.id == question_id)
    sheet = sheet_for(question.id, question.kind)
    said = f"Okay, let me start with the requirements. {asked}"
    assert trailing_questions(said, sheet) == [asked]
    answer = reply([asked], sheet)
    assert answer.covered and expected in answer.text


def test_a_question_of_the_users_own_gets_its_kinds_fallback() -> None:
    sheet = sheet_for("my-own-question", "design")
    assert not sheet.own
    assert "ten million daily active users" in reply(["How many users should I plan for?"], sheet).text
    experience = sheet_for("my-own-story", "experience")
    assert reply(["Can I pick any project?"], experience).text.startswith("Any system you know well")


@pytest.mark.parametrize("asked, expected", [
    ("How many users should I plan for?", "hundred million new links a month"),
    ("Do we need custom aliases?", "Custom aliases, yes"),
    ("Should links expire?", "optional expiry date"),
    ("What matters most, latency or availability?", "Redirects must be fast"),
    ("What's the read to write ratio?", "hundred redirects for every new link"),
])
def test_the_sheet_answers_what_was_asked(asked: str, expected: str) -> None:
    assert expected in reply([asked], URL).text


def test_several_questions_in_one_breath_get_one_answer() -> None:
    said = "Okay, before I start. How many users should I plan for? And do we need custom aliases?"
    questions = trailing_questions(said, URL)
    assert questions == ["How many users should I plan for?", "And do we need custom aliases?"]
    answer = reply(questions, URL)
    assert "hundred million new links" in answer.text and "Custom aliases, yes" in answer.text


@pytest.mark.parametrize("said", [
    "Who are users, and how many links do we expect per day?",  # tiny.en's hearing of the spoken fixture
    "Who are the users, and how many links do we expect per day?",
    "Who are our users and how many links do we expect per day?",
])
def test_who_the_users_are_and_how_many_links_are_both_answered_from_the_sheet(said: str) -> None:
    """The spoken fixture's compound question, as whisper writes it with or without its article: each part gets
    the sheet's own answer, and nothing is handed back."""
    answer = reply(trailing_questions(said, URL), URL)
    users, scale = URL.answers["users"], URL.answers["scale"]
    assert users in answer.text and scale in answer.text, answer.text
    assert answer.text.index(users) < answer.text.index(scale), "in the order asked"
    assert handback(partial=True, kind="design") not in answer.text


def test_stray_words_whisper_writes_into_the_pause_do_not_hide_the_question() -> None:
    said = "Before I start, I have two questions. How many users should I plan for? Str Ring Sc taking one"
    assert trailing_questions(said, URL) == ["How many users should I plan for?"]
    assert trailing_questions("Do we need custom aliases? It is...", URL) == ["Do we need custom aliases?"]


def test_words_whisper_places_after_the_speech_stopped_are_not_the_candidates() -> None:
    segments = [words("Do we need custom aliases?", 0.2, 2.0), words("It is.", 2.6, 3.0)]
    replies = listen(QuestionWatch(URL), [(2.0, True), (2.0, False)], segments)
    assert [text for _, text in replies] == [reply(["Do we need custom aliases?"], URL).text]


def test_a_question_written_with_a_full_stop_is_still_a_question() -> None:
    assert trailing_questions("Let me check the scope first. Do we need analytics in the first version.", URL) == \
        ["Do we need analytics in the first version."]
    assert trailing_questions("How many users should I plan for.", URL)
    assert trailing_questions("I would use a database. It stores the links.", URL) == []


def test_a_question_put_indirectly_is_a_question() -> None:
    said = "So I'm wondering whether ordering matters."
    assert reply(trailing_questions(said, CHAT), CHAT).text.startswith("Ordering matters within one conversation")


def test_what_the_sheet_does_not_cover_is_handed_back() -> None:
    assert reply(["Should I use a particular programming language?"], URL).text == handback()
    mixed = reply(["How many users should I plan for?", "Should I use a particular programming language?"], URL)
    assert mixed.text.endswith(handback(partial=True)) and "hundred million" in mixed.text


@pytest.mark.parametrize("said", [
    "What breaks first? The database, because every redirect reads it.",  # went straight on
    "So what happens when the cache dies?",  # asked themself, nothing for the interviewer
    "I'd start with the API. Then the storage.",
])
def test_a_rhetorical_question_gets_no_answer(said: str) -> None:
    assert trailing_questions(said, URL) == []


def block(at: float, speech: bool) -> AudioChunk:
    return AudioChunk(np.zeros(CHUNK_SAMPLES, dtype=np.float32), at, voice=(5 if speech else 0, 5))


def listen(watch: QuestionWatch, pattern: list[tuple[float, bool]], segments: list[Segment],
           start: float = 0.0) -> list[tuple[float, str]]:
    """Feed (seconds, speaking) stretches block by block from `start`; the replies and the second they came at."""
    replies, at = [], start
    for seconds, speaking in pattern:
        for _ in range(round(seconds / 0.1)):
            chunk = block(at, speaking)
            watch.hear(chunk)
            at = round(chunk.end, 3)
            heard = [s for s in segments if s.end <= at]
            answer = watch.check(heard)
            if answer is not None:
                replies.append((at, answer.text))
    return replies


def words(text: str, start: float, end: float) -> Segment:
    parts = text.split()
    step = (end - start) / len(parts)
    return Segment(start, end, text, tuple(Word(w, start + i * step, start + (i + 1) * step)
                                           for i, w in enumerate(parts)))


def test_the_watch_answers_a_second_into_the_pause_after_a_question() -> None:
    segments = [words("How many users should I plan for?", 0.2, 2.0)]
    replies = listen(QuestionWatch(URL), [(2.0, True), (3.0, False)], segments)
    assert len(replies) == 1
    at, text = replies[0]
    assert at == pytest.approx(3.0) and "hundred million" in text


def test_the_watch_waits_for_the_transcript_to_catch_up_while_the_candidate_waits() -> None:
    late = [Segment(0.2, 2.0, "How many users should I plan for?")]
    watch = QuestionWatch(URL)
    assert listen(watch, [(2.0, True), (6.0, False)], []) == []  # nothing transcribed yet: keep waiting
    assert listen(watch, [(0.1, False)], late, start=8.0)  # ...and answer once it is in
    gone = QuestionWatch(URL)
    segments = [Segment(0.2, 2.0, "How many users should I plan for?"), Segment(3.6, 5.0, "I'll assume ten million.")]
    assert listen(gone, [(2.0, True), (1.5, False)], []) == []
    # the candidate went on before the question was transcribed: it was theirs to answer
    assert listen(gone, [(1.5, True), (2.0, False)], segments, start=3.5) == []


def test_a_question_gone_straight_on_from_is_not_answered() -> None:
    segments = [words("How many users should I plan for?", 0.2, 2.0), words("I will assume ten million.", 2.4, 4.0)]
    assert listen(QuestionWatch(URL), [(2.0, True), (0.4, False), (1.6, True), (3.0, False)], segments) == []


def test_questions_asked_count_towards_clarify_quoted_as_evidence() -> None:
    from simulator.judging.analysis import analyze_text

    analysis = analyze_text("How many people will use this? Then I would build an API on a web server.", "design")
    clarify = analysis.steps["clarify"]
    assert clarify.covered and clarify.evidence == "How many people will use this?"
    assert not analyze_text("Then I would build an API on a web server.", "design").steps["clarify"].covered


ONE_QUESTION = "How many users should I plan for?"
OTHER_QUESTION = "And do we need custom aliases?"
ONE_BREATH = "How many users should I plan for and do we need custom aliases?"


@pytest.mark.parametrize("probes, transcript", [
    # at rest: each span before a short pause probed on its own, two sentences
    ([Heard(0.2, 2.0, ONE_QUESTION), Heard(2.4, 4.0, OTHER_QUESTION)], []),
    # under load: the worker was busy (an early transcript), so the two spans waited and were probed as one,
    # which whisper wrote as one sentence
    ([Heard(0.2, 4.0, ONE_BREATH)], []),
    # the last span's probe not in yet, and the early transcript of the whole buffer in partial() first
    ([Heard(0.2, 2.0, ONE_QUESTION)], [words(ONE_BREATH, 0.2, 4.0)]),
    ([], [words(f"{ONE_QUESTION} {OTHER_QUESTION}", 0.2, 4.0)]),
])
def test_two_questions_before_a_pause_are_both_answered_whichever_hearing_comes_first(
        probes: list[Heard], transcript: list[Segment]) -> None:
    watch = QuestionWatch(URL)
    replies = []
    for at, speaking in [(i / 10, not 20 <= i < 24) for i in range(2, 40)] + [(4.0 + i / 10, False) for i in range(10)]:
        watch.hear(block(round(at, 3), speaking))
        answer = watch.check(transcript, heard_since(probes, watch.since))
        if answer is not None:
            replies.append(answer.text)
    assert len(replies) == 1, replies
    assert "hundred million new links" in replies[0] and "Custom aliases, yes" in replies[0], replies[0]


def test_a_question_with_and_is_split_only_where_each_half_asks_the_sheet_something() -> None:
    from simulator.interviewer.asking import asked_in

    assert asked_in(ONE_BREATH, URL) == ["How many users should I plan for", "do we need custom aliases?"]
    assert asked_in("Do we need reads and writes?", URL) == ["Do we need reads and writes?"]
    assert asked_in("Can I assume reads dominate and is that fine?", URL) == [
        "Can I assume reads dominate and is that fine?"]


# --- every part of what was asked, and nothing that was not asked --------------------------------------------

SCHEDULER = sheet_for("job-scheduler", "design")
TICKETS = sheet_for("ticket-booking", "design")
STORY = sheet_for("system-you-designed", "experience")


@pytest.mark.parametrize("said", [
    # a clause whisper heard after a pause as a sentence of its own, and wrote as a question
    "The cache sat in front of the primary and it kept missing. Which meant every page went to the database?",
    "I moved the exports to a nightly batch. which is why the morning reports were late?",
    "Each upload lands in a staging bucket. Where it waits for the virus scan?",
    "The alerts fired at three in the morning. When nobody was looking at them?",
])
def test_a_clause_heard_as_a_sentence_of_its_own_is_not_a_question(said: str) -> None:
    for sheet in (URL, STORY):
        assert trailing_questions(said, sheet) == [], sheet.kind


@pytest.mark.parametrize("said, asked", [
    ("Okay, I have the users. Which regions do we serve?", "Which regions do we serve?"),
    ("Let me think about storage. Where should the history live?", "Where should the history live?"),
    ("Two options here. Which is better for you, latency or cost?", "Which is better for you, latency or cost?"),
    ("So. When does a link stop working?", "When does a link stop working?"),
])
def test_a_question_that_opens_like_a_clause_is_still_a_question(said: str, asked: str) -> None:
    assert trailing_questions(said, URL) == [asked]


def test_a_clause_after_a_question_asks_with_it() -> None:
    said = "Do we need analytics? Which would mean storing every click?"
    assert trailing_questions(said, URL) == ["Do we need analytics, which would mean storing every click?"]
    assert "Click counts are nice to have" in reply(trailing_questions(said, URL), URL).text


@pytest.mark.parametrize("asked, expected", [
    ("How long can a job run, and do jobs depend on each other?",
     ["Jobs run from seconds up to a few hours", "No dependencies between jobs"]),
    ("Do jobs depend on each other, and how long can they run?",
     ["No dependencies between jobs", "Jobs run from seconds up to a few hours"]),
    ("How many jobs a day, and what happens if a job runs twice?",
     ["Millions of jobs a day", "Running a job twice is bad"]),
])
def test_a_compound_question_gets_every_part_answered_in_the_order_asked(asked: str, expected: list[str]) -> None:
    from simulator.interviewer.asking import asked_in

    assert len(asked_in(asked, SCHEDULER)) == len(expected)
    text = reply(trailing_questions(asked, SCHEDULER), SCHEDULER).text
    places = [text.find(e) for e in expected]
    assert -1 not in places and places == sorted(places), text


@pytest.mark.parametrize("asked", [
    "Can a job repeat every hour, or does it only run once?",
    "Do we run jobs on a cron schedule, or are they all one-off?",
])
def test_an_either_or_question_is_one_question(asked: str) -> None:
    from simulator.interviewer.asking import asked_in

    assert asked_in(asked, SCHEDULER) == [asked]
    answer = reply(trailing_questions(f"Before I design it. {asked}", SCHEDULER), SCHEDULER)
    assert answer.text == "Both: one-off jobs, and recurring ones on a cron-like schedule."


def test_two_questions_in_two_sentences_one_of_them_either_or_are_both_answered() -> None:
    said = "Can a job repeat, like every night, or is it once only? And how many jobs run a day?"
    text = reply(trailing_questions(said, SCHEDULER), SCHEDULER).text
    assert text.index("recurring ones") < text.index("Millions of jobs a day"), text


@pytest.mark.parametrize("asked, expected", [
    ("What if a buyer holds a seat and walks away?", "held for ten minutes"),
    ("What if one buyer goes over the ticket limit?", "six tickets per buyer"),
    ("What if the scheduler has to run a job twice?", "Running a job twice is bad"),
])
def test_what_if_put_to_the_interviewer_is_answered_from_the_sheet(asked: str, expected: str) -> None:
    sheet = SCHEDULER if "job" in asked else TICKETS
    questions = trailing_questions(f"Okay. {asked}", sheet)
    assert questions == [asked]
    assert expected in reply(questions, sheet).text


def test_what_if_the_sheet_is_silent_on_is_handed_back_to_reason_about() -> None:
    questions = trailing_questions("Okay. What if the power goes out in the venue?", TICKETS)
    assert questions, "a what-if put to the interviewer is a question"
    text = reply(questions, TICKETS).text
    assert text == handback(kind="design", form="what_if") and "assumption" not in text


@pytest.mark.parametrize("asked, expected", [
    ("Is it fair to assume buyers choose their own seats?", "Buyers pick specific seats"),
    ("Can I assume a seat is on hold while the buyer pays?", "held for ten minutes"),
])
def test_is_it_fair_to_assume_is_answered_on_what_it_assumes_not_on_its_words(asked: str, expected: str) -> None:
    questions = trailing_questions(asked, TICKETS)
    assert questions == [asked]
    assert expected in reply(questions, TICKETS).text


def test_an_assumption_the_sheet_is_silent_on_is_accepted() -> None:
    text = reply(trailing_questions("Is it fair to assume everyone pays by card?", TICKETS), TICKETS).text
    assert text == handback(kind="design", form="assume")


def test_an_experience_answer_never_gets_the_design_handback() -> None:
    design = handback(kind="design")
    for asked in ("Should I pick something from this year?", "Can I talk about the database side only?",
                  "What if it was a team decision?", "Is it fair to assume you know what a CRM is?"):
        questions = trailing_questions(asked, STORY)
        assert questions == [asked]
        text = reply(questions, STORY).text
        assert "state an assumption" not in text and text != design, (asked, text)


@pytest.mark.parametrize("said", [
    "Which service was it? The billing one.",  # went on: theirs
    "We had one question. Which region was down?",  # the story's own question, nothing the sheet knows
    "It was slow. Where was the time going?",
])
def test_a_storys_own_question_is_not_put_to_the_interviewer(said: str) -> None:
    assert trailing_questions(said, STORY) == []


def test_a_sheets_word_is_heard_inflected() -> None:
    assert "held for ten minutes" in reply(["What if someone holds it?"], TICKETS).text
    assert sheet_for("url-shortener", "design").match("Do links ever get deleted?").answer.startswith("Links can carry")


@pytest.mark.parametrize("said", [
    "The reports ran on the primary, which meant every export slowed down the checkout?",
    "We put the queue in front of the CRM , where the calls waited for a worker?",
])
def test_a_statement_going_on_in_a_clause_is_not_a_question_whatever_its_mark(said: str) -> None:
    for sheet in (URL, STORY):
        assert trailing_questions(said, sheet) == [], sheet.kind


@pytest.mark.parametrize("heard", [
    "How many users should I plan for and do we need custom aliases?",
    "How many users should I plan for, do we need custom aliases?",
    "Before I start, how many users should I plan for, and do we need custom aliases?",
    "How many users should I plan for? Do we need custom aliases?",
])
def test_two_questions_whisper_ran_together_are_both_answered_in_order(heard: str) -> None:
    text = reply(trailing_questions(heard, URL), URL).text
    assert text.index("hundred million new links") < text.index("Custom aliases, yes"), text
    assert "your call" not in text.lower(), text


def test_a_storys_sales_leads_are_not_the_candidates_role() -> None:
    """Sheet words are heard inflected, so a word that is also a common noun's stem must not be one alone."""
    assert trailing_questions("The dealers were losing leads?", STORY) == []
    assert reply(["Can I say I was the lead on it?"], STORY).text.startswith("Tell me what the team did")


def test_a_wh_question_written_with_a_full_stop_is_still_a_question() -> None:
    sheet = sheet_for("notification-system", "design")
    text = reply(trailing_questions("Okay. Which channels do we support.", sheet), sheet).text
    assert text.startswith("Push, email and text message")
    assert trailing_questions("Which service we used was not the point.", URL) == []


def test_a_wh_question_put_to_you_is_a_question_without_its_mark() -> None:
    said = "Okay, before I design anything, one question. What matters most to you latency or availability."
    assert reply(trailing_questions(said, URL), URL).text.startswith("Redirects must be fast")
    assert trailing_questions("What matters most is that redirects are fast.", URL) == []


@pytest.mark.parametrize("said", ["What we need is a cache in front of the store.",
                                  "What matters most is that redirects are fast.",
                                  "Which region is the primary is decided by the load balancer."])
def test_a_statement_that_opens_with_a_wh_word_is_not_a_question(said: str) -> None:
    assert trailing_questions(said, URL) == []

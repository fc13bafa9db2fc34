"""Where a walkthrough's time went, on hand-made transcripts with known times, and the review of saved sessions
(complete, interrupted, typed, missing files) built from the folder alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.config import TimingTargets
from simulator.judging.analysis import Sentence, analyze, cover_steps
from simulator.judging.rubric import load_rubric
from simulator.review.review import (
    budget_plan,
    build_review,
    build_timeline,
    phase_times,
    step_seconds,
    timeline_seconds,
)
from simulator.sessions.store import SessionFolder
from simulator.transcript import Segment, Word

from .support.sessions import spoken_session, typed_session

CLARIFY = "Before I design anything, who are the users and what matters most?"
ASSUME = "Let's assume a hundred million new links a month and a read to write ratio of a hundred to one."
ARCH = "Clients talk to a load balancer, then stateless app servers, then a database with a cache."
API = "The API is POST /shorten with the long URL, and GET /{code} which redirects."
DATA = "The links table is keyed by the short code and partitioned by its hash across shards."
SCALE = "The bottleneck is the database on reads, so a cache in front takes most of the traffic."
TRADEOFF = "I chose NoSQL because lookups are by a single key, at the cost of joins."
SMALL_TALK = "The weather was nice today."


def sentences(*rows: tuple[float, float, str]) -> list[Sentence]:
    return [Sentence(text, start, end) for start, end, text in rows]


def test_each_step_gets_the_time_of_its_sentences() -> None:
    said = sentences((0, 60, CLARIFY), (60, 120, ASSUME), (125, 300, ARCH), (300, 400, API), (400, 480, DATA),
                     (480, 600, SCALE))
    timeline = build_timeline(said, "design")
    assert [(s.start, s.end, s.step) for s in timeline] == [
        (0, 60, "clarify"), (60, 120, "assumptions"), (125, 300, "architecture"), (300, 400, "interfaces"),
        (400, 480, "data"), (480, 600, "scale")]
    phases = phase_times(timeline)
    assert [(p.name, p.seconds, p.budget_seconds) for p in phases] == [
        ("Clarify requirements", 120, 120), ("High-level architecture", 175, 180),
        ("Storage, APIs, data flow", 180, 180), ("Scale, reliability, tradeoffs", 120, 120)]


def test_the_timeline_adds_up_to_the_checklist_times() -> None:
    said = sentences((0, 20, CLARIFY), (20, 50, ASSUME), (50, 55, SMALL_TALK), (55, 130, ARCH), (130, 160, ARCH),
                     (160, 230, DATA), (230, 290, SCALE), (290, 340, TRADEOFF))
    totals = step_seconds(build_timeline(said, "design"))
    checklist = cover_steps(said, load_rubric()["design"])
    for step, result in checklist.items():
        assert totals.get(step, 0.0) == pytest.approx(result.seconds or 0.0, abs=0.1), step
    assert totals["architecture"] == 105  # two sentences in a row merge into one stretch


def test_a_sentence_doing_two_jobs_is_split_between_them() -> None:
    timeline = build_timeline(sentences((0, 30, CLARIFY), (30, 50, TRADEOFF)), "design")
    assert [(s.start, s.end, s.step) for s in timeline] == [
        (0, 30, "clarify"), (30, 40, "tradeoffs"), (40, 50, "data")]


def test_talk_that_speaks_to_no_step_is_its_own_stretch_and_counts_for_none() -> None:
    timeline = build_timeline(sentences((0, 10, SMALL_TALK), (12, 40, CLARIFY)), "design")
    assert [(s.step, s.start, s.end) for s in timeline] == [(None, 0, 10), ("clarify", 12, 40)]
    assert step_seconds(timeline) == {"clarify": 28}
    assert phase_times(timeline)[0].seconds == 28


def test_an_untimed_transcript_has_no_timeline() -> None:
    assert build_timeline([Sentence(CLARIFY, None, None)], "design") == []
    assert build_timeline([], "design") == []


def test_a_spoken_session_is_reviewed_on_the_session_clock(tmp_path: Path) -> None:
    folder = spoken_session(tmp_path)
    review = build_review(SessionFolder(folder).read())
    prompt, walk, followup, reply = review.turns
    assert walk.start == prompt.end
    # every candidate line is its segment moved by the answer's start
    first_line = next(x for x in review.lines if x.speaker == "candidate")
    assert first_line.start == pytest.approx(walk.start + 0.5) and first_line.end == pytest.approx(walk.start + 6.0)
    assert [x.speaker for x in review.lines][-2:] == ["candidate", "candidate"]
    assert review.lines[-1].start == pytest.approx(reply.start + 4.5)
    assert walk.first_words_after == 0.5
    # the timeline is on the answer's own clock, so it compares with the budget from 0
    assert review.timeline[0].start == 0.5 and review.timeline[0].step == "clarify"
    assert sum(p.seconds for p in review.phases) == pytest.approx(sum(step_seconds(review.timeline).values()),
                                                                  abs=0.2)
    # pace: the first 20 s of the walkthrough hold 17 + 19 + 16 * (7 / 7) words in 20 s
    assert review.pace[0][1] == pytest.approx(51 * 3, abs=10)
    checks = {c.id: c for c in review.self_review}
    assert checks["clarify"].verdict == "yes" and "who are the users" in checks["clarify"].answer
    assert checks["failure"].verdict == "yes"
    assert checks["proportion"].verdict is None
    data = review.to_json()
    assert data["turns"][1]["analysis"]["steps"]["clarify"]["covered"] is True
    assert data["answer_seconds"] == pytest.approx(walk.seconds, abs=0.01)
    json.dumps(data)  # all of it is JSON


def test_an_interrupted_answer_with_audio_and_no_text_is_kept_and_flagged(tmp_path: Path) -> None:
    folder = spoken_session(tmp_path, interrupt_at=3.0)
    review = build_review(SessionFolder(folder).read())
    assert review.record.status == "interrupted"
    last = review.turns[-1]
    assert last.role == "candidate" and not last.transcribed and last.audio_present
    assert review.lines[-1].missing and review.lines[-1].start == last.start
    assert any("no transcript" in note and "answer-02.wav" in note for note in review.notes)
    assert review.walkthrough is not None and review.walkthrough.analysis is not None


def test_a_missing_transcript_and_missing_audio_still_give_a_review(tmp_path: Path) -> None:
    folder = spoken_session(tmp_path)
    (folder / "transcript.json").unlink()
    (folder / "prompt-02.wav").unlink()
    review = build_review(SessionFolder(folder).read())
    assert review.timeline == []  # no times without the transcript
    assert [x.speaker for x in review.lines] == ["interviewer", "candidate", "interviewer", "candidate"]
    assert review.walkthrough is not None and "clarify" in review.walkthrough.covered  # the analysis was kept
    assert not review.turns[2].audio_present
    assert any("prompt-02.wav is missing" in note for note in review.notes)


def test_an_answer_without_its_saved_analysis_is_analysed_again(tmp_path: Path) -> None:
    folder = spoken_session(tmp_path)
    data = json.loads((folder / "session.json").read_text())
    for turn in data["turns"]:
        turn.pop("analysis", None)
    (folder / "session.json").write_text(json.dumps(data))
    review = build_review(SessionFolder(folder).read())
    assert review.walkthrough is not None and review.walkthrough.analysis is not None
    assert review.walkthrough.analysis.steps["clarify"].first_at == 0.5


def test_a_typed_session_has_lines_but_no_timeline_or_pace(tmp_path: Path) -> None:
    folder = typed_session(tmp_path, f"{CLARIFY} {ARCH}")
    review = build_review(SessionFolder(folder).read())
    assert review.typed and review.timeline == [] and review.pace == [] and review.phases == []
    assert [x.text for x in review.lines] == ["Design a URL shortener.", f"{CLARIFY} {ARCH}"]
    assert {c.id: c.verdict for c in review.self_review}["clarify"] == "yes"


def test_pace_counts_word_times_in_each_stretch() -> None:
    from simulator.review.review import TurnReview, _pace

    words = tuple(Word("w", i * 0.5, i * 0.5 + 0.4) for i in range(80))  # 2 words a second for 40 s
    turn = TurnReview(2, "candidate", "w " * 80, "answer-01.wav", True, 10.0, 60.0,
                      segments=[Segment(0.0, 40.0, "w " * 80, words)], offset=10.0)
    assert _pace([turn]) == [(20.0, 120.0), (40.0, 120.0)]


def test_over_time_answers_still_draw_against_the_ten_minute_budget() -> None:
    said = sentences((0, 200, CLARIFY), (200, 900, ARCH))
    phases = phase_times(build_timeline(said, "design"), TimingTargets())
    assert phases[0].seconds == 200 and phases[0].seconds > phases[0].budget_seconds
    assert analyze(said, "design").steps["architecture"].seconds == 700


def test_the_walkthrough_summary_gives_every_report_the_same_length_verdict_and_session(tmp_path: Path) -> None:
    review = build_review(SessionFolder(spoken_session(tmp_path)).read())
    walk = review.walkthrough
    assert walk is not None
    summary = review.summary()
    assert summary.recorded and not summary.typed
    assert summary.seconds == walk.seconds and summary.verdict == TimingTargets().verdict(walk.seconds)
    assert summary.session_seconds == review.turns[-1].end and summary.window == TimingTargets().window
    assert review.to_json()["verdict"] == summary.verdict
    typed = build_review(SessionFolder(typed_session(tmp_path / "typed", CLARIFY)).read()).summary()
    assert typed.recorded and typed.typed


def test_the_budget_plan_lays_the_phases_end_to_end_and_sets_the_time_scale() -> None:
    targets = TimingTargets()
    plan = budget_plan(targets)
    assert [p.name for p in plan] == [p.name for p in targets.phases]
    assert plan[0].start == 0 and all(a.end == b.start for a, b in zip(plan, plan[1:]))
    assert plan[-1].end == sum(p.minutes for p in targets.phases) * 60
    short = build_timeline(sentences((0, 60, CLARIFY)), "design")
    assert timeline_seconds(short, "design") == plan[-1].end  # a short answer is drawn against the whole budget
    assert timeline_seconds(short, "experience") == 60
    long = build_timeline(sentences((0, 200, CLARIFY), (200, 900, ARCH)), "design")
    assert timeline_seconds(long, "design") == 900


def test_a_transcript_line_runs_to_its_sentence_end_across_whisper_segments(tmp_path: Path) -> None:
    """Whisper ends a segment wherever its window does: the page would break "how many jobs are" from
    "scheduling per day.", so the lines join segments that end mid-sentence."""
    answer = [Segment(0.5, 6.0, "Should jobs be able to recur, like cron? Or are they only one off? And roughly how"),
              Segment(6.0, 9.0, "many jobs are we scheduling per day?"),
              Segment(9.5, 14.0, "I will assume ten million a day.")]
    folder = spoken_session(tmp_path, [answer, answer[2:]])
    review = build_review(SessionFolder(folder).read())
    walk = review.turns[1]
    said = [x for x in review.lines if x.speaker == "candidate" and x.turn == walk.number]
    assert [x.text for x in said] == [
        "Should jobs be able to recur, like cron? Or are they only one off? And roughly how many jobs are we "
        "scheduling per day?", "I will assume ten million a day."]
    assert said[0].start == pytest.approx(walk.start + 0.5) and said[0].end == pytest.approx(walk.start + 9.0)

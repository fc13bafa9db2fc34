"""The transcriber's order of work, driven event by event with no thread, clock or model."""

from __future__ import annotations

import numpy as np

from simulator.audio import SAMPLE_RATE
from simulator.hearing.pieces import Piece
from simulator.hearing.probe import Span
from simulator.hearing.scheduler import Job, JobKind, Scheduler

Result = tuple[list[str], int]


def piece(offset: float, seconds: float, early: bool = False) -> Piece:
    blocks = round(seconds * 10)
    return Piece(np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32), offset, True, (True,) * blocks,
                 early=early)


def span(start: float, end: float) -> Span:
    return Span(np.full(int((end - start) * SAMPLE_RATE), start, dtype=np.float32), start, end, end - 0.3)


def run(schedule: Scheduler[Result], result: Result = (["words"], 0)) -> Job[Result]:
    """Start the next job and finish it at once."""
    job = schedule.next()
    assert job is not None
    schedule.job_done(job, result)
    return job


def test_a_probe_goes_before_the_pieces_waiting() -> None:
    schedule: Scheduler[Result] = Scheduler(20.0)
    first, second = piece(0.0, 9.0), piece(9.0, 9.0)
    schedule.piece_cut(first)
    schedule.piece_cut(second)
    schedule.probe_span(span(9.0, 11.0))
    kinds = [run(schedule).kind for _ in range(3)]
    assert kinds == [JobKind.PROBE, JobKind.PIECE, JobKind.PIECE]
    assert schedule.next() is None and not schedule.pending


def test_a_probe_given_while_a_piece_runs_goes_before_the_next_piece() -> None:
    schedule: Scheduler[Result] = Scheduler(20.0)
    schedule.piece_cut(piece(0.0, 9.0))
    schedule.piece_cut(piece(9.0, 9.0))
    running = schedule.next()
    assert running is not None and schedule.running == running
    schedule.probe_span(span(9.0, 11.0))
    schedule.job_done(running, (["a"], 0))
    assert run(schedule).kind is JobKind.PROBE
    job = run(schedule)
    assert job.kind is JobKind.PIECE and job.piece is not None and job.piece.offset == 9.0


def test_a_probe_taken_in_a_pause_of_the_piece_running_leaves_that_piece_running() -> None:
    schedule: Scheduler[Result] = Scheduler(20.0)
    schedule.piece_cut(piece(0.0, 9.0))
    schedule.piece_cut(piece(9.0, 9.0))
    running = schedule.next()
    assert schedule.quick_job() is None, "no probe waits"
    schedule.probe_span(span(9.0, 11.0))
    taken = schedule.quick_job()
    assert taken is not None and taken.kind is JobKind.PROBE and taken.span is not None and taken.span.start == 9.0
    assert schedule.running == running and schedule.waiting == 1, "the piece still runs; the next one waits"
    assert running is not None
    schedule.job_done(running, (["a"], 0))
    assert run(schedule).kind is JobKind.PIECE, "the probe is not run twice"


def test_a_rehearing_goes_after_the_probes_and_only_the_latest_asked_for_runs() -> None:
    schedule: Scheduler[Result] = Scheduler(20.0)
    schedule.piece_cut(piece(0.0, 9.0))
    schedule.rehear_span(span(1.0, 9.0))
    schedule.rehear_span(span(3.0, 11.0))
    schedule.probe_span(span(9.0, 11.0))
    kinds = [run(schedule) for _ in range(3)]
    assert [job.kind for job in kinds] == [JobKind.PROBE, JobKind.REHEAR, JobKind.PIECE]
    assert kinds[1].span is not None and kinds[1].span.start == 3.0, "the latest rehearing asked for"
    schedule.rehear_span(span(5.0, 12.0))
    schedule.answer_ended()
    assert schedule.next() is None, "nobody waits for a rehearing once the answer is over"


def test_probes_waiting_are_joined_into_one_and_kept_to_the_limit() -> None:
    schedule: Scheduler[Result] = Scheduler(3.0)
    schedule.probe_span(span(0.0, 2.0))
    schedule.probe_span(span(2.0, 4.0))
    assert schedule.waiting == 1
    job = run(schedule)
    assert job.span is not None
    assert (job.span.start, job.span.end, job.span.speech_end) == (1.0, 4.0, 3.7)
    assert len(job.span.samples) == 3 * SAMPLE_RATE
    schedule.probe_span(span(4.0, 5.0))
    schedule.probe_span(span(5.0, 6.0))
    joined = run(schedule).span
    assert joined is not None and (joined.start, joined.end) == (4.0, 6.0), "one already run is not joined again"


def test_probes_still_waiting_when_the_answer_ends_are_dropped() -> None:
    schedule: Scheduler[Result] = Scheduler(20.0)
    schedule.piece_cut(piece(0.0, 9.0))
    schedule.probe_span(span(0.0, 2.0))
    dropped = schedule.answer_ended()
    assert [(s.start, s.end) for s in dropped] == [(0.0, 2.0)]
    assert run(schedule).kind is JobKind.PIECE, "the transcript is still whole"
    assert schedule.next() is None


def test_an_early_piece_waits_for_no_probe_but_for_every_real_piece() -> None:
    schedule: Scheduler[Result] = Scheduler(20.0)
    schedule.piece_cut(piece(0.0, 9.0))
    assert not schedule.early_free(), "a real piece waits"
    running = schedule.next()
    assert running is not None and not schedule.early_free(), "a real piece runs"
    schedule.job_done(running, (["a"], 0))
    schedule.probe_span(span(9.0, 12.0))
    assert schedule.early_free(), "a probe waiting does not hold it back"
    early = piece(9.0, 4.0, early=True)
    schedule.early_given(early)
    assert not schedule.early_free(), "one early piece at a time, until it is done"
    assert [run(schedule).kind for _ in range(2)] == [JobKind.PROBE, JobKind.EARLY], "after the probe"
    assert schedule.early_free()


def test_an_early_piece_held_for_a_probe_s_reader_waits_until_let_go_and_a_rehearing_goes_first() -> None:
    schedule: Scheduler[Result] = Scheduler(20.0)
    schedule.early_held = True  # a probe is in that the turn's end has not acted on yet
    schedule.early_given(piece(0.0, 4.0, early=True))
    assert not schedule.runnable() and schedule.next() is None and schedule.waiting == 1, "held, not dropped"
    schedule.rehear_span(span(0.0, 4.3))
    assert schedule.runnable()
    schedule.early_held = False
    assert [run(schedule).kind for _ in range(2)] == [JobKind.REHEAR, JobKind.EARLY]


def test_a_real_cut_lets_a_held_early_piece_go_first() -> None:
    schedule: Scheduler[Result] = Scheduler(20.0)
    schedule.early_held = True
    schedule.early_given(piece(0.0, 4.0, early=True))
    schedule.piece_cut(piece(0.0, 8.5))  # the same pause grew long enough to cut at: the early piece is its head
    assert schedule.runnable()
    assert [run(schedule).kind for _ in range(2)] == [JobKind.EARLY, JobKind.PIECE]


def test_an_early_piece_made_moot_by_a_later_cut_is_passed_over() -> None:
    schedule: Scheduler[Result] = Scheduler(20.0)
    schedule.early_given(piece(0.0, 4.0, early=True))
    assert schedule.take_early() is not None
    schedule.forget_early()  # a real cut at a later pause, transcribed whole
    schedule.piece_cut(piece(0.0, 12.0))
    job = run(schedule)
    assert job.kind is JobKind.PIECE and job.ready is None
    assert schedule.next() is None


def test_a_piece_equal_to_an_early_one_takes_its_transcript_and_the_rest_is_decoded() -> None:
    schedule: Scheduler[Result] = Scheduler(20.0)
    early = piece(0.0, 4.0, early=True)
    schedule.early_given(early)
    assert run(schedule, (["ahead"], 1)).kind is JobKind.EARLY
    assert schedule.ahead_of_latest() == (["ahead"], 1), "known before the cut"
    reused = schedule.take_early()
    assert reused is early and schedule.early is None
    head, tail = piece(0.0, 4.0), piece(4.0, 3.0)
    schedule.piece_cut(head)
    schedule.piece_cut(tail)
    assert schedule.ahead_of_latest() is None
    first, second = run(schedule), run(schedule)
    assert first.ready == (["ahead"], 1) and second.ready is None
    assert not schedule.pending


def test_an_early_transcript_finishing_after_a_cut_is_kept_for_the_piece_equal_to_it() -> None:
    schedule: Scheduler[Result] = Scheduler(20.0)
    early = piece(0.0, 9.0, early=True)
    schedule.early_given(early)
    running = schedule.next()
    assert running is not None
    schedule.take_early()
    schedule.forget_early()  # the cut is the early piece itself
    schedule.piece_cut(piece(0.0, 9.0))
    schedule.job_done(running, (["ahead"], 0))
    assert run(schedule).ready == (["ahead"], 0)


def test_a_transcript_made_ahead_is_forgotten_at_a_real_cut() -> None:
    schedule: Scheduler[Result] = Scheduler(20.0)
    schedule.early_given(piece(0.0, 4.0, early=True))
    run(schedule, (["ahead"], 0))
    schedule.take_early()
    schedule.forget_early()
    schedule.piece_cut(piece(0.0, 4.0))
    assert run(schedule).ready is None


def test_nothing_waiting_runs_once_dropped() -> None:
    schedule: Scheduler[Result] = Scheduler(20.0)
    schedule.piece_cut(piece(0.0, 9.0))
    schedule.probe_span(span(0.0, 2.0))
    assert schedule.waiting == 2
    schedule.drop_waiting()
    assert schedule.waiting == 0 and schedule.next() is None
    assert schedule.pending, "the piece given was never transcribed"

"""Cutting an answer into pieces at pauses: nothing lost, nothing doubled, cuts in silence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from simulator.audio import CHUNK_SAMPLES, SAMPLE_RATE, read_audio
from simulator.config import PieceOptions
from simulator.hearing.pieces import Piece, PieceCutter
from simulator.hearing.vad import VoiceActivity

from .support.blocks import chunks
from .support.stand_ins import RunTranscriber, answer, one_pass, spans
from .support.spoken import VOICES
from .support.waiting import wait_for

FIXTURES = Path(__file__).resolve().parent.parent / "audio_fixtures"


def cut(samples: np.ndarray) -> list:  # type: ignore[type-arg]
    cutter, vad, pieces = PieceCutter(), VoiceActivity(), []
    for chunk in chunks(samples):
        pieces += cutter.push(chunk, vad.is_speech(chunk.samples))
    return pieces + cutter.flush()


def test_pieces_put_back_together_are_the_answer_exactly() -> None:
    samples = np.concatenate([answer(("speech", 7), ("silence", 2))] * 6)
    pieces = cut(samples)
    assert len(pieces) > 3
    assert np.array_equal(np.concatenate([p.samples for p in pieces]), samples)
    for before, after in zip(pieces, pieces[1:]):
        assert after.offset == pytest.approx(before.offset + before.seconds, abs=1e-6)


@pytest.mark.parametrize("voice", VOICES)
def test_cuts_fall_in_the_pauses(voice: str) -> None:
    samples = np.concatenate([answer(("speech", 6), ("silence", 1.5), voice=voice)] * 4)
    vad = VoiceActivity()
    pieces = cut(samples)
    assert len(pieces) >= 4, "every 1.5 s pause is a place to cut"
    for piece, following in zip(pieces, pieces[1:]):
        at = piece.offset + piece.seconds
        # in a pause, not at a word's edge: quiet on both sides (a person's pause between sentences counts too)
        assert not vad.is_speech(piece.samples[-CHUNK_SAMPLES:]), f"cut at {at:.1f} s ends inside speech"
        assert not vad.is_speech(following.samples[:CHUNK_SAMPLES]), f"cut at {at:.1f} s starts inside speech"


def test_an_answer_without_pauses_is_cut_by_the_ceiling() -> None:
    speech = read_audio(FIXTURES / "short-answer.wav")
    samples = np.tile(speech[8000:-16000], 8)  # no pause longer than espeak's own gaps
    pieces = cut(samples)
    assert all(p.seconds <= PieceOptions().max_seconds + 0.11 for p in pieces)
    assert np.array_equal(np.concatenate([p.samples for p in pieces]), samples)


def test_the_ceiling_and_the_pause_to_cut_at_are_the_cutter_s_options() -> None:
    speech = read_audio(FIXTURES / "short-answer.wav")
    samples = np.tile(speech[8000:-16000], 4)
    vad, cutter = VoiceActivity(), PieceCutter(PieceOptions(min_seconds=2.0, max_seconds=5.0))
    pieces = [p for chunk in chunks(samples) for p in cutter.push(chunk, vad.is_speech(chunk.samples))]
    assert len(pieces) >= 4 and all(p.seconds <= 5.0 + 0.11 for p in pieces)
    paused = answer(("speech", 6), ("silence", 0.7), ("speech", 6))
    assert len(cut(paused)) == 1, "six seconds are too short to cut by default"

    def pieces(options: PieceOptions) -> list[Piece]:
        cutter = PieceCutter(options)
        cut = [p for chunk in chunks(paused) for p in cutter.push(chunk, vad.is_speech(chunk.samples))]
        return cut + cutter.flush()

    shorter = pieces(PieceOptions(min_seconds=4.0))
    assert len(shorter) == 2 and 6.0 < shorter[0].seconds < 6.7, "cut in the pause"
    assert len(pieces(PieceOptions(min_seconds=4.0, cut_pause_seconds=2.0))) == 1, "not when a cut needs two seconds"


def test_silence_makes_no_voiced_piece() -> None:
    assert not any(p.voiced for p in cut(np.zeros(30 * SAMPLE_RATE, dtype=np.float32)))
    rng = np.random.default_rng(0)
    hum = (0.002 * rng.standard_normal(30 * SAMPLE_RATE)).astype(np.float32)  # a quiet room, -54 dBFS
    assert not any(p.voiced for p in cut(hum))


def test_streamed_pieces_give_the_same_speech_spans_as_one_pass() -> None:
    samples = np.concatenate([answer(("speech", 7), ("silence", 2.5))] * 5)
    results = {}
    for stream in (False, True):
        transcriber = RunTranscriber(stream)
        for chunk in chunks(samples):
            transcriber.feed(chunk)
        results[stream] = transcriber.finish().segments
    assert len(results[True]) == len(results[False]) > 5
    assert spans(results[True]) == spans(results[False]), "no speech lost or doubled at the cuts"
    starts = [s.start for s in results[True]]
    assert starts == sorted(starts)


def test_while_streaming_only_the_last_piece_waits_for_the_end() -> None:
    samples = np.concatenate([answer(("speech", 7), ("silence", 1))] * 8 + [answer(("speech", 7))])
    transcriber = RunTranscriber(stream=True)
    for chunk in chunks(samples):
        transcriber.feed(chunk)
    assert transcriber.settle(timeout=10), "pieces are transcribed while the answer goes on"
    before_end = len(transcriber.calls)
    so_far = transcriber.partial()
    transcriber.flush()
    segments = transcriber.finish().segments
    assert before_end >= 4
    assert len(transcriber.calls) - before_end == 1, "only the last piece is left when the answer ends"
    assert segments[:len(so_far)] == so_far and len(segments) > len(so_far)
    assert max(transcriber.calls) <= PieceOptions().max_seconds + 0.11


def feed_waiting_at_pauses(transcriber: RunTranscriber, samples: np.ndarray) -> None:
    """Feed in real time's order, giving the worker the moment a live pause gives it."""
    import time

    for chunk in chunks(samples):
        transcriber.feed(chunk)
        assert wait_for(lambda: not transcriber.waiting, timeout=5), "a job never taken"
        time.sleep(0.001)  # the pacing of blocks from a microphone, which never come back to back


def test_an_answer_that_ends_soon_after_a_pause_leaves_only_what_follows_the_pause() -> None:
    """Too short to cut at its pause, the answer so far is transcribed during the pause anyway; when the
    candidate stops soon after, the reply waits for the last sentence alone, and nothing is lost or doubled."""
    samples = answer(("speech", 6), ("silence", 0.7), ("speech", 6))
    transcriber = RunTranscriber(stream=True)
    feed_waiting_at_pauses(transcriber, samples)
    early = list(transcriber.calls)
    before_pause = [span for span in spans(one_pass(samples)) if span[1] <= 6.0]
    assert spans(transcriber.partial()) == before_pause, "what came before the pause is known before the end"
    segments = transcriber.finish().segments
    assert len(early) == 1 and early[0] < 7, "the first sentence was transcribed while the candidate went on"
    assert len(transcriber.calls) == 2 and transcriber.calls[-1] < 7, "at the end, only what followed the pause"
    assert spans(segments) == spans(one_pass(samples))


class SlowEars(RunTranscriber):
    """The quick hearing on as in a live rehearsal, each probe taking the worker for most of a pause."""

    def __init__(self) -> None:
        super().__init__(stream=True)
        self.probing = True
        self.probes = 0

    def quick(self, audio: np.ndarray, context: str = "", prefix: str = "") -> str:
        import time

        self.probes += 1
        time.sleep(0.4)  # the stand-in is slow on purpose: a probe keeps the worker for most of the pause
        return ""


def test_a_probe_at_the_pause_does_not_keep_the_answer_so_far_from_being_transcribed_ahead() -> None:
    """The probe of a pause has the worker while the pause lasts; the buffer is still transcribed after it, so the
    reply waits for the last sentence alone, not for everything since the last cut."""
    samples = answer(("speech", 6), ("silence", 0.7), ("speech", 6))
    transcriber = SlowEars()
    for chunk in chunks(samples):
        transcriber.feed(chunk)
    assert transcriber.settle(timeout=10)
    assert wait_for(lambda: transcriber.calls, timeout=5), "the answer so far was never transcribed ahead"
    early = list(transcriber.calls)
    segments = transcriber.finish().segments
    assert transcriber.probes >= 1
    assert len(early) == 1 and early[0] < 7, "the first sentence was transcribed during the answer, after the probe"
    assert len(transcriber.calls) == 2 and transcriber.calls[-1] < 7, "at the end, only what followed the pause"
    assert spans(segments) == spans(one_pass(samples))


def test_a_transcript_made_ahead_is_dropped_when_the_answer_goes_on_past_a_real_cut() -> None:
    samples = answer(("speech", 6), ("silence", 0.7), ("speech", 5), ("silence", 1), ("speech", 5))
    transcriber = RunTranscriber(stream=True)
    feed_waiting_at_pauses(transcriber, samples)
    segments = transcriber.finish().segments
    assert spans(segments) == spans(one_pass(samples)), "no speech lost or doubled"
    assert max(transcriber.calls) > 11, "the real cut's piece is transcribed whole, not stitched from a guess"


def test_silent_pieces_are_skipped_and_counted() -> None:
    transcriber = RunTranscriber(stream=True)
    samples = np.concatenate([answer(("speech", 5), ("silence", 12)), answer(("speech", 5), ("silence", 1))])
    for chunk in chunks(samples):
        transcriber.feed(chunk)
    assert transcriber.finish().skipped_pieces >= 1
    assert all(call < 12 for call in transcriber.calls), "a long silence is not sent to whisper"


@pytest.mark.parametrize("stream", [True, False])
def test_a_noise_only_answer_never_reaches_whisper(stream: bool) -> None:
    """A fan louder than the loudness gate: the voice detector fires on stray frames, never for long."""
    rng = np.random.default_rng(3)
    noise = (10 ** (-32 / 20) * rng.standard_normal(60 * SAMPLE_RATE)).astype(np.float32)
    transcriber = RunTranscriber(stream)
    for chunk in chunks(noise):
        transcriber.feed(chunk)
    done = transcriber.finish()
    assert done.segments == [] and done.skipped_pieces >= 1
    assert transcriber.calls == []

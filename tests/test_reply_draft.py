"""The question on the last words as heard: once the quick hearing has caught the answer's last words, the
follow-up is chosen on the transcript so far and those words, and asked while the last piece is still being
decoded (seconds on a laptop with openai-whisper); the saved transcript is still the whole decoding."""

from __future__ import annotations

import numpy as np

from simulator.audio import SAMPLE_RATE
from simulator.hearing.scheduler import JobKind
from simulator.transcript import Segment

from .support.speech import silence, speak
from .support.waiting import wait_for
from .support.stand_ins import Ears

BODY = ("I would put a cache in front of the key value store so that every redirect is served from memory, and "
        "the database only sees the misses.")
CLOSING = "And that's my design."


class SlowLastPiece(Ears):
    """The probe tests' worker, the engine stood aside: every piece after the first waits for `release`, as a
    slow decoding does; the quick hearing hears each span as the closing sentence."""

    def __init__(self) -> None:
        super().__init__()
        self.release.clear()
        self.pieces = 0

    def transcribe(self, audio: np.ndarray, fallback: bool = True) -> list[Segment]:
        self.pieces += 1
        if self.pieces > 1:
            self.release.wait(10)
        return [Segment(0.0, len(audio) / SAMPLE_RATE, f"piece {self.pieces}.")]

    def quick(self, audio: np.ndarray, context: str = "", prefix: str = "") -> str:
        return CLOSING


def test_the_last_words_heard_quickly_stand_in_for_a_last_piece_still_being_decoded() -> None:
    ears = SlowLastPiece()
    body = np.concatenate([speak(BODY), silence(0.7)])
    ears.feed_all(body)  # a piece, cut at the pause, decoded at once
    assert wait_for(lambda: ears.pieces == 1 and ears.running is None)
    ears.feed_all(np.concatenate([speak(CLOSING), silence(1.0)]), offset=len(body) / SAMPLE_RATE)
    ears.flush()  # the answer ends: its last piece is held in the worker
    assert wait_for(lambda: ears.running in (JobKind.PIECE, JobKind.EARLY))
    draft = ears.draft(5.0)
    assert draft is not None and not ears.settle(0), "chosen on before the last piece is in"
    assert [s.text for s in draft] == ["piece 1.", CLOSING]
    assert draft[-1].start >= draft[0].end - 0.05, "the heard words follow the transcript, not repeat it"
    ears.release.set()
    assert [s.text for s in ears.finish().segments] == ["piece 1.", "piece 2."], "the transcript is the decoding's"


def test_without_the_last_words_heard_there_is_no_draft_until_the_transcript_is_in() -> None:
    class Deaf(SlowLastPiece):
        def quick(self, audio: np.ndarray, context: str = "", prefix: str = "") -> str:
            self.release.wait(10)  # the quick hearing stuck behind nothing but itself: never in time
            return ""

    ears = Deaf()
    ears.probing = True
    body = np.concatenate([speak(BODY), silence(0.7), speak(CLOSING), silence(1.0)])
    ears.feed_all(body)
    ears.flush()
    assert ears.draft(0.3) is None, "an answer whose last words nobody heard yet is not replied to"
    ears.release.set()
    assert ears.draft(10.0) is not None
    ears.finish()

"""Speech whisper passes over inside a piece is decoded again, not lost from the transcript.

openai-whisper ends a window on a lone timestamp when it takes the rest of the audio for silence, and then skips
that rest: real base weights heard "At that load, around 60,000 messages a second ... three times that." and
nothing of the 8 seconds after it ("Messages are small, say two hundred bytes ..."), which the same weights hear
when given them alone. The stand-in for whisper here does the same: it writes the first voiced run of what it is
given and stops.
"""

from __future__ import annotations

import numpy as np

from simulator.audio import SAMPLE_RATE
from simulator.hearing.pieces import Piece
from simulator.hearing.filters import unheard_from
from simulator.transcript import Segment, Word

from .support.blocks import chunks
from .support.stand_ins import RunTranscriber, answer, one_pass, spans


class StopsShort(RunTranscriber):
    """Given the whole piece, hears the first sentence and stops at the breath after it, as whisper does when it
    ends a window early; given the rest alone, hears it all."""

    def transcribe(self, audio: np.ndarray, fallback: bool = True) -> list[Segment]:
        runs = super().transcribe(audio, fallback)
        return [r for r in runs if r.end <= FIRST + 0.1] if len(self.calls) == 1 else runs


FIRST = 5.0  # seconds of the first sentence


def test_speech_after_whisper_stops_short_is_decoded_and_kept() -> None:
    samples = answer(("speech", FIRST), ("silence", 0.4), ("speech", 5))
    transcriber = StopsShort(stream=False)
    for chunk in chunks(samples):
        transcriber.feed(chunk)
    heard = transcriber.finish().segments
    assert spans(heard) == spans(one_pass(samples)), "both sentences are in the transcript, neither twice"
    assert len(transcriber.calls) == 2, "one more decoding, of the rest of the piece only"
    assert transcriber.calls[1] < transcriber.calls[0] - 4


def test_a_piece_heard_to_its_end_is_decoded_once() -> None:
    samples = answer(("speech", 5), ("silence", 0.4), ("speech", 5))
    transcriber = RunTranscriber(stream=False)
    for chunk in chunks(samples):
        transcriber.feed(chunk)
    assert len(transcriber.finish().segments) >= 2
    assert len(transcriber.calls) == 1


def piece(speech: str) -> Piece:
    """Ten 100 ms blocks a second; '#' a block of speech, '.' one of silence."""
    return Piece(np.zeros(len(speech) * SAMPLE_RATE // 10, np.float32), 0.0, True, tuple(c == "#" for c in speech))


def test_where_whisper_stopped_short_is_after_its_last_word() -> None:
    voiced = piece("#" * 40 + "." * 5 + "#" * 30)  # 4 s of speech, a breath, 3 s more
    words = (Word(" that.", 3.5, 3.9),)
    assert unheard_from(voiced, [Segment(0.0, 3.9, " Three times that.", words)]) == 3.9
    # a segment that runs to the end of the window while its words stop: the words say where it stopped
    assert unheard_from(voiced, [Segment(0.0, 7.5, " Three times that.", words)]) == 3.9
    assert unheard_from(voiced, [Segment(0.0, 7.4, " All of it.")]) is None
    assert unheard_from(voiced, [Segment(0.0, 6.7, " All but a word.")]) is None, "under a second left is a word"
    assert unheard_from(voiced, []) is None, "nothing heard at all: the same audio would give the same"
    assert unheard_from(piece("#" * 40 + "." * 35), [Segment(0.0, 3.9, " Done.")]) is None, "silence after"

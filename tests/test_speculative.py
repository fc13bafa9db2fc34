"""The speculative last piece: the answer so far is decoded at a pause, as the last piece would be, before anyone
knows the answer ends there; used when it does, dropped when the candidate goes on."""

from __future__ import annotations

import hashlib
import threading

import numpy as np

from simulator.audio import SAMPLE_RATE
from simulator.config import TranscribeSettings
from simulator.hearing.transcriber import WhisperTranscriber
from simulator.hearing.vad import VoiceActivity
from simulator.transcript import Segment

from .support.blocks import chunks
from .support.waiting import wait_for
from .support.stand_ins import answer


class HeldEars(WhisperTranscriber):
    """Whisper stands aside: each voiced run becomes a 'word' stamped with a digest of the exact audio decoded, so
    two transcripts agree only when whisper was given the same samples. A decoding (or a probe) can be held."""

    def __init__(self, stream: bool = True, probe: bool = False) -> None:
        super().__init__(loader=None, settings=TranscribeSettings(), stream=stream,  # type: ignore[arg-type]
                         probe=probe)
        self.calls: list[float] = []  # seconds of audio given to each decoding, in order
        self.started = threading.Event()
        self.release = threading.Event()
        self.release.set()
        self.probe_release = threading.Event()
        self.probe_release.set()

    def transcribe(self, audio: np.ndarray, fallback: bool = True) -> list[Segment]:
        self.calls.append(len(audio) / SAMPLE_RATE)
        self.started.set()
        assert self.release.wait(10), "a held decoding was never let go"
        digest = hashlib.sha1(audio.tobytes()).hexdigest()[:8]
        vad, runs, start = VoiceActivity(), [], None
        for chunk in chunks(audio):
            speech = vad.is_speech(chunk.samples)
            if speech and start is None:
                start = chunk.timestamp
            if not speech and start is not None:
                runs.append(Segment(round(start, 1), round(chunk.timestamp, 1), f"word{len(runs)}-{digest}"))
                start = None
        if start is not None:
            runs.append(Segment(round(start, 1), round(len(audio) / SAMPLE_RATE, 1), f"end-{digest}"))
        return runs

    def quick(self, audio: np.ndarray, context: str = "", prefix: str = "") -> str:
        assert self.probe_release.wait(10), "a held probe was never let go"
        return ""


def feed(ears: HeldEars, samples: np.ndarray, start: float = 0.0, end: float | None = None) -> None:
    for chunk in chunks(samples):
        if chunk.timestamp >= start and (end is None or chunk.timestamp < end):
            ears.feed(chunk)


def one_pass(samples: np.ndarray) -> list[str]:
    ears = HeldEars(stream=False)
    feed(ears, samples)
    return [s.text for s in ears.finish().segments]


def test_the_last_piece_is_begun_at_the_pause_and_used_when_the_answer_ends_there() -> None:
    samples = answer(("speech", 6), ("silence", 1.5))  # a closing sentence, then a cue-ended second of silence
    ears = HeldEars()
    ears.release.clear()
    feed(ears, samples, end=6.7)
    assert wait_for(ears.started.is_set, timeout=5), "nothing was decoded in the pause"
    assert len(ears.calls) == 1 and ears.calls[0] < 7.5, "the answer so far, begun before the end was certain"
    feed(ears, samples, start=6.7)
    ears.flush()  # the answer ends while that decoding is still under way
    assert ears.waiting == 1, "the last piece waits for the decoding under way"
    ears.release.set()
    assert ears.settle(timeout=10)
    heard = [s.text for s in ears.finish().segments]
    assert len(ears.calls) == 1, "the last piece was not decoded a second time"
    assert heard == one_pass(samples), "the same transcript as decoding the whole answer at its end"


def test_a_decoding_finished_in_the_pause_is_the_reply_s_transcript_at_once() -> None:
    samples = answer(("speech", 6), ("silence", 1.5))
    ears = HeldEars()
    feed(ears, samples, end=6.7)
    assert wait_for(lambda: ears.calls and ears.settle(0) and ears.partial(), timeout=5)
    before_end = [s.text for s in ears.partial()]
    feed(ears, samples, start=6.7)
    ears.flush()
    assert ears.settle(timeout=0.5), "nothing left to decode once the answer ends in that pause"
    heard = [s.text for s in ears.finish().segments]
    assert len(ears.calls) == 1
    assert heard == before_end == one_pass(samples)


def test_speech_resuming_drops_a_speculative_piece_not_yet_begun_and_a_real_piece_goes_first() -> None:
    """The worker is busy with the pause's quick hearing; the candidate goes on, and the real piece cut at the next
    pause is decoded next: the guess made at the first pause is passed over, never decoded."""
    samples = answer(("speech", 6), ("silence", 0.7), ("speech", 5), ("silence", 1), ("speech", 5), ("silence", 1))
    ears = HeldEars(probe=True)
    ears.probe_release.clear()
    feed(ears, samples, end=6.7)
    assert wait_for(lambda: ears.waiting >= 1, timeout=5), "the speculative piece waits behind the quick hearing"
    feed(ears, samples, end=13.0, start=6.7)  # the candidate goes on; a real cut at the next pause
    ears.probe_release.set()
    assert ears.settle(timeout=10)
    assert ears.calls and ears.calls[0] > 11, "the real piece was decoded first, whole; the guess never was"
    feed(ears, samples, start=13.0)
    heard = [s.text for s in ears.finish().segments]
    assert len(ears.calls) == 2, "the real piece and the last one, nothing else"
    plain = HeldEars()  # the same answer with the worker never held
    feed(plain, samples)
    assert heard == [s.text for s in plain.finish().segments], "the same transcript"

def test_a_speculative_transcript_is_not_used_when_the_candidate_goes_on() -> None:
    samples = answer(("speech", 6), ("silence", 0.7), ("speech", 5), ("silence", 1), ("speech", 5))
    ears = HeldEars()
    feed(ears, samples, end=6.7)
    assert wait_for(ears.partial, timeout=5), "the speculative transcript was made"
    guessed = {s.text for s in ears.partial()}
    assert guessed, "the speculative transcript was made"
    feed(ears, samples, start=6.7)
    heard = [s.text for s in ears.finish().segments]
    assert not guessed & set(heard), "nothing of the guess is in the transcript"
    assert ears.calls[0] < 7 and max(ears.calls) > 11, "the real cut's piece was decoded whole"
    streamed = HeldEars()
    feed(streamed, samples)
    assert len(heard) == len(streamed.finish().segments)

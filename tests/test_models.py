"""--model as a faster-whisper folder: converted once, split parts read in order, bad folders refused in one line.

Real tiny.en weights, since a folder that converts wrongly still loads but
hears nothing: the transcript is what shows the conversion is right.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.audio import read_audio
from simulator.cli.main import cli
from simulator.config import TranscribeSettings
from simulator.errors import UserError
from simulator.hearing.ct2 import BINARY_VERSION, ModelFolderError, read_model
from simulator.hearing.loader import ModelLoader
from simulator.hearing.models import ModelSpec, converted_file, ensure_converted
from simulator.hearing.transcriber import WhisperTranscriber
from simulator.transcript import text_of

from .support.model_folders import WORDS, bad_folders, copy_folder
from .support.snapshot import snapshot

FIXTURES = Path(__file__).resolve().parent.parent / "audio_fixtures"
ANSWER = FIXTURES / "short-answer.wav"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def heard(spec: ModelSpec) -> str:
    loader = ModelLoader(spec).start()
    return text_of(WhisperTranscriber(loader, TranscribeSettings()).transcribe(read_audio(ANSWER)))


def test_a_folder_is_converted_once_and_heard_like_its_split_copy(real_tiny, tmp_path: Path, cache: Path) -> None:  # type: ignore[no-untyped-def]
    whole = (real_tiny.folder / "model.bin").read_bytes()
    middle = len(whole) // 2
    split = copy_folder(real_tiny.folder, tmp_path / "split", parts=[whole[:middle], whole[middle:]])
    spec = ModelSpec(str(real_tiny.folder))
    assert spec.is_folder and spec.file.parent == cache / "whisper" / "converted"
    spec.check()
    converted = spec.file.stat().st_mtime_ns
    spec.check()
    assert spec.file.stat().st_mtime_ns == converted, "converted once, then reused"
    text = heard(spec)
    assert "clarify" in text.lower() and "users" in text.lower()
    assert heard(ModelSpec(str(split))) == text, "parts are read in order, as one model.bin"
    assert converted_file(split) != spec.file


def test_a_changed_folder_is_converted_again(real_tiny, tmp_path: Path, cache: Path) -> None:  # type: ignore[no-untyped-def]
    import os

    folder = copy_folder(real_tiny.folder, tmp_path / "mine", model_bin=(real_tiny.folder / "model.bin").read_bytes())
    first = ensure_converted(folder)
    os.utime(folder / "model.bin", ns=(1, 1))  # replaced by another model, as far as anyone can tell
    second = ensure_converted(folder)
    assert second != first and second.is_file()


def test_bad_folders_are_one_sentence_that_says_the_fix(real_tiny, tmp_path: Path, cache: Path) -> None:  # type: ignore[no-untyped-def]
    for problem, folder in bad_folders(real_tiny, tmp_path).items():
        with pytest.raises(UserError) as info:
            ModelSpec(str(folder)).check()
        message = str(info.value)
        assert WORDS[problem] in message and "\n" not in message, (problem, message)
        assert any(fix in message for fix in ("copy", "pass", "convert")), message
    assert not list((cache / "whisper" / "converted").glob("*.pt")), "nothing half-written is left in the cache"
    assert BINARY_VERSION == 6


def test_a_bad_folder_is_refused_before_the_session_starts(real_tiny, tmp_path: Path, cache: Path) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "home"
    home.mkdir()
    for problem, folder in bad_folders(real_tiny, tmp_path / "bad").items():
        before = snapshot(home)
        result = CliRunner().invoke(cli, ["rehearse", "--no-voice", "--question", "url-shortener", "--model",
                                          str(folder), "--answer-file", str(ANSWER), "--home", str(home)])
        assert result.exit_code == 2, (problem, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and WORDS[problem] in lines[0], (problem, lines)
        assert snapshot(home) == before


def test_a_folder_is_local_so_download_refuses_it_and_doctor_finds_it(real_tiny, cache: Path) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["download", "--model", str(real_tiny.folder)])
    assert result.exit_code == 2 and "nothing to download" in result.stderr
    from simulator.cli.doctor import run_checks

    check = next(c for c in run_checks(str(real_tiny.folder)) if c.name.startswith("Whisper model"))
    assert check.ok and "faster-whisper folder" in check.detail


def test_reading_a_folder_gives_every_variable(real_tiny) -> None:  # type: ignore[no-untyped-def]
    model = read_model(real_tiny.folder)
    assert model.spec == "WhisperSpec" and model.aliases == {"decoder/projection/weight": "decoder/embeddings/weight"}
    assert model.variables["decoder/embeddings/weight"].shape == (51864, 384)
    with pytest.raises(ModelFolderError):
        read_model(real_tiny.folder.parent)

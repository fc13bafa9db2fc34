"""--voice and --voice-model through the command line: each bad input is one sentence, exit 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli.main import cli
from simulator.interviewer.piper_voice import bundled_model

from .support.imports import heavy_imports
from .support.refusals import refused, saved_home
from .support.snapshot import snapshot


def voice_model(make: str, folder: Path) -> Path:
    """A --voice-model argument that is wrong in one way."""
    bundled = bundled_model()
    assert bundled is not None
    config = bundled.with_name(bundled.name + ".json").read_text()
    model = folder / "voice.onnx"
    if make == "missing":
        return model
    if make == "folder":
        model.mkdir()
        return model
    if make == "not-onnx":
        model = folder / "voice.txt"
        model.write_text("a voice, supposedly")
        (folder / "voice.txt.json").write_text(config)
    elif make == "text-renamed":
        model.write_text("not a model at all\n")
        (folder / "voice.onnx.json").write_text(config)
    elif make == "empty":
        model.write_bytes(b"")
        (folder / "voice.onnx.json").write_text(config)
    elif make == "no-config":
        model.write_bytes(bundled.read_bytes()[:4096])
    elif make == "bad-config":
        model.write_bytes(bundled.read_bytes()[:4096])
        (folder / "voice.onnx.json").write_text('{"audio": {}}')
    return model


ROWS = {
    "voice-model-missing": ("missing", "does not exist; check the path, or drop --voice-model"),
    "voice-model-folder": ("folder", "is a folder; name the voice's .onnx file in it"),
    "voice-model-not-onnx": ("not-onnx", "is not a Piper voice; name an .onnx voice file"),
    "voice-model-text-renamed": ("text-renamed", "is not an ONNX model (wrong format); download the voice again"),
    "voice-model-empty": ("empty", "is not an ONNX model (empty)"),
    "voice-model-no-config": ("no-config", "has no voice.onnx.json beside it"),
    "voice-model-bad-config": ("bad-config", "is not a Piper voice config"),
}


@pytest.mark.parametrize("row", ROWS, ids=list(ROWS))
def test_a_bad_voice_model_is_refused_before_anything_is_written(row: str, tmp_path: Path) -> None:
    make, words = ROWS[row]
    home = saved_home(tmp_path / "home")
    model = voice_model(make, tmp_path)
    for voice in ([], ["--voice", "piper"]):
        refused(["rehearse", "--type", "--question", "url-shortener", *voice, "--voice-model", str(model)], home,
                words)


def test_a_voice_model_with_the_espeak_voice_is_refused(tmp_path: Path) -> None:
    home = saved_home(tmp_path / "home")
    model = bundled_model()
    assert model is not None
    refused(["rehearse", "--type", "--voice", "espeak", "--voice-model", str(model)], home,
            "--voice-model names a Piper voice; use it with --voice piper")


@pytest.mark.parametrize("how", ["option", "environment"])
def test_an_unknown_voice_is_refused(how: str, tmp_path: Path) -> None:
    home = saved_home(tmp_path / "home")
    before = snapshot(home)
    args, env = (["--voice", "robot"], {}) if how == "option" else ([], {"SIMULATOR_VOICE": "robot"})
    result = CliRunner().invoke(cli, ["rehearse", "--type", *args, "--home", str(home)], env=env)
    assert result.exit_code == 2
    assert "'robot' is not one of 'espeak', 'piper'" in result.output
    assert snapshot(home) == before


def test_the_voice_model_setting_comes_from_the_environment_too(tmp_path: Path) -> None:
    home = saved_home(tmp_path / "home")
    before = snapshot(home)
    result = CliRunner().invoke(cli, ["rehearse", "--type", "--home", str(home)],
                                env={"SIMULATOR_VOICE_MODEL": str(tmp_path / "gone.onnx")})
    assert result.exit_code == 2 and "gone.onnx does not exist" in result.stderr
    assert snapshot(home) == before


def test_help_and_refusals_import_neither_piper_nor_onnxruntime(tmp_path: Path) -> None:
    heavy, _ = heavy_imports(["rehearse", "--help"], ["doctor", "--help"],
                             ["rehearse", "--type", "--voice-model", str(tmp_path / "gone.onnx"), "--home",
                              str(tmp_path)], expect_success=False)
    assert heavy == []


def test_doctor_passes_without_the_optional_piper_voice(monkeypatch: pytest.MonkeyPatch) -> None:
    import simulator.cli.doctor as doctor

    def checks(model: str, voice_model: Path | None, engine: str) -> list[doctor.Check]:
        return [doctor.Check("interviewer voice (espeak-ng)", True, "renders speech (22050 Hz)"),
                doctor.Check("interviewer voice (Piper, optional)", False, "The Piper voice is not installed.",
                             optional=True)]

    monkeypatch.setattr(doctor, "run_checks", checks)
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "--   interviewer voice (Piper, optional): The Piper voice is not installed." in result.output
    monkeypatch.setattr(doctor, "run_checks",
                        lambda model, voice_model, engine: [doctor.Check("PortAudio", False, "gone")])
    assert CliRunner().invoke(cli, ["doctor"]).exit_code == 1


def test_doctor_names_a_bad_voice_model_without_failing(tmp_path: Path) -> None:
    from simulator.cli.doctor import voice_checks

    espeak, piper = voice_checks(tmp_path / "gone.onnx")
    assert espeak.ok and not piper.ok and piper.optional
    assert "gone.onnx does not exist" in piper.detail

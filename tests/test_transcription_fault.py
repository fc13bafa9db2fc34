"""A transcription that fails mid-session (a damaged model that loads but yields NaN logits) keeps the session as
interrupted with its audio, and says so in one line with the fix: exit 4, no traceback."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from simulator.cli.main import cli

from .support.checkpoint import make_checkpoint

FIXTURES = Path(__file__).resolve().parent.parent / "audio_fixtures"


def nan_checkpoint(path: Path) -> Path:
    import torch

    make_checkpoint(path)
    checkpoint = torch.load(path, weights_only=True)
    checkpoint["model_state_dict"]["decoder.ln.weight"][:] = float("nan")
    torch.save(checkpoint, path)
    return path


def test_a_model_that_fails_on_the_audio_keeps_the_session_and_says_so(tmp_path: Path) -> None:
    model = nan_checkpoint(tmp_path / "damaged.pt")
    home = tmp_path / "home"
    result = CliRunner().invoke(cli, ["rehearse", "--no-voice", "--question", "url-shortener", "--model", str(model),
                                      "--answer-file", str(FIXTURES / "short-answer.wav"), "--home", str(home)])
    assert result.exit_code == 4, (result.output, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: Whisper failed while transcribing"), result.stderr
    assert "download it again or pass another --model" in lines[0] and "kept in" in lines[0]
    assert "Traceback" not in result.output
    folder = next((home / "sessions").iterdir())
    record = json.loads((folder / "session.json").read_text())
    assert record["status"] == "interrupted"
    assert record["turns"][1]["audio"] == "answer-01.wav" and (folder / "answer-01.wav").stat().st_size > 100_000

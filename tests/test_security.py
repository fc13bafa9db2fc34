"""What stays private: no network connection, and session folders readable by the user alone."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from .support.netaudit import audited_env

FIXTURES = Path(__file__).resolve().parent.parent / "audio_fixtures"


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "simulator", *args], env=env, capture_output=True, text=True,
                            timeout=180, stdin=subprocess.DEVNULL, preexec_fn=lambda: os.umask(0o022))
    assert result.returncode == 0, f"{args}: exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr
    return result


@pytest.mark.device
def test_a_whole_rehearsal_and_its_review_open_no_network_connection_and_keep_files_private(
        virtual_audio, tiny_checkpoint: Path, tmp_path: Path) -> None:
    """The interviewer's voice, Whisper, the session listing and the analysis all run without the network,
    and with a permissive umask every session folder is 0700 and every file in it 0600."""
    home = tmp_path / "home"
    env, log = audited_env({**virtual_audio.env, "XDG_CACHE_HOME": str(tmp_path / "cache")}, tmp_path)
    run(env, "rehearse", "--question", "url-shortener", "--model", str(tiny_checkpoint), "--answer-file",
        str(FIXTURES / "short-answer.wav"), "--answer-file", str(FIXTURES / "pause-answer.wav"), "--followups", "1",
        "--decode-limit", "8", "--home", str(home))
    listed = json.loads(run(env, "sessions", "--json", "--home", str(home)).stdout)
    assert [row["status"] for row in listed] == ["complete"]
    run(env, "analyze", "last", "--home", str(home))
    run(env, "questions", "--home", str(home))
    for review in (["report", "last"], ["report", "last", "--html"], ["history"], ["export", "last"],
                   ["replay", "last", "--fast"]):
        run(env, *review, "--home", str(home))
    assert log.read_text() == "", f"network calls were made:\n{log.read_text()}"

    sessions = home / "sessions"
    folder = sessions / listed[0]["id"]
    names = sorted(p.name for p in folder.iterdir())
    prompts = [n for n in names if n.startswith("prompt-")]  # an acknowledgement before the follow-up adds one
    assert prompts in (["prompt-01.wav", "prompt-02.wav"], ["prompt-01.wav", "prompt-02.wav", "prompt-03.wav"])
    assert [n for n in names if n not in prompts] == ["answer-01.wav", "answer-02.wav", "report.html",
                                                      "session.json", "transcript.json"]
    for path in [sessions, folder]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o700, path
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path

    control = subprocess.run([sys.executable, "-c", "import socket; socket.getaddrinfo('localhost', 80)"], env=env)
    assert control.returncode == 0 and "socket.getaddrinfo" in log.read_text(), "the network audit records nothing"

"""The program run as a user runs it, in a subprocess, for the tests on real devices."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent.parent / "audio_fixtures"


def start(virtual_audio, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:  # type: ignore[no-untyped-def]
    env = {**virtual_audio.env, "PYTHONUNBUFFERED": "1", **(env or {})}
    return subprocess.Popen([sys.executable, "-m", "simulator", *args], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen, timeout: float = 240) -> str:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, f"exit {proc.returncode}\nstdout: {out}\nstderr: {err}"
    assert "Traceback" not in err
    return out


def only_session(home: Path) -> Path:
    sessions = list((home / "sessions").iterdir())
    assert len(sessions) == 1
    return sessions[0]


def start_with(env: dict[str, str], *args: str) -> subprocess.Popen:  # type: ignore[no-untyped-def]
    return subprocess.Popen([sys.executable, "-m", "simulator", *args], env={**env, "PYTHONUNBUFFERED": "1"},
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

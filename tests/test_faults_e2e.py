"""Faults on real devices: a rehearsal killed with SIGKILL, Ctrl-C while the question is spoken, the
microphone's sound server vanishing mid-answer, and a speaker that cannot play."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.audio import SAMPLE_RATE, read_audio, read_wav

from .support.e2e import FIXTURES, only_session, start
from .support.matching import best_match, wait_for_line
from .support.pulse import VirtualAudio, available
from .support.waiting import wait_for

pytestmark = pytest.mark.device
ANSWER = FIXTURES / "short-answer.wav"  # 7.75 s: speech from 0.5 s to 6.75 s


@pytest.fixture
def own_audio() -> Iterator[VirtualAudio]:
    """A PulseAudio daemon of this test's own, so stopping it leaves the shared one running."""
    reason = available()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"virtual audio unavailable on CI: {reason}")
        pytest.skip(reason)
    with VirtualAudio() as va:
        yield va


def recorded_seconds(home: Path) -> float:
    """Seconds of the first answer on disk so far: the recording streams 16-bit mono after a 44-byte header."""
    found = list(home.glob("sessions/*/answer-01.wav"))
    return (found[0].stat().st_size - 44) / (2 * SAMPLE_RATE) if found else 0.0


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "simulator", *args], env=env, capture_output=True, text=True,
                          timeout=120)


def test_sigkill_mid_answer_loses_at_most_the_last_second(virtual_audio, tiny_checkpoint: Path,
                                                          tmp_path: Path) -> None:
    home = tmp_path / "home"
    proc = start(virtual_audio, "rehearse", "--no-voice", "--followups", "0", "--model", str(tiny_checkpoint),
                 "--question", "url-shortener", "--max-seconds", "60", "--home", str(home))
    wait_for_line(proc, "Listening for answer 1", timeout=60)
    player = virtual_audio.play_async(ANSWER)
    played_from = time.monotonic()
    # mid-answer: four seconds are on disk while the speech goes on to 6.75 s
    assert wait_for(lambda: recorded_seconds(home) >= 4.0, timeout=30), "the answer never reached the disk"
    proc.send_signal(signal.SIGKILL)
    killed_after = time.monotonic() - played_from
    proc.communicate(timeout=30)
    player.wait(30)
    folder = only_session(home)
    assert json.loads((folder / "session.json").read_text())["status"] == "recording"

    result = run_cli("sessions", "--json", "--home", str(home))
    assert result.returncode == 0 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Recovered session {folder.name}:"), result.stderr
    assert json.loads(result.stdout)[0]["status"] == "recovered"

    recorded = read_wav(folder / "answer-01.wav")
    assert recorded.rate == SAMPLE_RATE
    played = read_audio(ANSWER)[: int((killed_after - 1.0) * SAMPLE_RATE)]
    score, lag = best_match(played, recorded.samples)
    assert score >= 0.95, f"the repaired recording holds what was played up to a second before the kill " \
                          f"only {score:.3f}"
    record = json.loads((folder / "session.json").read_text())
    answer = record["turns"][-1]
    assert answer["end"] - answer["start"] == pytest.approx(recorded.seconds, abs=0.01)
    again = run_cli("sessions", "--recover", "--home", str(home))
    assert again.stdout.strip() == "No session needed recovering." and again.stderr == ""


def test_ctrl_c_while_the_question_is_spoken_saves_a_reportable_session(virtual_audio, tiny_checkpoint: Path,
                                                                       tmp_path: Path) -> None:
    home = tmp_path / "home"
    proc = start(virtual_audio, "rehearse", "--followups", "0", "--model", str(tiny_checkpoint), "--question",
                 "chat-app", "--max-seconds", "60", "--home", str(home))
    # the session is saved just before the question is shown, rendered and spoken (about 10 s of speech);
    # stdout cannot tell when, since the panel and the next line may sit together in a pipe's buffer, but the
    # speaker can: the voice is a stream playing into it
    assert wait_for(lambda: list(home.glob("sessions/*/session.json")), timeout=60), "no session was saved"
    assert wait_for(lambda: virtual_audio.speaker_streams() > 0, timeout=60), "the question was never spoken"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "saved as an interrupted session" in err
    assert "Design a chat" in out and "Listening" not in out, "Ctrl-C stops the voice, not only what follows it"
    folder = only_session(home)
    record = json.loads((folder / "session.json").read_text())
    assert record["status"] == "interrupted" and not [t for t in record["turns"] if t["role"] == "candidate"]
    listed = run_cli("sessions", "--json", "--home", str(home))
    assert json.loads(listed.stdout)[0]["status"] == "interrupted" and listed.stderr == ""
    analyzed = run_cli("analyze", folder.name, "--home", str(home))
    assert analyzed.returncode == 0 and "Traceback" not in analyzed.stderr, analyzed.stderr


def test_the_microphone_vanishing_mid_answer_keeps_the_audio_and_says_so(own_audio: VirtualAudio,
                                                                        tiny_checkpoint: Path,
                                                                        tmp_path: Path) -> None:
    home = tmp_path / "home"
    proc = start(own_audio, "rehearse", "--no-voice", "--followups", "2", "--model", str(tiny_checkpoint),
                 "--question", "url-shortener", "--max-seconds", "60", "--decode-limit", "8", "--home", str(home))
    wait_for_line(proc, "Listening for answer 1", timeout=60)
    own_audio.play_async(ANSWER)
    assert wait_for(lambda: recorded_seconds(home) >= 3.5, timeout=30), "the answer never reached the disk"
    own_audio.stop()  # mid-answer, the speech going on to 6.75 s
    out, err = proc.communicate(timeout=90)
    assert proc.returncode == 3, f"stdout: {out}\nstderr: {err}"
    assert "Traceback" not in err
    lines = [line for line in err.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: The input device stopped sending audio"), err
    assert "The session so far is kept in" in lines[0]
    folder = only_session(home)
    record = json.loads((folder / "session.json").read_text())
    assert record["status"] == "interrupted"
    [answer] = [t for t in record["turns"] if t["role"] == "candidate"]
    assert answer["analysis"] is not None
    transcript = json.loads((folder / "transcript.json").read_text())
    assert transcript["answers"][0]["ended_by"] == "input device lost"
    recorded = read_wav(folder / "answer-01.wav")
    assert answer["end"] - answer["start"] == pytest.approx(recorded.seconds, abs=0.01)
    heard = read_audio(ANSWER)[: int(2.5 * SAMPLE_RATE)]  # well before the server stopped
    assert best_match(heard, recorded.samples)[0] >= 0.95


def test_a_speaker_that_cannot_play_prints_the_question_and_the_session_goes_on(virtual_audio,
                                                                               tiny_checkpoint: Path,
                                                                               tmp_path: Path) -> None:
    home = tmp_path / "home"
    proc = start(virtual_audio, "rehearse", "--followups", "0", "--model", str(tiny_checkpoint), "--question",
                 "rate-limiter", "--output-device", "no-such-speaker", "--answer-file", str(ANSWER),
                 "--decode-limit", "8", "--home", str(home))
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "no-such-speaker" in warnings[0] and "printed instead" in warnings[0], err
    assert "Design a rate limiter" in out
    folder = only_session(home)
    record = json.loads((folder / "session.json").read_text())
    assert record["status"] == "complete"
    assert read_wav(folder / "prompt-01.wav").seconds > 2, "the rendered question is kept for replay"

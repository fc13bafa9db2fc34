"""A rehearsal killed mid-answer: the next command repairs its audio and marks it recovered, once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from simulator.audio import SAMPLE_RATE, read_wav, repair_wav, to_pcm16
from simulator.cli.main import cli
from simulator.sessions.record import SessionRecord, Turn
from simulator.sessions.recovery import recover
from simulator.sessions.store import LOCK_FILE, SessionFolder, Store

# A rehearsal's writing, as the loop does it, in a process the test kills: the session is saved with the
# answer's turn, the answer streams to disk through WavWriter, and the lock is held throughout.
WRITER = r"""
import sys, time
import numpy as np
from pathlib import Path
from simulator.audio import WavWriter, SAMPLE_RATE
from simulator.sessions.record import SessionRecord, Turn
from simulator.sessions.store import Store

home, seconds = Path(sys.argv[1]), float(sys.argv[2])
folder = Store(home).create("url-shortener")
lock = folder.lock()
record = SessionRecord(id=folder.id, question={"id": "url-shortener", "kind": "design", "text": "Design it."},
                       started_at="2026-11-21T10:00:00+00:00")
record.turns.append(Turn("candidate", "", "answer-01.wav", 1.5, 1.5))
folder.save(record)
writer = WavWriter(folder.file("answer-01.wav"))
rng = np.random.default_rng(7)
block = SAMPLE_RATE // 10
for i in range(int(seconds * 10)):
    writer.write(rng.uniform(-0.5, 0.5, block).astype(np.float32))
while writer.frames < int(seconds * 10) * block:
    time.sleep(0.01)
print(folder.path, flush=True)
time.sleep(600)  # alive, the lock held and the writer open, until the test's SIGKILL; 600 s frees a stray one
"""


def killed_rehearsal(home: Path, seconds: float) -> Path:
    """The folder of a session whose writer was SIGKILLed after `seconds` of answer reached it."""
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(home), str(seconds)], stdout=subprocess.PIPE,
                            text=True)
    try:
        path = Path(proc.stdout.readline().strip())  # type: ignore[union-attr]
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    assert path.name, "the writer never started"
    return path


def expected_audio(seconds: float) -> np.ndarray:
    rng = np.random.default_rng(7)
    blocks = [rng.uniform(-0.5, 0.5, SAMPLE_RATE // 10).astype(np.float32) for _ in range(int(seconds * 10))]
    return np.concatenate(blocks)


def zero_the_header(path: Path) -> None:
    """What a writer killed before its header patch reached the file leaves: samples counted as none."""
    with open(path, "r+b") as raw:
        raw.seek(4)
        raw.write((36).to_bytes(4, "little"))
        raw.seek(40)
        raw.write((0).to_bytes(4, "little"))
    with wave.open(str(path)) as wav:
        assert wav.getnframes() == 0


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_a_killed_rehearsal_is_repaired_by_the_next_command_once(tmp_path: Path) -> None:
    folder = killed_rehearsal(tmp_path, 3.0)
    zero_the_header(folder / "answer-01.wav")

    first = run("sessions", "--json", "--home", str(tmp_path))
    assert first.exit_code == 0
    lines = first.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Recovered session {folder.name}:"), first.stderr
    assert "0:03 of answer audio" in lines[0] and "--answer-file" in lines[0]
    listed = json.loads(first.stdout)
    assert listed[0]["status"] == "recovered" and listed[0]["answer_seconds"] == pytest.approx(3.0, abs=0.05)

    clip = read_wav(folder / "answer-01.wav")
    assert clip.rate == SAMPLE_RATE and len(clip.samples) == 3 * SAMPLE_RATE
    assert np.allclose(clip.samples, expected_audio(3.0), atol=1e-4), "every sample written is kept, in order"
    record = SessionFolder(folder).load()
    assert record.turns[0].start == 1.5 and record.turns[0].end == pytest.approx(4.5)
    assert record.ended_at is not None
    assert not (folder / LOCK_FILE).exists()

    again = run("sessions", "--home", str(tmp_path))
    assert again.stderr == "" and "recovered" in again.stdout
    assert run("sessions", "--recover", "--home", str(tmp_path)).stdout == "No session needed recovering.\n"


def test_sessions_recover_says_what_it_did(tmp_path: Path) -> None:
    folder = killed_rehearsal(tmp_path, 1.0)
    result = run("sessions", "--recover", "--home", str(tmp_path))
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.startswith(f"Recovered session {folder.name}:") and result.stdout.count("\n") == 1
    assert read_wav(folder / "answer-01.wav").seconds == pytest.approx(1.0)


def test_sessions_recover_json_lists_what_was_recovered(tmp_path: Path) -> None:
    folder = killed_rehearsal(tmp_path, 2.0)
    [item] = json.loads(run("sessions", "--recover", "--json", "--home", str(tmp_path)).stdout)
    assert item["id"] == folder.name and item["audio"] == ["answer-01.wav"]
    assert item["answer_seconds"] == pytest.approx(2.0) and item["message"].startswith("Recovered session")
    assert json.loads(run("sessions", "--recover", "--json", "--home", str(tmp_path)).stdout) == []


def test_a_recovered_session_without_a_transcript_can_still_be_analyzed(tmp_path: Path) -> None:
    folder = killed_rehearsal(tmp_path, 1.0)
    result = run("analyze", folder.name, "--json", "--home", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "Recovered session" in result.stderr
    assert json.loads(result.stdout)["delivery"]["words"] == 0


@pytest.mark.parametrize("review", [["report"], ["report", "--json"], ["report", "--html"], ["export"],
                                    ["export", "--format", "srt"], ["replay", "--fast"]], ids=" ".join)
def test_a_recovered_session_can_be_reviewed(tmp_path: Path, review: list[str]) -> None:
    folder = killed_rehearsal(tmp_path, 1.0)
    run("sessions", "--recover", "--home", str(tmp_path))
    result = run(review[0], folder.name, *review[1:], "--home", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    history = run("history", "--json", "--home", str(tmp_path))
    assert history.exit_code == 0 and json.loads(history.stdout)["sessions"][0]["id"] == folder.name


def test_a_live_rehearsal_in_another_terminal_is_left_alone(tmp_path: Path) -> None:
    store = Store(tmp_path)
    folder = store.create("chat-app")
    lock = folder.lock()
    assert lock is not None
    record = SessionRecord(id=folder.id, question={"id": "chat-app", "kind": "design", "text": "Design it."},
                           started_at="2026-11-21T10:00:00+00:00",
                           turns=[Turn("candidate", "", "answer-01.wav", 0.0, 0.0)])
    folder.save(record)
    (folder.file("answer-01.wav")).write_bytes(b"RIFF")
    try:
        assert recover(store) == []
        assert folder.load().status == "recording"
        assert folder.file("answer-01.wav").read_bytes() == b"RIFF", "a live recording is never touched"
    finally:
        lock.release()
    [done] = recover(store)
    assert done.id == folder.id and folder.load().status == "recovered"


def test_a_session_killed_before_its_answer_file_existed(tmp_path: Path) -> None:
    folder = Store(tmp_path).create("chat-app")
    record = SessionRecord(id=folder.id, question={"id": "chat-app", "kind": "design", "text": "Design it."},
                           started_at="2026-11-21T10:00:00+00:00",
                           turns=[Turn("interviewer", "Design it.", None, 0.0, 2.0),
                                  Turn("candidate", "", "answer-01.wav", 2.0, 2.0)])
    folder.save(record)
    [done] = recover(Store(tmp_path))
    assert done.answers == 0 and "no answer had been recorded yet" in done.line()
    assert "--answer-file" not in done.line()
    assert folder.load().status == "recovered"


@pytest.mark.parametrize("garbage", [b"", b"RIFF\x00", b"x" * 44])
def test_repair_gives_a_playable_wav_from_any_remains(tmp_path: Path, garbage: bytes) -> None:
    samples = np.linspace(-0.5, 0.5, 1600, dtype=np.float32)
    path = tmp_path / "answer.wav"
    body = to_pcm16(samples) + b"\x01" if len(garbage) == 44 else b""  # a half-written last sample
    path.write_bytes(garbage + body)
    seconds = repair_wav(path)
    clip = read_wav(path)
    assert clip.rate == SAMPLE_RATE and clip.seconds == pytest.approx(seconds)
    if body:
        assert np.allclose(clip.samples, samples, atol=1e-4)
    assert os.path.getsize(path) == 44 + 2 * len(clip.samples)

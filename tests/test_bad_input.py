"""Every row of the README's "When something is wrong" table, through the command line.

A refused command exits 2 with exactly one line on stderr starting `error:`, no
traceback, and leaves the data folder (an already saved session in it) exactly as it was.
Test ids are the table's row ids.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from click.testing import CliRunner

from simulator.audio import MAX_ANSWER_FILE_SECONDS, read_wav
from simulator.cli.main import cli
from simulator.sessions.store import Store

from .support.refusals import SAVED, assert_refused, invoke, refused, saved_home
from .support.snapshot import snapshot

FIXTURES = Path(__file__).resolve().parent.parent / "audio_fixtures"
GOOD_ANSWER = FIXTURES / "short-answer.wav"
HERE = Path(__file__).resolve().parent


# --- answer files ----------------------------------------------------------------


def wav_header(data_bytes: int, rate: int = 16000) -> bytes:
    """A 16-bit mono PCM WAV header for data_bytes of audio."""
    return b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVE" + b"fmt " + struct.pack(
        "<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16) + b"data" + struct.pack("<I", data_bytes)


def wav_bytes(frames: int) -> bytes:
    tone = (np.sin(np.arange(frames) / 7) * 8000).astype("<i2").tobytes()
    return wav_header(len(tone)) + tone


@dataclass(frozen=True)
class Bad:
    make: str  # how to build the file (see answer_file)
    words: str


ANSWER_FILES = {
    "answer-missing": Bad("missing", "does not exist"),
    "answer-empty": Bad("empty", "is empty"),
    "answer-truncated": Bad("truncated", "is incomplete: its header promises 32000 bytes of audio and it holds 16000"),
    "answer-unfinished-header": Bad("unfinished", "its header promises 0 bytes of audio"),
    "answer-zero-length": Bad("zero", "holds no audio"),
    "answer-not-audio": Bad("text", "is not a readable WAV or FLAC file"),
    "answer-folder": Bad("folder", "is a folder, not an audio file"),
}


def answer_file(make: str, folder: Path) -> Path:
    path = folder / "answer.wav"
    if make == "empty":
        path.write_bytes(b"")
    elif make == "truncated":
        path.write_bytes(wav_bytes(16000)[:44 + 16000])  # the header says one second, half of it is there
    elif make == "unfinished":  # a writer killed before it fixed its header: audio after a header saying none
        data = bytearray(wav_bytes(16000))
        data[40:44] = struct.pack("<I", 0)
        path.write_bytes(bytes(data))
    elif make == "zero":
        path.write_bytes(wav_bytes(0))
    elif make == "text":
        path.write_text("These are my notes, not a recording.\n")
    elif make == "folder":
        path.mkdir()
    return path


@pytest.mark.parametrize("row", list(ANSWER_FILES), ids=list(ANSWER_FILES))
def test_a_bad_answer_file_is_refused(row: str, tmp_path: Path) -> None:
    home = saved_home(tmp_path / "home")
    path = answer_file(ANSWER_FILES[row].make, tmp_path)
    line = refused(["rehearse", "--no-voice", "--answer-file", str(path)], home, ANSWER_FILES[row].words)
    assert str(path) in line
    assert sorted(p.name for p in (home / "sessions").iterdir()) == [SAVED]


def test_answer_multi_hour_is_refused_from_its_header_without_reading_it(tmp_path: Path) -> None:
    """A four-hour WAV (460 MB, sparse on disk) is refused with the limit stated, in a few MB of memory."""
    seconds = 4 * 3600
    data_bytes = seconds * 16000 * 2
    path = tmp_path / "long.wav"
    with open(path, "wb") as f:
        f.write(wav_header(data_bytes))
        f.truncate(44 + data_bytes)
    home = saved_home(tmp_path / "home")
    # VmHWM, not ru_maxrss: the latter keeps the peak of the forked pytest process from before exec
    code = ("import re, sys\nfrom simulator.cli.main import cli\n"
            "try:\n    cli(sys.argv[1:], prog_name='mock-interview')\nexcept SystemExit as e:\n    code = e.code\n"
            "peak = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)\n"
            "print(peak, code)\n")
    before = snapshot(home)
    result = subprocess.run([sys.executable, "-c", code, "rehearse", "--no-voice", "--answer-file", str(path),
                             "--home", str(home)], capture_output=True, text=True, timeout=120,
                            stdin=subprocess.DEVNULL)
    maxrss_kib, code_text = result.stdout.split()
    assert code_text == "2"
    lines = result.stderr.strip().splitlines()
    hours = MAX_ANSWER_FILE_SECONDS // 3600
    assert len(lines) == 1 and f"runs 4.0 hours, past the {hours}-hour limit" in lines[0], result.stderr
    assert int(maxrss_kib) * 1024 < 200 * 2**20, "the long file was read into memory"
    assert snapshot(home) == before


def write_format(path: Path, seconds: float, rate: int, channels: int, subtype: str) -> None:
    t = np.arange(int(seconds * rate)) / rate
    tone = 0.3 * np.sin(2 * np.pi * 220 * t)
    sf.write(path, np.repeat(tone[:, None], channels, axis=1), rate, subtype=subtype)


ACCEPTED = {
    "answer-8-bit": dict(rate=16000, channels=1, subtype="PCM_U8"),
    "answer-96khz": dict(rate=96000, channels=1, subtype="PCM_24"),
    "answer-6-channel": dict(rate=48000, channels=6, subtype="PCM_16"),
}


@pytest.mark.parametrize("row", list(ACCEPTED), ids=list(ACCEPTED))
def test_other_formats_are_converted_to_16khz_mono(row: str, tmp_path: Path, tiny_checkpoint: Path) -> None:
    path = tmp_path / "answer.wav"
    write_format(path, 2.5, **ACCEPTED[row])  # type: ignore[arg-type]
    result = invoke(["rehearse", "--no-voice", "--question", "url-shortener", "--model", str(tiny_checkpoint),
                     "--answer-file", str(path), "--decode-limit", "8", "--followups", "0"], tmp_path / "home")
    assert result.exit_code == 0, (result.output, result.exception)
    folder = next((tmp_path / "home" / "sessions").iterdir())
    saved = read_wav(folder / "answer-01.wav")
    assert saved.rate == 16000 and saved.samples.ndim == 1
    assert saved.seconds == pytest.approx(2.5, abs=0.01)
    level = np.sqrt(np.mean(saved.samples[1000:-1000] ** 2))
    assert level == pytest.approx(0.3 / np.sqrt(2), rel=0.05), "the tone was not kept at its level"


# --- question files ----------------------------------------------------------------

ENTRY = '[[question]]\nid = "{id}"\nkind = "design"\ntitle = "Cache"\nprompt = "Design a cache."\n'
QUESTION_FILES = {
    "questions-malformed": ("[[question]\nid = ", "is not valid TOML"),
    "questions-empty": ("", "has no [[question]] entries"),
    "questions-duplicate-id": (ENTRY.format(id="my-cache") * 2, "'my-cache' appears twice"),
    "questions-duplicate-built-in-id": (ENTRY.format(id="url-shortener"), "'url-shortener' appears twice"),
    "questions-wrong-types": (ENTRY.format(id="x").replace('title = "Cache"', "title = 5"),
                              "has a title that is not a string"),
    "questions-wrong-kind": (ENTRY.format(id="x").replace('"design"', '"quiz"'), "kind 'quiz'"),
    "questions-not-utf8": ("\udcff", "cannot be read"),
}


@pytest.mark.parametrize("row", list(QUESTION_FILES), ids=list(QUESTION_FILES))
@pytest.mark.parametrize("command", [["questions"], ["rehearse", "--type", "--no-voice"]], ids=["list", "rehearse"])
def test_a_bad_question_file_is_refused_naming_it(row: str, command: list[str], tmp_path: Path) -> None:
    home = saved_home(tmp_path / "home")
    (home / "questions").mkdir()
    text, words = QUESTION_FILES[row]
    (home / "questions" / "mine.toml").write_bytes(text.encode("utf-8", "surrogateescape"))
    line = refused(command, home, words)
    assert "mine.toml" in line


# --- session.json and session ids ----------------------------------------------------


def damaged(change: str, data: dict) -> str:  # type: ignore[type-arg]
    if change == "bad-json":
        return '{"id": "x", "question": '
    if change == "wrong-types":
        data["turns"][1]["start"] = "soon"
    elif change == "missing-keys":
        del data["question"]
    elif change == "future-schema":
        data["schema_version"] = 7
        data["turns"] = "a shape this version does not know"
    elif change == "audio-outside":
        data["turns"][1]["audio"] = "../../etc/passwd"
    elif change == "audio-absolute":
        data["turns"][1]["audio"] = "/etc/passwd"
    return json.dumps(data)


SESSION_FILES = {
    "session-bad-json": ("bad-json", "is unreadable (Expecting value"),
    "session-wrong-types": ("wrong-types", "is unreadable (start is not a number)"),
    "session-missing-keys": ("missing-keys", "is unreadable (no question)"),
    "session-future-schema": ("future-schema", "written by a newer version of mock-interview (schema 7)"),
    "escape-audio-field": ("audio-outside", "a turn's audio '../../etc/passwd' points outside the session folder"),
    "escape-audio-absolute": ("audio-absolute", "a turn's audio '/etc/passwd' points outside the session folder"),
}


@pytest.mark.parametrize("row", list(SESSION_FILES), ids=list(SESSION_FILES))
def test_a_damaged_session_json_is_refused_and_listed_as_unreadable(row: str, tmp_path: Path) -> None:
    home = saved_home(tmp_path / "home")
    change, words = SESSION_FILES[row]
    session_json = home / "sessions" / SAVED / "session.json"
    session_json.write_text(damaged(change, json.loads(session_json.read_text())))
    line = refused(["analyze", SAVED], home, words)
    assert str(home / "sessions" / SAVED / "session.json") in line
    listed = invoke(["sessions", "--json"], home)
    assert listed.exit_code == 0 and json.loads(listed.stdout)[0]["status"] == "unreadable"


def test_session_unknown_id(tmp_path: Path) -> None:
    refused(["analyze", "20251231"], saved_home(tmp_path / "home"), "There is no session '20251231'")


def test_session_ambiguous_id(tmp_path: Path) -> None:
    home = saved_home(tmp_path / "home")
    Store(home).create("url-shortener", when=datetime(2026, 1, 1, 10, 0, 0, tzinfo=timezone.utc))
    refused(["analyze", "2026"], home, "'2026' matches 2 sessions; give more of the id")


def outside_session(tmp_path: Path) -> Path:
    """A folder outside the data folder that looks like a session, to be refused, not read."""
    outside = tmp_path / "outside"
    shutil.copytree(saved_home(tmp_path / "other") / "sessions" / SAVED, outside)
    return outside


def test_escape_dotdot(tmp_path: Path) -> None:
    home = saved_home(tmp_path / "home")
    outside_session(tmp_path)
    refused(["analyze", "../outside"], home, "'../outside' is not a session id")
    refused(["analyze", "../../outside"], home, "is not a session id")


def test_escape_absolute(tmp_path: Path) -> None:
    home = saved_home(tmp_path / "home")
    outside = outside_session(tmp_path)
    refused(["analyze", str(outside)], home, f"{outside} is not a session folder in {home / 'sessions'}")
    inside = invoke(["analyze", str(home / "sessions" / SAVED), "--json"], home)
    assert inside.exit_code == 0 and json.loads(inside.stdout)["kind"] == "design"


def test_escape_symlinked_session_folder(tmp_path: Path) -> None:
    home = saved_home(tmp_path / "home")
    outside = outside_session(tmp_path)
    (home / "sessions" / "20260102-090000-linked").symlink_to(outside, target_is_directory=True)
    refused(["analyze", "20260102"], home, f"is a link to {outside}, outside the data folder")
    listed = {row["id"]: row["status"] for row in json.loads(invoke(["sessions", "--json"], home).stdout)}
    assert listed == {SAVED: "complete", "20260102-090000-linked": "unreadable"}


@pytest.mark.parametrize("name", ["session.json", "transcript.json"])
def test_escape_symlinked_file(name: str, tmp_path: Path) -> None:
    home = saved_home(tmp_path / "home")
    outside = outside_session(tmp_path)
    (home / "sessions" / SAVED / name).unlink()
    (home / "sessions" / SAVED / name).symlink_to(outside / name)
    refused(["analyze", SAVED], home, f"{name} leads outside its session folder")


TRANSCRIPT_FILES = {
    "transcript-missing": (None, "does not exist"),
    "transcript-not-json": ("{segments: [", "is not a transcript (Expecting property name"),
    "transcript-wrong-types": ('{"segments": [{"start": 0, "end": "later", "text": "Hi."}]}',
                               "is not a transcript (not a number: 'later')"),
    "transcript-not-utf8": (b"\xff\xfe\x00binary", "Cannot read"),
}


@pytest.mark.parametrize("row", list(TRANSCRIPT_FILES), ids=list(TRANSCRIPT_FILES))
def test_a_bad_transcript_file_is_refused(row: str, tmp_path: Path) -> None:
    content, words = TRANSCRIPT_FILES[row]
    path = tmp_path / "answer.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    refused(["analyze", str(path)], saved_home(tmp_path / "home"), words)


def test_a_damaged_transcript_json_in_a_session_falls_back_to_its_text(tmp_path: Path) -> None:
    """Its word times are lost, never the analysis: session.json still holds what was said."""
    home = saved_home(tmp_path / "home")
    (home / "sessions" / SAVED / "transcript.json").write_text('{"answers": [{"segments": [{"start": -1}]}]}')
    result = invoke(["analyze", SAVED, "--json"], home)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["delivery"]["words"] == 5


# --- a read-only or full data folder ------------------------------------------------


def run_on_small_mount(mode: str, home: Path, args: list[str], tmp_path: Path) -> dict | None:  # type: ignore[type-arg]
    """The command on a real 200 KiB tmpfs holding a copy of home, full or read-only; None where mounts are refused."""
    if shutil.which("unshare") is None:
        return None
    mount = tmp_path / "mount"
    mount.mkdir()
    result = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", sys.executable,
                             str(HERE / "support" / "fullfolder.py"), mode, str(mount), str(home), "--", *args],
                            capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    if result.returncode != 0 and not result.stdout.strip():
        return None  # no user namespaces or mounts here
    return json.loads(result.stdout)


@pytest.mark.parametrize("row, words", [
    ("data-read-only", "(Read-only file system); make it writable or pick another folder with --home"),
    ("data-full", "(No space left on device); free some space"),
], ids=["data-read-only", "data-full"])
def test_a_read_only_or_full_data_folder_is_one_line_and_keeps_what_was_saved(
        row: str, words: str, tmp_path: Path, tiny_checkpoint: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = saved_home(tmp_path / "home")
    args = ["rehearse", "--no-voice", "--question", "url-shortener", "--model", str(tiny_checkpoint),
            "--answer-file", str(GOOD_ANSWER), "--decode-limit", "8"]
    mode = "read-only" if row == "data-read-only" else "full"
    outcome = run_on_small_mount(mode, home, args, tmp_path)
    if outcome is not None:  # a real tmpfs
        assert outcome["returncode"] == 2, outcome["stderr"]
        lines = outcome["stderr"].strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], outcome["stderr"]
        assert outcome["after"] == outcome["before"]
        assert sorted(k for k in outcome["after"] if k.count("/") == 1 and k.startswith("sessions/")) == \
            [f"sessions/{SAVED}"]
        return
    # no mounts here: the same failure injected where the operating system reports it
    import errno

    def fail(*_: object, **__: object) -> None:
        code = errno.EROFS if mode == "read-only" else errno.ENOSPC
        raise OSError(code, os.strerror(code))

    if mode == "read-only":
        monkeypatch.setattr(os, "mkdir", fail)
    else:
        monkeypatch.setattr(os, "fsync", fail)
    refused(args, home, words)


# --- Whisper models ----------------------------------------------------------------


def model_file(make: str, folder: Path) -> Path:
    import random

    path = folder / "model.pt"
    if make == "empty":
        path.write_bytes(b"")
    elif make == "random-bytes":
        path.write_bytes(b"\x13" + random.Random(0).randbytes(64 * 1024))
    elif make == "wrong-keys":
        import torch

        torch.save({"weights": torch.zeros(4), "config": {"layers": 1}}, path)
    elif make == "cut-short":
        from .support.checkpoint import make_checkpoint

        whole = make_checkpoint(folder / "whole.pt").read_bytes()
        path.write_bytes(whole[: len(whole) // 2])
    return path


MODELS = {
    "model-missing": ("missing", "does not exist; pass --model with the path to a .pt file"),
    "model-empty": ("empty", "is empty; download it again or pass another --model"),
    "model-random-bytes": ("random-bytes", "is damaged or not a PyTorch checkpoint"),
    "model-cut-short": ("cut-short", "is damaged or not a PyTorch checkpoint"),
    "model-wrong-keys": ("wrong-keys", "is a PyTorch file but not a Whisper model"),
}


@pytest.mark.parametrize("row", list(MODELS), ids=list(MODELS))
def test_a_bad_checkpoint_is_refused_before_the_session_starts(row: str, tmp_path: Path) -> None:
    make, words = MODELS[row]
    path = model_file(make, tmp_path)
    refused(["rehearse", "--no-voice", "--model", str(path), "--answer-file", str(GOOD_ANSWER)],
            saved_home(tmp_path / "home"), words)


@pytest.mark.parametrize("args", [[], ["--model", "small.en"]], ids=["default", "named"])
def test_model_not_cached_offline_is_refused_without_any_network_call(args: list[str], tmp_path: Path) -> None:
    from .support.netaudit import audited_env

    home = saved_home(tmp_path / "home")
    env, log = audited_env({**os.environ, "XDG_CACHE_HOME": str(tmp_path / "empty-cache")}, tmp_path)
    before = snapshot(home)
    result = subprocess.run([sys.executable, "-m", "simulator", "rehearse", "--no-voice", *args, "--answer-file",
                             str(GOOD_ANSWER), "--home", str(home)], capture_output=True, text=True, timeout=120,
                            stdin=subprocess.DEVNULL, env=env)
    name = args[1] if args else "base.en"
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1, result.stderr
    assert lines[0] == (f"error: The Whisper model {name} is not downloaded; run `mock-interview download --model "
                        f"{name}` once while online, or pass --model PATH to a local model.")
    assert log.read_text() == "", "a network call was attempted"
    assert snapshot(home) == before
    control = subprocess.run([sys.executable, "-c", "import socket; socket.getaddrinfo('localhost', 80)"], env=env)
    assert control.returncode == 0 and "socket.getaddrinfo" in log.read_text(), "the network audit records nothing"


def test_download_refuses_a_path_and_an_unknown_name(tmp_path: Path) -> None:
    assert_refused(CliRunner().invoke(cli, ["download", "--model", str(tmp_path / "mine.pt")]),
                   "is a local model; there is nothing to download")
    assert_refused(CliRunner().invoke(cli, ["download", "--model", "enormous"]), "no model named 'enormous'")


def test_download_of_a_model_already_cached_stays_offline(tmp_path: Path, tiny_checkpoint: Path) -> None:
    from .support.netaudit import audited_env

    cache = tmp_path / "cache"
    (cache / "whisper").mkdir(parents=True)
    shutil.copy(tiny_checkpoint, cache / "whisper" / "tiny.en.pt")
    env, log = audited_env({**os.environ, "XDG_CACHE_HOME": str(cache)}, tmp_path)
    result = subprocess.run([sys.executable, "-m", "simulator", "download", "--model", "tiny.en"], env=env,
                            capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Whisper model tiny.en is ready at {cache / 'whisper' / 'tiny.en.pt'}."
    assert log.read_text() == ""


# --- practice: résumé, company, drill, round, plan ---------------------------------------


def resume_file(make: str, folder: Path) -> Path:
    """A résumé that cannot be used, built the way each row describes."""
    import runpy

    pdf = runpy.run_path(str(HERE.parent / "scripts" / "make_resume_pdf.py"))["pdf"]
    names = {"missing": "gone.pdf", "folder": "cv", "empty": "cv.txt", "docx": "cv.docx", "latin1": "cv.txt",
             "not-pdf": "cv.pdf", "damaged": "cv.pdf", "no-text": "cv.pdf", "no-project": "cv.md"}
    path = folder / names[make]
    if make == "folder":
        path.mkdir()
    elif make == "empty":
        path.write_bytes(b"")
    elif make == "docx":
        path.write_bytes(b"PK\x03\x04 a word document")
    elif make == "latin1":
        path.write_bytes("Built the caf\xe9 ordering system".encode("latin-1"))
    elif make == "not-pdf":
        path.write_text("Built the payments ledger at Acme.\n")
    elif make == "damaged":
        path.write_bytes(pdf(["Built the payments ledger"])[:120])
    elif make == "no-text":
        path.write_bytes(pdf([]))
    elif make == "no-project":
        path.write_text("# Jordan Rivera\n\n## Skills\n\nGo, Postgres, Kafka\n")
    return path


RESUMES = {
    "resume-missing": Bad("missing", "does not exist; check the path"),
    "resume-folder": Bad("folder", "is a folder; name the résumé file in it"),
    "resume-empty": Bad("empty", "is empty"),
    "resume-wrong-format": Bad("docx", "is not a .txt, .md or .pdf file; save it as one of those"),
    "resume-not-utf8": Bad("latin1", "is not UTF-8 text; save it as UTF-8, or as a PDF"),
    "resume-not-pdf": Bad("not-pdf", "is not a PDF (it does not start with %PDF)"),
    "resume-damaged-pdf": Bad("damaged", "is a damaged PDF"),
    "resume-scanned-pdf": Bad("no-text", "holds no text (a scanned image?)"),
    "resume-no-project": Bad("no-project", "names no project we could ask about"),
}


@pytest.mark.parametrize("row", list(RESUMES), ids=list(RESUMES))
@pytest.mark.parametrize("command", [["rehearse", "--type", "--no-voice"], ["questions"]], ids=["rehearse", "list"])
def test_a_bad_resume_is_refused(row: str, command: list[str], tmp_path: Path) -> None:
    home = saved_home(tmp_path / "home")
    path = resume_file(RESUMES[row].make, tmp_path)
    line = refused([*command, "--resume", str(path)], home, RESUMES[row].words)
    assert str(path) in line


PRACTICE = {
    "keep-resume-alone": (["rehearse", "--type", "--keep-resume"], "add --resume PATH or drop --keep-resume"),
    "company-unknown": (["rehearse", "--type", "--company", "initech"], "There is no company 'initech'"),
    "company-unknown-questions": (["questions", "--company", "initech"], "pick one of amazon, google"),
    "drill-unknown": (["rehearse", "--type", "--drill", "vibes"], "There is no drill for 'vibes'"),
    "drill-experience": (["rehearse", "--type", "--drill", "clarify", "--question", "system-you-designed"],
                         "Drills are parts of a design answer"),
    "drill-and-round": (["rehearse", "--type", "--drill", "clarify", "--round", "2"], "use one of them"),
    "round-and-question": (["rehearse", "--type", "--round", "2", "--question", "url-shortener"], "drop --question"),
    "round-too-few-answer-files": (["rehearse", "--round", "3", "--answer-file", str(GOOD_ANSWER)],
                                   "--round 3 needs at least 3 --answer-file"),
    "round-bad-answer-file": (["rehearse", "--round", "2", "--answer-file", str(GOOD_ANSWER), "--answer-file",
                               "/nonexistent/answer.wav"], "does not exist"),
    "plan-bad-date": (["plan", "--on", "tomorrow"], "is not a date; write it as YYYY-MM-DD"),
    "round-none-yet": (["round", "round-1999"], "There are no rounds yet; start one with"),
}


@pytest.mark.parametrize("row", list(PRACTICE), ids=list(PRACTICE))
def test_a_practice_option_that_cannot_work_is_refused(row: str, tmp_path: Path) -> None:
    home = saved_home(tmp_path / "home")
    args, words = PRACTICE[row]
    refused([*args, "--no-voice"] if args[0] == "rehearse" else args, home, words)

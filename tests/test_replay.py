"""Replay on sessions made by the loop with fakes: what is played, in what order, and when each line shows."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from simulator.audio import read_wav
from simulator.cli.main import cli
from simulator.config import format_duration
from simulator.errors import UserError
from simulator.review.replay import MAX_GAP, Replay, Replayer, parse_time, plan_replay
from simulator.review.review import build_review
from simulator.sessions.store import SessionFolder

from .support.fakes import FakeClock, RecordingPlayer, ScriptedTranscriber, WavMicrophone
from .support.imports import heavy_imports
from .support.interviews import make, silence, talk

T0 = 1000.0  # FakeClock's start


def spoken_session(tmp_path: Path, followups: int = 1) -> SessionFolder:
    """Question, answer, follow-up, answer: prompts at 22.05 kHz, answers at 16 kHz, segments at 0.5 s and 2.5 s."""
    interview = make(tmp_path, np.concatenate([talk(), silence(7)]), followups=followups)
    interview.run()
    assert interview.folder is not None
    return interview.folder


class Shown:
    """The show callback: each line with the fake clock's time when it was shown."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.lines: list[tuple[float, str]] = []

    def __call__(self, line: str) -> None:
        self.lines.append((self.clock.now() - T0, line))

    def at(self, text: str) -> float:
        times = [t for t, line in self.lines if text in line]
        assert len(times) == 1, f"{text!r} shown {len(times)} times in {self.lines}"
        return times[0]

    def texts(self) -> list[str]:
        return [line for _, line in self.lines]


def load(folder: SessionFolder) -> Replay:
    return plan_replay(build_review(folder.read()))


def replay(folder: SessionFolder, start: float = 0.0, audio: bool = True, **kw: object) -> tuple[
        RecordingPlayer, Shown, FakeClock]:
    clock = FakeClock(T0)
    player = RecordingPlayer(clock)
    shown = Shown(clock)
    Replayer(load(folder), player=player if audio else None, clock=clock, show=shown, **kw).run(start)  # type: ignore[arg-type]
    return player, shown, clock


def test_both_voices_play_in_turn_order_each_when_its_turn_starts(tmp_path: Path) -> None:
    folder = spoken_session(tmp_path)
    turns = folder.load().turns
    player, _, clock = replay(folder)
    assert [t.audio for t in turns] == ["prompt-01.wav", "answer-01.wav", "prompt-02.wav", "answer-02.wav"]
    assert len(player.played) == 4
    for (when, clip), turn in zip(player.played, turns):
        on_disk = read_wav(folder.file(turn.audio or ""))
        assert clip.rate == on_disk.rate and np.array_equal(clip.samples, on_disk.samples)
        assert when - T0 == pytest.approx(turn.start, abs=0.01), "no time is lost or added between turns"
    assert clock.now() - T0 == pytest.approx(turns[-1].end, abs=0.01)


def test_each_line_shows_when_the_playhead_reaches_it_with_the_session_time(tmp_path: Path) -> None:
    folder = spoken_session(tmp_path)
    turns = folder.load().turns
    _, shown, _ = replay(folder)
    texts = shown.texts()
    assert texts[0] == f"Session {folder.id} (complete, {format_duration(turns[-1].end)}): Design a URL shortener."
    assert texts[1] == "[0:00] Interviewer: Design a URL shortener."
    answer = turns[1].start
    first = [t for t, line in shown.lines if "You: First I'd clarify the scope." in line]
    who = [t for t, line in shown.lines if "You: Who are the users?" in line]
    # the segments start 0.5 s and 2.5 s into each answer; lines show within a playback block of that
    assert first[0] == pytest.approx(answer + 0.5, abs=0.1) and who[0] == pytest.approx(answer + 2.5, abs=0.1)
    assert first[1] == pytest.approx(turns[3].start + 0.5, abs=0.1)
    assert f"[{format_duration(answer + 2.5)}] You: Who are the users?" in texts
    assert shown.at(turns[2].text) == pytest.approx(turns[2].start, abs=0.01)
    assert texts[-1].endswith("(end of the session)")
    assert [t for t, _ in shown.lines] == sorted(t for t, _ in shown.lines)


def test_from_starts_mid_answer_with_the_line_being_spoken(tmp_path: Path) -> None:
    folder = spoken_session(tmp_path, followups=0)
    prompt, answer = folder.load().turns
    start = answer.start + 3.0  # inside "Who are the users?" (2.5-4.0 s into the answer)
    player, shown, clock = replay(folder, start)
    assert len(player.played) == 1, "the prompt before --from is not played"
    when, clip = player.played[0]
    assert clip.seconds == pytest.approx(answer.seconds - 3.0, abs=0.01)
    assert "You: Who are the users?" in shown.texts()[1] and shown.lines[1][0] == 0
    assert not any("First I'd clarify" in line or "Interviewer:" in line for line in shown.texts())
    assert clock.now() - T0 == pytest.approx(answer.end - start, abs=0.01)


def test_turn_counts_every_turn_and_starts_at_the_follow_up(tmp_path: Path) -> None:
    folder = spoken_session(tmp_path)
    plan = load(folder)
    turns = plan.record.turns
    player, shown, _ = replay(folder, plan.start_of_turn(3))
    assert [clip.rate for _, clip in player.played] == [22050, 16000]
    assert f"Interviewer: {turns[2].text}" in shown.texts()[1]
    with pytest.raises(UserError, match="pick --turn between 1 and 4"):
        plan.start_of_turn(5)


def test_speed_plays_faster_and_shows_lines_sooner(tmp_path: Path) -> None:
    folder = spoken_session(tmp_path, followups=0)
    prompt, answer = folder.load().turns
    player, shown, clock = replay(folder, speed=2.0)
    assert clock.now() - T0 == pytest.approx(answer.end / 2, abs=0.05)
    assert player.played[1][1].seconds == pytest.approx(answer.seconds / 2, abs=0.01)
    assert shown.at("Who are the users?") == pytest.approx((answer.start + 2.5) / 2, abs=0.1)
    # the times shown stay those of the session
    assert f"[{format_duration(answer.start + 2.5)}] You: Who are the users?" in shown.texts()


def test_no_audio_sleeps_through_the_session_and_fast_prints_it_at_once(tmp_path: Path) -> None:
    folder = spoken_session(tmp_path)
    turns = folder.load().turns
    player, paced, clock = replay(folder, audio=False)
    assert player.played == []
    assert clock.now() - T0 == pytest.approx(turns[-1].end, abs=0.01)
    assert paced.at(turns[2].text) == pytest.approx(turns[2].start, abs=0.01)
    player, fast, clock = replay(folder, fast=True)
    assert player.played == [] and clock.now() == T0
    assert fast.texts() == paced.texts(), "the same timed transcript, only sooner"


def test_long_silences_between_turns_are_shortened(tmp_path: Path) -> None:
    folder = spoken_session(tmp_path, followups=0)
    record = folder.load()
    record.turns[1].start += 30
    record.turns[1].end += 30
    folder.save(record)
    player, shown, clock = replay(folder)
    assert player.played[1][0] - T0 == pytest.approx(record.turns[0].end + MAX_GAP, abs=0.01)
    assert f"[{format_duration(record.turns[1].start + 0.5)}] You: First I'd clarify the scope." in shown.texts()


def test_an_interrupted_answer_plays_what_was_recorded_without_a_transcript(tmp_path: Path) -> None:
    clock = FakeClock()
    interview = make(tmp_path, talk(4), clock=clock, microphone=WavMicrophone(talk(4), clock, interrupt_at=5.0),
                     transcriber=ScriptedTranscriber([]))
    with pytest.raises(KeyboardInterrupt):
        interview.run()
    assert interview.folder is not None
    folder = interview.folder
    assert not folder.file("transcript.json").exists()
    answer = folder.load().turns[1]
    player, shown, _ = replay(folder)
    assert [clip.seconds for _, clip in player.played][1] == pytest.approx(answer.seconds, abs=0.01)
    assert shown.texts()[2] == f"[{format_duration(answer.start)}] You: (no transcript)"
    assert shown.texts()[-1].endswith("(the session was interrupted here)")


def test_a_session_stopped_before_any_turn_says_so(tmp_path: Path) -> None:
    folder = spoken_session(tmp_path, followups=0)
    record = folder.load()
    record.turns, record.status = [], "interrupted"
    folder.save(record)
    player, shown, _ = replay(folder)
    assert player.played == []
    assert shown.texts()[1:] == ["[0:00] (the session was interrupted here)"]


def test_a_session_killed_mid_answer_plays_all_its_audio(tmp_path: Path) -> None:
    """A killed process leaves the answer's end at its start; the WAV on disk says how long it was."""
    folder = spoken_session(tmp_path, followups=0)
    record = folder.load()
    record.turns[1].end = record.turns[1].start
    record.status = "recording"
    folder.save(record)
    player, _, clock = replay(folder)
    heard = read_wav(folder.file("answer-01.wav")).seconds
    assert player.played[1][1].seconds == pytest.approx(heard)
    assert clock.now() - T0 == pytest.approx(record.turns[1].start + heard, abs=0.01)


def test_a_missing_or_cut_short_wav_is_named_and_the_rest_plays(tmp_path: Path) -> None:
    folder = spoken_session(tmp_path)
    folder.file("answer-01.wav").unlink()
    data = folder.file("answer-02.wav").read_bytes()
    folder.file("answer-02.wav").write_bytes(data[: len(data) // 2])
    player, shown, _ = replay(folder)
    assert [clip.rate for _, clip in player.played] == [22050, 22050, 16000]
    notes = [line for line in shown.texts() if ".wav" in line]
    assert len(notes) == 2
    assert "answer-01.wav is missing; its lines are shown without sound." in notes[0]
    whole = folder.load().turns[3].seconds
    held = read_wav(folder.file("answer-02.wav")).seconds
    assert held < whole - 3
    assert f"answer-02.wav holds {format_duration(held)} of the {format_duration(whole)} turn" in notes[1]
    assert sum("You: Who are the users?" in line for line in shown.texts()) == 2, "every answer's lines still show"


def test_an_unreadable_wav_or_transcript_does_not_stop_the_replay(tmp_path: Path) -> None:
    folder = spoken_session(tmp_path, followups=0)
    folder.file("answer-01.wav").write_bytes(b"RIFF0000WAVE")
    folder.file("transcript.json").write_text("{not json")
    player, shown, _ = replay(folder)
    assert len(player.played) == 1
    assert any("answer-01.wav cannot be read" in line for line in shown.texts())
    record = folder.load()
    assert f"You: {record.turns[1].text}" in shown.texts()[-2], "the turn's text stands in for its segments"


@pytest.mark.parametrize(("text", "seconds"), [("2:30", 150), ("150", 150), ("0:05.5", 5.5), ("1:02:03", 3723),
                                               (" 12:00 ", 720)])
def test_from_reads_minutes_and_seconds_or_plain_seconds(text: str, seconds: float) -> None:
    assert parse_time(text) == seconds


@pytest.mark.parametrize("text", ["abc", "1:75", "-3", "", "1:2", "2m30s"])
def test_from_refuses_junk_in_one_sentence(text: str) -> None:
    with pytest.raises(UserError, match="--from takes a time as MM:SS or seconds"):
        parse_time(text)


# --- the command -----------------------------------------------------------------


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_replay_fast_prints_the_timed_transcript_of_the_last_session(tmp_path: Path) -> None:
    folder = spoken_session(tmp_path)
    result = run("replay", "last", "--fast", "--home", str(tmp_path))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1] == "[0:00] Interviewer: Design a URL shortener."
    assert sum("You: First I'd clarify the scope." in line for line in lines) == 2
    by_prefix = run("replay", folder.id[:12], "--fast", "--turn", "3", "--home", str(tmp_path))
    assert by_prefix.exit_code == 0 and "Interviewer: Design" not in by_prefix.output
    by_path = run("replay", str(folder.path), "--fast", "--from", "0:03", "--home", str(tmp_path))
    assert by_path.exit_code == 0 and by_path.output.splitlines()[1].startswith("[0:02] You: First")


def test_a_typed_session_replays_without_a_speaker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    typed = run("rehearse", "--type", "--no-voice", "--followups", "0", "--question", "url-shortener", "--home",
                str(tmp_path), input="First I'd clarify who the users are.\n")
    assert typed.exit_code == 0, typed.output
    monkeypatch.setenv("PULSE_SERVER", "unix:/nonexistent/pulse")  # there is no speaker to open
    result = run("replay", "last", "--home", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "This session has no audio" in result.output
    assert "You: First I'd clarify who the users are." in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "ten"], "error: --from takes a time as MM:SS or seconds, such as 2:30 or 150, not 'ten'."),
    (["--from", "1:00", "--turn", "2"], "error: --from and --turn both say where to start; use one of them."),
    (["--turn", "9"], "error: The session has 4 turns; pick --turn between 1 and 4."),
    (["--from", "59:00"], "error: The session is 0:"),
])
def test_bad_start_points_are_one_line_errors(tmp_path: Path, args: list[str], message: str) -> None:
    spoken_session(tmp_path)
    result = CliRunner().invoke(cli, ["replay", "last", "--fast", "--home", str(tmp_path), *args])
    assert result.exit_code == 2 and result.output.startswith(message) and result.output.count("\n") == 1, \
        result.output


def test_an_unknown_session_is_a_one_line_error(tmp_path: Path) -> None:
    spoken_session(tmp_path)
    result = CliRunner().invoke(cli, ["replay", "nope", "--home", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output == "error: There is no session 'nope'; see `mock-interview sessions` for the ids.\n"


def test_ctrl_c_stops_the_replay_in_one_line_and_leaves_the_session_alone(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    folder = spoken_session(tmp_path)
    before = {p.name: p.read_bytes() for p in folder.path.iterdir()}

    def interrupt(self: object, seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("simulator.ports.SystemClock.sleep", interrupt)
    result = CliRunner().invoke(cli, ["replay", "last", "--no-audio", "--home", str(tmp_path)])
    assert result.exit_code == 130
    assert result.stderr == "\nReplay stopped; the session is unchanged.\n"
    assert "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in folder.path.iterdir()} == before


def test_replay_does_not_import_torch_or_whisper(tmp_path: Path) -> None:
    spoken_session(tmp_path)
    heavy, out = heavy_imports(["replay", "last", "--fast", "--home", str(tmp_path)])
    assert heavy == []
    assert "Interviewer: Design a URL shortener." in out


# --- on the virtual speaker ------------------------------------------------------

FIXTURES = Path(__file__).resolve().parent.parent / "audio_fixtures"
ANSWER = FIXTURES / "short-answer.wav"


def chirp(seconds: float, rate: int) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (0.5 * np.sin(2 * np.pi * (300 * t + 900 * t * t))).astype(np.float32)  # 300 Hz up to 3 kHz


def known_session(home: Path) -> SessionFolder:
    """A session folder from known audio: a 1.5 s chirp as the prompt, then short-answer.wav after a 0.5 s pause."""
    from simulator.audio import read_audio, write_wav
    from simulator.sessions.record import SessionRecord, Transcript, TranscriptAnswer, Turn
    from simulator.transcript import Segment

    folder = SessionFolder(home / "sessions" / "20260101-090000-url-shortener")
    folder.path.mkdir(parents=True)
    write_wav(folder.file("prompt-01.wav"), chirp(1.5, 22050), 22050)
    answer = read_audio(ANSWER)
    write_wav(folder.file("answer-01.wav"), answer)
    turns = [Turn("interviewer", "Design a URL shortener.", "prompt-01.wav", 0.0, 1.5),
             Turn("candidate", "First I'd like to clarify the scope. Who are the users?", "answer-01.wav", 2.0,
                  2.0 + len(answer) / 16000)]
    folder.save(SessionRecord("20260101-090000-url-shortener", {"id": "url-shortener", "kind": "design",
                                                                 "text": "Design a URL shortener."},
                              "2026-01-01T09:00:00+00:00", "complete", "base.en", turns))
    folder.save_transcript(Transcript([TranscriptAnswer("answer-01.wav", 2.0, "", [
        Segment(0.5, 3.0, " First I'd like to clarify the scope."), Segment(3.2, 6.5, " Who are the users?")])]))
    return folder


@pytest.mark.device
def test_replay_plays_prompt_then_answer_through_the_speaker(virtual_audio, tmp_path: Path) -> None:
    import threading
    import time

    from simulator.audio import read_audio, resample

    from .support.matching import best_match

    home = tmp_path / "home"
    folder = known_session(home)
    heard = tmp_path / "speaker.wav"
    started, done = threading.Event(), threading.Event()
    # until the replay has exited, so a late start on a busy machine is still recorded whole
    recorder = threading.Thread(target=virtual_audio.record_speaker, args=(90.0, heard),
                                kwargs={"started": started, "stop": done})
    recorder.start()
    assert started.wait(10)
    code = ("import sys\nfrom simulator.cli.main import cli\n"
            f"try:\n    cli(['replay', 'last', '--home', {str(home)!r}])\n"
            "except SystemExit as exc:\n    assert exc.code == 0, exc.code\n"
            "print('HEAVY', sorted(m for m in ('torch', 'whisper') if m in sys.modules), file=sys.stderr)\n")
    began = time.monotonic()
    try:
        result = subprocess.run([sys.executable, "-c", code], env={**virtual_audio.env, "PYTHONUNBUFFERED": "1"},
                                capture_output=True, text=True, timeout=60)
    finally:
        done.set()
        recorder.join(30)
    took = time.monotonic() - began
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "HEAVY []" in result.stderr, result.stderr
    assert result.stdout.splitlines()[1:4] == ["[0:00] Interviewer: Design a URL shortener.",
                                               "[0:02] You: First I'd like to clarify the scope.",
                                               "[0:05] You: Who are the users?"]
    assert took >= 9.5, "the replay takes as long as the session it plays"

    speaker = read_wav(heard)
    prompt_score, prompt_lag = best_match(resample(chirp(1.5, 22050), 22050, 16000), speaker.samples)
    answer_score, answer_lag = best_match(read_audio(ANSWER), speaker.samples)
    assert prompt_score >= 0.9, f"the speaker played the prompt only {prompt_score:.3f}"
    assert answer_score >= 0.9, f"the speaker played the answer only {answer_score:.3f}"
    # the answer starts 2 s after the prompt, as in the session, give or take opening the stream
    assert (answer_lag - prompt_lag) / 16000 == pytest.approx(2.0, abs=0.4)
    assert {p.name for p in folder.path.iterdir()} == {"prompt-01.wav", "answer-01.wav", "session.json",
                                                        "transcript.json"}

"""Spoken conversations through the PulseAudio virtual microphone with real tiny.en weights: the candidate
asks and pauses, the interviewer answers from the fact sheet, the candidate goes on; and the interviewer's
voice coming back through the microphone is never the candidate's text."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from simulator.audio import read_wav, resample, write_wav

from .support.e2e import finish, only_session, start_with
from .support.matching import best_match, wait_for_line
from .support.pulse import VirtualAudio
from .support.speech import silence, speak
from .support.waiting import wait_for

pytestmark = pytest.mark.device

QUESTIONS = "Before I start, I have two questions. How many users should I plan for? And do we need custom aliases?"
GOING_ON = "Thanks. Then I will begin with the API, a post request that returns the short code."
BEAT = 0.8  # the candidate's moment of silence once the interviewer stops, before going on


def wav(tmp_path: Path, name: str, text: str, tail: float = 0.0, lead: float = 0.3) -> Path:
    import numpy as np

    path = tmp_path / name
    write_wav(path, np.concatenate([silence(lead), speak(text), silence(tail)]), 16000)
    return path


def rehearse(env: dict[str, str], real_tiny, home: Path, *args: str, end_silence: float = 45):  # type: ignore[no-untyped-def]
    """A long end silence: on a busy machine the question may take seconds to transcribe, and the candidate
    waits for the reply rather than the answer ending under it."""
    return start_with({**env, "XDG_CACHE_HOME": str(real_tiny.cache)}, "rehearse", "--followups", "0",
                      "--model", str(real_tiny.folder), "--question", "url-shortener", "--end-silence",
                      str(end_silence), "--max-seconds", "200", "--home", str(home), *args)


def turns_when(home: Path, ready, timeout: float = 60):  # type: ignore[no-untyped-def]
    """session.json's turns once `ready(turns)` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in (home / "sessions").glob("*/session.json"):
            try:
                turns = json.loads(path.read_text())["turns"]
            except (ValueError, KeyError):
                continue
            if ready(turns):
                return turns
        time.sleep(0.1)
    pytest.fail("the session never reached the expected turn")


def clarifications(turns: list[dict]) -> list[dict]:
    return [t for t in turns if t.get("kind") == "clarification"]


def heard_out(audio: VirtualAudio) -> None:
    """The candidate waits for the interviewer to finish, as through speakers they must: the turn is saved
    as the voice starts, and the voice plays into the speaker until its last word."""
    assert wait_for(lambda: audio.speaker_streams() > 0, timeout=30), "the reply was never spoken"
    assert wait_for(lambda: audio.speaker_streams() == 0, timeout=60), "the reply never ended"


def test_two_questions_and_a_pause_get_the_sheets_answer_and_the_candidate_goes_on(virtual_audio, real_tiny,
                                                                                  tmp_path: Path) -> None:
    home = tmp_path / "home"
    proc = rehearse(virtual_audio.env, real_tiny, home)
    wait_for_line(proc, "Listening for answer 1", timeout=150)
    virtual_audio.play(wav(tmp_path, "ask.wav", QUESTIONS))
    turns_when(home, lambda turns: clarifications(turns), timeout=150)
    heard_out(virtual_audio)
    virtual_audio.play(wav(tmp_path, "on.wav", GOING_ON, lead=0.3 + BEAT))
    out = finish(proc)

    folder = only_session(home)
    record = json.loads((folder / "session.json").read_text())
    reply = clarifications(record["turns"])
    assert len(reply) == 1, record["turns"]
    assert "hundred million new links" in reply[0]["text"] and "Custom aliases, yes" in reply[0]["text"]
    assert "custom aliases" in reply[0]["reason"].lower()
    assert "Custom aliases" in out  # shown as well as spoken
    answer = record["turns"][1]
    assert answer["start"] < reply[0]["start"] < reply[0]["end"] < answer["end"]
    assert reply[0]["reply_latency"] >= 1.0  # never before the candidate has paused a second; speed is benchmarked
    text = answer["text"].lower()
    assert "custom aliases" in text and "api" in text, text  # both sides of the reply were heard
    spoken = read_wav(folder / reply[0]["audio"])
    assert spoken.seconds == pytest.approx(reply[0]["end"] - reply[0]["start"], abs=0.05)


def test_a_rhetorical_question_gone_straight_on_from_gets_no_answer(virtual_audio, real_tiny,
                                                                   tmp_path: Path) -> None:
    home = tmp_path / "home"
    proc = rehearse(virtual_audio.env, real_tiny, home, end_silence=6)
    wait_for_line(proc, "Listening for answer 1", timeout=150)
    virtual_audio.play(wav(tmp_path, "rhetorical.wav", "So what breaks first? The database breaks first, because "
                           "every redirect has to read it. So I would put a cache in front of it."))
    finish(proc)
    record = json.loads((only_session(home) / "session.json").read_text())
    assert clarifications(record["turns"]) == []
    assert [t["kind"] for t in record["turns"] if t["role"] == "interviewer"] == ["prompt"]


def test_the_interviewers_voice_coming_back_through_the_microphone_is_never_the_candidates(real_tiny,
                                                                                         tmp_path: Path) -> None:
    """Speakers, not headphones: the microphone hears the interviewer's reply. The recording keeps it (the
    session's audio is continuous), the candidate's transcript does not."""
    home = tmp_path / "home"
    with VirtualAudio(loopback=True) as room:
        proc = rehearse(room.env, real_tiny, home)
        wait_for_line(proc, "Listening for answer 1", timeout=150)
        room.play(wav(tmp_path, "ask.wav", QUESTIONS))
        turns_when(home, lambda turns: clarifications(turns), timeout=150)
        heard_out(room)
        room.play(wav(tmp_path, "on.wav", GOING_ON, lead=0.3 + BEAT))
        finish(proc)

    folder = only_session(home)
    record = json.loads((folder / "session.json").read_text())
    reply = clarifications(record["turns"])[0]
    answer = record["turns"][1]
    text = answer["text"].lower()
    for words in ("hundred million", "generated code", "redirects a month", "only as an option"):
        assert words not in text, f"the interviewer's {words!r} was transcribed as the candidate's: {text}"
    assert "custom aliases" in text and "api" in text, text
    voice = read_wav(folder / reply["audio"])
    recorded = read_wav(folder / answer["audio"])
    heard = resample(voice.samples[: voice.rate * 3], voice.rate, 16000)
    score, lag = best_match(heard, recorded.samples)
    assert score >= 0.8, f"the recording does not hold the interviewer's voice ({score:.2f})"
    assert lag / 16000 == pytest.approx(reply["start"] - answer["start"], abs=0.6)


def test_with_headphones_talking_over_the_interviewer_stops_its_voice(virtual_audio, real_tiny,
                                                                     tmp_path: Path) -> None:
    """The virtual microphone does not hear the speaker, as with headphones: the candidate talks over the
    reply, the speaker goes quiet, and every word the candidate said over it is transcribed."""
    import threading

    import numpy as np

    home = tmp_path / "home"
    proc = rehearse(virtual_audio.env, real_tiny, home, "--headphones")
    wait_for_line(proc, "Listening for answer 1", timeout=150)
    started, done = threading.Event(), threading.Event()
    speaker = tmp_path / "speaker.wav"
    recorder = threading.Thread(target=virtual_audio.record_speaker, args=(300.0, speaker),
                                kwargs={"started": started, "stop": done})
    recorder.start()
    assert started.wait(10)
    recording_began = time.monotonic()
    virtual_audio.play(wav(tmp_path, "ask.wav", QUESTIONS))
    turns_when(home, lambda turns: clarifications(turns), timeout=150)
    assert wait_for(lambda: virtual_audio.speaker_streams() > 0, timeout=30), "the reply was never spoken"
    talking = time.monotonic() + 1.3  # the WAV's leading silence: the candidate talks a second into the reply
    virtual_audio.play(wav(tmp_path, "over.wav", "Sorry, go on. I will assume we do and start with the API.",
                           lead=1.3))
    try:
        finish(proc, timeout=300)
    finally:
        done.set()  # all it played is recorded: the recording ends with the rehearsal
        recorder.join(30)

    record = json.loads((only_session(home) / "session.json").read_text())
    reply = clarifications(record["turns"])[0]
    assert "stopped when the candidate spoke over it" in reply["reason"]
    clip = read_wav(only_session(home) / reply["audio"])
    assert reply["end"] - reply["start"] < clip.seconds - 2.0, "the voice went on to the end"
    heard = read_wav(speaker)
    loud = np.flatnonzero(np.abs(heard.samples) > 0.02) / heard.rate + recording_began
    # where the reply's voice went quiet: the first half-second gap once the candidate talks over it (later
    # turns, such as a gentle prompt into the silence after the answer, come after that gap)
    after = loud[loud >= talking]
    gaps = np.flatnonzero(np.diff(after) > 0.5)
    quiet_at = after[gaps[0]] if gaps.size else after[-1]
    stopped_after = quiet_at - talking
    print(f"voice stopped {stopped_after:.2f} s after the candidate began talking over it")
    assert stopped_after < clip.seconds - 2.0
    text = record["turns"][1]["text"].lower()
    assert "assume we do" in text and "api" in text, text

"""Going on after a closing sentence, heard by real tiny.en in real rendered speech fed in real time, the quick
hearing on as with a live microphone, the interviewer's voice rendered by espeak-ng, headphones on."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from simulator.audio import SAMPLE_RATE
from simulator.cli.sources import FileMicrophone
from simulator.config import ListenSettings, TranscribeSettings
from simulator.hearing.engines import FASTER_WHISPER
from simulator.hearing.loader import ModelLoader
from simulator.hearing.transcriber import WhisperTranscriber
from simulator.hearing.vad import VoiceActivity
from simulator.interviewer.interview import Interview
from simulator.interviewer.options import Conduct, Devices, SessionInfo
from simulator.interviewer.voices import Pyttsx3Voice
from simulator.interviewer.window import WITHDRAWN
from simulator.ports import SystemClock
from simulator.questions import load_bank, pick
from simulator.sessions.record import Role, TurnKind
from simulator.sessions.store import Store

from .support.fakes import RecordingScreen
from .support.player import ListeningPlayer
from .support.speech import silence, speak

FIRST = "Reads go through a cache in front of a sharded key value store. And that is my design."  # espeak-ng's "that's" is "let's" to tiny.en
MORE = "Actually, one more thing: we'd add a CDN."


def test_one_more_thing_after_a_closing_sentence_goes_on_with_the_same_answer(real_tiny, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first, more = speak(FIRST), speak(MORE)
    # the closing pause (1 s) runs out first, and the quick hearing has the words by then even on a busy machine:
    # the answer has ended when the candidate goes on, within the window (widened to match the longer pause)
    pause = 2.5
    audio = np.concatenate([silence(0.5), first, silence(pause), more, silence(5.0)])
    first_end = 0.5 + len(first) / SAMPLE_RATE
    question = pick(load_bank(), "url-shortener")
    clock = SystemClock()
    listen = ListenSettings(realtime=True, end_silence=3.0)
    loader = ModelLoader(real_tiny.spec(FASTER_WHISPER)).start()
    loader.get()  # loaded before the answer, so the quick hearing keeps up with real time on a busy machine
    transcriber = WhisperTranscriber(loader,
                                     TranscribeSettings(model=str(real_tiny.folder), vocabulary=question.vocabulary),
                                     vad=VoiceActivity(listen.speech_dbfs), probe=True)
    transcriber.quick(speak("A warm start."))  # the first decoding pays for setting up; a live one has had the question
    transcriber.transcribe(speak("A warm start."))
    voice = Pyttsx3Voice(ListeningPlayer(), warn=print)
    devices = Devices(voice, clock, RecordingScreen(), transcriber,
                      FileMicrophone([audio, np.concatenate([speak("I would shard by code."), silence(4.0)])], clock,
                                     realtime=True))
    interview = Interview(Store(tmp_path), question, devices, listen, SessionInfo(model_name="tiny.en"),
                          Conduct(followups=1, answers_available=2, headphones=True))
    interview.turns = replace(interview.turns, resume_window=3.5)
    record = interview.run()

    folder = interview.folder.path
    ended = json.loads((folder / "transcript.json").read_text())["answers"][0]
    text = ended["text"].lower()
    assert "my design" in text and "cdn" in text, "one answer holds both parts"
    assert len(ended["resumed"]) == 1, ended
    assert first_end + 1.0 <= ended["resumed"][0] <= first_end + pause + 1.0, (first_end, ended["resumed"])
    assert ended["ended_by"] == "silence", "its end is worked out again once it finally ends"
    answer = next(t for t in record.turns if t.role == Role.CANDIDATE)
    assert answer.end - answer.start >= first_end + pause + len(more) / SAMPLE_RATE
    # what the interviewer had begun in the window was stopped; the question came after the second part
    cut = [t for t in record.turns if t.role == Role.INTERVIEWER and WITHDRAWN in (t.reason or "")]
    assert len(cut) == 1 and cut[0].start - answer.start <= ended["resumed"][0]
    asked = [t for t in record.turns if t.kind == TurnKind.FOLLOWUP and t.target is not None]
    assert len(asked) == 1 and asked[0].start >= answer.end, [(t.kind, t.start, t.text) for t in record.turns]

"""The interviewer's voice through real pyttsx3 rendering (espeak-ng), played by a stand-in player."""

from __future__ import annotations

import pytest

from simulator.audio import dbfs
from simulator.interviewer.voices import Pyttsx3Voice, SilentVoice

from .support.player import ListeningPlayer


def test_pyttsx3_renders_the_prompt_to_audio_that_is_played_and_returned() -> None:
    player = ListeningPlayer()
    warnings: list[str] = []
    voice = Pyttsx3Voice(player, warnings.append)  # type: ignore[arg-type]
    clip = voice.say("Design a URL shortener. Walk me through it.")
    assert warnings == []
    assert clip is not None and player.played == [clip]
    assert 1.5 < clip.seconds < 8.0, "about seven words at 165 words per minute"
    assert dbfs(clip.samples) > -40, "speech, not silence"
    longer = voice.say("Design a URL shortener. Walk me through it, and take your time to clarify the scope first.")
    assert longer is not None and longer.seconds > clip.seconds, "each prompt is rendered afresh"


def test_rendering_prints_nothing_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    Pyttsx3Voice(ListeningPlayer(), lambda m: None).render("Hello.")  # type: ignore[arg-type]
    assert capsys.readouterr().out == ""


def test_a_voice_that_cannot_play_warns_once_and_keeps_the_rendered_prompt() -> None:
    warnings: list[str] = []
    voice = Pyttsx3Voice(ListeningPlayer(fail=True), warnings.append)  # type: ignore[arg-type]
    first = voice.say("First question.")
    second = voice.say("Second question.")
    assert first is not None and second is not None
    assert len(warnings) == 1 and "printed instead" in warnings[0]


def test_a_voice_that_cannot_render_falls_back_to_print(monkeypatch: pytest.MonkeyPatch) -> None:
    warnings: list[str] = []
    voice = Pyttsx3Voice(ListeningPlayer(), warnings.append)  # type: ignore[arg-type]

    def broken() -> None:
        raise OSError("libespeak-ng.so.1: cannot open shared object file")

    monkeypatch.setattr("simulator.interviewer.espeak._engine", broken)
    assert voice.say("Hello.") is None
    assert voice.say("Again.") is None
    assert len(warnings) == 1 and "espeak-ng" in warnings[0]


def test_no_voice_speaks_nothing() -> None:
    assert SilentVoice().say("Hello") is None


def test_ctrl_c_while_the_voice_renders_is_held_to_the_end_of_rendering_not_lost() -> None:
    import os
    import signal
    import time

    from simulator.interviewer.espeak import interrupt_deferred

    finished = False
    with pytest.raises(KeyboardInterrupt):
        with interrupt_deferred():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)  # the rendering's time, in which espeak-ng's callbacks would have swallowed it
            finished = True
    assert finished
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler

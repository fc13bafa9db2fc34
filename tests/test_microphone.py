"""The real microphone class over a stand-in PortAudio: overflows are counted, a silent device is a fault.

PortAudio reports an input overflow only when the machine falls behind, which
a test cannot cause on demand, so the stream here is a stand-in that calls
the real callback with the flags PortAudio would pass.
"""

from __future__ import annotations

import threading
import types
from typing import Any

import numpy as np
import pytest

from simulator.audio import CHUNK_SAMPLES
from simulator.cli import devices
from simulator.errors import DeviceError


def fake_portaudio(blocks: int, overflow_at: set[int]) -> Any:
    """A sounddevice module whose input stream delivers `blocks` blocks, then goes quiet like a lost device."""

    class Stream:
        def __init__(self, *, blocksize: int, callback: Any, **_: Any) -> None:
            self.blocksize, self.callback, self.active = blocksize, callback, False

        def start(self) -> None:
            self.active = True
            threading.Thread(target=self._run, daemon=True).start()

        def _run(self) -> None:
            for i in range(blocks):
                block = np.full((self.blocksize, 1), i / 100, dtype=np.float32)
                self.callback(block, self.blocksize, None, types.SimpleNamespace(input_overflow=i in overflow_at))

        def stop(self) -> None:
            self.active = False

        close = stop

    return types.SimpleNamespace(InputStream=Stream, PortAudioError=RuntimeError,
                                 query_devices=lambda device, kind: {"default_samplerate": 16000})


def test_overflows_are_counted_and_a_device_gone_quiet_ends_the_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(devices, "sounddevice", lambda: fake_portaudio(20, {3, 7, 8}))
    monkeypatch.setattr(devices, "STALL_TIMEOUT", 0.3)
    mic = devices.SoundDeviceMicrophone()
    received = []
    with pytest.raises(DeviceError, match="stopped sending audio"):
        for chunk in mic.chunks():
            received.append(chunk)
    assert len(received) == 20 and all(len(c.samples) == CHUNK_SAMPLES for c in received)
    assert [round(float(c.samples[0]) * 100) for c in received] == list(range(20)), "nothing lost or reordered"
    assert mic.overflows == 3


def driven_portaudio() -> Any:
    """A sounddevice module whose input stream delivers a block when the test says, counting streams opened."""

    class Stream:
        opened: list[Stream] = []

        def __init__(self, *, blocksize: int, callback: Any, **_: Any) -> None:
            self.blocksize, self.callback, self.active = blocksize, callback, False
            self.sent = 0
            Stream.opened.append(self)

        def start(self) -> None:
            self.active = True

        def deliver(self, count: int) -> None:
            for _ in range(count):
                block = np.full((self.blocksize, 1), self.sent / 100, dtype=np.float32)
                self.callback(block, self.blocksize, None, types.SimpleNamespace(input_overflow=False))
                self.sent += 1

        def stop(self) -> None:
            self.active = False

        close = stop

    return types.SimpleNamespace(InputStream=Stream, PortAudioError=RuntimeError, Stream=Stream,
                                 query_devices=lambda device, kind: {"default_samplerate": 16000})


def test_a_stream_opened_ahead_keeps_what_is_heard_once_the_question_is_over_and_no_block_before(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Opened before the question is shown, the stream is running when the candidate starts: the answer starts
    where the question ended, with nothing of the question in it and nothing after it lost."""
    portaudio = driven_portaudio()
    monkeypatch.setattr(devices, "sounddevice", lambda: portaudio)
    monkeypatch.setattr(devices, "STALL_TIMEOUT", 0.3)
    mic = devices.SoundDeviceMicrophone()
    mic.open_ahead()
    assert len(portaudio.Stream.opened) == 1, "opened before the question"
    stream = portaudio.Stream.opened[0]
    stream.deliver(5)  # heard while the question is said
    mic.answer_from_now()
    stream.deliver(4)  # the candidate starts as it ends, before the answer is read
    received = []
    with pytest.raises(DeviceError):
        for chunk in mic.chunks():
            received.append(chunk)
            if len(received) == 4:
                mic.open_ahead()  # asked while an answer is being read: no second stream
                stream.deliver(2)
    assert [round(float(c.samples[0]) * 100) for c in received] == [5, 6, 7, 8, 9, 10]
    assert received[0].timestamp == 0.0, "the answer's clock starts where the question ended"
    assert len(portaudio.Stream.opened) == 1 and not stream.active, "the one stream, closed with the answer"


def test_an_answer_not_opened_ahead_opens_its_own_stream_and_a_device_that_never_sends_is_a_fault(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A stream that starts but never delivers its first block ended nothing before: the answer waited forever."""
    portaudio = driven_portaudio()
    monkeypatch.setattr(devices, "sounddevice", lambda: portaudio)
    monkeypatch.setattr(devices, "FIRST_BLOCK_TIMEOUT", 0.3)
    mic = devices.SoundDeviceMicrophone()
    mic.answer_from_now()  # nothing opened ahead: nothing to mark
    with pytest.raises(DeviceError, match="stopped sending audio"):
        for _ in mic.chunks():
            pass
    assert len(portaudio.Stream.opened) == 1

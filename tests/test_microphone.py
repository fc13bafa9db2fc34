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
